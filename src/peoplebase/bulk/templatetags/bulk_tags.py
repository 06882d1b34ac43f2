"""`{% bulk_action_bar %}`: the contact list's bulk action form."""

from __future__ import annotations

from typing import Any

from django import template

from peoplebase.bulk.models import BulkAction
from peoplebase.bulk.services import SYNC_LIMIT
from peoplebase.contacts.models import ContactStatus
from peoplebase.core.permissions import can_create
from peoplebase.users.models import User

register = template.Library()


def _owner_choices(actor: User, listed: list[tuple[str, str]] | None) -> list[tuple[str, str]]:
    """`listed`: the filter panel's owner choices, reused so the page makes no extra query."""
    if actor.can_edit_all_records:
        if listed is None:
            users = User.objects.filter(is_active=True).order_by("first_name", "last_name")
            listed = [(str(user.pk), user.display_name) for user in users]
        people = [(value, label) for value, label in listed if str(value).isdigit()]
    else:  # reps may only take records themselves or leave them unowned
        people = [(str(actor.pk), f"Me ({actor.display_name})")]
    return [("none", "No owner"), *people]


def _panel_owners(context: template.Context) -> list[tuple[str, str]] | None:
    form = context.get("form")
    field = form.fields.get("owner") if form is not None else None
    return list(field.choices) if field is not None else None


@register.inclusion_tag("bulk/_action_bar.html", takes_context=True)
def bulk_action_bar(context: template.Context) -> dict[str, Any]:
    """Needs `link_request` (the list's parsed filters); the count in "select all" is filled in
    by the list's count request (contacts/_contact_count.html)."""
    request = context["request"]
    actor = request.user
    params = context["link_request"].GET
    may_write = can_create(actor)
    actions = [
        (value, label)
        for value, label in BulkAction.choices
        if may_write or value == BulkAction.EXPORT_CSV
    ]
    return {
        "csrf_token": context.get("csrf_token"),
        "next": request.get_full_path(),
        "q": params.get("q", ""),
        "filters": [(name, params[name]) for name in params if name not in ("q", "sort")],
        "actions": actions,
        "may_write": may_write,
        "owners": _owner_choices(actor, _panel_owners(context)) if may_write else [],
        "statuses": ContactStatus.choices,
        "sync_limit": SYNC_LIMIT,
    }
