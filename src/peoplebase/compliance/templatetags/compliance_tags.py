"""Template checks for the GDPR actions, so pages show only what the user may do."""

from __future__ import annotations

from typing import Any

from django import template

from peoplebase.core import permissions

register = template.Library()


@register.filter
def can_handle_personal_data(user: Any) -> bool:
    return permissions.can_handle_personal_data(user)


@register.simple_tag
def erasure_job_for(user: Any, contact: Any) -> Any:
    """The contact's erasure under way (or stopped by an error), for its page; None if none."""
    from peoplebase.compliance.jobs import erasure_job_for_contact

    if not permissions.can_handle_personal_data(user):
        return None
    return erasure_job_for_contact(user, contact.pk)
