"""With the real database backend, a big job waits in the queue until a worker runs it."""

from __future__ import annotations

import signal
from typing import Any

import pytest
from django.core.management import call_command

from peoplebase.bulk import services
from peoplebase.bulk.models import BulkJobStatus
from peoplebase.bulk.services import start_bulk_job
from peoplebase.contacts.models import Contact


@pytest.mark.django_db(transaction=True)  # the worker closes connections between tasks
def test_big_job_is_queued_and_the_worker_finishes_it(
    settings: Any, manager: Any, make_contact: Any, monkeypatch: Any
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    monkeypatch.setattr(services, "SYNC_LIMIT", 1)
    monkeypatch.setattr(signal, "signal", lambda *args: None)  # keep pytest's own handlers
    people = [make_contact(manager, full_name=f"Person {i}") for i in range(3)]

    job = start_bulk_job(manager, "archive", contact_ids=[p.pk for p in people])
    assert job.status == BulkJobStatus.QUEUED

    call_command("worker", batch=True, reload=False, startup_delay=False, verbosity=0)

    job.refresh_from_db()
    assert job.status == BulkJobStatus.DONE
    assert Contact.objects.filter(is_archived=True).count() == 3
