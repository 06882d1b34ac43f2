"""The background task that writes a large export (django-tasks; the worker picks it up)."""

from __future__ import annotations

from django_tasks import task


@task()
def run_contact_export(export_id: int) -> str:
    """Write the export's file; returns its final status."""
    from peoplebase.exports.services import run_export

    return run_export(export_id)
