"""Run the `peoplebase` command in-process, capturing its output and exit code."""

from __future__ import annotations

import io
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import django
import pytest
from django.db import connections

from peoplebase.cli import main


@dataclass
class CliResult:
    """What one `peoplebase …` run printed and returned."""

    code: int
    out: str
    err: str


@pytest.fixture
def run_cli(monkeypatch: Any, capsys: Any) -> Callable[..., CliResult]:
    """run_cli("createuser", "a@b.example", "--role", "rep", stdin="…") -> CliResult."""
    # Django closes every connection after a command; inside a test transaction that would
    # end the test's own connection, so keep it open.
    monkeypatch.setattr(connections, "close_all", lambda: None)
    # Django is set up already; setting it up again would point logging at this test's capture.
    monkeypatch.setattr(django, "setup", lambda *args, **kwargs: None)

    def run(*args: str, stdin: str = "") -> CliResult:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        capsys.readouterr()
        try:
            code = main(list(args))
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run
