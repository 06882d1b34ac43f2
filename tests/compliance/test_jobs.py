"""Erasure as a background job: refused at once, run step by step, resumable, same result."""

from __future__ import annotations

from typing import Any

import pytest

from peoplebase.activities.models import Activity, ActivityKind
from peoplebase.activities.services import log_activity
from peoplebase.audit.models import AuditEntry
from peoplebase.compliance import erasure, jobs
from peoplebase.compliance.models import ErasureJob, ErasureJobStatus, ErasureLog
from peoplebase.compliance.services import is_suppressed
from peoplebase.contacts.models import Contact
from peoplebase.contacts.services import update_contact
from peoplebase.core.errors import Conflict, Forbidden, ValidationFailed
from tests.compliance.conftest import (
    EMAIL,
    OLD_EMAIL,
    VALUES,
    traces_in_database,
    traces_in_files,
)

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def queued_only(settings: Any) -> None:
    """Tasks wait in the task table, as they do for the real worker."""
    settings.TASKS = DATABASE_TASKS


def test_a_job_erases_everything_erase_contact_does(
    seeded_person: dict[str, Any], admin: Any
) -> None:
    jane = seeded_person["contact"]

    job = jobs.request_erasure(admin, jane, reason=f"Ticket from {EMAIL}", suppress=True)

    job.refresh_from_db()
    assert job.status == ErasureJobStatus.DONE and job.percent == 100
    assert traces_in_database(VALUES) == []
    assert traces_in_files(VALUES) == []
    assert not Contact.objects.filter(pk=jane.pk).exists()
    log = ErasureLog.objects.get()
    assert job.log == log and log.contact_id == jane.pk
    assert log.reason == "Ticket from [erased]"
    assert log.counts["contacts.ContactEmail"] == 1 and log.counts["files.rewritten"] == 3
    assert log.counts["sweep.leads.Lead"] == 1
    assert is_suppressed(EMAIL) and is_suppressed(OLD_EMAIL)
    # The finished job keeps nothing of the person: no reason, no identifiers.
    assert (job.reason, job.identifiers, job.counts) == ("", {}, {})


def test_the_job_waits_for_the_worker_with_visible_progress(
    seeded_person: dict[str, Any], admin: Any, queued_only: None
) -> None:
    jane = seeded_person["contact"]

    job = jobs.request_erasure(admin, jane, reason="request", suppress=False)

    assert job.status == ErasureJobStatus.QUEUED and job.steps_done == 0
    assert job.steps_total > 10 and job.stage == "Waiting for the background worker"
    assert Contact.objects.filter(pk=jane.pk).exists()
    stages: list[tuple[str, int]] = []
    real_progress = jobs._progress

    def watch(job: ErasureJob, stage: str) -> None:
        real_progress(job, stage)
        saved = ErasureJob.objects.get(pk=job.pk)
        stages.append((saved.stage, saved.steps_done))

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(jobs, "_progress", watch)
        assert jobs.run_erasure_job(job.pk) == ErasureJobStatus.DONE
    # Each step was recorded as it started, with the count of steps done before it.
    assert [done for _, done in stages] == list(range(len(stages)))
    assert stages[-1][0] == "Files under the data directory"
    assert any(stage == "The contact and its timeline" for stage, _ in stages)
    assert traces_in_database(VALUES) == []


def test_a_failed_job_keeps_what_it_finished_and_resumes_after_it(
    seeded_person: dict[str, Any], admin: Any, queued_only: None, monkeypatch: Any
) -> None:
    jane = seeded_person["contact"]
    job = jobs.request_erasure(admin, jane, reason="request", suppress=False)
    real_sweep = erasure._sweep_step

    def broken(model: Any, ids: Any, counts: Any) -> None:
        if model is Activity:
            raise RuntimeError("disk full")
        real_sweep(model, ids, counts)

    monkeypatch.setattr(erasure, "_sweep_step", broken)
    assert jobs.run_erasure_job(job.pk) == ErasureJobStatus.FAILED
    job.refresh_from_db()
    assert job.error == "disk full" and job.identifiers
    assert 0 < job.steps_done < job.steps_total
    assert not Contact.objects.filter(pk=jane.pk).exists()  # the delete step had committed
    assert "activities.Activity.body" in traces_in_database(VALUES)  # the other's note

    monkeypatch.setattr(erasure, "_sweep_step", real_sweep)
    done_before = job.steps_done
    job = jobs.resume_erasure(admin, job)
    assert job.status == ErasureJobStatus.QUEUED
    assert jobs.run_erasure_job(job.pk) == ErasureJobStatus.DONE
    job.refresh_from_db()
    assert job.steps_done == job.steps_total > done_before
    assert traces_in_database(VALUES) == []
    assert ErasureLog.objects.count() == 1


