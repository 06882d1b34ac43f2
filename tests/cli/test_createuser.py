"""`peoplebase createuser`: non-interactive users, passwords and API tokens."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import CommandError, call_command

from peoplebase.users.models import ApiToken, Role, User
from peoplebase.users.services import user_for_token

pytestmark = pytest.mark.django_db


def token_from(output: str) -> str:
    last = output.strip().splitlines()[-1]
    assert last.startswith("API token: pb_")
    return last.removeprefix("API token: ")


def test_creates_a_user_with_the_role_and_prints_a_working_token(run_cli: Any) -> None:
    result = run_cli(
        "createuser", "Dana@Example.com", "--role", "manager", "--first-name", "Dana",
        "--api-token", "CI",
    )  # fmt: skip

    assert result.code == 0, result.err
    user = User.objects.get(email="dana@example.com")
    assert user.role == Role.MANAGER
    assert user.first_name == "Dana"
    assert user_for_token(token_from(result.out)) == user
    assert ApiToken.objects.get(user=user).name == "CI"


def test_generated_password_is_printed_once_and_signs_in(run_cli: Any) -> None:
    result = run_cli("createuser", "erin@example.com", "--role", "rep")

    lines = [line for line in result.out.splitlines() if line.startswith("Password: ")]
    assert len(lines) == 1
    password = lines[0].removeprefix("Password: ").split()[0]
    assert User.objects.get(email="erin@example.com").check_password(password)
    assert "API token" not in result.out


def test_password_stdin_sets_that_password_and_prints_no_password(run_cli: Any) -> None:
    result = run_cli(
        "createuser", "fay@example.com", "--role", "read_only", "--password-stdin",
        stdin="a long enough pass phrase\n",
    )  # fmt: skip

    assert result.code == 0, result.err
    assert User.objects.get(email="fay@example.com").check_password("a long enough pass phrase")
    assert "Password" not in result.out
    assert "a long enough pass phrase" not in result.out


def test_empty_stdin_is_refused(run_cli: Any) -> None:
    result = run_cli("createuser", "gus@example.com", "--role", "rep", "--password-stdin")

    assert result.code == 1
    assert "standard input held no password" in result.err
    assert not User.objects.filter(email="gus@example.com").exists()


def test_weak_password_is_refused_with_the_validator_message(run_cli: Any) -> None:
    result = run_cli(
        "createuser", "hal@example.com", "--role", "rep", "--password-stdin", stdin="short\n"
    )

    assert result.code == 1
    assert "password: This password is too short" in result.err
    assert not User.objects.filter(email="hal@example.com").exists()


def test_quiet_prints_only_the_token(run_cli: Any) -> None:
    result = run_cli("createuser", "bot@example.com", "--role", "rep", "--api-token", "--quiet")

    assert result.code == 0
    assert result.out.count("\n") == 1
    assert user_for_token(result.out.strip()).email == "bot@example.com"
    assert ApiToken.objects.get().name == "Command line"


def test_bad_role_fails_with_one_clear_line(run_cli: Any) -> None:
    result = run_cli("createuser", "ivy@example.com", "--role", "boss")

    assert result.code == 1
    assert result.err.strip() == (
        "peoplebase createuser: role: Use one of: admin, manager, rep, read_only."
    )
    assert "Traceback" not in result.err
    assert not User.objects.filter(email="ivy@example.com").exists()


def test_existing_email_fails_without_touching_the_user(run_cli: Any, alice: User) -> None:
    result = run_cli("createuser", "ALICE@example.com", "--role", "admin", "--api-token")

    assert result.code == 1
    assert "already exists" in result.err
    assert result.err.count("\n") == 1
    alice.refresh_from_db()
    assert alice.role == Role.REP
    assert not ApiToken.objects.exists()


def test_invalid_email_is_refused(run_cli: Any) -> None:
    result = run_cli("createuser", "not-an-address", "--role", "rep")

    assert result.code == 1
    assert "email:" in result.err


def test_missing_role_is_a_usage_error(run_cli: Any) -> None:
    result = run_cli("createuser", "jo@example.com")

    assert result.code == 2
    assert "--role" in result.err


def test_call_command_raises_command_error_for_code_callers() -> None:
    with pytest.raises(CommandError, match="Use one of"):
        call_command("createuser", "kim@example.com", role="chief")
