"""Undoing an import as a whole: the contacts it created go, the fields it changed return to
their earlier values, and anything edited since is left alone and listed."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from peoplebase.activities.models import Activity, ActivityKind
from peoplebase.audit.services import AuditAction, record_change
from peoplebase.contacts.models import Contact
from peoplebase.contacts.services import update_contact
from peoplebase.core.errors import Conflict, DomainError
from peoplebase.core.permissions import ensure_can_import
from peoplebase.imports.models import ImportJob, ImportRow, ImportStatus, RowOutcome
from peoplebase.imports.pipeline import comparable
from peoplebase.imports.services import get_import
from peoplebase.search.services import unindex_contacts
from peoplebase.users.models import User

UNDO_BATCH = 1_000


def undo_import(actor: User, job: ImportJob) -> ImportJob:
    """Delete the contacts the import created and restore the fields it changed.

    Contacts edited since the import, and fields changed again since, are left alone and
    listed in `undo_report`, so undo never destroys someone else's later work.
    """
    ensure_can_import(actor)
    job = get_import(actor, job.pk)
    if job.undone_at:
        raise Conflict("This import has already been undone.")
    if job.status == ImportStatus.DRAFT:
        # Marked undone, a draft could still run and then never be undone.
        raise Conflict("This import has not run yet; there is nothing to undo.")
    if job.status in (ImportStatus.QUEUED, ImportStatus.RUNNING):
        raise Conflict("Cancel the import, or let it finish, before undoing it.")
    report: dict[str, Any] = {"deleted": 0, "restored": 0, "kept": []}
    created = job.rows.filter(outcome=RowOutcome.CREATED, contact__isnull=False)
    ids = list(created.values_list("contact_id", flat=True).order_by("contact_id"))
    for start in range(0, len(ids), UNDO_BATCH):
        _undo_created(actor, job, ids[start : start + UNDO_BATCH], report)
    updated = job.rows.filter(outcome=RowOutcome.UPDATED, contact__isnull=False)
    for row in updated.select_related("contact").iterator(chunk_size=500):
        _undo_update(actor, row, report)
    job.undone_at = timezone.now()
    report["kept"] = report["kept"][:1000]
    job.undo_report = report
    job.save(update_fields=["undone_at", "undo_report"])
    return job


def _undo_created(actor: User, job: ImportJob, ids: list[int], report: dict[str, Any]) -> None:
    with transaction.atomic():
        contacts = Contact.objects.filter(pk__in=ids)
        edited = list(contacts.exclude(version=1).values_list("pk", flat=True))
        for pk in edited:
            report["kept"].append({"contact_id": pk, "why": "edited since the import"})
        doomed = sorted(set(ids) - set(edited))
        unindex_contacts(doomed)
        Contact.objects.filter(pk__in=doomed).delete()
        report["deleted"] += len(doomed)
        record_change(
            actor, job, AuditAction.DELETE, {"contacts_deleted_by_undo": [len(doomed), None]}
        )


def _undo_update(actor: User, row: ImportRow, report: dict[str, Any]) -> None:
    contact = row.contact
    assert contact is not None
    Activity.objects.filter(
        contact=contact, kind=ActivityKind.NOTE, metadata__import_job=row.job_id
    ).delete()
    data: dict[str, Any] = {}
    for name, (old, new) in (row.changes or {}).items():
        current = comparable(contact, name)
        if current != new:
            report["kept"].append(
                {"contact_id": contact.pk, "why": f"{name} changed since the import"}
            )
            continue
        if name == "custom_fields":
            old = {key: (old or {}).get(key, "") for key in {*(old or {}), *(new or {})}}
        data[name] = old
    if not data:
        return
    try:
        with transaction.atomic():
            update_contact(actor, contact, data)
        report["restored"] += 1
    except DomainError as exc:
        report["kept"].append({"contact_id": contact.pk, "why": exc.message})
