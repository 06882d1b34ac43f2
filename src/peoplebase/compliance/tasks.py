"""The background task that runs an erasure job (django-tasks; the worker picks it up)."""

from __future__ import annotations

from django_tasks import task


@task()
def run_erasure(job_id: int) -> str:
    """Run the erasure job's remaining steps; returns its final status."""
    from peoplebase.compliance.jobs import run_erasure_job

    return run_erasure_job(job_id)
