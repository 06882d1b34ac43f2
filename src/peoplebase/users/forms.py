"""Settings forms: users, personal API tokens and the workspace."""

from __future__ import annotations

from functools import cache
from typing import Any

import phonenumbers
from django import forms
from django.conf import settings

from peoplebase.normalize import country_name
from peoplebase.users.models import Role, User


class UserCreateForm(forms.Form):
    """Invite a teammate; leaving the password empty generates one that is shown once."""

    email = forms.CharField(max_length=254, widget=forms.EmailInput({"autocomplete": "off"}))
    first_name = forms.CharField(max_length=150, required=False)
    last_name = forms.CharField(max_length=150, required=False)
    role = forms.ChoiceField(choices=Role.choices, initial=Role.REP)
    password = forms.CharField(
        required=False,
        strip=False,
        widget=forms.PasswordInput({"autocomplete": "new-password"}),
        help_text="Leave empty to generate one; it is shown once after saving.",
    )


class UserEditForm(forms.Form):
    """An admin's changes to a teammate: names, role and whether they may sign in."""

    first_name = forms.CharField(max_length=150, required=False)
    last_name = forms.CharField(max_length=150, required=False)
    role = forms.ChoiceField(choices=Role.choices)
    is_active = forms.BooleanField(
        label="Active", required=False, help_text="Inactive users cannot sign in or use tokens."
    )

    @staticmethod
    def initial_for(user: User) -> dict[str, Any]:
        return {name: getattr(user, name) for name in UserEditForm.base_fields}


class TokenCreateForm(forms.Form):
    """Name a new personal API token."""

    name = forms.CharField(
        label="Token name",
        max_length=100,
        help_text="Say where it is used, e.g. “Zapier sync” or “laptop scripts”.",
    )


@cache
def region_choices() -> tuple[tuple[str, str], ...]:
    """Every phone region phonenumbers knows, named by country, sorted by name."""
    named = [(code, country_name(code) or code) for code in phonenumbers.SUPPORTED_REGIONS]
    return tuple(sorted(((c, f"{name} ({c})") for c, name in named), key=lambda p: p[1]))


class WorkspaceForm(forms.Form):
    """The workspace name and the region phone numbers without a country code are read in."""

    name = forms.CharField(label="Workspace name", max_length=100)
    default_phone_region = forms.CharField(
        label="Default phone region",
        required=False,
        widget=forms.Select,
        help_text="Numbers typed without a +country code are read as numbers of this region.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fallback = settings.PEOPLEBASE_DEFAULT_PHONE_REGION
        blank = ("", f"Server default ({country_name(fallback) or fallback})")
        self.fields["default_phone_region"].widget.choices = [blank, *region_choices()]
