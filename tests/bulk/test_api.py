"""The bulk API: 202 with the job, who may read and cancel it, and refused input."""

from __future__ import annotations

from typing import Any

from peoplebase.bulk.models import BulkJob, BulkJobStatus
from peoplebase.contacts.models import Contact
from peoplebase.contacts.services import tag_names
from tests.api.conftest import problem_of
from tests.bulk.conftest import ids_of


def test_start_returns_202_with_the_finished_small_job(
    api_as: Any, alice: Any, team_contacts: dict[str, list[Any]]
) -> None:
    response = api_as(alice).post(
        "/contacts/bulk",
        {
            "action": "add_tags",
            "params": {"tags": ["vip"]},
            "contact_ids": ids_of(*team_contacts.values()),
        },
    )

    body = response.json()
    assert response.status_code == 202
    assert body["status"] == BulkJobStatus.DONE
    assert (body["changed"], body["skipped"]) == (3, 3)
    assert body["skip_reasons"] == {"not yours to edit": 3}
    assert tag_names(team_contacts["alice"][0]) == ["vip"]


def test_start_over_all_matching_filters(api_as: Any, manager: Any, make_contact: Any) -> None:
    vip = make_contact(manager, full_name="Vip", tags=["vip"])
    make_contact(manager, full_name="Plain")

    response = api_as(manager).post(
        "/contacts/bulk", {"action": "archive", "filters": {"tags_any": "vip"}}
    )

    assert response.status_code == 202
    assert response.json()["total"] == 1
    assert Contact.objects.get(pk=vip.pk).is_archived


def test_get_is_for_the_actor_or_an_admin(
    api_as: Any, alice: Any, bob: Any, admin: Any, make_contact: Any
) -> None:
    contact = make_contact(alice)
    job_id = (
        api_as(alice)
        .post("/contacts/bulk", {"action": "export_csv", "contact_ids": [contact.pk]})
        .json()["id"]
    )

    assert api_as(alice).get(f"/bulk-jobs/{job_id}").json()["has_download"] is True
    assert api_as(admin).get(f"/bulk-jobs/{job_id}").status_code == 200
    assert problem_of(api_as(bob).get(f"/bulk-jobs/{job_id}"))["status"] == 404
    assert api_as(bob).post(f"/bulk-jobs/{job_id}/cancel").status_code == 404


def test_cancel_a_queued_job_and_not_a_finished_one(api_as: Any, alice: Any, make_contact):
    contact = make_contact(alice)
    job = BulkJob.objects.create(actor=alice, action="archive", contact_ids=[contact.pk], total=1)

    cancelled = api_as(alice).post(f"/bulk-jobs/{job.pk}/cancel")
    again = api_as(alice).post(f"/bulk-jobs/{job.pk}/cancel")

    assert cancelled.status_code == 200
    assert cancelled.json()["status"] == BulkJobStatus.CANCELLED
    assert again.status_code == 409


def test_reader_may_not_start_write_jobs(api_as: Any, reader: Any, alice: Any, make_contact):
    contact = make_contact(alice)

    response = api_as(reader).post(
        "/contacts/bulk", {"action": "archive", "contact_ids": [contact.pk]}
    )

    assert problem_of(response)["status"] == 403
    assert not BulkJob.objects.exists()


def test_bad_input_is_422_naming_the_field(api_as: Any, alice: Any, make_contact: Any) -> None:
    contact = make_contact(alice)
    client = api_as(alice)

    no_confirm = client.post("/contacts/bulk", {"action": "delete", "contact_ids": [contact.pk]})
    bad_action = client.post("/contacts/bulk", {"action": "explode", "contact_ids": [contact.pk]})
    bad_filter = client.post(
        "/contacts/bulk", {"action": "archive", "filters": {"lead_score_min": "lots"}}
    )
    bad_status = client.post(
        "/contacts/bulk",
        {"action": "set_status", "params": {"status": "x"}, "contact_ids": [contact.pk]},
    )

    assert no_confirm.status_code == 422
    assert "confirm" in problem_of(no_confirm)["errors"]
    assert bad_action.status_code == 422
    assert "lead_score_min" in problem_of(bad_filter)["errors"]
    assert "params.status" in problem_of(bad_status)["errors"]
    assert Contact.objects.filter(pk=contact.pk).exists()