def test_refusals_come_at_once_and_queue_nothing(
    seeded_person: dict[str, Any], admin: Any, alice: Any, make_contact: Any, queued_only: None
) -> None:
    jane = seeded_person["contact"]
    with pytest.raises(Forbidden):
        jobs.request_erasure(alice, jane, reason="request", suppress=False)
    with pytest.raises(ValidationFailed):
        jobs.request_erasure(admin, jane, reason="  ", suppress=False)
    twin = make_contact(admin, full_name="Jane Twin", emails=[EMAIL])
    with pytest.raises(Conflict, match="also carries"):
        jobs.request_erasure(admin, jane, reason="request", suppress=False)
    assert not ErasureJob.objects.exists()

    Contact.objects.filter(pk=twin.pk).delete()
    jobs.request_erasure(admin, jane, reason="request", suppress=False)
    with pytest.raises(Conflict, match="already under way"):
        jobs.request_erasure(admin, jane, reason="again", suppress=False)
    assert ErasureJob.objects.count() == 1


def test_a_person_with_a_long_history_is_erased_by_the_job(
    make_contact: Any, admin: Any, data_dir: Any, queued_only: None
) -> None:
    person = make_contact(admin, full_name="Long History", emails=["long.history@example.org"])
    for number in range(150):
        log_activity(
            kind=ActivityKind.NOTE,
            contact=person,
            actor=admin,
            body=f"Call {number} with long.history@example.org",
        )
        if number % 10 == 0:
            update_contact(admin, person, {"job_title": f"Title {number}"})

    job = jobs.request_erasure(admin, person, reason="request", suppress=False)
    assert Activity.objects.filter(contact=person).count() == 150  # nothing ran in the request
    jobs.run_erasure_job(job.pk)

    assert not Activity.objects.filter(body__icontains="long.history").exists()
    assert not AuditEntry.objects.filter(changes__icontains="Title 1").exists()
    assert traces_in_database(["long.history@example.org"]) == []
    assert ErasureLog.objects.get().counts["activities.Activity"] == 150


def test_erasing_at_once_is_refused_while_the_contacts_job_is_queued(
    seeded_person: dict[str, Any], admin: Any, queued_only: None
) -> None:
    # `peoplebase gdpr erase` erases at once; a job already queued for the same person would
    # then run too, writing a second log and suppressing twice.
    jane = seeded_person["contact"]
    job = jobs.request_erasure(admin, jane, reason="request", suppress=False)

    with pytest.raises(Conflict, match="already under way"):
        erasure.erase_contact(admin, jane, reason="again", suppress=False)

    assert Contact.objects.filter(pk=jane.pk).exists()
    assert not ErasureLog.objects.exists()
    assert jobs.run_erasure_job(job.pk) == ErasureJobStatus.DONE


def test_a_failed_job_superseded_by_a_new_erasure_forgets_the_person(
    seeded_person: dict[str, Any], admin: Any, queued_only: None, monkeypatch: Any
) -> None:
    jane = seeded_person["contact"]
    first = jobs.request_erasure(admin, jane, reason=f"Ticket from {EMAIL}", suppress=False)

    def broken(*args: Any) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(erasure, "_scrub_relation", broken)  # fails before the delete step
    assert jobs.run_erasure_job(first.pk) == ErasureJobStatus.FAILED
    monkeypatch.undo()
    assert Contact.objects.filter(pk=jane.pk).exists()
    # The contact page offers a new erasure (the failed one is finished); it does the work.
    second = jobs.request_erasure(admin, jane, reason="request", suppress=False)
    assert jobs.run_erasure_job(second.pk) == ErasureJobStatus.DONE

    first.refresh_from_db()
    # The stopped job no longer holds the person's addresses and reason, nor offers to retry.
    assert (first.identifiers, first.reason, first.error) == ({}, "", "")
    assert first.status == ErasureJobStatus.DONE
    assert jobs.unfinished_erasure_jobs(admin) == []
    assert ErasureLog.objects.count() == 1
