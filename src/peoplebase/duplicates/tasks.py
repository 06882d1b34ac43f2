"""The background task that runs a duplicate scan (django-tasks; the worker picks it up)."""

from __future__ import annotations

from django_tasks import task


@task()
def run_duplicate_scan(scan_id: int) -> str:
    """Run the scan; returns its final status."""
    from peoplebase.duplicates.services import run_scan

    return run_scan(scan_id)
