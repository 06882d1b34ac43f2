"""Template checks for the GDPR actions, so pages show only what the user may do."""

from __future__ import annotations

from typing import Any

from django import template

from peoplebase.core import permissions

register = template.Library()


@register.filter
def can_handle_personal_data(user: Any) -> bool:
    return permissions.can_handle_personal_data(user)
