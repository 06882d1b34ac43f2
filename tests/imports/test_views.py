"""The import wizard pages: upload, map, options, preview, run, report, undo; who may not."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from peoplebase.contacts.models import Contact
from peoplebase.imports.models import ImportJob, ImportStatus
from peoplebase.imports.services import run_import
from tests.conftest import PASSWORD
from tests.imports.conftest import HEADER, csv_bytes

ROWS = [
    HEADER,
    ["Ann", "Lee", "ann@example.com", "", "Acme", ""],
    ["Bad", "Row", "nope", "", "", ""],
]


def _client(user: Any) -> Client:
    client = Client()
    client.login(email=user.email, password=PASSWORD)
    return client


def test_wizard_from_upload_to_report_and_undo(manager: Any) -> None:
    client = _client(manager)
    response = client.post(
        "/contacts/import/", {"file": SimpleUploadedFile("people.csv", csv_bytes(ROWS))}
    )
    job = ImportJob.objects.get()
    assert response.url == f"/contacts/import/{job.pk}/map/"

    page = client.get(response.url).content.decode()
    assert "ann@example.com" in page and 'value="emails" selected' in page
    mapping = {"col0": "first_name", "col1": "last_name", "col2": "emails", "col4": "company_name"}
    assert client.post(response.url, mapping).status_code == 302
    options = client.post(
        f"/contacts/import/{job.pk}/options/", {"duplicate_policy": "skip", "tags": "fair"}
    )
    assert options.url == f"/contacts/import/{job.pk}/preview/"
    preview = client.get(options.url).content.decode()
    assert "Will create</dt><dd>1" in preview
    client.post(options.url)
    run_import(job.pk)

    report = client.get(f"/contacts/import/{job.pk}/").content.decode()
    assert "Download rejected rows" in report and "emails.0.email" in report
    assert client.get(f"/contacts/import/{job.pk}/rejected.csv").status_code == 200
    client.post(f"/contacts/import/{job.pk}/undo/")
    assert not Contact.objects.exists()


def test_opted_in_without_confirmation_stays_on_the_page(manager: Any, upload: Any) -> None:
    job = upload(manager, ROWS)

    response = _client(manager).post(
        f"/contacts/import/{job.pk}/options/",
        {"duplicate_policy": "skip", "consent_status": "opted_in"},
    )

    assert response.status_code == 200
    assert "confirm" in response.content.decode()
    job.refresh_from_db()
    assert job.defaults.get("consent_status") is None


def test_bad_upload_shows_a_message_not_a_500(manager: Any) -> None:
    response = _client(manager).post(
        "/contacts/import/", {"file": SimpleUploadedFile("junk.xlsx", b"not a spreadsheet")}
    )

    assert response.status_code == 200
    assert not ImportJob.objects.exists()


def test_read_only_user_cannot_upload(reader: Any) -> None:
    client = _client(reader)

    page = client.get("/contacts/import/").content.decode()
    response = client.post(
        "/contacts/import/", {"file": SimpleUploadedFile("people.csv", csv_bytes(ROWS))}
    )

    assert "Only managers and admins" in page
    assert response.status_code == 403
    assert not ImportJob.objects.exists()


def test_someone_elses_import_page_is_404(manager: Any, admin: Any, upload: Any) -> None:
    job = upload(admin, ROWS)

    assert _client(manager).get(f"/contacts/import/{job.pk}/map/").status_code == 404


def test_progress_partial_for_htmx(manager: Any, upload: Any) -> None:
    job = upload(manager, ROWS)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.RUNNING, total_rows=2)

    response = _client(manager).get(f"/contacts/import/{job.pk}/", HTTP_HX_REQUEST="true")

    assert 'hx-trigger="every 1s"' in response.content.decode()


def test_progress_says_when_every_row_is_written_and_the_job_is_finishing(
    manager: Any, upload: Any
) -> None:
    job = upload(manager, ROWS)
    jobs = ImportJob.objects.filter(pk=job.pk)
    jobs.update(status=ImportStatus.RUNNING, total_rows=2, processed_rows=1)
    client = _client(manager)

    halfway = client.get(f"/contacts/import/{job.pk}/", HTTP_HX_REQUEST="true").content.decode()
    jobs.update(processed_rows=2)
    finishing = client.get(f"/contacts/import/{job.pk}/", HTTP_HX_REQUEST="true").content.decode()

    assert "finishing" not in halfway
    assert "2 of 2 rows: all written, finishing (indexes and statistics)" in finishing


def test_contact_page_shows_the_import_it_came_from(manager: Any, upload: Any, run: Any) -> None:
    job = run(manager, upload(manager, ROWS))
    contact = Contact.objects.get()

    page = _client(manager).get(f"/contacts/{contact.pk}/").content.decode()

    assert f"people.csv</a>, row 1 (import #{job.pk})" in page


def test_nul_characters_in_the_wizards_fields_are_refused_not_a_500(
    manager: Any, upload: Any
) -> None:
    # The wizard reads its fields straight from the form; PostgreSQL cannot store NUL.
    job = upload(manager, ROWS)
    client = _client(manager)

    options = client.post(
        f"/contacts/import/{job.pk}/options/", {"duplicate_policy": "skip", "source": "a\x00b"}
    )
    mapping = client.post(
        f"/contacts/import/{job.pk}/map/", {"col2": "emails", "save_as": "Mine\x00"}
    )

    saved = client.post(f"/contacts/import/{job.pk}/map/", {"saved_mapping": "Mine\x00"})

    assert saved.status_code == 404
    assert options.status_code == 200 and "NUL" in options.content.decode()
    assert mapping.status_code == 200 and "NUL" in mapping.content.decode()
    job.refresh_from_db()
    assert "source" not in job.defaults
