"""The deduplication review queue in a real browser: scan, see the pair, merge it or dismiss it."""

from __future__ import annotations

import re
from typing import Any

import pytest

from peoplebase.contacts.models import Contact
from peoplebase.duplicates.models import DuplicateSuggestion, NotDuplicate

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_scan_then_dismiss_a_pair_from_the_queue(
    signed_in_page: Any, manager: Any, make_contact: Any
) -> None:
    a = make_contact(manager, full_name="Robert Jansen", emails=["rj@acme.com"])
    b = make_contact(manager, full_name="Bob Jansen", emails=["rj@acme.com"])
    page = signed_in_page(manager)
    page.goto("/duplicates/")
    page.get_by_role("link", name="Deduplication").wait_for()
    page.click("button:has-text('Scan for duplicates')")
    pair = page.locator("section.duplicate-pair")
    pair.wait_for()
    assert "same email rj@acme.com" in pair.inner_text()
    merge = pair.get_by_role("link", name="Merge")
    assert merge.get_attribute("href") == (
        f"/contacts/merge/?ids={a.pk}&ids={b.pk}&next=%2Fduplicates%2F"
    )
    pair.get_by_role("button", name="Not a duplicate").click()
    page.get_by_text("No duplicate pairs to review").wait_for()
    assert NotDuplicate.objects.filter(contact_a=a, contact_b=b).exists()


def test_merge_a_suggested_pair_from_the_queue(
    signed_in_page: Any, manager: Any, make_contact: Any
) -> None:
    keep = make_contact(manager, full_name="Robert Jansen", job_title="CTO", emails=["rj@acme.com"])
    dup = make_contact(manager, full_name="Bob Jansen", job_title="VP", emails=["rj@acme.com"])
    page = signed_in_page(manager)
    page.goto("/duplicates/")
    page.click("button:has-text('Scan for duplicates')")
    pair = page.locator("section.duplicate-pair")
    pair.wait_for()

    pair.get_by_role("link", name="Merge").click()  # the merge page for the suggested pair
    page.wait_for_url(re.compile(r"/contacts/merge/\?"))
    assert "Bob Jansen" in page.content() and "Robert Jansen" in page.content()
    page.get_by_label(re.compile("I have checked the values")).check()
    page.get_by_role("button", name="Merge contacts").click()

    page.wait_for_url(re.compile(r"/duplicates/$"))  # back to the queue, which is now empty
    page.get_by_text("No duplicate pairs to review").wait_for()
    assert not Contact.objects.filter(pk=dup.pk).exists()
    assert Contact.objects.get(pk=keep.pk).job_title == "CTO"
    assert not DuplicateSuggestion.objects.exists()

    page.goto(f"/contacts/{dup.pk}/")  # the duplicate's old address leads to the survivor
    page.wait_for_url(re.compile(rf"/contacts/{keep.pk}/$"))
    assert page.locator("h1").inner_text() == "Robert Jansen"
