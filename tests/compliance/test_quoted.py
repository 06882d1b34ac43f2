"""Erasure against the real imports model, and the person quoted in other records' free text."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from peoplebase.activities.models import Activity, ActivityKind
from peoplebase.activities.services import log_activity
from peoplebase.companies.models import Company
from peoplebase.compliance.services import erase_contact
from peoplebase.contacts.models import Contact
from peoplebase.imports import services as imports
from peoplebase.imports.models import ImportRow, RowOutcome
from tests.compliance.conftest import EMAIL, PHONE_E164, PHONE_TYPED, traces_in_database

HEADER = ["First Name", "Last Name", "Email", "Email 2", "Phone"]


def _import(actor: Any, rows: list[list[str]]) -> Any:
    out = io.StringIO()
    csv.writer(out).writerows([HEADER, *rows])
    job = imports.create_import(actor, io.BytesIO(out.getvalue().encode()), "people.csv")
    job = imports.set_mapping(
        actor,
        job,
        {
            "First Name": "first_name",
            "Last Name": "last_name",
            "Email": "emails",
            "Email 2": "emails",
            "Phone": "phones",
        },
    )
    return imports.run_import_now(actor, job)


def _cells_text() -> str:
    return " ".join(str(cells) for cells in ImportRow.objects.values_list("cells", flat=True))


def test_erasure_removes_the_person_from_past_import_rows_and_rejected_files(
    admin: Any, data_dir: Path
) -> None:
    job = _import(
        admin,
        [
            ["Jane", "Erased", EMAIL, "", PHONE_TYPED],  # creates her contact
            ["Jane", "Erased", EMAIL.lower(), "", ""],  # same email in the file: skipped
            ["Jane", "Erased", EMAIL, "not-an-email", PHONE_TYPED],  # invalid
            ["Olga", "Other", "olga.other@example.net", "", ""],
            ["Olga", "Other", "olga.second@example.net", "also-bad", ""],  # invalid
        ],
    )
    assert (job.created, job.skipped, job.invalid) == (2, 1, 2)
    rejected = Path(job.rejected_path)
    assert EMAIL in rejected.read_text(encoding="utf-8")
    assert "Erased" in _cells_text()
    jane = Contact.objects.get(emails__email=EMAIL.lower())

    erase_contact(admin, jane, reason="request", suppress=False)

    cells = _cells_text().lower().replace("[erased]", "")  # the marker spells her name
    for value in (EMAIL, PHONE_TYPED, PHONE_E164, "jane", "erased"):
        assert value.lower() not in cells, value
    assert traces_in_database([EMAIL, PHONE_E164, PHONE_TYPED, "Jane Erased"]) == []
    # Olga's rows are untouched, with their cells for the fix-up file.
    olga = ImportRow.objects.get(job=job, outcome=RowOutcome.INVALID, cells__icontains="olga")
    assert olga.cells == ["Olga", "Other", "olga.second@example.net", "also-bad", ""]
    records = list(csv.reader(io.StringIO(rejected.read_text(encoding="utf-8"), newline="")))
    assert [r[:2] for r in records] == [HEADER[:2], ["Olga", "Other"]]
    # The row that created her still says what happened, without saying who.
    created = ImportRow.objects.get(job=job, row_number=1)
    assert created.outcome == RowOutcome.CREATED and created.contact_id is None


def test_quoted_name_email_and_phone_in_other_records(
    make_contact: Any, make_company: Any, admin: Any, data_dir: Path
) -> None:
    jane = make_contact(
        admin,
        full_name="Jane Erased",
        first_name="Jane",
        last_name="Erased",
        emails=[EMAIL],
        phones=[PHONE_TYPED],
    )
    other = make_contact(admin, full_name="Olga Other", emails=["olga@example.net"])
    namesake = make_contact(
        admin, full_name="Jane Erased", emails=["the.other.jane@example.net"], job_title="CFO"
    )
    quoting = log_activity(
        kind=ActivityKind.NOTE,
        contact=other,
        actor=admin,
        body=f"Olga introduced Jane Erased ({EMAIL}); call her on {PHONE_TYPED}.",
    )
    name_only = log_activity(
        kind=ActivityKind.NOTE, contact=other, actor=admin, body="Jane Erased spoke first."
    )
    company = make_company(
        admin, name="Quote Corp", description=f"Buyer: JANE ERASED <{EMAIL.lower()}>"
    )

    erase_contact(admin, jane, reason="request", suppress=False)

    assert Activity.objects.get(pk=quoting.pk).body == (
        "Olga introduced [erased] ([erased]); call her on [erased]."
    )
    # A name alone proves nothing: it may be someone else's (see docs/gdpr.md).
    assert Activity.objects.get(pk=name_only.pk).body == "Jane Erased spoke first."
    assert Company.objects.get(pk=company.pk).description == "Buyer: [erased] <[erased]>"
    kept = Contact.objects.get(pk=namesake.pk)
    assert (kept.full_name, kept.job_title) == ("Jane Erased", "CFO")
    assert traces_in_database([EMAIL, PHONE_TYPED, PHONE_E164]) == []
