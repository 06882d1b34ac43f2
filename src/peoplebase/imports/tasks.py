"""The background task that runs an import job (django-tasks; the worker picks it up)."""

from __future__ import annotations

from django_tasks import task


@task()
def run_import_job(job_id: int) -> str:
    """Import the job's remaining batches; returns its final status."""
    from peoplebase.imports.services import run_import

    return run_import(job_id)
