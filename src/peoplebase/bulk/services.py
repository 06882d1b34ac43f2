"""Bulk actions: validate, count and queue a job, then apply it contact by contact in batches.

Every contact goes through the ordinary contact services as the job's actor, so permissions,
validation, audit entries and the search index behave exactly as for a single edit.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from peoplebase.bulk.models import BulkAction, BulkJob, BulkJobStatus
from peoplebase.contacts import services as contacts
from peoplebase.contacts.cleaning import clean_tag_names
from peoplebase.contacts.filtering import parse_filters
from peoplebase.contacts.models import Contact, ContactStatus
from peoplebase.core.errors import (
    Conflict,
    DomainError,
    ErrorCollector,
    Forbidden,
    NotFound,
    ValidationFailed,
)
from peoplebase.core.lookups import parse_id, resolve_owner
from peoplebase.core.permissions import (
    can_create,
    ensure_can_assign_owner,
    ensure_can_view,
)
from peoplebase.exports.formats import (
    available_columns,
    choose_columns,
    csv_chunks,
    load_children,
)
from peoplebase.exports.formats import neutralise_cell as neutralise_cell  # used by callers
from peoplebase.users.models import User

logger = logging.getLogger("peoplebase.bulk")

BATCH_SIZE = 500
# Selections this small run inside the request; bigger ones go to the background worker.
SYNC_LIMIT = 200
MAX_EXPLICIT_IDS = 10_000
NOT_YOURS = "not yours to edit"
UNCHANGED = "already up to date"
GONE = "no longer exists"
WRITE_ACTIONS = frozenset(BulkAction.values) - {BulkAction.EXPORT_CSV}
EXPORT_COLUMNS = (
    "id",
    "full_name",
    "first_name",
    "last_name",
    "email",
    "phone",
    "job_title",
    "company",
    "owner",
    "status",
    "lead_score",
    "tags",
    "city",
    "country",
    "created_at",
)


# --- starting, reading and cancelling -------------------------------------------------------


def start_bulk_job(
    actor: User,
    action: str,
    params: dict[str, Any] | None = None,
    *,
    contact_ids: list[Any] | None = None,
    q: str = "",
    filters: dict[str, Any] | None = None,
    confirm: bool = False,
    run_small_now: bool = True,
) -> BulkJob:
    """Validate and store a job, then run it now (small) or queue it for the worker."""
    ensure_can_view(actor)
    if action not in BulkAction.values:
        raise ValidationFailed.single("action", f"Choose one of: {', '.join(BulkAction.values)}.")
    if action in WRITE_ACTIONS and not can_create(actor):
        raise Forbidden("Read-only users may not change records.")
    clean_params = _clean_params(actor, action, params or {})
    if action == BulkAction.DELETE and not confirm:
        raise ValidationFailed.single("confirm", "Deleting contacts needs confirmation.")
    job = BulkJob(actor=actor, action=action, params=clean_params)
    if contact_ids is not None:
        job.contact_ids = _clean_ids(contact_ids)
    else:
        job.q = (q or "").strip()[:200]
        job.filters = parse_filters(filters or {}).to_params()
    job.total = _selection(job).count()
    if not job.total:
        raise ValidationFailed.single("contact_ids", "No contacts are selected.")
    job.save()
    if run_small_now and job.total <= SYNC_LIMIT:
        run_job(job.pk)
    else:
        from peoplebase.bulk.tasks import run_bulk_job

        run_bulk_job.enqueue(job.pk)
    job.refresh_from_db()
    return job


def get_bulk_job(actor: User, job_id: Any) -> BulkJob:
    """A job its actor (or an admin) may see; anyone else gets NotFound."""
    ensure_can_view(actor)
    job = BulkJob.objects.select_related("actor").filter(pk=parse_id(job_id) or -1).first()
    if job is None or (job.actor_id != actor.pk and not actor.is_admin):
        raise NotFound(f"No bulk job with id {job_id}.")
    return job


def cancel_bulk_job(actor: User, job: BulkJob) -> BulkJob:
    """Stop a job between batches; what it already changed stays changed."""
    job = get_bulk_job(actor, job.pk)
    if job.is_finished:
        raise Conflict("This job has already finished.")
    jobs = BulkJob.objects.filter(pk=job.pk)
    # A queued job never starts; a running one stops before its next batch.
    jobs.filter(status=BulkJobStatus.QUEUED).update(
        status=BulkJobStatus.CANCELLED, cancel_requested=True, finished_at=timezone.now()
    )
    jobs.update(cancel_requested=True)
    job.refresh_from_db()
    return job


def export_path_for(actor: User, job: BulkJob) -> Path:
    """The finished export's file; only the person who ran the export may download it."""
    job = get_bulk_job(actor, job.pk)
    if job.actor_id != actor.pk:
        raise Forbidden("Only the person who ran this export may download it.")
    if job.action != BulkAction.EXPORT_CSV or job.status != BulkJobStatus.DONE:
        raise NotFound("This job has no export to download.")
    path = Path(job.result_file)
    if not path.is_file():
        raise NotFound("The export file is no longer available.")
    return path


