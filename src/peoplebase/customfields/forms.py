"""Forms for defining custom contact fields (admins)."""

from __future__ import annotations

from typing import Any

from django import forms

from peoplebase.customfields.models import CustomFieldDefinition, FieldType


class DefinitionEditForm(forms.Form):
    """What may change after a field exists: everything but its key and type."""

    label = forms.CharField(max_length=100)
    required = forms.BooleanField(
        required=False, help_text="New contacts must fill it; existing ones stay editable."
    )
    options = forms.CharField(
        required=False,
        widget=forms.Textarea({"rows": 4}),
        help_text="For select fields: one option per line.",
    )
    help_text = forms.CharField(
        max_length=200, required=False, help_text="Shown under the field on contact forms."
    )
    position = forms.IntegerField(
        min_value=0,
        initial=0,
        required=False,
        help_text="Fields are listed by position, then label.",
    )

    def service_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["options"] = data["options"].splitlines()
        data["position"] = data["position"] or 0
        return data

    @staticmethod
    def initial_for(definition: CustomFieldDefinition) -> dict[str, Any]:
        names = ("label", "required", "help_text", "position")
        initial = {name: getattr(definition, name) for name in names}
        initial["options"] = "\n".join(definition.options)
        return initial


class DefinitionCreateForm(DefinitionEditForm):
    """A new field: its key (derived from the label when empty) and type are fixed afterwards."""

    key = forms.CharField(
        max_length=50,
        required=False,
        help_text="Lower-case letters, digits and _; leave empty to derive it from the label. "
        "It cannot change later.",
    )
    field_type = forms.ChoiceField(
        label="Type", choices=FieldType.choices, help_text="It cannot change later."
    )

    field_order = ("label", "key", "field_type", "required", "options", "help_text", "position")

    def service_data(self) -> dict[str, Any]:
        data = super().service_data()
        data["key"] = data["key"].strip()
        return data
