"""Saved view services: who sees and changes views, validation, and using a view as a segment."""

from __future__ import annotations

from typing import Any

import pytest

from peoplebase.core.errors import Forbidden, NotFound, ValidationFailed
from peoplebase.customfields.services import archive_definition, create_definition
from peoplebase.segments.models import SavedView
from peoplebase.segments.services import (
    contacts_in_view,
    create_view,
    delete_view,
    get_view,
    list_views,
    resolve_view,
    update_view,
)


def test_rep_saves_a_view_with_canonical_filters(alice: Any) -> None:
    view = create_view(
        alice,
        {
            "name": " Hot in Germany ",
            "q": "mar",
            "filters": {"status": "ACTIVE", "country": "Germany", "tag": "vip"},
            "sort": "-created",
            "columns": ["email", "country", "email"],
        },
    )

    assert view.name == "Hot in Germany"
    assert view.owner == alice
    assert view.is_shared is False
    assert view.filters == {"status": "active", "tags_any": "vip", "country": "DE"}
    assert view.columns == ["email", "country"]


def test_user_sees_own_and_shared_views_but_not_others_private(alice: Any, bob: Any) -> None:
    mine = create_view(alice, {"name": "Mine"})
    shared = create_view(bob, {"name": "Team", "is_shared": True})
    private = create_view(bob, {"name": "Bob only"})

    assert list_views(alice) == [mine, shared]
    assert get_view(alice, shared.pk) == shared
    with pytest.raises(NotFound):
        get_view(alice, private.pk)


def test_admin_cannot_open_someone_elses_private_view(admin: Any, bob: Any) -> None:
    private = create_view(bob, {"name": "Bob only"})

    with pytest.raises(NotFound):
        get_view(admin, private.pk)


def test_rep_cannot_change_or_delete_a_teammates_shared_view(alice: Any, bob: Any) -> None:
    shared = create_view(bob, {"name": "Team", "is_shared": True})

    with pytest.raises(Forbidden):
        update_view(alice, shared, {"name": "Taken over"})
    with pytest.raises(Forbidden):
        delete_view(alice, shared)
    assert SavedView.objects.get(pk=shared.pk).name == "Team"


def test_manager_may_change_and_delete_a_shared_view(manager: Any, bob: Any) -> None:
    shared = create_view(bob, {"name": "Team", "is_shared": True})

    update_view(manager, shared, {"sort": "-score"})
    assert SavedView.objects.get(pk=shared.pk).sort == "-score"
    delete_view(manager, shared)
    assert not SavedView.objects.filter(pk=shared.pk).exists()


def test_owner_updates_only_what_is_given(alice: Any) -> None:
    view = create_view(alice, {"name": "Mine", "q": "acme", "sort": "relevance"})

    update_view(alice, view, {"columns": ["phone"]})

    view.refresh_from_db()
    assert (view.q, view.sort, view.columns) == ("acme", "relevance", ["phone"])


def test_read_only_user_may_save_private_views_but_not_share(reader: Any) -> None:
    view = create_view(reader, {"name": "Reading list"})

    assert view.pk is not None
    with pytest.raises(Forbidden):
        create_view(reader, {"name": "For all", "is_shared": True})
    with pytest.raises(Forbidden):
        update_view(reader, view, {"is_shared": True})


def test_name_is_required_bounded_and_unique_per_owner(alice: Any, bob: Any) -> None:
    create_view(alice, {"name": "Mine"})

    for name, message in [("", "name"), ("x" * 101, "At most 100"), ("MINE", "already")]:
        with pytest.raises(ValidationFailed) as caught:
            create_view(alice, {"name": name})
        assert "name" in caught.value.errors
        assert message in " ".join(caught.value.errors["name"]) or message == "name"
    assert create_view(bob, {"name": "Mine"}).owner == bob


def test_bad_filters_are_reported_under_their_parameter(alice: Any) -> None:
    with pytest.raises(ValidationFailed) as caught:
        create_view(
            alice,
            {"name": "Bad", "filters": {"status": "sleepy", "colour": "red", "sort": "name"}},
        )

    assert set(caught.value.errors) == {"filters.status", "filters.colour", "filters.sort"}


def test_sort_and_columns_are_validated(alice: Any) -> None:
    with pytest.raises(ValidationFailed) as caught:
        create_view(
            alice, {"name": "Bad", "sort": "relevance", "columns": ["email", "cf.nope", "salary"]}
        )

    assert set(caught.value.errors) == {"sort", "columns.1", "columns.2"}
    with pytest.raises(ValidationFailed) as caught:
        create_view(alice, {"name": "Bad", "sort": "shoe_size"})
    assert "sort" in caught.value.errors


def test_unknown_fields_are_refused(alice: Any) -> None:
    with pytest.raises(ValidationFailed) as caught:
        create_view(alice, {"name": "Mine", "colour": "red"})

    assert caught.value.errors == {"colour": ["Unknown field."]}


def test_custom_field_columns_are_allowed_while_the_field_is_active(admin: Any) -> None:
    budget = create_definition(admin, {"label": "Budget", "field_type": "number"})
    view = create_view(admin, {"name": "Budgets", "columns": ["name", "cf.budget"]})

    assert resolve_view(admin, view).columns == ["name", "cf.budget"]
    archive_definition(admin, budget)
    assert resolve_view(admin, view).columns == ["name"]


def test_resolve_view_gives_filters_sort_and_columns(alice: Any) -> None:
    view = create_view(
        alice, {"name": "Mine", "q": "ann", "filters": {"owner": "me"}, "sort": "-name"}
    )

    filters, sort, columns = resolve_view(alice, view)

    assert filters.q == "ann"
    assert filters.spec is not None and filters.spec.owner == "me"
    assert (sort, columns) == ("-name", [])


def test_contacts_in_view_is_the_whole_matching_set(
    alice: Any, bob: Any, make_contact: Any
) -> None:
    wanted = [make_contact(alice, full_name=f"Vip {i}", tags=["vip"]) for i in range(3)]
    make_contact(alice, full_name="Plain")
    view = create_view(bob, {"name": "VIPs", "filters": {"tags_any": "vip"}, "sort": "-name"})

    matched = list(contacts_in_view(bob, view))

    assert matched == sorted(wanted, key=lambda c: c.full_name, reverse=True)


def test_a_segment_refuses_to_widen_when_its_custom_field_is_archived(admin: Any) -> None:
    tier = create_definition(
        admin, {"label": "Tier", "field_type": "single_select", "options": ["Gold", "Silver"]}
    )
    view = create_view(admin, {"name": "Gold", "filters": {"cf.tier": "Gold"}})
    archive_definition(admin, tier)

    with pytest.raises(ValidationFailed) as caught:
        contacts_in_view(admin, view)
    assert "cf.tier" in caught.value.errors
