"""A manager imports a file through the wizard: upload, map, defaults, preview, run, report."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from peoplebase.contacts.models import Contact
from peoplebase.imports.models import ImportJob
from peoplebase.imports.services import run_import

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CSV = (
    "Full Name,E-mail Address,Mobile Phone,Company\n"
    "Zoë Ångström,ZOE@Example.com,(212) 555-0134,Acme\n"
    "Broken Row,not-an-email,,\n"
)


def test_import_wizard_from_upload_to_report_and_undo(
    signed_in_page: Any, manager: Any, tmp_path: Path, settings: Any
) -> None:
    settings.DATA_DIR = tmp_path
    source = tmp_path / "people.csv"
    source.write_text(CSV, encoding="utf-8")
    page = signed_in_page(manager)
    page.goto("/contacts/")
    page.click("a:has-text('Import')")
    page.set_input_files("input[name=file]", str(source))
    page.click("button:has-text('Upload and map columns')")

    page.wait_for_url(re.compile(r"/contacts/import/\d+/map/$"))
    assert page.input_value("select[name=col1]") == "emails"
    page.select_option("select[name=col3]", "company_name")
    page.click("button:has-text('Next: defaults and duplicates')")

    page.fill("input[name=tags]", "fair-2026")
    page.click("button:has-text('Next: preview')")
    counts = page.locator("#preview-counts").inner_text()
    assert re.search(r"Will create\s+1", counts) and re.search(r"Invalid\s+1", counts)
    assert "zoe@example.com" in page.locator("table").inner_text()
    assert "+12125550134" in page.locator("table").inner_text()
    page.click("button:has-text('Run the import')")

    page.wait_for_url(re.compile(r"/contacts/import/\d+/$"))
    run_import(ImportJob.objects.get().pk)  # the worker's part; the page polls for progress
    page.wait_for_selector("#import-status:has-text('Done')")
    page.reload()
    assert "emails.0.email" in page.locator("#import-rows").inner_text()
    with page.expect_download() as download:
        page.click("a:has-text('Download rejected rows')")
    assert "not-an-email" in Path(download.value.path()).read_text(encoding="utf-8")
    assert Contact.objects.get().full_name == "Zoë Ångström"

    page.click("button:has-text('Undo this import')")
    page.wait_for_selector("text=Undone on")
    assert not Contact.objects.exists()
