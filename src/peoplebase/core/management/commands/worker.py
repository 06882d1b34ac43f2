"""`peoplebase worker`: background task workers without the web server."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from peoplebase.core.housekeeping import run_housekeeping
from peoplebase.core.management.commands._base import CleanErrorsMixin


class Command(CleanErrorsMixin, DbWorkerCommand):
    """django-tasks-db's worker, processing every queue unless told otherwise."""

    help = (
        "Run background task workers on their own. `peoplebase serve` already runs one inside "
        "the web server; use this to run more, on this or other machines that share the same "
        "PostgreSQL database (set DATABASE_URL the same way everywhere). Stop with Ctrl+C: the "
        "task in progress finishes first. On start it deletes expired export files."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        parser.set_defaults(queue_name="*")

    def handle(self, *args: Any, **options: Any) -> None:
        # Clean up once on start; exports also purge when one is made or finished.
        run_housekeeping()
        super().handle(*args, **options)
