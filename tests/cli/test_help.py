"""The top-level help, per-command help, and what happens with unknown commands."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

import pytest

from peoplebase.cli import COMMANDS

COMMAND_NAMES = [
    "serve",
    "worker",
    "migrate",
    "createuser",
    "contacts",
    "demo",
    "import",
    "search",
    "merges",
    "duplicates",
    "manage",
    "export",
    "gdpr",
]


def test_help_lists_every_command_with_a_line_of_help(run_cli: Any) -> None:
    result = run_cli("--help")

    assert result.code == 0
    for name in COMMAND_NAMES:
        line = next(line for line in result.out.splitlines() if line.strip().startswith(name))
        assert len(line.split(maxsplit=1)[1]) > 20
    assert "runserver" not in result.out  # our short list, not Django's full one


def test_no_arguments_prints_the_help(run_cli: Any) -> None:
    assert run_cli().out == run_cli("--help").out


@pytest.mark.parametrize("name", ["serve", "worker", "createuser", "demo", "export"])
def test_each_command_explains_itself(run_cli: Any, name: str) -> None:
    result = run_cli(name, "--help")

    assert result.code == 0
    assert f"usage: peoplebase {name}" in result.out
    assert "--settings" not in result.out  # Django's generic options are hidden


def test_help_with_a_command_name_shows_that_commands_help(run_cli: Any) -> None:
    assert "usage: peoplebase demo" in run_cli("help", "demo").out


def test_manage_passes_through_to_django_commands(run_cli: Any) -> None:
    result = run_cli("manage", "check")

    assert result.code == 0
    assert "no issues" in result.out


def test_unknown_command_fails_with_one_line(run_cli: Any) -> None:
    result = run_cli("frobnicate")

    assert result.code == 2
    assert result.err.count("\n") == 1
    assert "unknown command “frobnicate”" in result.err


def test_every_listed_command_is_documented_in_the_table() -> None:
    assert list(COMMANDS) == COMMAND_NAMES


def test_console_entry_point_runs_as_a_module(tmp_path: Any) -> None:
    env = {**os.environ, "PEOPLEBASE_DATA_DIR": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-m", "peoplebase.cli", "--help"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )

    assert result.returncode == 0
    assert "createuser" in result.stdout


def test_unreachable_database_is_one_clear_line_without_a_password(tmp_path: Any) -> None:
    env = {
        **os.environ,
        "PEOPLEBASE_DATA_DIR": str(tmp_path),
        "DATABASE_URL": "postgres://someone:hunter2secret@127.0.0.1:1/nowhere",
    }
    result = subprocess.run(
        [sys.executable, "-m", "peoplebase.cli", "migrate"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )

    assert result.returncode == 1
    assert result.stderr.count("\n") == 1
    assert "cannot use the database" in result.stderr
    assert "Traceback" not in result.stderr
    assert "hunter2secret" not in result.stderr
    assert "someone:****@127.0.0.1:1" in result.stderr
