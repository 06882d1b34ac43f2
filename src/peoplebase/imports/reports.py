"""What an import did: its rows' outcomes, the rejected-rows file, the report shared by the
CLI's --json and the API, and where a contact came from."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from peoplebase.contacts.models import Contact
from peoplebase.core.errors import NotFound, ValidationFailed
from peoplebase.imports.models import ImportJob, ImportRow, RowOutcome
from peoplebase.imports.pipeline import OWNER_FALLBACK
from peoplebase.imports.services import get_import
from peoplebase.users.models import User


def import_rows(
    actor: User, job: ImportJob, *, outcome: str = "", after: int = 0, limit: int = 100
) -> list[ImportRow]:
    """Per-row outcomes in file order, `limit` rows after row number `after`."""
    job = get_import(actor, job.pk)
    rows = job.rows.filter(row_number__gt=max(0, after)).order_by("row_number")
    if outcome:
        if outcome not in RowOutcome.values:
            choices = ", ".join(RowOutcome.values)
            raise ValidationFailed.single("outcome", f"Choose one of: {choices}.")
        rows = rows.filter(outcome=outcome)
    return list(rows[: max(1, min(limit, 1000))])


def rejected_rows_path(actor: User, job: ImportJob) -> Path:
    job = get_import(actor, job.pk)
    if not job.rejected_path or not Path(job.rejected_path).is_file():
        raise NotFound("This import has no rejected rows to download.")
    return Path(job.rejected_path)


def import_report(job: ImportJob) -> dict[str, Any]:
    """The final report as plain data (the CLI's --json and the API share it)."""
    return {
        "id": job.pk,
        "file": job.file_name,
        "status": job.status,
        "rows": job.total_rows,
        "processed": job.processed_rows,
        "created": job.created,
        "updated": job.updated,
        "skipped": job.skipped,
        "invalid": job.invalid,
        "owner_fallbacks": owner_fallbacks(job),
        "duplicate_policy": job.duplicate_policy,
        "mapping": {job.headers[int(i)]: t for i, t in job.mapping.items()},
        "rejected_file": job.rejected_path or None,
        "seconds": job.timings,
        "error": job.error or None,
        "undone_at": job.undone_at.isoformat() if job.undone_at else None,
        "undo_report": job.undo_report or None,
    }


def owner_fallbacks(job: ImportJob) -> int:
    """Rows imported for the default owner because the owner they named is not a user."""
    taken = (RowOutcome.CREATED, RowOutcome.UPDATED)
    return job.rows.filter(outcome__in=taken, reason__contains=OWNER_FALLBACK).count()


def import_origin(contact: Contact) -> ImportRow | None:
    """The import row that created `contact`, for "Imported from … row …" on its page."""
    return (
        ImportRow.objects.filter(contact=contact, outcome=RowOutcome.CREATED)
        .select_related("job")
        .first()
    )
