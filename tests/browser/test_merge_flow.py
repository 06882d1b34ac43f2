"""A manager merges a duplicate from the contact page, then undoes it, in a real browser."""

from __future__ import annotations

import re
from typing import Any

import pytest

from peoplebase.contacts.models import Contact
from peoplebase.merges.models import ContactTombstone

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_merge_from_the_contact_page_then_undo(
    signed_in_page: Any, manager: Any, make_contact: Any
) -> None:
    ann = make_contact(manager, full_name="Annabel Quist", job_title="CTO", emails=["aq@x.com"])
    dup = make_contact(
        manager, full_name="Annabel Q", job_title="VP", emails=["annabel@y.com"], tags=["beta"]
    )
    page = signed_in_page(manager)

    page.goto(f"/contacts/{ann.pk}/")
    page.get_by_role("link", name="Merge", exact=True).click()
    page.fill("input[name=q]", "annabel@y.com")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name=re.compile("Add Annabel Q")).click()
    page.get_by_label(f"Job title from #{dup.pk}").check()
    page.get_by_label(re.compile("I have checked the values")).check()
    page.get_by_role("button", name="Merge contacts").click()

    page.wait_for_url(re.compile(rf"/contacts/{ann.pk}/$"))
    assert "Merged 1 contact(s)" in page.content()
    survivor = Contact.objects.get(pk=ann.pk)
    assert survivor.job_title == "VP"
    assert sorted(survivor.emails.values_list("email", flat=True)) == ["annabel@y.com", "aq@x.com"]
    assert ContactTombstone.objects.filter(old_id=dup.pk).exists()

    page.goto(f"/contacts/{dup.pk}/")
    page.wait_for_url(re.compile(rf"/contacts/{ann.pk}/$"))
    page.get_by_role("button", name="Undo", exact=True).click()
    page.wait_for_url(re.compile(rf"/contacts/{ann.pk}/$"))
    assert "Merge undone" in page.content()
    assert Contact.objects.get(pk=dup.pk).job_title == "VP"
    assert Contact.objects.get(pk=ann.pk).job_title == "CTO"