def _clean_params(actor: User, action: str, params: dict[str, Any]) -> dict[str, Any]:
    if not isinstance(params, dict):
        raise ValidationFailed.single("params", "Give the action's parameters as an object.")
    if action in (BulkAction.ADD_TAGS, BulkAction.REMOVE_TAGS):
        return {"tags": _clean_tags(params.get("tags"))}
    if action == BulkAction.ASSIGN_OWNER:
        return {"owner_id": _clean_owner(actor, params.get("owner_id"))}
    if action == BulkAction.SET_STATUS:
        status = params.get("status")
        if status not in ContactStatus.values:
            choices = ", ".join(ContactStatus.values)
            raise ValidationFailed.single("params.status", f"Choose one of: {choices}.")
        return {"status": status}
    return {}


def _clean_tags(raw: Any) -> list[str]:
    errors = ErrorCollector()
    names = clean_tag_names(raw if raw is not None else [], errors)
    if errors:
        raise ValidationFailed({"params.tags": errors.errors["tags"]})
    if not names:
        raise ValidationFailed.single("params.tags", "Give at least one tag name.")
    return names


def _clean_owner(actor: User, raw: Any) -> int | None:
    if raw in (None, "", "none"):
        return None
    errors = ErrorCollector()
    owner = resolve_owner(raw, errors, field="params.owner_id")
    errors.raise_if_any()
    ensure_can_assign_owner(actor, owner)
    return owner.pk


def _clean_ids(raw: Any) -> list[int]:
    if not isinstance(raw, list | tuple):
        raise ValidationFailed.single("contact_ids", "Give a list of contact ids.")
    ids = [parse_id(item) for item in raw]
    if any(item is None for item in ids):
        raise ValidationFailed.single("contact_ids", "Every contact id must be a number.")
    if len(ids) > MAX_EXPLICIT_IDS:
        raise ValidationFailed.single(
            "contact_ids", f"At most {MAX_EXPLICIT_IDS} ids; use filters for more."
        )
    return sorted({int(item) for item in ids if item is not None})


def _selection(job: BulkJob) -> QuerySet[Contact]:
    if job.contact_ids is not None:
        return contacts.contact_queryset().filter(pk__in=job.contact_ids)
    spec = parse_filters(job.filters)
    return contacts.matching_contacts(job.actor, contacts.ContactFilters(q=job.q, spec=spec))


# --- running --------------------------------------------------------------------------------


def run_job(job_id: int) -> str:
    """Run (or resume) a job batch by batch until it is done, cancelled or fails."""
    jobs = BulkJob.objects.filter(pk=job_id)
    jobs.filter(status=BulkJobStatus.QUEUED).update(
        status=BulkJobStatus.RUNNING, started_at=timezone.now()
    )
    job = BulkJob.objects.select_related("actor").filter(pk=job_id).first()
    if job is None:
        return "missing"
    if job.status != BulkJobStatus.RUNNING:
        return job.status
    try:
        while run_next_batch(job):
            pass
    except Exception as exc:
        logger.exception("Bulk job %s failed", job_id)
        _finish(job, BulkJobStatus.FAILED, error=str(exc)[:2000] or type(exc).__name__)
    return job.status


