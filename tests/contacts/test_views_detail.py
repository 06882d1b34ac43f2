"""The contact page: profile, accounts, tags, custom fields, consent, timeline and history."""

from __future__ import annotations

import datetime as dt
import html
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from peoplebase.activities.services import add_note
from peoplebase.companies.services import add_account_relation
from peoplebase.contacts.services import set_archived, update_contact
from peoplebase.customfields.services import create_definition


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def detail_url(contact: Any) -> str:
    return reverse("contacts:contact_detail", args=[contact.pk])


@pytest.fixture
def full_contact(alice: Any, admin: Any, make_contact: Any, make_company: Any) -> Any:
    create_definition(admin, {"label": "Budget", "field_type": "number"})
    create_definition(
        admin, {"label": "Region", "field_type": "single_select", "options": ["EU", "US"]}
    )
    create_definition(admin, {"label": "Newsletter", "field_type": "boolean"})
    acme = make_company(alice, name="Acme Inc")
    return make_contact(
        alice,
        full_name="Jane Doe",
        job_title="CTO",
        department="Engineering",
        seniority="c_level",
        role="decision_maker",
        lead_score=72,
        source="Webinar",
        company_id=acme.pk,
        emails=[
            {"email": "jane@acme.com", "kind": "work", "is_primary": True},
            {
                "email": "jane@home.net",
                "kind": "personal",
                "is_bounced": True,
                "is_opted_out": True,
            },
        ],
        phones=[
            {"number": "+14155550100", "kind": "mobile"},
            {"number": "ext. 12", "kind": "work"},
        ],
        linkedin_url="https://www.linkedin.com/in/janedoe",
        twitter_handle="@janedoe",
        street="1 Main St",
        city="Berlin",
        postal_code="10115",
        country="DE",
        consent_status="opted_in",
        consent_type="explicit",
        consent_source="Signup form",
        gdpr_basis="consent",
        tags=["VIP", "Board"],
        custom_fields={"budget": 5000, "newsletter": True},
    )


def test_detail_shows_the_profile(full_contact: Any, alice: Any) -> None:
    response = signed_in(alice).get(detail_url(full_contact))
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count("<h1") == 1
    assert "<title>Jane Doe · Peoplebase</title>" in body
    for text in ("CTO", "Engineering", "C-level", "Decision Maker", "Webinar", "72", "Alice Rep"):
        assertContains(response, text)
    assertContains(response, '<span class="badge badge-active">Active</span>')


def test_detail_shows_emails_with_flags_and_formatted_phones(full_contact: Any, alice: Any) -> None:
    response = signed_in(alice).get(detail_url(full_contact))
    assertContains(response, "jane@acme.com")
    assertContains(response, "jane@home.net")
    assertContains(response, "Bounced")
    assertContains(response, "Opted out")
    assertContains(response, "+1 415-555-0100")
    assertContains(response, "Unverified", count=1)
    assertContains(response, "ext. 12")


def test_detail_shows_links_address_and_country_name(full_contact: Any, alice: Any) -> None:
    response = signed_in(alice).get(detail_url(full_contact))
    assertContains(response, "linkedin.com/in/janedoe")
    assertContains(response, "@janedoe")
    assertContains(response, "1 Main St")
    assertContains(response, "10115 Berlin")
    assertContains(response, "Germany")


def test_detail_shows_tags_custom_fields_and_consent(full_contact: Any, alice: Any) -> None:
    response = signed_in(alice).get(detail_url(full_contact))
    body = response.content.decode()
    assert '<li class="tag">Board' in body and '<li class="tag">VIP' in body
    assertContains(response, "<dt>Budget</dt>\n        <dd>5000</dd>", html=False)
    assertContains(response, "<dt>Region</dt>\n        <dd>—</dd>", html=False)
    assertContains(response, "<dt>Newsletter</dt>\n        <dd>Yes</dd>", html=False)
    assertContains(response, '<span class="badge badge-active">Opted In</span>')
    assertContains(response, "Explicit")
    assertContains(response, "Signup form")
    assertContains(response, "<dt>GDPR basis</dt><dd>Consent</dd>")


def test_detail_shows_employer_and_other_accounts(
    full_contact: Any, alice: Any, make_company: Any
) -> None:
    board = make_company(alice, name="Board Co")
    add_account_relation(alice, full_contact, board, "Advisor")
    response = signed_in(alice).get(detail_url(full_contact))
    assertContains(response, "Acme Inc")
    assertContains(response, "Board Co")
    assertContains(response, "(Advisor)")
    assertContains(response, reverse("contacts:relation_add", args=[full_contact.pk]))


def test_timeline_lists_notes_newest_first(full_contact: Any, alice: Any) -> None:
    add_note(alice, full_contact, "First call went well", timezone.now() - dt.timedelta(days=2))
    add_note(alice, full_contact, "Sent the proposal")
    body = signed_in(alice).get(detail_url(full_contact)).content.decode()
    assert body.index("Sent the proposal") < body.index("First call went well")


def test_timeline_filters_by_kind(full_contact: Any, alice: Any, make_company: Any) -> None:
    add_note(alice, full_contact, "A plain note")
    client = signed_in(alice)
    notes = client.get(detail_url(full_contact), {"kind": "note"})
    assertContains(notes, "A plain note")
    calls = client.get(detail_url(full_contact), {"kind": "call"})
    assertNotContains(calls, "A plain note")
    assertContains(calls, "No activity of this kind.")


