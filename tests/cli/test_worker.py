"""Background workers: the thread inside `serve`, and the standalone `peoplebase worker`."""

from __future__ import annotations

import signal
import threading
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection, connections
from django_tasks.base import TaskResultStatus

from peoplebase.core.management.commands._worker_thread import WorkerThread
from peoplebase.core.management.commands.worker import Command as WorkerCommand
from tests.cli.tasks import add_numbers


class SharedConnectionWorker(WorkerThread):
    """On SQLite's in-memory test database, threads must share the test's connection.

    Separate connections to a shared-cache memory database lock each other out; Django's
    LiveServerThread shares the connection the same way.
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.shared = connections["default"] if connection.vendor == "sqlite" else None

    def _run(self) -> None:
        if self.shared is not None:
            connections["default"] = self.shared
        super()._run()


def wait_until_finished(result: Any, seconds: float = 10.0) -> None:
    pause = threading.Event()
    for _ in range(int(seconds / 0.02)):
        result.refresh()
        if result.is_finished:
            return
        pause.wait(0.02)


@pytest.mark.django_db(transaction=True)
def test_worker_thread_runs_queued_tasks_and_stops_when_asked() -> None:
    shared = connection.vendor == "sqlite"
    if shared:
        connection.inc_thread_sharing()
    worker = SharedConnectionWorker(interval=0.02).start()
    try:
        result = add_numbers.enqueue(2, 3)
        wait_until_finished(result)
    finally:
        worker.stop(timeout=5)
        if shared:
            connection.dec_thread_sharing()

    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == 5
    assert not worker.is_alive


def test_worker_thread_stops_promptly_while_idle() -> None:
    worker = WorkerThread(interval=60)
    worker._stopping.set()  # stopped before its first poll: nothing touches the database
    worker.start()
    worker.stop(timeout=5)

    assert not worker.is_alive


def test_standalone_worker_processes_every_queue_by_default() -> None:
    parser = WorkerCommand().create_parser("peoplebase", "worker")

    assert parser.parse_args([]).queue_name == "*"
    assert "PostgreSQL" in parser.description


@pytest.mark.django_db(transaction=True)  # the worker closes connections between tasks
def test_standalone_worker_in_batch_mode_runs_pending_tasks(monkeypatch: Any) -> None:
    monkeypatch.setattr(signal, "signal", lambda *args: None)  # keep pytest's own handlers
    result = add_numbers.enqueue(20, 22)

    call_command("worker", batch=True, reload=False, startup_delay=False, verbosity=0)

    result.refresh()
    assert result.return_value == 42


def test_worker_thread_runs_housekeeping_when_it_starts(monkeypatch: Any) -> None:
    from peoplebase.core.management.commands import _worker_thread

    worker = WorkerThread(interval=60)
    calls: list[str] = []

    class IdleWorker:
        running = True

        def run(self) -> None:
            worker._stopping.set()

    def housekeeping() -> dict[str, int]:
        calls.append("housekeeping")
        return {}

    monkeypatch.setattr(_worker_thread, "run_housekeeping", housekeeping)
    monkeypatch.setattr(worker, "_new_worker", IdleWorker)
    worker.start()
    worker.stop(timeout=5)

    assert calls == ["housekeeping"]


@pytest.mark.django_db(transaction=True)
def test_standalone_worker_deletes_expired_export_files_on_start(
    monkeypatch: Any, settings: Any, tmp_path: Any, alice: Any
) -> None:
    import datetime as dt
    from pathlib import Path

    from django.utils import timezone

    from peoplebase.exports.models import ContactExport, ExportStatus

    monkeypatch.setattr(signal, "signal", lambda *args: None)
    settings.DATA_DIR = tmp_path
    path = tmp_path / "exports" / "contacts-old.csv"
    path.parent.mkdir()
    path.write_text("id\r\n1\r\n", encoding="utf-8")
    export = ContactExport.objects.create(
        actor=alice,
        status=ExportStatus.DONE,
        file_path=str(path),
        expires_at=timezone.now() - dt.timedelta(hours=1),
    )

    call_command("worker", batch=True, reload=False, startup_delay=False, verbosity=0)

    assert not Path(path).exists()
    assert ContactExport.objects.get(pk=export.pk).status == ExportStatus.EXPIRED
