"""Fixtures for import tests: write a CSV, upload it as a job, run it in-process."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest

from peoplebase.imports import services
from tests.api.conftest import api_as  # noqa: F401  (the API tests' client fixture)


@pytest.fixture(autouse=True)
def _data_dir(settings: Any, tmp_path: Path) -> None:
    settings.DATA_DIR = tmp_path


def csv_bytes(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode("utf-8")


@pytest.fixture
def upload() -> Any:
    """upload(actor, rows or bytes, name=) -> ImportJob with the suggested mapping."""

    def make(actor: Any, rows: list[list[str]] | bytes, name: str = "people.csv") -> Any:
        content = rows if isinstance(rows, bytes) else csv_bytes(rows)
        return services.create_import(actor, io.BytesIO(content), name)

    return make


@pytest.fixture
def run() -> Any:
    """run(actor, job, **options) -> the finished job, run in this process."""

    def go(actor: Any, job: Any, **options: Any) -> Any:
        if options:
            job = services.set_options(actor, job, **options)
        return services.run_import_now(actor, job)

    return go


HEADER = ["First Name", "Last Name", "Email", "Phone", "Company", "Job Title"]


def parallel_job(
    manager: Any, upload: Any, monkeypatch: Any, count: int, emails: int | None = None
) -> Any:
    """A job of `count` people that counts as a big file (cleaned in parallel, written on a
    thread where the database allows), in batches of 2 rows; with `emails`, only that many
    different addresses, repeated in turn."""
    monkeypatch.setattr(services, "PARALLEL_MIN_ROWS", 1)
    monkeypatch.setattr("peoplebase.imports.pipeline.BATCH_SIZE", 2)
    monkeypatch.setattr(services, "BATCH_SIZE", 2)
    rows = [HEADER] + [
        [f"P{i}", "X", f"p{i % (emails or count)}@example.com", "", "", ""] for i in range(count)
    ]
    return upload(manager, rows)