def run_next_batch(job: BulkJob) -> bool:
    """Apply the job to its next batch and record progress; False when nothing is left."""
    if BulkJob.objects.filter(pk=job.pk, cancel_requested=True).exists():
        _finish(job, BulkJobStatus.CANCELLED)
        return False
    batch = list(_selection(job).filter(pk__gt=job.last_contact_id).order_by("pk")[:BATCH_SIZE])
    if not batch:
        _finish(job, BulkJobStatus.DONE)
        return False
    # The batch's changes and the counters that describe them commit together.
    with transaction.atomic():
        if job.action == BulkAction.EXPORT_CSV:
            _export_batch(job, batch)
        else:
            for contact in batch:
                _count(job, _apply_one(job, contact))
        job.processed += len(batch)
        job.last_contact_id = batch[-1].pk
        job.save(update_fields=_PROGRESS_FIELDS)
    return True


_PROGRESS_FIELDS = [
    "processed",
    "changed",
    "skipped",
    "skip_reasons",
    "last_contact_id",
    "result_file",
]


def _finish(job: BulkJob, status: str, error: str = "") -> None:
    job.status, job.error, job.finished_at = status, error, timezone.now()
    job.save(update_fields=["status", "error", "finished_at"])


def _count(job: BulkJob, skip_reason: str | None) -> None:
    if skip_reason is None:
        job.changed += 1
        return
    job.skipped += 1
    job.skip_reasons[skip_reason] = job.skip_reasons.get(skip_reason, 0) + 1


def _apply_one(job: BulkJob, contact: Contact) -> str | None:
    """None when the contact changed, else why it did not."""
    try:
        with transaction.atomic():
            changed = ACTIONS[job.action](job.actor, contact, job.params)
    except Forbidden as exc:
        return NOT_YOURS if can_create(job.actor) else exc.message
    except NotFound:
        return GONE
    except DomainError as exc:
        return exc.message
    return None if changed else UNCHANGED


def _version_changed(before: Contact, after: Contact) -> bool:
    return after.version != before.version


def _add_tags(actor: User, contact: Contact, params: dict[str, Any]) -> bool:
    return _version_changed(contact, contacts.add_tags(actor, contact, params["tags"]))


def _remove_tags(actor: User, contact: Contact, params: dict[str, Any]) -> bool:
    return _version_changed(contact, contacts.remove_tags(actor, contact, params["tags"]))


def _update(actor: User, contact: Contact, data: dict[str, Any]) -> bool:
    return _version_changed(contact, contacts.update_contact(actor, contact, data).contact)


def _assign_owner(actor: User, contact: Contact, params: dict[str, Any]) -> bool:
    return _update(actor, contact, {"owner_id": params["owner_id"]})


def _set_status(actor: User, contact: Contact, params: dict[str, Any]) -> bool:
    return _update(actor, contact, {"status": params["status"]})


def _archive(actor: User, contact: Contact, params: dict[str, Any]) -> bool:
    return _version_changed(contact, contacts.set_archived(actor, contact, True))


def _unarchive(actor: User, contact: Contact, params: dict[str, Any]) -> bool:
    return _version_changed(contact, contacts.set_archived(actor, contact, False))


def _delete(actor: User, contact: Contact, params: dict[str, Any]) -> bool:
    contacts.delete_contact(actor, contact)
    return True


ACTIONS: dict[str, Callable[[User, Contact, dict[str, Any]], bool]] = {
    BulkAction.ADD_TAGS: _add_tags,
    BulkAction.REMOVE_TAGS: _remove_tags,
    BulkAction.ASSIGN_OWNER: _assign_owner,
    BulkAction.SET_STATUS: _set_status,
    BulkAction.ARCHIVE: _archive,
    BulkAction.UNARCHIVE: _unarchive,
    BulkAction.DELETE: _delete,
}


# --- export ---------------------------------------------------------------------------------


def _export_batch(job: BulkJob, batch: list[Contact]) -> None:
    """Append the batch to the job's CSV through the shared export writer (exports/formats)."""
    columns = choose_columns(EXPORT_COLUMNS, available_columns())
    if not job.result_file:
        folder = Path(settings.DATA_DIR) / "exports"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"contacts-{job.pk}-{secrets.token_hex(8)}.csv"
        with path.open("w", newline="", encoding="utf-8") as handle:
            handle.write(next(csv_chunks([], columns)))
        job.result_file = str(path)
    ids = [contact.pk for contact in batch]
    rows = load_children(list(contacts.contact_queryset().filter(pk__in=ids).order_by("pk")))
    with Path(job.result_file).open("a", newline="", encoding="utf-8") as handle:
        for chunk in csv_chunks(rows, columns, header=False):
            handle.write(chunk)
            job.changed += 1
