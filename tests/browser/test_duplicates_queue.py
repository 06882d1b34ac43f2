"""The deduplication review queue in a real browser: scan, see the pair, merge link, dismiss."""

from __future__ import annotations

from typing import Any

import pytest

from peoplebase.duplicates.models import NotDuplicate

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
