"""`peoplebase import`: mapping printed, counts, --dry-run, --json, --map, undo, refusals."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from peoplebase.contacts.models import Contact
from peoplebase.imports.models import ImportJob
from tests.imports.conftest import HEADER, csv_bytes


def _file(tmp_path: Path, rows: list[list[str]]) -> Path:
    path = tmp_path / "people.csv"
    path.write_bytes(csv_bytes(rows))
    return path


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("import", *args, stdout=out)
    return out.getvalue()


ROWS = [
    HEADER,
    ["Ann", "Lee", "ann@example.com", "", "", "CTO"],
    ["Bad", "Row", "nope", "", "", ""],
]


def test_cli_prints_mapping_counts_and_rejected_file(admin: Any, tmp_path: Path) -> None:
    out = _run(str(_file(tmp_path, ROWS)))

    assert "Email -> emails" in out
    assert "1 created, 0 updated, 0 skipped, 1 invalid" in out
    # The progress line after the last batch says the job is finishing, not stuck.
    assert "2/2 rows (100%): 1 created, 0 updated, 0 skipped, 1 invalid; finishing" in out
    rejected = out.split("Rejected rows (with a reason column): ")[1].strip()
    assert Path(rejected).read_text(encoding="utf-8").startswith("First Name,")
    assert Contact.objects.get().email == "ann@example.com"


def test_cli_dry_run_previews_and_writes_nothing(admin: Any, tmp_path: Path) -> None:
    out = _run(str(_file(tmp_path, ROWS)), "--dry-run")

    assert "Would create 1, update 0, skip 0; 1 invalid." in out
    assert "row 1: created" in out and "emails=['ann@example.com']" in out
    assert not Contact.objects.exists()
    assert not ImportJob.objects.exists()


def test_cli_json_report_and_map_override(admin: Any, tmp_path: Path) -> None:
    out = _run(
        str(_file(tmp_path, ROWS)), "--json", "--map", "Job Title=ignore", "--map", "Last Name=city"
    )

    report = json.loads(out)
    assert (report["created"], report["invalid"]) == (1, 1)
    assert report["mapping"]["Last Name"] == "city"
    assert "Job Title" not in report["mapping"]
    assert Contact.objects.get().city == "Lee"


def test_cli_undo(admin: Any, tmp_path: Path) -> None:
    _run(str(_file(tmp_path, ROWS)))
    job = ImportJob.objects.get()

    out = _run("undo", str(job.pk))

    assert "1 contacts deleted" in out
    assert not Contact.objects.exists()


def test_cli_refuses_opted_in_without_confirmation(admin: Any, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="Opted In"):
        _run(str(_file(tmp_path, ROWS)), "--defaults", "consent_status=opted_in")
    assert not Contact.objects.exists()
    out = _run(
        str(_file(tmp_path, ROWS)),
        "--defaults",
        "consent_status=opted_in",
        "--confirm-opted-in",
    )
    assert "1 created" in out
    assert Contact.objects.get().consent_status == "opted_in"


def test_cli_refuses_a_rep(alice: Any, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="managers and admins"):
        _run(str(_file(tmp_path, ROWS)), "--as", alice.email)


def test_cli_missing_file_is_one_clear_line(admin: Any, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="No file at"):
        _run(str(tmp_path / "missing.csv"))


def test_cli_map_ignore_by_number_or_other_spelling_drops_the_suggested_field(
    admin: Any, tmp_path: Path
) -> None:
    # Column 5 is "Job Title"; "last name" is "Last Name" spelled in lower case. Both are
    # suggested fields, and --map names a column by number or header text, so both go.
    out = _run(str(_file(tmp_path, ROWS)), "--json", "--map", "5=ignore", "--map", "last name=")

    report = json.loads(out)
    assert "Job Title" not in report["mapping"]
    assert "Last Name" not in report["mapping"]
    contact = Contact.objects.get()
    assert (contact.last_name, contact.job_title) == ("", "")


def test_cli_json_report_of_an_import_that_failed_exits_with_status_1(
    admin: Any, tmp_path: Path, monkeypatch: Any
) -> None:
    from peoplebase.imports import cleaners

    def broken(row: Any, ctx: Any) -> None:
        raise ValueError("cleaner broke")

    monkeypatch.setattr(cleaners, "prepare", broken)
    out = io.StringIO()

    with pytest.raises(SystemExit) as exit_:
        call_command("import", str(_file(tmp_path, ROWS)), "--json", stdout=out)

    assert exit_.value.code == 1
    report = json.loads(out.getvalue())
    assert report["status"] == "failed" and "cleaner broke" in report["error"]


def test_cli_map_keeps_columns_whose_headers_differ_only_by_accents(
    admin: Any, tmp_path: Path
) -> None:
    rows = [["Prénom", "Prenom", "Email"], ["Ann", "Lee", "ann@example.com"]]

    out = _run(
        str(_file(tmp_path, rows)), "--json", "--map", "Prénom=first_name", "--map", "Prenom=city"
    )

    assert json.loads(out)["mapping"] == {
        "Prénom": "first_name",
        "Prenom": "city",
        "Email": "emails",
    }
    contact = Contact.objects.get()
    assert (contact.first_name, contact.city) == ("Ann", "Lee")


def test_cli_map_to_a_suggested_field_takes_it_from_the_suggested_column(
    admin: Any, tmp_path: Path
) -> None:
    # "Title" is suggested as the job title; --map gives the job title another column.
    rows = [["Title", "Name", "Email", "Role Title"], ["Mr.", "Ann Lee", "ann@example.com", "CTO"]]

    out = _run(str(_file(tmp_path, rows)), "--json", "--map", "Role Title=job_title")

    assert json.loads(out)["mapping"] == {
        "Name": "full_name",
        "Email": "emails",
        "Role Title": "job_title",
    }
    assert Contact.objects.get().job_title == "CTO"
