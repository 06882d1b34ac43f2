"""The bulk pages: the action bar on the list, starting jobs, the job page, confirm, download."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse

from peoplebase.audit.models import AuditAction, AuditEntry
from peoplebase.bulk.models import BulkJob, BulkJobStatus
from peoplebase.bulk.services import start_bulk_job
from peoplebase.contacts.models import Contact
from peoplebase.contacts.services import tag_names
from tests.bulk.conftest import ids_of


def signed_in(user: Any, *, csrf: bool = False) -> Client:
    client = Client(enforce_csrf_checks=csrf)
    client.force_login(user)
    return client


START = reverse("bulk:start")


def test_list_has_row_checkboxes_and_the_action_bar(alice: Any, make_contact: Any) -> None:
    contact = make_contact(alice, full_name="Jane Roe")

    page = signed_in(alice).get(reverse("contacts:contact_list"))
    html = page.content.decode()

    assert f'name="contact_ids" value="{contact.pk}" form="bulk-form"' in html
    assert 'id="bulk-form"' in html
    assert 'Select all <span id="bulk-all-count">' in html
    # The figure arrives with the list's count, swapped into that span.
    count = signed_in(alice).get(reverse("contacts:contact_count"), HTTP_HX_REQUEST="true")
    assert 'id="bulk-all-count" hx-swap-oob="true">1 matching contact<' in count.content.decode()
    assert 'value="delete"' in html


def test_reader_sees_only_export_in_the_action_bar(reader: Any, alice: Any, make_contact: Any):
    make_contact(alice)

    html = signed_in(reader).get(reverse("contacts:contact_list")).content.decode()

    assert 'value="export_csv"' in html
    assert 'value="delete"' not in html


def test_action_bar_carries_the_lists_filters(alice: Any, make_contact: Any) -> None:
    make_contact(alice, full_name="Vip Person", tags=["vip"])

    html = signed_in(alice).get(reverse("contacts:contact_list"), {"tags_any": "vip"}).content
    assert b'name="filter.tags_any" value="vip"' in html


def test_ticked_contacts_are_tagged_and_the_job_page_shows_counts(
    alice: Any, team_contacts: dict[str, list[Any]]
) -> None:
    client = signed_in(alice)
    ids = ids_of(team_contacts["alice"], team_contacts["bob"])

    response = client.post(
        START, {"action": "add_tags", "tag": "vip", "scope": "selected", "contact_ids": ids}
    )

    job = BulkJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("bulk:job", args=[job.pk])
    page = client.get(response["Location"]).content.decode()
    assert '<dd id="bulk-changed">2</dd>' in page
    assert "3 not yours to edit" in page
    assert "hx-trigger" not in page  # finished: no more polling
    assert tag_names(team_contacts["alice"][0]) == ["vip"]


def test_all_matching_posts_the_filters(manager: Any, alice: Any, make_contact: Any) -> None:
    vips = [make_contact(alice, full_name=f"V {i}", tags=["vip"]) for i in range(2)]
    other = make_contact(alice, full_name="Other")

    signed_in(manager).post(
        START,
        {"action": "set_status", "status": "inactive", "scope": "all", "filter.tags_any": "vip"},
    )

    assert set(Contact.objects.filter(pk__in=ids_of(vips)).values_list("status", flat=True)) == {
        "inactive"
    }
    assert Contact.objects.get(pk=other.pk).status == "active"


def test_nothing_ticked_goes_back_with_a_message(alice: Any) -> None:
    response = signed_in(alice).post(START, {"action": "archive", "scope": "selected"}, follow=True)

    assert "Tick some contacts first" in response.content.decode()
    assert not BulkJob.objects.exists()


def test_bad_params_go_back_with_the_message(alice: Any, make_contact: Any) -> None:
    contact = make_contact(alice)

    response = signed_in(alice).post(
        START, {"action": "add_tags", "tag": "", "contact_ids": [contact.pk]}, follow=True
    )

    assert "Give at least one tag name." in response.content.decode()
    assert not BulkJob.objects.exists()


def test_delete_asks_for_confirmation_first_then_deletes_and_audits(
    alice: Any, make_contact: Any
) -> None:
    people = [make_contact(alice, full_name=f"P {i}") for i in range(2)]
    client = signed_in(alice)
    posted = {"action": "delete", "scope": "selected", "contact_ids": ids_of(people)}

    confirm = client.post(START, posted)
    assert confirm.status_code == 200
    assert "You are about to delete 2 contacts" in confirm.content.decode()
    assert Contact.objects.count() == 2

    client.post(START, {**posted, "confirm": "yes"})
    assert Contact.objects.count() == 0
    assert AuditEntry.objects.filter(action=AuditAction.DELETE).count() == 2


def test_reader_cannot_start_a_write_job(reader: Any, alice: Any, make_contact: Any) -> None:
    contact = make_contact(alice)

    response = signed_in(reader).post(START, {"action": "archive", "contact_ids": [contact.pk]})

    assert response.status_code == 403
    assert not Contact.objects.get(pk=contact.pk).is_archived


def test_posts_need_a_csrf_token(alice: Any, make_contact: Any) -> None:
    contact = make_contact(alice)

    response = signed_in(alice, csrf=True).post(
        START, {"action": "archive", "contact_ids": [contact.pk]}
    )

    assert response.status_code == 403
    assert not BulkJob.objects.exists()


def test_running_job_page_polls_and_offers_cancel(alice: Any, make_contact: Any) -> None:
    contact = make_contact(alice)
    job = BulkJob.objects.create(
        actor=alice, action="archive", contact_ids=[contact.pk], total=1, status="running"
    )
    client = signed_in(alice)

    page = client.get(reverse("bulk:job", args=[job.pk])).content.decode()
    fragment = client.get(reverse("bulk:job", args=[job.pk]), HTTP_HX_REQUEST="true")

    assert 'hx-trigger="every 1s"' in page
    assert "Refresh" in page
    assert "<h1>" not in fragment.content.decode()
    assert 'id="bulk-progress"' in fragment.content.decode()
    client.post(reverse("bulk:cancel", args=[job.pk]))
    job.refresh_from_db()
    assert job.cancel_requested


def test_someone_elses_job_page_is_not_found(alice: Any, bob: Any, make_contact: Any) -> None:
    job = start_bulk_job(alice, "export_csv", contact_ids=[make_contact(alice).pk])

    assert signed_in(bob).get(reverse("bulk:job", args=[job.pk])).status_code == 404
    assert signed_in(bob).post(reverse("bulk:cancel", args=[job.pk])).status_code == 404


def test_export_downloads_for_its_runner_only(alice: Any, bob: Any, admin: Any, make_contact):
    make_contact(alice, full_name="=cmd|' /C calc'!A0")
    client = signed_in(alice)
    client.post(START, {"action": "export_csv", "scope": "all"})
    job = BulkJob.objects.get()
    assert job.status == BulkJobStatus.DONE
    download = reverse("bulk:download", args=[job.pk])

    assert "Download CSV" in client.get(reverse("bulk:job", args=[job.pk])).content.decode()
    response = client.get(download)
    body = b"".join(response.streaming_content).decode()
    assert response["Content-Disposition"].startswith("attachment")
    assert "'=cmd|" in body
    assert signed_in(bob).get(download).status_code == 404
    assert signed_in(admin).get(download).status_code == 403
