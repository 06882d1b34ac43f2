"""`peoplebase gdpr …`: export, erase, suppress and lift from the command line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from peoplebase.compliance.models import ErasureLog
from peoplebase.compliance.services import is_suppressed
from peoplebase.contacts.models import Contact
from tests.compliance.conftest import EMAIL, traces_in_database

pytestmark = pytest.mark.django_db


def test_export_to_a_file(run_cli: Any, seeded_person: Any, tmp_path: Path) -> None:
    jane = seeded_person["contact"]
    out = tmp_path / "jane.json"
    result = run_cli("gdpr", "export", str(jane.pk), "--out", str(out))
    assert result.code == 0, result.err
    document = json.loads(out.read_text())
    assert document["contact"]["full_name"] == "Jane Erased"
    assert document["metadata"]["generated_by"]["email"] == "admin@example.com"


@pytest.mark.parametrize("where", ["folder", "missing/jane.json"])
def test_export_to_a_path_that_cannot_be_written_is_one_line(
    run_cli: Any, seeded_person: Any, tmp_path: Path, where: str
) -> None:
    out = tmp_path if where == "folder" else tmp_path / where
    result = run_cli("gdpr", "export", str(seeded_person["contact"].pk), "--out", str(out))
    assert result.code == 1
    assert f"Cannot write {out}" in result.err and "Traceback" not in result.err


def test_export_to_stdout_as_a_rep_is_refused(run_cli: Any, seeded_person: Any, alice: Any) -> None:
    result = run_cli("gdpr", "export", str(seeded_person["contact"].pk), "--as", alice.email)
    assert result.code == 1
    assert "data protection" in result.err


def test_erase_with_yes_and_suppress(run_cli: Any, seeded_person: Any) -> None:
    jane = seeded_person["contact"]
    result = run_cli("gdpr", "erase", str(jane.pk), "--reason", "request 7", "--suppress", "--yes")
    assert result.code == 0, result.err
    assert f"Erased contact #{jane.pk}" in result.out
    assert not Contact.objects.filter(pk=jane.pk).exists()
    assert traces_in_database([EMAIL]) == []
    assert is_suppressed(EMAIL)
    assert ErasureLog.objects.get().reason == "request 7"


def test_erase_without_yes_and_no_terminal_changes_nothing(
    run_cli: Any, seeded_person: Any
) -> None:
    jane = seeded_person["contact"]
    result = run_cli("gdpr", "erase", str(jane.pk), "--reason", "x")
    assert result.code == 1 and "--yes" in result.err
    assert Contact.objects.filter(pk=jane.pk).exists()


@pytest.mark.parametrize("contact_id", ["abc", "999999"])
def test_erase_of_an_unknown_contact_is_one_line(run_cli: Any, admin: Any, contact_id: str) -> None:
    result = run_cli("gdpr", "erase", contact_id, "--reason", "x", "--yes")
    assert result.code == 1
    assert "No contact" in result.err and "Traceback" not in result.err


def test_suppress_and_lift(run_cli: Any, admin: Any) -> None:
    assert run_cli("gdpr", "suppress", "Someone@Example.org").code == 0
    assert is_suppressed("someone@example.org")
    assert run_cli("gdpr", "suppress", "not-an-email").code == 1
    result = run_cli("gdpr", "lift", "someone@example.org", "--reason", "asked back in")
    assert result.code == 0, result.err
    assert not is_suppressed("someone@example.org")
    assert run_cli("gdpr", "lift", "someone@example.org").code == 1


def test_help_explains_the_command(run_cli: Any) -> None:
    result = run_cli("gdpr", "--help")
    assert result.code == 0 and "usage: peoplebase gdpr" in result.out
