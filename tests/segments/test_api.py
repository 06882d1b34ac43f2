"""The saved views API and `GET /contacts?view=<id>`."""

from __future__ import annotations

from typing import Any

from peoplebase.segments.models import SavedView
from peoplebase.segments.services import create_view
from tests.api.conftest import problem_of


def test_create_read_update_delete_a_view(api_as: Any, alice: Any) -> None:
    api = api_as(alice)

    created = api.post(
        "/saved-views",
        {"name": "VIPs", "filters": {"tags_any": "vip"}, "sort": "-created", "columns": ["email"]},
    )
    view_id = created.json()["id"]
    changed = api.patch(f"/saved-views/{view_id}", {"is_shared": True})
    got = api.get(f"/saved-views/{view_id}")
    deleted = api.delete(f"/saved-views/{view_id}")

    assert created.status_code == 201
    assert created["Location"].endswith(f"/api/v1/saved-views/{view_id}")
    assert created.json()["owner"]["email"] == alice.email
    assert changed.json()["is_shared"] is True
    assert got.json()["filters"] == {"tags_any": "vip"}
    assert deleted.status_code == 204
    assert not SavedView.objects.filter(pk=view_id).exists()


def test_list_shows_own_and_shared_views_only(api_as: Any, alice: Any, bob: Any) -> None:
    create_view(alice, {"name": "Mine"})
    create_view(bob, {"name": "Team", "is_shared": True})
    create_view(bob, {"name": "Secret"})

    items = api_as(alice).get("/saved-views").json()["items"]

    assert [item["name"] for item in items] == ["Mine", "Team"]


def test_bad_input_is_a_problem_naming_the_field(api_as: Any, alice: Any) -> None:
    api = api_as(alice)

    bad_filter = api.post("/saved-views", {"name": "X", "filters": {"status": "sleepy"}})
    unknown = api.post("/saved-views", {"name": "X", "colour": "red"})
    no_name = api.post("/saved-views", {"name": " "})

    assert bad_filter.status_code == 422
    assert "filters.status" in problem_of(bad_filter)["errors"]
    assert unknown.status_code == 422
    assert "colour" in problem_of(unknown)["errors"]
    assert "name" in problem_of(no_name)["errors"]


def test_others_private_views_are_404_and_shared_ones_read_only_for_reps(
    api_as: Any, alice: Any, bob: Any
) -> None:
    private = create_view(bob, {"name": "Secret"})
    shared = create_view(bob, {"name": "Team", "is_shared": True})
    api = api_as(alice)

    assert problem_of(api.get(f"/saved-views/{private.pk}"))["status"] == 404
    assert api.patch(f"/saved-views/{private.pk}", {"name": "Mine"}).status_code == 404
    assert problem_of(api.patch(f"/saved-views/{shared.pk}", {"name": "Mine"}))["status"] == 403
    assert api.delete(f"/saved-views/{shared.pk}").status_code == 403


def test_read_only_user_cannot_share_a_view(api_as: Any, reader: Any) -> None:
    response = api_as(reader).post("/saved-views", {"name": "All", "is_shared": True})

    assert problem_of(response)["status"] == 403
    assert not SavedView.objects.exists()


def test_contacts_list_applies_a_view(api_as: Any, alice: Any, make_contact: Any) -> None:
    for name in ("Ann Vip", "Zed Vip"):
        make_contact(alice, full_name=name, tags=["vip"])
    make_contact(alice, full_name="Plain Person")
    view = create_view(alice, {"name": "VIPs", "filters": {"tags_any": "vip"}, "sort": "-name"})
    api = api_as(alice)

    applied = api.get("/contacts", {"view": view.pk}).json()["items"]
    overridden = api.get("/contacts", {"view": view.pk, "sort": "name"}).json()["items"]

    assert [c["full_name"] for c in applied] == ["Zed Vip", "Ann Vip"]
    assert [c["full_name"] for c in overridden] == ["Ann Vip", "Zed Vip"]


def test_contacts_list_refuses_someone_elses_private_view(
    api_as: Any, alice: Any, bob: Any
) -> None:
    private = create_view(bob, {"name": "Secret"})

    response = api_as(alice).get("/contacts", {"view": private.pk})

    assert problem_of(response)["status"] == 404
