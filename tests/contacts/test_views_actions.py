"""Actions posted from the contact page: notes, tags, archive, delete, accounts and job change."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from peoplebase.activities.models import Activity, ActivityKind
from peoplebase.activities.services import add_note
from peoplebase.audit.services import history_for
from peoplebase.companies.models import AccountRelation
from peoplebase.companies.services import add_account_relation
from peoplebase.contacts.models import Contact
from peoplebase.contacts.services import tag_names, update_contact


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def url(name: str, *args: Any) -> str:
    return reverse(f"contacts:{name}", args=args)


@pytest.fixture
def janes(alice: Any, make_contact: Any) -> Contact:
    return make_contact(alice, full_name="Jane Doe", emails=["jane@acme.com"], tags=["VIP"])


# --- notes ------------------------------------------------------------------------------------


def test_adding_a_note_redirects_back_to_the_timeline(janes: Contact, alice: Any) -> None:
    response = signed_in(alice).post(
        url("note_add", janes.pk), {"body": "Called, left a voicemail"}
    )
    assert response.status_code == 302
    assert response["Location"] == janes.get_absolute_url() + "#timeline"
    note = Activity.objects.get(kind=ActivityKind.NOTE)
    assert (note.body, note.actor, note.contact) == ("Called, left a voicemail", alice, janes)


def test_any_rep_may_note_on_someone_elses_contact(janes: Contact, bob: Any) -> None:
    signed_in(bob).post(url("note_add", janes.pk), {"body": "Met at the fair"})
    assert Activity.objects.filter(kind=ActivityKind.NOTE, actor=bob).count() == 1


def test_reader_cannot_add_notes(janes: Contact, reader: Any) -> None:
    response = signed_in(reader).post(url("note_add", janes.pk), {"body": "Sneaky"})
    assert response.status_code == 403
    assert not Activity.objects.filter(kind=ActivityKind.NOTE).exists()


def test_empty_note_shows_an_error_message(janes: Contact, alice: Any) -> None:
    response = signed_in(alice).post(url("note_add", janes.pk), {"body": "  "}, follow=True)
    assertContains(response, "A note needs some text.")
    assert not Activity.objects.filter(kind=ActivityKind.NOTE).exists()


def test_htmx_note_returns_the_timeline_fragment(janes: Contact, alice: Any) -> None:
    response = signed_in(alice).post(
        url("note_add", janes.pk), {"body": "Quick note"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" not in body
    assert body.lstrip().startswith('<section class="card" id="timeline"')
    assert "Quick note" in body


def test_htmx_empty_note_keeps_the_form_with_an_error(janes: Contact, alice: Any) -> None:
    response = signed_in(alice).post(
        url("note_add", janes.pk), {"body": ""}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 422
    assertContains(response, 'id="note-body_error"', status_code=422)


@pytest.fixture
def alices_note(janes: Contact, alice: Any) -> Activity:
    return add_note(alice, janes, "Original text")


def test_author_edits_own_note(alices_note: Activity, alice: Any) -> None:
    client = signed_in(alice)
    form = client.get(url("note_edit", alices_note.pk))
    assertContains(form, "Original text")
    response = client.post(url("note_edit", alices_note.pk), {"body": "Better text"})
    assert response.status_code == 302
    alices_note.refresh_from_db()
    assert alices_note.body == "Better text"


def test_note_edit_returns_to_a_safe_next_url_only(alices_note: Activity, alice: Any) -> None:
    client = signed_in(alice)
    response = client.post(
        url("note_edit", alices_note.pk), {"body": "x", "next": "https://evil.example/"}
    )
    assert response["Location"] == alices_note.contact.get_absolute_url()


def test_other_rep_cannot_edit_or_delete_someone_elses_note(
    alices_note: Activity, bob: Any
) -> None:
    client = signed_in(bob)
    assert client.get(url("note_edit", alices_note.pk)).status_code == 403
    assert client.post(url("note_edit", alices_note.pk), {"body": "Mine"}).status_code == 403
    assert client.post(url("note_delete", alices_note.pk)).status_code == 403
    alices_note.refresh_from_db()
    assert alices_note.body == "Original text"


def test_other_rep_sees_no_edit_links_on_someone_elses_note(
    alices_note: Activity, janes: Contact, bob: Any, alice: Any
) -> None:
    assertNotContains(
        signed_in(bob).get(janes.get_absolute_url()), url("note_edit", alices_note.pk)
    )
    assertContains(signed_in(alice).get(janes.get_absolute_url()), url("note_edit", alices_note.pk))


def test_manager_may_edit_and_delete_anyones_note(alices_note: Activity, manager: Any) -> None:
    client = signed_in(manager)
    assert client.post(url("note_edit", alices_note.pk), {"body": "Tidied"}).status_code == 302
    response = client.post(url("note_delete", alices_note.pk))
    assert response.status_code == 302
    assert not Activity.objects.filter(pk=alices_note.pk).exists()


def test_author_deletes_own_note(alices_note: Activity, alice: Any) -> None:
    response = signed_in(alice).post(url("note_delete", alices_note.pk), follow=True)
    assertContains(response, "Note deleted.")
    assert not Activity.objects.filter(pk=alices_note.pk).exists()


def test_empty_note_edit_is_an_error_next_to_the_field(alices_note: Activity, alice: Any) -> None:
    response = signed_in(alice).post(url("note_edit", alices_note.pk), {"body": ""})
    assertContains(response, 'id="id_body_error"', status_code=422)


def test_note_endpoints_reject_get_and_unknown_ids(alices_note: Activity, alice: Any) -> None:
    client = signed_in(alice)
    assert client.get(url("note_delete", alices_note.pk)).status_code == 405
    assert client.post(url("note_delete", 999999)).status_code == 404


# --- tags -------------------------------------------------------------------------------------


def test_owner_adds_and_removes_tags(janes: Contact, alice: Any) -> None:
    client = signed_in(alice)
    response = client.post(url("contact_tag_add", janes.pk), {"tags": "Board, Renewal"})
    assert response.status_code == 302
    assert tag_names(janes) == ["Board", "Renewal", "VIP"]
    client.post(url("contact_tag_remove", janes.pk), {"tag": "vip"})
    assert tag_names(janes) == ["Board", "Renewal"]


def test_htmx_tag_add_returns_the_tags_fragment(janes: Contact, alice: Any) -> None:
    response = signed_in(alice).post(
        url("contact_tag_add", janes.pk), {"tags": "Board"}, HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<section class="card" id="tags"')
    assert "Board" in body and "VIP" in body


def test_htmx_tag_remove_returns_the_tags_fragment(janes: Contact, alice: Any) -> None:
    response = signed_in(alice).post(
        url("contact_tag_remove", janes.pk), {"tag": "VIP"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assertContains(response, "Removed VIP.")
    assertContains(response, "No tags.")
    assert tag_names(janes) == []


def test_too_long_tag_is_reported(janes: Contact, alice: Any) -> None:
    response = signed_in(alice).post(
        url("contact_tag_add", janes.pk), {"tags": "x" * 60}, HTTP_HX_REQUEST="true"
    )
    assertContains(response, "longer than 50 characters", status_code=422)
    assert tag_names(janes) == ["VIP"]


def test_rep_cannot_tag_someone_elses_contact(janes: Contact, bob: Any) -> None:
    client = signed_in(bob)
    assert client.post(url("contact_tag_add", janes.pk), {"tags": "Mine"}).status_code == 403
    assert client.post(url("contact_tag_remove", janes.pk), {"tag": "VIP"}).status_code == 403
    assert tag_names(janes) == ["VIP"]


# --- archive, restore, delete -----------------------------------------------------------------


def test_owner_archives_and_restores(janes: Contact, alice: Any) -> None:
    client = signed_in(alice)
    response = client.post(url("contact_archive", janes.pk), follow=True)
    assertContains(response, "Archived Jane Doe.")
    janes.refresh_from_db()
    assert janes.is_archived
    client.post(url("contact_restore", janes.pk))
    janes.refresh_from_db()
    assert not janes.is_archived


def test_archive_with_a_stale_version_changes_nothing(
    janes: Contact, alice: Any, manager: Any
) -> None:
    update_contact(manager, janes, {"job_title": "CEO"})
    response = signed_in(alice).post(
        url("contact_archive", janes.pk), {"version": "1"}, follow=True
    )
    assertContains(response, "Someone changed this contact meanwhile")
    janes.refresh_from_db()
    assert not janes.is_archived


def test_archive_ignores_a_version_that_is_not_a_number(janes: Contact, alice: Any) -> None:
    # "²" passes str.isdigit() but not int(); it must not crash the page.
    response = signed_in(alice).post(url("contact_archive", janes.pk), {"version": "²"})
    assert response.status_code == 302
    janes.refresh_from_db()
    assert janes.is_archived


def test_rep_cannot_archive_or_delete_someone_elses_contact(janes: Contact, bob: Any) -> None:
    client = signed_in(bob)
    assert client.post(url("contact_archive", janes.pk)).status_code == 403
    assert client.get(url("contact_delete", janes.pk)).status_code == 403
    assert client.post(url("contact_delete", janes.pk)).status_code == 403
    assert Contact.objects.filter(pk=janes.pk, is_archived=False).exists()


def test_delete_asks_for_confirmation_first(janes: Contact, alice: Any) -> None:
    response = signed_in(alice).get(url("contact_delete", janes.pk))
    assert response.status_code == 200
    assertContains(response, "<h1>Delete Jane Doe?</h1>")
    assertContains(response, "Delete permanently")
    assert Contact.objects.filter(pk=janes.pk).exists()


def test_confirmed_delete_removes_the_contact(janes: Contact, alice: Any) -> None:
    response = signed_in(alice).post(
        url("contact_delete", janes.pk), {"version": str(janes.version)}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("contacts:contact_list")
    assertContains(response, "Deleted Jane Doe.")
    assert not Contact.objects.filter(pk=janes.pk).exists()


def test_archive_and_delete_need_post_and_csrf(janes: Contact, alice: Any) -> None:
    assert signed_in(alice).get(url("contact_archive", janes.pk)).status_code == 405
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(alice)
    assert strict.post(url("contact_delete", janes.pk)).status_code == 403
    assert Contact.objects.filter(pk=janes.pk).exists()


# --- account relations ------------------------------------------------------------------------


def test_owner_links_and_unlinks_another_account(
    janes: Contact, alice: Any, make_company: Any
) -> None:
    board = make_company(alice, name="Board Co")
    client = signed_in(alice)
    response = client.post(
        url("relation_add", janes.pk), {"company": "board co", "role": "Advisor"}, follow=True
    )
    assertContains(response, "Linked to Board Co as Advisor.")
    relation = AccountRelation.objects.get()
    assert (relation.company, relation.role) == (board, "Advisor")
    client.post(url("relation_remove", relation.pk))
    assert not AccountRelation.objects.exists()


def test_linking_an_unknown_account_shows_an_error(janes: Contact, alice: Any) -> None:
    response = signed_in(alice).post(
        url("relation_add", janes.pk), {"company": "Nowhere", "role": "Advisor"}, follow=True
    )
    assertContains(response, "No company named")
    assert not AccountRelation.objects.exists()


def test_rep_cannot_change_accounts_of_someone_elses_contact(
    janes: Contact, alice: Any, bob: Any, make_company: Any
) -> None:
    board = make_company(alice, name="Board Co")
    relation = add_account_relation(alice, janes, board, "Advisor")
    client = signed_in(bob)
    add = client.post(url("relation_add", janes.pk), {"company": "Board Co", "role": "Investor"})
    assert add.status_code == 403
    assert client.post(url("relation_remove", relation.pk)).status_code == 403
    assert AccountRelation.objects.count() == 1


# --- job change -------------------------------------------------------------------------------


@pytest.fixture
def employed(alice: Any, make_contact: Any, make_company: Any) -> Contact:
    acme = make_company(alice, name="Acme Inc")
    return make_contact(
        alice,
        full_name="Jane Doe",
        company_id=acme.pk,
        job_title="CTO",
        emails=[
            {"email": "jane@acme.com", "kind": "work"},
            {"email": "jane@home.net", "kind": "personal"},
        ],
    )


def test_job_change_creates_a_linked_contact_at_the_new_company(
    employed: Contact, alice: Any, make_company: Any
) -> None:
    globex = make_company(alice, name="Globex")
    client = signed_in(alice)
    assertContains(client.get(url("contact_job_change", employed.pk)), "Job change for Jane Doe")
    response = client.post(
        url("contact_job_change", employed.pk),
        {"company": "Globex", "job_title": "CEO", "email": "Jane@Globex.com", "phone": ""},
        follow=True,
    )
    new = Contact.objects.get(company=globex)
    assert response.redirect_chain[-1][0] == new.get_absolute_url()
    assert new.previous_contact == employed
    assert new.job_title == "CEO"
    assert new.email == "jane@globex.com"
    assert sorted(new.emails.values_list("email", flat=True)) == [
        "jane@globex.com",
        "jane@home.net",
    ]
    assertContains(response, "Previously:")
    employed.refresh_from_db()
    assert employed.status == "inactive"
    assert employed.emails.filter(email="jane@acme.com").exists()
    old_page = client.get(employed.get_absolute_url())
    assertContains(old_page, "Later:")
    assertContains(old_page, "Moved from Acme Inc to Globex.")
    assert history_for(employed)[-1].action == "create"


def test_job_change_to_the_same_company_is_an_error_on_the_field(
    employed: Contact, alice: Any
) -> None:
    response = signed_in(alice).post(
        url("contact_job_change", employed.pk), {"company": "Acme Inc"}
    )
    assertContains(response, 'id="id_company_error"', status_code=422)
    assertContains(response, "current company", status_code=422)
    assert Contact.objects.count() == 1


def test_job_change_needs_a_known_company(employed: Contact, alice: Any) -> None:
    response = signed_in(alice).post(url("contact_job_change", employed.pk), {"company": ""})
    assertContains(response, 'id="id_company_error"', status_code=422)
    assert Contact.objects.count() == 1


def test_job_change_with_a_bad_email_keeps_the_input(
    employed: Contact, alice: Any, make_company: Any
) -> None:
    make_company(alice, name="Globex")
    response = signed_in(alice).post(
        url("contact_job_change", employed.pk), {"company": "Globex", "email": "nope"}
    )
    assertContains(response, 'id="id_email_error"', status_code=422)
    assertContains(response, 'value="nope"', status_code=422)
    assert Contact.objects.count() == 1


def test_rep_cannot_record_a_job_change_for_someone_elses_contact(
    employed: Contact, bob: Any, make_company: Any, alice: Any
) -> None:
    make_company(alice, name="Globex")
    client = signed_in(bob)
    assert client.get(url("contact_job_change", employed.pk)).status_code == 403
    response = client.post(url("contact_job_change", employed.pk), {"company": "Globex"})
    assert response.status_code == 403
    assert Contact.objects.count() == 1
