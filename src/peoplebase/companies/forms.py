"""HTML forms for companies; they shape input for the services, which hold the rules."""

from __future__ import annotations

from typing import Any

from django import forms

from peoplebase.companies.models import CompanySize, Lifecycle
from peoplebase.normalize import country_choices
from peoplebase.users.models import User


def owner_choices(actor: User, current: User | None = None) -> list[tuple[str, str]]:
    """Owners the actor may pick: anyone for managers and admins, self or nobody for reps."""
    choices = [("", "Nobody")]
    if actor.can_edit_all_records:
        people = list(User.objects.filter(is_active=True).order_by("first_name", "email"))
    else:
        people = [actor]
    if current is not None and current not in people:
        people.append(current)
    choices += [(str(person.pk), person.display_name) for person in people]
    return choices


def owner_filter_choices(actor: User) -> list[tuple[str, str]]:
    """Choices for an owner filter on a list page."""
    people = User.objects.filter(is_active=True).exclude(pk=actor.pk).order_by("first_name")
    fixed = [("", "Anyone"), ("me", "Me"), ("none", "Nobody")]
    return fixed + [(str(person.pk), person.display_name) for person in people]


def blank_choice(choices: Any, label: str = "—") -> list[tuple[str, str]]:
    return [("", label), *choices]


class CompanyForm(forms.Form):
    """Create or edit a company; `version` carries the optimistic-locking token on edits."""

    name = forms.CharField(max_length=200)
    domain = forms.CharField(max_length=253, required=False, help_text="For example acme.com")
    website = forms.CharField(
        max_length=500, required=False, widget=forms.URLInput, help_text="https://…"
    )
    industry = forms.CharField(max_length=100, required=False)
    size = forms.ChoiceField(choices=blank_choice(CompanySize.choices), required=False)
    phone = forms.CharField(max_length=40, required=False, widget=forms.TextInput({"type": "tel"}))
    lifecycle = forms.ChoiceField(choices=Lifecycle.choices, initial=Lifecycle.LEAD)
    owner_id = forms.ChoiceField(label="Owner", required=False)
    description = forms.CharField(max_length=5000, required=False, widget=forms.Textarea)
    street = forms.CharField(max_length=200, required=False)
    street2 = forms.CharField(label="Street (line 2)", max_length=200, required=False)
    postal_code = forms.CharField(max_length=20, required=False)
    city = forms.CharField(max_length=100, required=False)
    region = forms.CharField(label="State / region", max_length=100, required=False)
    country = forms.CharField(required=False, widget=forms.Select)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    ADDRESS_FIELDS = ("street", "street2", "postal_code", "city", "region", "country")

    def __init__(self, *args: Any, actor: User, current_owner: User | None = None, **kw: Any):
        super().__init__(*args, **kw)
        self.fields["owner_id"].choices = owner_choices(actor, current_owner)
        self.fields["country"].widget.choices = blank_choice(country_choices())

    def service_data(self) -> dict[str, Any]:
        """The cleaned values as the company services expect them."""
        data = dict(self.cleaned_data)
        data.pop("version", None)
        return data

    @staticmethod
    def initial_for(company: Any) -> dict[str, Any]:
        names = [n for n in CompanyForm.base_fields if n not in ("owner_id", "version")]
        initial = {name: getattr(company, name) for name in names}
        initial["owner_id"] = str(company.owner_id or "")
        initial["version"] = company.version
        return initial


class CompanyListForm(forms.Form):
    """The list page's search and filters (rendered only; the service validates them)."""

    q = forms.CharField(label="Search", required=False, widget=forms.TextInput({"type": "search"}))
    lifecycle = forms.ChoiceField(
        choices=blank_choice(Lifecycle.choices, "Any lifecycle"), required=False
    )
    owner = forms.ChoiceField(required=False)

    def __init__(self, *args: Any, actor: User, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["owner"].choices = owner_filter_choices(actor)
