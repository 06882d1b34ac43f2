"""Committing batches in the importing thread or on a writing thread one batch behind it."""

from __future__ import annotations

import csv
import json
import os
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from peoplebase.contacts.models import Contact
from peoplebase.imports import services
from peoplebase.imports.models import ImportStatus
from peoplebase.imports.sink import BatchSink
from tests.imports.conftest import parallel_job


class Recorder:
    def __init__(self, fail_on: int | None = None) -> None:
        self.written: list[list[int]] = []
        self.threads: set[str] = set()
        self.fail_on = fail_on

    def __call__(self, batch: list[Any]) -> None:
        if batch == [self.fail_on]:
            raise ValueError(f"cannot write {self.fail_on}")
        self.threads.add(threading.current_thread().name)
        self.written.append(batch)


@pytest.mark.parametrize("threaded", [False, True])
def test_batches_are_committed_in_order_and_all_before_close_returns(
    db: Any, threaded: bool
) -> None:
    commit = Recorder()

    with BatchSink(commit, threaded=threaded) as sink:
        for number in range(20):
            sink.write([number])

    assert commit.written == [[number] for number in range(20)]
    expected = "import-writer" if threaded else threading.current_thread().name
    assert commit.threads == {expected}


def test_a_writing_thread_error_is_raised_and_later_batches_are_not_written(db: Any) -> None:
    commit = Recorder(fail_on=3)

    with (
        pytest.raises(ValueError, match="cannot write 3"),
        BatchSink(commit, threaded=True) as sink,
    ):
        for number in range(50):
            sink.write([number])

    assert commit.written == [[0], [1], [2]]


def test_an_error_in_the_importing_thread_still_lets_handed_batches_finish(db: Any) -> None:
    commit = Recorder()

    with (
        pytest.raises(RuntimeError, match="reader broke"),
        BatchSink(commit, threaded=True) as sink,
    ):
        sink.write([1])
        sink.write([2])
        raise RuntimeError("reader broke")

    assert commit.written == [[1], [2]]


needs_server = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the tests' SQLite database is in memory, where a second connection cannot write",
)


@needs_server
@pytest.mark.django_db(transaction=True)
def test_a_big_import_writes_on_its_own_thread_with_the_same_result(
    manager: Any, upload: Any, run: Any, monkeypatch: Any
) -> None:
    job = parallel_job(manager, upload, monkeypatch, 15, emails=7)
    assert services._threaded(services._parallel(job))
    writers: set[str] = set()
    real = services._batch_committer

    def watched(*args: Any, **kwargs: Any) -> Any:
        commit = real(*args, **kwargs)

        def recording(batch: Any) -> None:
            writers.add(threading.current_thread().name)
            commit(batch)

        return recording

    monkeypatch.setattr(services, "_batch_committer", watched)

    job = run(manager, job)

    assert writers == {"import-writer"}
    # Rows 8 to 15 repeat the first seven emails: caught in the file, one batch behind or not.
    assert (job.status, job.created, job.skipped, job.processed_rows) == ("done", 7, 8, 15)
    assert Contact.objects.count() == 7


@needs_server
@pytest.mark.django_db(transaction=True)
def test_an_error_on_the_writing_thread_fails_the_job_after_whole_batches(
    manager: Any, upload: Any, run: Any, monkeypatch: Any
) -> None:
    from peoplebase.imports import pipeline

    real_write = pipeline.BatchWriter.write

    def write(self: Any, rows: Any) -> None:
        if rows[0].number == 5:
            raise RuntimeError("disk full")
        real_write(self, rows)

    monkeypatch.setattr(pipeline.BatchWriter, "write", write)
    job = parallel_job(manager, upload, monkeypatch, 10, emails=7)

    job = run(manager, job)

    assert job.status == ImportStatus.FAILED and "disk full" in job.error
    assert (job.processed_rows, job.created) == (4, 4)
    assert Contact.objects.count() == 4


def test_the_tests_in_memory_sqlite_database_is_written_in_the_importing_thread(
    db: Any,
) -> None:
    if connection.vendor == "sqlite":
        assert connection.is_in_memory_db()
        assert not services._threaded(True)
    else:
        assert services._threaded(True)
    assert not services._threaded(False)


@needs_server
@pytest.mark.django_db(transaction=True)
def test_a_cancel_waits_for_the_batch_on_the_writing_thread(
    manager: Any, upload: Any, run: Any, monkeypatch: Any
) -> None:
    from peoplebase.imports import pipeline
    from peoplebase.imports.models import ImportJob

    real_write = pipeline.BatchWriter.write

    def write(self: Any, rows: Any) -> None:
        if rows[0].number == 3:  # the second batch: cancel while it is being written
            ImportJob.objects.filter(pk=self.job.pk).update(cancel_requested=True)
        real_write(self, rows)

    monkeypatch.setattr(pipeline.BatchWriter, "write", write)
    job = parallel_job(manager, upload, monkeypatch, 7)  # rows 1-7: all different emails

    job = run(manager, job)

    job.refresh_from_db()
    assert job.status == ImportStatus.CANCELLED
    # Whole batches only (of rows 1-2, 3-4, 5-6, 7), and the counters say exactly which: the
    # batch being written when the cancel came, and any already handed over, are in.
    assert job.processed_rows in (4, 6, 7)
    assert Contact.objects.count() == job.created == job.processed_rows


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the file-backed SQLite case")
def test_a_big_import_into_a_sqlite_file_writes_on_its_own_thread(tmp_path: Path) -> None:
    """The tests' own database is in memory (written in the importing thread); a real one is a
    file in WAL mode, which the writing thread and the reading one share. End to end through
    the CLI, in a process of its own: cleaning processes, the writing thread, exact counts."""
    rows = services.PARALLEL_MIN_ROWS + 100
    path = tmp_path / "people.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["First Name", "Last Name", "E-mail Address"])
        for i in range(rows):  # every 10th row repeats an earlier address
            number = i - 1 if i % 10 == 9 else i
            writer.writerow([f"P{i}", "Lee", f"p{number}@example.com"])
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["PEOPLEBASE_DATA_DIR"] = str(tmp_path / "data")

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(  # noqa: S603
            [sys.executable, "-m", "peoplebase.cli", *args],
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )

    assert cli("migrate").returncode == 0
    assert cli("createuser", "admin@example.com", "--role", "admin", "--quiet").returncode == 0
    result = cli("import", str(path), "--json")

    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout[result.stdout.index("{") :])
    repeated = rows // 10
    assert (report["created"], report["skipped"]) == (rows - repeated, repeated)
    database = sqlite3.connect(tmp_path / "data" / "peoplebase.sqlite3")
    stored = database.execute("SELECT count(*) FROM contacts_contact").fetchone()[0]
    database.close()
    assert stored == rows - repeated
