"""What a rep does in a real browser: sign in, capture a contact, heed a duplicate warning,
note a conversation, and convert a qualified lead."""

from __future__ import annotations

import re
from typing import Any

import pytest

from peoplebase.activities.models import ActivityKind
from peoplebase.contacts.models import Contact
from peoplebase.leads.models import LeadStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_wrong_password_is_refused_then_sign_in_works(page: Any, alice: Any) -> None:
    page.goto("/contacts/")
    assert "/login/" in page.url
    page.fill("input[name=username]", alice.email)
    page.fill("input[name=password]", "not the password")
    page.click("button[type=submit]")
    assert page.get_by_role("alert").is_visible()
    page.fill("input[name=password]", "correct horse battery staple")
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/contacts/$"))
    assert page.locator("h1").inner_text() == "Contacts"


def test_create_contact_after_fixing_validation_errors(signed_in_page: Any, alice: Any) -> None:
    page = signed_in_page(alice)
    page.goto("/contacts/new/")
    page.fill("input[name=full_name]", "Dr. Margaret van der Berg")
    page.fill("input[name=emails-0-email]", "margaret@")
    page.fill("input[name=phones-0-number]", "(415) 555-0132")
    page.fill("input[name=lead_score]", "150")
    page.click("button:has-text('Create contact')")

    email_error = page.locator(".field.has-error", has=page.locator("[name=emails-0-email]"))
    assert "valid email" in email_error.inner_text()
    score_error = page.locator(".field.has-error", has=page.locator("[name=lead_score]"))
    assert "0 to 100" in score_error.inner_text()
    assert page.input_value("input[name=full_name]") == "Dr. Margaret van der Berg"
    assert Contact.objects.count() == 0

    page.fill("input[name=emails-0-email]", "Margaret.Berg@Example.COM")
    page.fill("input[name=lead_score]", "70")
    page.click("button:has-text('Create contact')")

    page.wait_for_url(re.compile(r"/contacts/\d+/$"))
    assert page.locator("h1").inner_text() == "Dr. Margaret van der Berg"
    contact = Contact.objects.get()
    assert (contact.first_name, contact.last_name) == ("Margaret", "van der Berg")
    assert contact.email == "margaret.berg@example.com"
    assert contact.phone == "+14155550132"
    assert contact.lead_score == 70


def test_duplicate_warning_while_typing_then_create_anyway(
    signed_in_page: Any, alice: Any, make_contact: Any
) -> None:
    existing = make_contact(alice, full_name="Ann Lee", emails=["ann@example.com"])
    page = signed_in_page(alice)
    page.goto("/contacts/new/")
    page.fill("input[name=full_name]", "Annie Lee")
    page.fill("input[name=emails-0-email]", "ANN@example.com")

    warning = page.locator("#duplicate-warning")
    warning.get_by_text("same email ann@example.com").wait_for()
    assert warning.get_by_role("link", name="Ann Lee").get_attribute("href") == (
        f"/contacts/{existing.pk}/"
    )

    warning.get_by_role("button", name="Create anyway").click()
    page.wait_for_url(re.compile(r"/contacts/\d+/$"))
    assert Contact.objects.count() == 2
    assert page.locator("h1").inner_text() == "Annie Lee"


def test_duplicate_warning_on_submit_without_waiting(
    signed_in_page: Any, alice: Any, make_contact: Any
) -> None:
    make_contact(alice, full_name="Kim Park", phones=["+1 415 555 0199"])
    page = signed_in_page(alice)
    page.goto("/contacts/new/")
    page.fill("input[name=full_name]", "K. Park")
    page.fill("input[name=phones-0-number]", "415-555-0199")
    page.click("button:has-text('Create contact')")
    page.locator("#duplicate-warning").get_by_text("same phone +14155550199").wait_for()
    assert Contact.objects.count() == 1


def test_add_a_note_to_the_timeline(signed_in_page: Any, alice: Any, make_contact: Any) -> None:
    contact = make_contact(alice, full_name="Ann Lee")
    page = signed_in_page(alice)
    page.goto(f"/contacts/{contact.pk}/")
    page.fill("textarea[name=body]", "Called: wants a demo next Tuesday.")
    page.click("button:has-text('Add note')")

    timeline = page.locator("#timeline")
    timeline.get_by_text("Called: wants a demo next Tuesday.").wait_for()
    assert contact.activities.get().kind == ActivityKind.NOTE


def test_convert_a_qualified_lead(signed_in_page: Any, alice: Any, make_lead: Any) -> None:
    lead = make_lead(
        alice,
        company_name="Beta Ltd",
        full_name="Ann Lee",
        email="ann@betaltd.co.uk",
        phone="+44 20 7946 0958",
        status="qualified",
    )
    page = signed_in_page(alice)
    page.goto(f"/leads/{lead.pk}/")
    page.get_by_role("link", name="Convert").click()
    page.get_by_role("button", name="Convert lead").click()

    page.wait_for_url(re.compile(r"/contacts/\d+/$"))
    lead.refresh_from_db()
    assert lead.status == LeadStatus.CONVERTED
    contact = lead.converted_contact
    assert page.url.endswith(f"/contacts/{contact.pk}/")
    assert contact.email == "ann@betaltd.co.uk" and contact.phone == "+442079460958"
    event = page.locator("#timeline li.event", has_text="Converted from lead")
    assert event.first.is_visible()
    assert page.get_by_role("link", name="Beta Ltd").first.is_visible()
