"""The background task that runs a bulk job (django-tasks; the worker picks it up)."""

from __future__ import annotations

from django_tasks import task


@task()
def run_bulk_job(job_id: int) -> str:
    """Process the job's remaining batches; returns its final status."""
    from peoplebase.bulk.services import run_job

    return run_job(job_id)
