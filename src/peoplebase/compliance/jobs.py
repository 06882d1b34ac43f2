"""Erasure as a background job: checked at once, run by the worker one step per transaction.

A person with years of history, or a workspace with a million rows to sweep, takes longer than
a web request may; so the page and the API queue an `ErasureJob` and show its progress. The
job runs the very steps `erase_contact` runs in one transaction (`erasure.erasure_steps`), each
in its own, saving after each how far it got, so a job stopped by a crash resumes where it was
(`run_erasure_job` again). The identifiers it searches for are kept on the job until it ends.
"""

from __future__ import annotations

import logging
from collections import Counter

from django.db import transaction
from django.utils import timezone

from peoplebase.compliance import erasure
from peoplebase.compliance.models import ErasureJob, ErasureJobStatus
from peoplebase.contacts.models import Contact
from peoplebase.core.errors import Conflict, DomainError, NotFound
from peoplebase.core.lookups import parse_id
from peoplebase.core.permissions import ensure_can_handle_personal_data
from peoplebase.users.models import User

logger = logging.getLogger("peoplebase.compliance")

# Steps besides the per-model ones: writing the log, then the files.
EXTRA_STEPS = 2


def request_erasure(
    actor: User | None, contact: Contact, *, reason: str, suppress: bool
) -> ErasureJob:
    """Check the erasure may go ahead (permission, reason, shared addresses), then queue it.

    Refusals are raised here, at once, exactly as `erase_contact` would raise them."""
    reason = erasure.clean_reason(reason)
    with transaction.atomic():
        ids = erasure.prepare_erasure(actor, contact, reason)
        unfinished = ErasureJob.objects.filter(contact_id=contact.pk).exclude(
            status__in=(ErasureJobStatus.DONE, ErasureJobStatus.FAILED)
        )
        if running := unfinished.first():
            raise Conflict(f"This contact's erasure is already under way (job #{running.pk}).")
        job = ErasureJob.objects.create(
            actor=actor if getattr(actor, "pk", None) else None,
            actor_label=getattr(actor, "email", "") or "",
            contact_id=contact.pk,
            reason=reason,
            suppress=suppress,
            identifiers=ids.to_json(),
            steps_total=len(erasure.erasure_steps(contact.pk, ids)) + EXTRA_STEPS,
            stage="Waiting for the background worker",
        )
    from peoplebase.compliance.tasks import run_erasure

    run_erasure.enqueue(job.pk)
    job.refresh_from_db()
    return job


def get_erasure_job(actor: User | None, job_id: object) -> ErasureJob:
    ensure_can_handle_personal_data(actor)
    job = ErasureJob.objects.select_related("log").filter(pk=parse_id(job_id) or -1).first()
    if job is None:
        raise NotFound(f"No erasure job with id {job_id}.")
    return job


def unfinished_erasure_jobs(actor: User | None) -> list[ErasureJob]:
    """Erasures queued, running or stopped by an error (to try again), oldest first."""
    ensure_can_handle_personal_data(actor)
    return list(ErasureJob.objects.exclude(status=ErasureJobStatus.DONE).order_by("created_at"))


def run_erasure_job(job_id: int) -> str:
    """Run (or resume) the job's remaining steps; returns its final status."""
    claimed = ErasureJob.objects.filter(
        pk=job_id, status__in=(ErasureJobStatus.QUEUED, ErasureJobStatus.RUNNING)
    ).update(status=ErasureJobStatus.RUNNING)
    job = ErasureJob.objects.select_related("actor", "log").filter(pk=job_id).first()
    if job is None:
        return "missing"
    if not claimed:
        return job.status
    job.started_at = job.started_at or timezone.now()
    job.save(update_fields=["started_at"])
    try:
        _run_steps(job)
    except DomainError as exc:
        _fail(job, exc.message)
    except Exception as exc:
        logger.exception("Erasure job %s failed", job_id)
        _fail(job, str(exc)[:2000] or type(exc).__name__)
    return job.status


def _run_steps(job: ErasureJob) -> None:
    ids = erasure.Identifiers.from_json(job.identifiers)
    counts: Counter[str] = Counter(job.counts)
    steps = erasure.erasure_steps(job.contact_id, ids)
    job.steps_total = len(steps) + EXTRA_STEPS
    for index in range(job.steps_done, len(steps)):
        step = steps[index]
        _progress(job, step.label)
        with transaction.atomic(), erasure.secure_delete():
            step.run(counts)
            _save_step(job, index + 1, counts)
    if job.log is None:
        _progress(job, "Writing the erasure log")
        with transaction.atomic():
            job.log = erasure.write_log(
                job.actor, job.contact_id, job.reason, ids, suppress=job.suppress
            )
            job.reason = ""  # the log keeps the scrubbed reason; the job forgets the raw one
            job.save(update_fields=["log", "reason"])
            _save_step(job, len(steps) + 1, counts)
    _progress(job, "Files under the data directory")
    seconds = (timezone.now() - (job.started_at or timezone.now())).total_seconds()
    erasure.finish_erasure(job.log, ids, counts, seconds=seconds)
    job.status, job.stage, job.finished_at = ErasureJobStatus.DONE, "Done", timezone.now()
    job.steps_done, job.identifiers, job.counts = job.steps_total, {}, {}
    job.save(
        update_fields=["status", "stage", "finished_at", "steps_done", "identifiers", "counts"]
    )


def _progress(job: ErasureJob, stage: str) -> None:
    job.stage = stage[:200]
    ErasureJob.objects.filter(pk=job.pk).update(stage=job.stage, steps_total=job.steps_total)


def _save_step(job: ErasureJob, done: int, counts: Counter[str]) -> None:
    job.steps_done, job.counts = done, dict(counts)
    job.save(update_fields=["steps_done", "counts"])


def _fail(job: ErasureJob, message: str) -> None:
    """Failed: nothing of a half-done step stays (each is a transaction); the identifiers stay
    on the job so that `resume_erasure` can finish the work."""
    job.status, job.error, job.finished_at = ErasureJobStatus.FAILED, message, timezone.now()
    job.save(update_fields=["status", "error", "finished_at"])


def resume_erasure(actor: User | None, job: ErasureJob) -> ErasureJob:
    """Queue a failed job again; it continues after its last finished step."""
    ensure_can_handle_personal_data(actor)
    if job.status != ErasureJobStatus.FAILED or not job.identifiers:
        return job
    ErasureJob.objects.filter(pk=job.pk).update(status=ErasureJobStatus.QUEUED, error="")
    from peoplebase.compliance.tasks import run_erasure

    run_erasure.enqueue(job.pk)
    return ErasureJob.objects.select_related("log").get(pk=job.pk)
