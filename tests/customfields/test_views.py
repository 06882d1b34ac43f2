"""The custom-field settings pages: define, change and archive fields (admins only)."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse

from peoplebase.customfields.models import CustomFieldDefinition
from peoplebase.customfields.services import create_definition

LIST_URL = reverse("users:custom_field_list")


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def field_form(**changes: Any) -> dict[str, Any]:
    data = {
        "label": "Budget",
        "key": "",
        "field_type": "number",
        "options": "",
        "help_text": "",
        "position": "0",
    }
    data.update(changes)
    return data


def test_admin_creates_a_field_with_the_key_derived_from_the_label(admin: Any) -> None:
    response = signed_in(admin).post(
        LIST_URL, field_form(label="Annual budget", required="on"), follow=True
    )

    definition = CustomFieldDefinition.objects.get()
    assert (definition.key, definition.field_type, definition.required) == (
        "annual_budget",
        "number",
        True,
    )
    html = response.content.decode()
    assert "Custom field “Annual budget” (annual_budget) created." in html
    assert "<code>annual_budget</code>" in html


def test_select_options_are_read_one_per_line(admin: Any) -> None:
    signed_in(admin).post(
        LIST_URL,
        field_form(
            label="Tier", field_type="single_select", options="Gold\r\nSilver\r\n\r\nBronze"
        ),
    )

    assert CustomFieldDefinition.objects.get().options == ["Gold", "Silver", "Bronze"]


def test_select_without_options_is_refused_next_to_the_field(admin: Any) -> None:
    response = signed_in(admin).post(LIST_URL, field_form(label="Tier", field_type="multi_select"))

    assert response.status_code == 200
    assert response.context["form"].errors["options"] == [
        "A select field needs at least one option."
    ]
    assert 'id="id_options_error"' in response.content.decode()
    assert 'value="Tier"' in response.content.decode()
    assert not CustomFieldDefinition.objects.exists()


def test_duplicate_key_is_refused(admin: Any) -> None:
    create_definition(admin, {"label": "Budget", "field_type": "number"})

    response = signed_in(admin).post(LIST_URL, field_form(label="Budget 2", key="budget"))

    assert "already exists" in response.context["form"].errors["key"][0]
    assert CustomFieldDefinition.objects.count() == 1


def test_malformed_key_is_refused_next_to_the_field(admin: Any) -> None:
    response = signed_in(admin).post(LIST_URL, field_form(key="Bad Key!"))

    assert "lower-case letters" in response.context["form"].errors["key"][0]
    assert 'value="Bad Key!"' in response.content.decode()
    assert not CustomFieldDefinition.objects.exists()


def test_unknown_type_is_refused(admin: Any) -> None:
    response = signed_in(admin).post(LIST_URL, field_form(field_type="rocket"))

    assert "field_type" in response.context["form"].errors
    assert not CustomFieldDefinition.objects.exists()


def test_edit_changes_label_and_options_but_never_key_or_type(admin: Any) -> None:
    definition = create_definition(
        admin, {"label": "Tier", "field_type": "single_select", "options": ["Gold"]}
    )
    url = reverse("users:custom_field_edit", args=[definition.pk])
    client = signed_in(admin)
    page = client.get(url).content.decode()
    assert 'name="key"' not in page
    assert 'name="field_type"' not in page

    response = client.post(
        url,
        {
            "label": "Customer tier",
            "options": "Gold\nPlatinum",
            "help_text": "Set by finance",
            "position": "3",
            "key": "hacked",
            "field_type": "text",
        },
    )

    assert response.url == LIST_URL
    definition.refresh_from_db()
    assert (definition.label, definition.key, definition.field_type) == (
        "Customer tier",
        "tier",
        "single_select",
    )
    assert definition.options == ["Gold", "Platinum"]
    assert definition.position == 3


def test_edit_with_duplicate_options_is_refused(admin: Any) -> None:
    definition = create_definition(
        admin, {"label": "Tier", "field_type": "single_select", "options": ["Gold"]}
    )

    response = signed_in(admin).post(
        reverse("users:custom_field_edit", args=[definition.pk]),
        {"label": "Tier", "options": "Gold\ngold", "position": "0"},
    )

    assert response.context["form"].errors["options"] == ["Options must be unique."]
    definition.refresh_from_db()
    assert definition.options == ["Gold"]


def test_negative_position_is_refused(admin: Any) -> None:
    response = signed_in(admin).post(LIST_URL, field_form(position="-1"))

    assert "position" in response.context["form"].errors
    assert not CustomFieldDefinition.objects.exists()


def test_archive_hides_the_field_from_the_active_list(admin: Any) -> None:
    definition = create_definition(admin, {"label": "Budget", "field_type": "number"})
    client = signed_in(admin)

    response = client.post(reverse("users:custom_field_archive", args=[definition.pk]), follow=True)

    definition.refresh_from_db()
    assert definition.is_archived
    assert response.context["active"] == []
    assert response.context["archived"] == [definition]
    assert "archived; values already stored are kept" in response.content.decode()


def test_non_admin_cannot_change_or_archive_fields(manager: Any, admin: Any) -> None:
    definition = create_definition(admin, {"label": "Budget", "field_type": "number"})
    client = signed_in(manager)

    edit = client.post(
        reverse("users:custom_field_edit", args=[definition.pk]),
        {"label": "Mine", "position": "0"},
    )
    archive = client.post(reverse("users:custom_field_archive", args=[definition.pk]))

    assert (edit.status_code, archive.status_code) == (403, 403)
    definition.refresh_from_db()
    assert (definition.label, definition.is_archived) == ("Budget", False)


def test_missing_field_is_404(admin: Any) -> None:
    client = signed_in(admin)

    assert client.get(reverse("users:custom_field_edit", args=[999])).status_code == 404
    assert client.post(reverse("users:custom_field_archive", args=[999])).status_code == 404
