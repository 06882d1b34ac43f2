"""Tags: anyone who writes may create them; only managers rename or delete them."""

from __future__ import annotations

from typing import Any

from peoplebase.contacts.models import Tag
from tests.api.conftest import problem_of


def test_list_tags_with_contact_counts(api_as: Any, alice: Any, make_contact: Any) -> None:
    make_contact(alice, tags=["VIP", "Speaker"])
    make_contact(alice, full_name="Other", tags=["vip"])

    items = api_as(alice).get("/tags").json()["items"]

    assert [(t["name"], t["contact_count"]) for t in items] == [("Speaker", 1), ("VIP", 2)]


def test_create_tag_and_read_it(api_as: Any, alice: Any) -> None:
    api = api_as(alice)

    created = api.post("/tags", {"name": "  Partner  "})
    got = api.get(f"/tags/{created.json()['id']}")

    assert created.status_code == 201
    assert created["Location"].endswith(f"/api/v1/tags/{created.json()['id']}")
    assert got.json()["name"] == "Partner"
    assert got.json()["contact_count"] == 0


def test_tag_names_are_unique_regardless_of_case(api_as: Any, alice: Any) -> None:
    api = api_as(alice)
    api.post("/tags", {"name": "Partner"})

    response = api.post("/tags", {"name": "PARTNER"})

    assert response.status_code == 422
    assert "name" in problem_of(response)["errors"]
    assert Tag.objects.count() == 1


def test_tag_name_rules(api_as: Any, alice: Any) -> None:
    api = api_as(alice)

    assert api.post("/tags", {"name": ""}).status_code == 422
    assert api.post("/tags", {"name": "x" * 51}).status_code == 422
    assert problem_of(api.post("/tags", {"name": "a", "colour": "red"}))["errors"] == {
        "colour": ["Unknown field."]
    }


def test_manager_renames_a_tag_on_every_contact(
    api_as: Any, alice: Any, manager: Any, make_contact: Any
) -> None:
    contact = make_contact(alice, tags=["vip"])
    tag = Tag.objects.get()

    response = api_as(manager).patch(f"/tags/{tag.pk}", {"name": "Key account"})

    assert response.status_code == 200
    assert api_as(alice).get(f"/contacts/{contact.pk}").json()["tags"] == ["Key account"]


def test_rep_cannot_rename_or_delete_tags(api_as: Any, alice: Any, make_contact: Any) -> None:
    make_contact(alice, tags=["vip"])
    tag = Tag.objects.get()
    api = api_as(alice)

    assert api.patch(f"/tags/{tag.pk}", {"name": "Hacked"}).status_code == 403
    assert api.delete(f"/tags/{tag.pk}").status_code == 403
    assert Tag.objects.get().name == "vip"


def test_manager_deletes_a_tag(api_as: Any, manager: Any, alice: Any, make_contact: Any) -> None:
    contact = make_contact(alice, tags=["old"])
    tag = Tag.objects.get()

    response = api_as(manager).delete(f"/tags/{tag.pk}")

    assert response.status_code == 204
    assert api_as(alice).get(f"/contacts/{contact.pk}").json()["tags"] == []


def test_read_only_user_cannot_create_tags(api_as: Any, reader: Any) -> None:
    assert api_as(reader).post("/tags", {"name": "Nope"}).status_code == 403
    assert api_as(reader).get("/tags").status_code == 200


def test_missing_tag_is_404(api_as: Any, manager: Any) -> None:
    api = api_as(manager)

    assert api.get("/tags/999").status_code == 404
    assert api.patch("/tags/999", {"name": "x"}).status_code == 404
    assert api.delete("/tags/999").status_code == 404
