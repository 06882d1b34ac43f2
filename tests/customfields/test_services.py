"""Custom field definitions (admins only) and type validation of their values."""

from __future__ import annotations

import pytest

from peoplebase.core.errors import ErrorCollector, Forbidden, ValidationFailed
from peoplebase.customfields.models import CustomFieldDefinition
from peoplebase.customfields.services import (
    archive_definition,
    clean_values,
    create_definition,
    update_definition,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def fields(admin):
    specs = [
        {"label": "Nickname", "field_type": "text"},
        {"label": "Bio", "field_type": "long_text"},
        {"label": "Budget", "field_type": "number"},
        {"label": "Renewal date", "field_type": "date"},
        {"label": "Newsletter", "field_type": "boolean"},
        {"label": "Language", "field_type": "single_select", "options": ["English", "Deutsch"]},
        {"label": "Interests", "field_type": "multi_select", "options": ["CRM", "AI", "Data"]},
        {"label": "Homepage", "field_type": "url"},
        {"label": "Assistant email", "field_type": "email"},
    ]
    return {spec["label"]: create_definition(admin, spec) for spec in specs}


def test_keys_are_derived_from_labels(fields):
    assert fields["Renewal date"].key == "renewal_date"
    assert fields["Assistant email"].key == "assistant_email"


def test_values_are_cleaned_by_type(fields):
    cleaned = clean_values(
        {
            "nickname": "  Annie ",
            "budget": "1,250.50",
            "renewal_date": "2027-03-01",
            "newsletter": "yes",
            "language": "deutsch",
            "interests": ["AI", "crm", "AI"],
            "homepage": "example.com",
            "assistant_email": "PA@Example.com",
        },
        creating=False,
    )
    assert cleaned == {
        "nickname": "Annie",
        "budget": 1250.5,
        "renewal_date": "2027-03-01",
        "newsletter": True,
        "language": "Deutsch",
        "interests": ["AI", "CRM"],
        "homepage": "https://example.com",
        "assistant_email": "pa@example.com",
    }


@pytest.mark.parametrize(
    ("key", "bad"),
    [
        ("budget", "a lot"),
        ("budget", True),
        ("budget", "NaN"),
        ("renewal_date", "next week"),
        ("newsletter", "perhaps"),
        ("language", "Klingon"),
        ("interests", ["CRM", "Cooking"]),
        ("homepage", "javascript:alert(1)"),
        ("assistant_email", "not-an-email"),
        ("nickname", {"nested": "object"}),
        ("nickname", "x" * 501),
    ],
)
def test_bad_values_are_refused_naming_the_field(fields, key, bad):
    with pytest.raises(ValidationFailed) as caught:
        clean_values({key: bad}, creating=False)
    assert f"custom_fields.{key}" in caught.value.errors


def test_unknown_custom_field_is_refused(fields):
    with pytest.raises(ValidationFailed) as caught:
        clean_values({"shoe_size": 42}, creating=False)
    assert "custom_fields.shoe_size" in caught.value.errors


def test_required_field_must_be_filled_on_create_and_cannot_be_cleared(admin):
    create_definition(admin, {"label": "Region", "field_type": "text", "required": True})
    with pytest.raises(ValidationFailed):
        clean_values({}, creating=True)
    with pytest.raises(ValidationFailed):
        clean_values({"region": ""}, {"region": "EMEA"}, creating=False)
    # A record made before the field became required stays editable.
    assert clean_values({}, {}, creating=False) == {}


def test_errors_collect_into_a_given_collector(fields):
    collector = ErrorCollector()
    clean_values({"budget": "x", "newsletter": "maybe"}, creating=False, errors=collector)
    assert set(collector.errors) == {"custom_fields.budget", "custom_fields.newsletter"}


def test_only_admins_define_fields(manager, alice):
    for user in (manager, alice):
        with pytest.raises(Forbidden):
            create_definition(user, {"label": "X", "field_type": "text"})


def test_definition_rules(admin, fields):
    with pytest.raises(ValidationFailed) as caught:
        create_definition(admin, {"label": "Tier", "field_type": "single_select", "options": []})
    assert "options" in caught.value.errors
    with pytest.raises(ValidationFailed) as caught:
        create_definition(admin, {"label": "Budget", "field_type": "number"})
    assert "key" in caught.value.errors
    with pytest.raises(ValidationFailed) as caught:
        create_definition(admin, {"label": "Bad", "key": "Bad Key!", "field_type": "text"})
    assert "key" in caught.value.errors
    with pytest.raises(ValidationFailed) as caught:
        create_definition(admin, {"label": "Odd", "field_type": "colour"})
    assert "field_type" in caught.value.errors
    with pytest.raises(ValidationFailed):
        update_definition(admin, fields["Budget"], {"field_type": "text"})
    updated = update_definition(
        admin, fields["Language"], {"options": "English\nDeutsch\nFrançais"}
    )
    assert updated.options == ["English", "Deutsch", "Français"]


def test_archived_fields_stop_validating_but_keep_values(admin, fields, alice, make_contact):
    person = make_contact(alice, full_name="Ann", custom_fields={"nickname": "Annie"})
    archive_definition(admin, fields["Nickname"])
    assert CustomFieldDefinition.objects.get(key="nickname").is_archived
    person.refresh_from_db()
    assert person.custom_fields == {"nickname": "Annie"}
    with pytest.raises(ValidationFailed):
        clean_values({"nickname": "x"}, creating=False)