def test_unknown_timeline_kind_shows_a_message(full_contact: Any, alice: Any) -> None:
    add_note(alice, full_contact, "A plain note")
    response = signed_in(alice).get(detail_url(full_contact), {"kind": "bogus"})
    assert response.status_code == 200
    assertContains(response, "Unknown activity type")
    assertContains(response, "A plain note")


def test_timeline_pages_to_older_entries(full_contact: Any, alice: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr("peoplebase.contacts.views.detail.TIMELINE_PAGE_SIZE", 2)
    now = timezone.now()
    for i in range(3):
        add_note(alice, full_contact, f"Note number {i}", now - dt.timedelta(hours=i))
    client = signed_in(alice)
    first = client.get(detail_url(full_contact))
    assertContains(first, "Note number 0")
    assertNotContains(first, "Note number 2")
    older_link = re.search(r'<a href="([^"]*)" rel="next">Older', first.content.decode())
    assert older_link is not None
    older = client.get(detail_url(full_contact) + html.unescape(older_link.group(1)))
    assertContains(older, "Note number 2")
    assertNotContains(older, "Note number 0")


def test_bad_timeline_cursor_shows_a_message_and_the_newest_entries(
    full_contact: Any, alice: Any
) -> None:
    add_note(alice, full_contact, "Latest note")
    response = signed_in(alice).get(detail_url(full_contact), {"tl_cursor": "garbage"})
    assert response.status_code == 200
    assertContains(response, "This page link has expired or is not valid")
    assertContains(response, "Latest note")


def test_history_shows_who_changed_which_field(full_contact: Any, alice: Any, manager: Any) -> None:
    update_contact(manager, full_contact, {"job_title": "CEO"})
    response = signed_in(alice).get(detail_url(full_contact))
    body = response.content.decode()
    history = body[body.index('id="history-heading"') :]
    assert "Mona Manager" in history
    assert "<td>Job title</td>" in history
    assert "<del>CTO</del> → <ins>CEO</ins>" in history
    assert "Created" in history


def test_owner_sees_actions_and_forms(full_contact: Any, alice: Any) -> None:
    response = signed_in(alice).get(detail_url(full_contact))
    assertContains(response, reverse("contacts:contact_edit", args=[full_contact.pk]))
    assertContains(response, reverse("contacts:contact_archive", args=[full_contact.pk]))
    assertContains(response, reverse("contacts:contact_delete", args=[full_contact.pk]))
    assertContains(response, reverse("contacts:contact_job_change", args=[full_contact.pk]))
    assertContains(response, reverse("contacts:contact_tag_add", args=[full_contact.pk]))
    assertContains(response, reverse("contacts:note_add", args=[full_contact.pk]))


def test_rep_sees_no_edit_actions_on_someone_elses_contact(full_contact: Any, bob: Any) -> None:
    response = signed_in(bob).get(detail_url(full_contact))
    assert response.status_code == 200
    assertNotContains(response, reverse("contacts:contact_edit", args=[full_contact.pk]))
    assertNotContains(response, reverse("contacts:contact_delete", args=[full_contact.pk]))
    assertNotContains(response, reverse("contacts:contact_tag_add", args=[full_contact.pk]))
    # Any rep may still add notes to contacts they can see.
    assertContains(response, reverse("contacts:note_add", args=[full_contact.pk]))


def test_reader_sees_no_actions_and_no_note_form(full_contact: Any, reader: Any) -> None:
    response = signed_in(reader).get(detail_url(full_contact))
    assert response.status_code == 200
    assertContains(response, "Jane Doe")
    assertNotContains(response, reverse("contacts:contact_edit", args=[full_contact.pk]))
    assertNotContains(response, reverse("contacts:note_add", args=[full_contact.pk]))


def test_archived_contact_says_so_and_offers_restore(full_contact: Any, alice: Any) -> None:
    set_archived(alice, full_contact, True)
    response = signed_in(alice).get(detail_url(full_contact))
    assertContains(response, "This contact is archived")
    assertContains(response, reverse("contacts:contact_restore", args=[full_contact.pk]))


@pytest.mark.parametrize("path", ["/contacts/abc/", "/contacts/999999/"])
def test_missing_or_malformed_contact_is_404(alice: Any, path: str) -> None:
    assert signed_in(alice).get(path).status_code == 404


def test_missing_contact_renders_the_not_found_page(alice: Any) -> None:
    response = signed_in(alice).get("/contacts/999999/")
    assertContains(response, "Not found", status_code=404)
    assertContains(response, "No contact with id 999999.", status_code=404)


def test_anonymous_user_cannot_open_a_contact(client: Client, full_contact: Any) -> None:
    response = client.get(detail_url(full_contact))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("web:login"))


def test_detail_output_is_escaped(alice: Any, make_contact: Any) -> None:
    contact = make_contact(
        alice, full_name="<script>alert(1)</script>", job_title="<b>boss</b>", tags=["<i>x</i>"]
    )
    add_note(alice, contact, "<img src=x onerror=alert(2)>")
    response = signed_in(alice).get(detail_url(contact))
    assertNotContains(response, "<script>alert(1)</script>")
    assertNotContains(response, "<b>boss</b>")
    assertNotContains(response, "<img src=x")
    assertContains(response, "&lt;script&gt;alert(1)&lt;/script&gt;")
    assertContains(response, "&lt;img src=x onerror=alert(2)&gt;")
