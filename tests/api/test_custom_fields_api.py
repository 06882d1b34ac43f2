"""Custom field definitions: everyone reads them, only admins change them."""

from __future__ import annotations

from typing import Any

import pytest

from peoplebase.customfields.models import CustomFieldDefinition
from peoplebase.customfields.services import create_definition
from tests.api.conftest import problem_of

BUDGET = {"label": "Budget", "field_type": "number", "help_text": "Yearly, in EUR"}


def test_admin_defines_a_field_and_everyone_reads_it(api_as: Any, admin: Any, reader: Any) -> None:
    created = api_as(admin).post("/custom-fields", BUDGET)

    assert created.status_code == 201
    body = created.json()
    assert body["key"] == "budget"
    assert created["Location"].endswith("/api/v1/custom-fields/budget")
    assert [f["key"] for f in api_as(reader).get("/custom-fields").json()["items"]] == ["budget"]
    assert api_as(reader).get("/custom-fields/budget").json()["label"] == "Budget"
    assert api_as(reader).get(f"/custom-fields/{body['id']}").json()["key"] == "budget"


@pytest.mark.parametrize("role_fixture", ["manager", "alice", "reader"])
def test_non_admins_cannot_write_definitions(
    request: Any, api_as: Any, admin: Any, role_fixture: str
) -> None:
    create_definition(admin, {"label": "Tier", "field_type": "text"})
    api = api_as(request.getfixturevalue(role_fixture))

    assert api.post("/custom-fields", BUDGET).status_code == 403
    assert api.patch("/custom-fields/tier", {"label": "Level"}).status_code == 403
    assert api.delete("/custom-fields/tier").status_code == 403
    assert list(CustomFieldDefinition.objects.values_list("key", "label", "is_archived")) == [
        ("tier", "Tier", False)
    ]


def test_definition_validation(api_as: Any, admin: Any) -> None:
    api = api_as(admin)

    bad_type = api.post("/custom-fields", {"label": "X", "field_type": "colour"})
    no_options = api.post("/custom-fields", {"label": "Tier", "field_type": "single_select"})
    bad_key = api.post("/custom-fields", {"label": "X", "key": "Bad Key", "field_type": "text"})
    unknown = api.post("/custom-fields", {**BUDGET, "default": 0})
    missing = api.post("/custom-fields", {"field_type": "text"})

    assert "field_type" in problem_of(bad_type)["errors"]
    assert "options" in problem_of(no_options)["errors"]
    assert "key" in problem_of(bad_key)["errors"]
    assert problem_of(unknown)["errors"] == {"default": ["Unknown field."]}
    assert problem_of(missing)["errors"] == {"label": ["This field is required."]}
    assert not CustomFieldDefinition.objects.exists()


def test_admin_updates_label_and_options_but_not_key_or_type(api_as: Any, admin: Any) -> None:
    create_definition(admin, {"label": "Tier", "field_type": "single_select", "options": ["A"]})
    api = api_as(admin)

    changed = api.patch("/custom-fields/tier", {"label": "Level", "options": ["A", "B"]})
    key = api.patch("/custom-fields/tier", {"key": "level"})
    kind = api.patch("/custom-fields/tier", {"field_type": "text"})
    null_label = api.patch("/custom-fields/tier", {"label": None})

    assert changed.status_code == 200
    assert (changed.json()["label"], changed.json()["options"]) == ("Level", ["A", "B"])
    assert "key" in problem_of(key)["errors"]
    assert "field_type" in problem_of(kind)["errors"]
    assert "label" in problem_of(null_label)["errors"]
    assert CustomFieldDefinition.objects.get().label == "Level"


def test_archiving_hides_the_field_but_keeps_it(api_as: Any, admin: Any) -> None:
    create_definition(admin, BUDGET)
    api = api_as(admin)

    response = api.delete("/custom-fields/budget")

    assert response.status_code == 204
    assert api.get("/custom-fields").json()["items"] == []
    archived = api.get("/custom-fields", {"include_archived": "true"}).json()["items"]
    assert [(f["key"], f["is_archived"]) for f in archived] == [("budget", True)]


def test_missing_or_malformed_keys(api_as: Any, admin: Any) -> None:
    api = api_as(admin)

    assert api.get("/custom-fields/nope").status_code == 404
    assert api.get("/custom-fields/99999999999999999999999").status_code == 404
    assert api.get("/custom-fields/Bad-Key").status_code == 422


def test_required_custom_field_is_enforced_on_new_contacts(
    api_as: Any, admin: Any, alice: Any
) -> None:
    api_as(admin).post(
        "/custom-fields", {"label": "Region code", "field_type": "text", "required": True}
    )

    missing = api_as(alice).post("/contacts", {"full_name": "Ada"})
    given = api_as(alice).post(
        "/contacts", {"full_name": "Ada", "custom_fields": {"region_code": "EMEA"}}
    )

    assert missing.status_code == 422
    assert "custom_fields.region_code" in problem_of(missing)["errors"]
    assert given.status_code == 201
    assert given.json()["custom_fields"] == {"region_code": "EMEA"}


def test_select_values_are_checked_on_contacts(api_as: Any, admin: Any, alice: Any) -> None:
    create_definition(admin, {"label": "Tier", "field_type": "single_select", "options": ["Gold"]})

    response = api_as(alice).post(
        "/contacts", {"full_name": "Ada", "custom_fields": {"tier": "Platinum"}}
    )

    assert response.status_code == 422
    assert "Gold" in problem_of(response)["errors"]["custom_fields.tier"][0]
