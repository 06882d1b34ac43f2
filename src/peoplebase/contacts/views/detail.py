"""The contact page: profile, accounts, tags, custom fields, consent, timeline and history."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from peoplebase.activities.models import ActivityKind
from peoplebase.activities.services import timeline
from peoplebase.audit.services import history_for
from peoplebase.contacts.forms import company_name_options, tag_name_options
from peoplebase.contacts.models import Contact
from peoplebase.contacts.services import get_contact, tag_names
from peoplebase.core import permissions
from peoplebase.core.errors import ValidationFailed
from peoplebase.core.pagination import Page
from peoplebase.customfields.models import CustomFieldDefinition, FieldType
from peoplebase.customfields.services import list_definitions
from peoplebase.web.views_helpers import domain_errors

TIMELINE_PAGE_SIZE = 20


@dataclass
class CustomFieldValue:
    """One custom field as shown on the contact page."""

    label: str
    field_type: str
    text: str  # "" when the contact has no value
    href: str = ""


def custom_field_value(definition: CustomFieldDefinition, value: Any) -> CustomFieldValue:
    shown = CustomFieldValue(definition.label, definition.field_type, "")
    if value is None or value == "" or value == []:
        return shown
    if definition.field_type == FieldType.BOOLEAN:
        shown.text = "Yes" if value else "No"
    elif isinstance(value, list):
        shown.text = ", ".join(str(v) for v in value)
    else:
        shown.text = str(value)
    if definition.field_type == FieldType.URL and shown.text.startswith(("http://", "https://")):
        shown.href = shown.text
    elif definition.field_type == FieldType.EMAIL:
        shown.href = f"mailto:{shown.text}"
    return shown


def contact_timeline(request: HttpRequest, contact: Contact) -> tuple[Page[Any], str]:
    """The requested timeline page and kind; a bad kind or cursor falls back to the newest."""
    kind = request.GET.get("kind", "")
    cursor = request.GET.get("tl_cursor") or None
    try:
        page = timeline(
            request.user, kind=kind, cursor=cursor, limit=TIMELINE_PAGE_SIZE, contact=contact
        )
    except ValidationFailed as exc:
        messages.warning(request, exc.message)
        kind = "" if "kind" in exc.errors else kind
        page = timeline(request.user, kind=kind, limit=TIMELINE_PAGE_SIZE, contact=contact)
    return page, kind


def timeline_context(request: HttpRequest, contact: Contact, **extra: Any) -> dict[str, Any]:
    """What web/_timeline.html needs for a contact (also rendered alone for htmx)."""
    page, kind = contact_timeline(request, contact)
    return {
        "timeline": page,
        "timeline_kind": kind,
        "timeline_kinds": ActivityKind.choices,
        "note_add_url": contact_url(contact, "note_add"),
        "timeline_return": contact.get_absolute_url(),
        **extra,
    }


def contact_url(contact: Contact, name: str) -> str:
    return reverse(f"contacts:{name}", args=[contact.pk])


@require_GET
@login_required
@domain_errors
def contact_detail(request: HttpRequest, contact_id: int) -> HttpResponse:
    from peoplebase.merges.views import tombstone_redirect, undoable_merges_context

    if not Contact.objects.filter(pk=contact_id).exists():
        moved = tombstone_redirect(request, contact_id)
        if moved is not None:
            return moved
    contact = get_contact(request.user, contact_id)
    can_edit = permissions.can_edit(request.user, contact)
    values = contact.custom_fields or {}
    context = {
        "title": str(contact),
        "contact": contact,
        "can_edit": can_edit,
        "emails": list(contact.emails.all()),
        "phones": list(contact.phones.all()),
        "relations": list(contact.account_relations.select_related("company")),
        "tags": tag_names(contact),
        "custom_fields": [custom_field_value(d, values.get(d.key)) for d in list_definitions()],
        "previous_contact": (
            Contact.objects.select_related("company").filter(pk=contact.previous_contact_id).first()
            if contact.previous_contact_id
            else None
        ),
        "later_contacts": list(contact.later_contacts.select_related("company")),
        "history": history_for(contact),
        "company_options": company_name_options() if can_edit else [],
        "tag_options": tag_name_options() if can_edit else [],
        **timeline_context(request, contact),
        **undoable_merges_context(request, contact),
    }
    return render(request, "contacts/contact_detail.html", context)
