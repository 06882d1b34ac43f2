"""Erasing a person from their contact page, through the confirmation, in Chromium."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from peoplebase.compliance.jobs import run_erasure_job
from peoplebase.compliance.models import ErasureJob
from peoplebase.compliance.services import is_suppressed
from peoplebase.contacts.models import Contact


def test_erase_personal_data_after_a_wrong_confirmation(
    signed_in_page: Any, admin: Any, make_contact: Any, settings: Any, tmp_path: Path
) -> None:
    settings.DATA_DIR = tmp_path
    person = make_contact(admin, full_name="Browser Person", emails=["browser.person@example.org"])
    page = signed_in_page(admin)
    page.goto(f"/contacts/{person.pk}/")
    page.get_by_role("link", name="Erase personal data").click()
    page.wait_for_url(f"**/contacts/{person.pk}/erase/")

    page.get_by_label("Type the contact's name or email address to confirm").fill("Someone Else")
    page.get_by_label("Reason").fill("Request by letter, 5 Dec")
    page.get_by_role("button", name="Erase for good").click()
    page.get_by_text("That is not this contact's name or email address.").wait_for()
    assert Contact.objects.filter(pk=person.pk).exists()

    page.get_by_label("Type the contact's name or email address to confirm").fill("browser person")
    page.get_by_label("Block these email addresses from being added or imported again").check()
    page.get_by_role("button", name="Erase for good").click()
    page.wait_for_url(re.compile(r"/settings/compliance/erasures/\d+/$"))
    page.wait_for_selector("#erasure-status:has-text('Queued')")
    assert Contact.objects.filter(pk=person.pk).exists()  # nothing ran in the request
    run_erasure_job(ErasureJob.objects.get().pk)  # the worker's part; the page polls
    page.wait_for_selector("#erasure-status:has-text('Done')")
    page.get_by_text(f"Erased contact #{person.pk}").wait_for()
    page.get_by_role("link", name="Erasure log").click()
    page.wait_for_url("**/settings/compliance/")
    assert "Request by letter, 5 Dec" in page.content()
    assert not Contact.objects.filter(pk=person.pk).exists()
    assert is_suppressed("browser.person@example.org")
