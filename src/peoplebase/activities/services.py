"""Timeline writes: notes from people, events from the system."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from peoplebase.activities.models import OUTREACH_KINDS, Activity, ActivityKind
from peoplebase.core.errors import Forbidden, NotFound, ValidationFailed
from peoplebase.core.lookups import parse_id
from peoplebase.core.pagination import Page, Sort, paginate
from peoplebase.core.permissions import ensure_can_create, ensure_can_view

MAX_NOTE_LENGTH = 50_000
TIMELINE_SORT = Sort("occurred_at", descending=True)


def log_activity(
    *,
    kind: str,
    contact: Any = None,
    company: Any = None,
    lead: Any = None,
    actor: Any = None,
    subject: str = "",
    body: str = "",
    occurred_at: dt.datetime | None = None,
    metadata: dict[str, Any] | None = None,
) -> Activity:
    """Add a timeline entry and move the contact's last-activity (and last-contacted) stamps."""
    when = occurred_at or timezone.now()
    activity = Activity.objects.create(
        kind=kind,
        contact=contact,
        company=company,
        lead=lead,
        actor=actor if getattr(actor, "pk", None) else None,
        subject=subject[:300],
        body=body,
        occurred_at=when,
        metadata=metadata or {},
    )
    if contact is not None:
        _touch_contact(contact, kind, when)
    return activity


def _touch_contact(contact: Any, kind: str, when: dt.datetime) -> None:
    # A queryset update, not save(): timeline events must not bump the record's edit version.
    from peoplebase.contacts.models import Contact

    stamps = Contact.objects.filter(pk=contact.pk)
    stamps.filter(Q(last_activity_at__isnull=True) | Q(last_activity_at__lt=when)).update(
        last_activity_at=when
    )
    if kind in OUTREACH_KINDS:
        stamps.filter(Q(last_contacted_at__isnull=True) | Q(last_contacted_at__lt=when)).update(
            last_contacted_at=when
        )


def _clean_body(body: Any) -> str:
    text = str(body or "").strip()
    if not text:
        raise ValidationFailed.single("body", "A note needs some text.")
    if "\x00" in text:
        raise ValidationFailed.single("body", "Contains a NUL character, which cannot be stored.")
    if len(text) > MAX_NOTE_LENGTH:
        raise ValidationFailed.single(
            "body", f"A note may have at most {MAX_NOTE_LENGTH} characters."
        )
    return text


@transaction.atomic
def add_note(
    actor: Any, contact: Any, body: Any, occurred_at: dt.datetime | None = None
) -> Activity:
    """Anyone who may create records may note something on any contact they can see."""
    ensure_can_create(actor, "notes")
    if occurred_at and occurred_at > timezone.now() + dt.timedelta(minutes=5):
        raise ValidationFailed.single("occurred_at", "A note cannot be dated in the future.")
    return log_activity(
        kind=ActivityKind.NOTE,
        contact=contact,
        company=contact.company,
        actor=actor,
        body=_clean_body(body),
        occurred_at=occurred_at,
    )


def get_note(actor: Any, note_id: Any) -> Activity:
    ensure_can_view(actor)
    try:
        return Activity.objects.select_related("contact", "actor").get(
            pk=parse_id(note_id) or -1, kind=ActivityKind.NOTE
        )
    except Activity.DoesNotExist as exc:
        raise NotFound(f"No note with id {note_id}.") from exc


def _ensure_can_change_note(actor: Any, note: Activity) -> None:
    ensure_can_create(actor, "notes")
    if not (actor.can_edit_all_records or note.actor_id == actor.pk):
        raise Forbidden("Only the note's author or a manager may change it.")


@transaction.atomic
def update_note(actor: Any, note: Activity, body: Any) -> Activity:
    _ensure_can_change_note(actor, note)
    before, note.body = note.body, _clean_body(body)
    if before != note.body:
        note.save(update_fields=["body", "updated_at"])
        _audit_on_contact(actor, note, [before, note.body])
    return note


@transaction.atomic
def delete_note(actor: Any, note: Activity) -> None:
    _ensure_can_change_note(actor, note)
    _audit_on_contact(actor, note, [note.body, None])
    note.delete()


def _audit_on_contact(actor: Any, note: Activity, change: list[Any]) -> None:
    # Notes are part of the person's record, so their edits belong in its field history.
    if note.contact_id is not None:
        from peoplebase.audit.services import AuditAction, record_change

        record_change(actor, note.contact, AuditAction.UPDATE, {f"note {note.pk}": change})


def timeline_queryset(**owner: Any) -> QuerySet[Activity]:
    return Activity.objects.filter(**owner).select_related("actor", "contact")


def timeline(
    actor: Any, *, kind: str = "", cursor: str | None = None, limit: int = 50, **owner: Any
) -> Page[Activity]:
    """A contact's (or company's, or lead's) timeline, newest first, filterable by kind."""
    ensure_can_view(actor)
    qs = timeline_queryset(**owner)
    if kind:
        if kind not in ActivityKind.values:
            raise ValidationFailed.single("kind", f"Unknown activity type “{kind}”.")
        qs = qs.filter(kind=kind)
    return paginate(qs, TIMELINE_SORT, cursor, limit)
