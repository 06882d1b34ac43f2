"""Bulk jobs through the service: each action, row-by-row permissions, cancel and resume."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest

from peoplebase.audit.models import AuditAction, AuditEntry
from peoplebase.bulk import services
from peoplebase.bulk.models import BulkJob, BulkJobStatus
from peoplebase.bulk.services import (
    cancel_bulk_job,
    export_path_for,
    get_bulk_job,
    neutralise_cell,
    run_job,
    run_next_batch,
    start_bulk_job,
)
from peoplebase.bulk.tasks import run_bulk_job
from peoplebase.contacts.models import Contact
from peoplebase.contacts.services import tag_names
from peoplebase.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from peoplebase.search.services import ranked_ids
from tests.bulk.conftest import ids_of


def test_rep_bulk_tagging_changes_only_editable_contacts_and_says_why(
    alice: Any, team_contacts: dict[str, list[Any]]
) -> None:
    everyone = ids_of(*team_contacts.values())

    job = start_bulk_job(alice, "add_tags", {"tags": ["vip"]}, contact_ids=everyone)

    assert job.status == BulkJobStatus.DONE
    assert (job.total, job.processed, job.changed, job.skipped) == (6, 6, 3, 3)
    assert job.skip_reasons == {"not yours to edit": 3}
    for contact in team_contacts["alice"] + team_contacts["nobody"]:
        assert tag_names(contact) == ["vip"]
    for contact in team_contacts["bob"]:
        assert tag_names(contact) == []


def test_bulk_tags_are_searchable_at_once(alice: Any, make_contact: Any) -> None:
    people = [make_contact(alice, full_name=f"Person {i}") for i in range(3)]

    start_bulk_job(alice, "add_tags", {"tags": ["Zeppelin"]}, contact_ids=ids_of(people))
    assert sorted(ranked_ids("zeppelin")) == ids_of(people)

    start_bulk_job(alice, "remove_tags", {"tags": ["zeppelin"]}, contact_ids=ids_of(people[:2]))
    assert ranked_ids("zeppelin") == [people[2].pk]


def test_contacts_already_in_the_wanted_state_count_as_skipped(
    alice: Any, make_contact: Any
) -> None:
    tagged = make_contact(alice, full_name="Has it", tags=["vip"])
    untagged = make_contact(alice, full_name="Lacks it")

    job = start_bulk_job(alice, "add_tags", {"tags": ["vip"]}, contact_ids=[tagged.pk, untagged.pk])

    assert (job.changed, job.skipped) == (1, 1)
    assert job.skip_reasons == {"already up to date": 1}


def test_set_status_archive_and_unarchive(manager: Any, alice: Any, make_contact: Any) -> None:
    people = [make_contact(alice, full_name=f"Person {i}") for i in range(2)]
    ids = ids_of(people)

    start_bulk_job(manager, "set_status", {"status": "inactive"}, contact_ids=ids)
    assert set(Contact.objects.filter(pk__in=ids).values_list("status", flat=True)) == {"inactive"}

    archived = start_bulk_job(manager, "archive", contact_ids=ids)
    assert archived.changed == 2
    assert Contact.objects.filter(pk__in=ids, is_archived=True).count() == 2

    restored = start_bulk_job(manager, "unarchive", contact_ids=ids)
    assert restored.changed == 2
    assert Contact.objects.filter(pk__in=ids, is_archived=False).count() == 2


def test_manager_assigns_owner_to_a_rep(manager: Any, alice: Any, bob: Any, make_contact: Any):
    people = [make_contact(alice, full_name=f"Person {i}") for i in range(2)]

    job = start_bulk_job(manager, "assign_owner", {"owner_id": bob.pk}, contact_ids=ids_of(people))

    assert job.changed == 2
    assert set(Contact.objects.filter(pk__in=ids_of(people)).values_list("owner", flat=True)) == {
        bob.pk
    }


def test_rep_may_take_editable_contacts_but_not_give_them_away(
    alice: Any, bob: Any, team_contacts: dict[str, list[Any]]
) -> None:
    with pytest.raises(Forbidden):
        start_bulk_job(alice, "assign_owner", {"owner_id": bob.pk}, contact_ids=[1])

    job = start_bulk_job(
        alice, "assign_owner", {"owner_id": alice.pk}, contact_ids=ids_of(*team_contacts.values())
    )

    assert job.skip_reasons == {"already up to date": 2, "not yours to edit": 3}
    assert Contact.objects.get(pk=team_contacts["nobody"][0].pk).owner == alice


def test_read_only_user_cannot_start_a_write_job_but_may_export(
    reader: Any, alice: Any, make_contact: Any
) -> None:
    contact = make_contact(alice)

    with pytest.raises(Forbidden):
        start_bulk_job(reader, "add_tags", {"tags": ["x"]}, contact_ids=[contact.pk])
    job = start_bulk_job(reader, "export_csv", contact_ids=[contact.pk])
    assert job.status == BulkJobStatus.DONE
    assert job.changed == 1


@pytest.mark.parametrize(
    ("action", "params", "field"),
    [
        ("explode", {}, "action"),
        ("add_tags", {"tags": []}, "params.tags"),
        ("add_tags", {"tags": ["x" * 51]}, "params.tags"),
        ("set_status", {"status": "asleep"}, "params.status"),
        ("assign_owner", {"owner_id": 999999}, "params.owner_id"),
        ("delete", {}, "confirm"),
    ],
)
def test_bad_input_is_refused_before_anything_is_stored(
    manager: Any, make_contact: Any, action: str, params: dict, field: str
) -> None:
    contact = make_contact(manager)

    with pytest.raises(ValidationFailed) as raised:
        start_bulk_job(manager, action, params, contact_ids=[contact.pk])

    assert field in raised.value.errors
    assert not BulkJob.objects.exists()


def test_bad_selection_is_refused(manager: Any) -> None:
    with pytest.raises(ValidationFailed) as no_contacts:
        start_bulk_job(manager, "archive", contact_ids=[123456])
    with pytest.raises(ValidationFailed) as bad_ids:
        start_bulk_job(manager, "archive", contact_ids=["abc"])
    with pytest.raises(ValidationFailed) as bad_filter:
        start_bulk_job(manager, "archive", filters={"lead_score_min": "lots"})

    assert "contact_ids" in no_contacts.value.errors
    assert "contact_ids" in bad_ids.value.errors
    assert "lead_score_min" in bad_filter.value.errors


def test_delete_needs_confirm_and_audits_every_contact(
    alice: Any, team_contacts: dict[str, list[Any]]
) -> None:
    everyone = ids_of(*team_contacts.values())

    job = start_bulk_job(alice, "delete", contact_ids=everyone, confirm=True)

    assert (job.changed, job.skipped) == (3, 3)
    assert not Contact.objects.filter(pk__in=ids_of(team_contacts["alice"])).exists()
    assert Contact.objects.filter(pk__in=ids_of(team_contacts["bob"])).count() == 3
    deleted = AuditEntry.objects.filter(action=AuditAction.DELETE, actor=alice)
    assert sorted(deleted.values_list("object_id", flat=True)) == sorted(
        ids_of(team_contacts["alice"], team_contacts["nobody"])
    )


def test_all_matching_uses_search_and_filters(
    manager: Any, alice: Any, bob: Any, make_contact: Any
) -> None:
    wanted = [make_contact(alice, full_name=f"Marta Quill {i}", lead_score=80) for i in range(3)]
    make_contact(alice, full_name="Marta Low", lead_score=10)
    make_contact(bob, full_name="Someone Else", lead_score=90)

    job = start_bulk_job(
        manager, "add_tags", {"tags": ["hot"]}, q="marta", filters={"lead_score_min": "50"}
    )

    assert job.total == 3
    assert job.filters == {"lead_score_min": "50"}
    assert sorted(
        Contact.objects.filter(tag_links__tag__name="hot").values_list("pk", flat=True)
    ) == ids_of(wanted)


def test_all_matching_owner_me_means_the_jobs_actor(alice: Any, bob: Any, make_contact: Any):
    mine = make_contact(alice, full_name="Mine")
    make_contact(bob, full_name="Bob's")

    job = start_bulk_job(alice, "set_status", {"status": "bounced"}, filters={"owner": "me"})

    assert job.total == 1
    assert Contact.objects.get(pk=mine.pk).status == "bounced"


def test_large_selection_goes_through_the_task_in_batches(
    manager: Any, make_contact: Any, monkeypatch: Any
) -> None:
    people = [make_contact(manager, full_name=f"Person {i}") for i in range(5)]
    monkeypatch.setattr(services, "SYNC_LIMIT", 2)
    monkeypatch.setattr(services, "BATCH_SIZE", 2)

    job = start_bulk_job(manager, "archive", contact_ids=ids_of(people))

    assert job.status == BulkJobStatus.DONE
    assert (job.processed, job.changed, job.last_contact_id) == (5, 5, people[-1].pk)
    assert job.started_at is not None and job.finished_at is not None


def test_cancel_mid_way_keeps_finished_batches_and_stops(
    manager: Any, make_contact: Any, monkeypatch: Any
) -> None:
    people = [make_contact(manager, full_name=f"Person {i}") for i in range(5)]
    monkeypatch.setattr(services, "BATCH_SIZE", 2)
    job = BulkJob.objects.create(
        actor=manager,
        action="archive",
        contact_ids=ids_of(people),
        total=5,
        status=BulkJobStatus.RUNNING,
    )

    assert run_next_batch(job) is True
    cancel_bulk_job(manager, job)
    assert run_next_batch(job) is False

    job.refresh_from_db()
    assert job.status == BulkJobStatus.CANCELLED
    assert (job.processed, job.changed) == (2, 2)
    assert Contact.objects.filter(is_archived=True).count() == 2
    assert run_job(job.pk) == BulkJobStatus.CANCELLED  # a late worker run does nothing more
    assert Contact.objects.filter(is_archived=True).count() == 2


def test_a_queued_job_cancelled_before_it_starts_never_runs(manager: Any, make_contact: Any):
    contact = make_contact(manager)
    job = BulkJob.objects.create(actor=manager, action="archive", contact_ids=[contact.pk], total=1)

    cancel_bulk_job(manager, job)
    run_bulk_job.call(job.pk)

    job.refresh_from_db()
    assert job.status == BulkJobStatus.CANCELLED
    assert not Contact.objects.get(pk=contact.pk).is_archived
    with pytest.raises(Conflict):
        cancel_bulk_job(manager, job)


def test_only_the_actor_or_an_admin_sees_a_job(
    alice: Any, bob: Any, admin: Any, make_contact: Any
) -> None:
    job = start_bulk_job(alice, "export_csv", contact_ids=[make_contact(alice).pk])

    assert get_bulk_job(admin, job.pk) == job
    with pytest.raises(NotFound):
        get_bulk_job(bob, job.pk)
    with pytest.raises(NotFound):
        cancel_bulk_job(bob, job)


def test_export_neutralises_formulas_and_only_its_runner_downloads(
    alice: Any, bob: Any, admin: Any, make_contact: Any
) -> None:
    contact = make_contact(alice, full_name='=HYPERLINK("x")', job_title="@SUM(A1)")

    job = start_bulk_job(alice, "export_csv", contact_ids=[contact.pk])
    path = export_path_for(alice, job)

    assert Path(path).parent.name == "exports"
    with Path(path).open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert rows[0]["full_name"] == '\'=HYPERLINK("x")'
    assert rows[0]["job_title"] == "'@SUM(A1)"
    with pytest.raises(Forbidden):
        export_path_for(admin, job)
    with pytest.raises(NotFound):
        export_path_for(bob, job)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+44 20", "'+44 20"),
        ("-5", "'-5"),
        ("@cmd", "'@cmd"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("plain", "plain"),
        (None, ""),
        (42, "42"),
    ],
)
def test_neutralise_cell(value: Any, expected: str) -> None:
    assert neutralise_cell(value) == expected


def test_a_failing_job_ends_failed_with_the_error(
    manager: Any, make_contact: Any, monkeypatch: Any
) -> None:
    contact = make_contact(manager)

    def boom(*args: Any) -> bool:
        raise RuntimeError("disk on fire")

    monkeypatch.setitem(services.ACTIONS, "archive", boom)
    job = start_bulk_job(manager, "archive", contact_ids=[contact.pk])

    assert job.status == BulkJobStatus.FAILED
    assert "disk on fire" in job.error
    assert job.processed == 0


def test_an_interrupted_job_resumes_after_its_last_finished_batch(
    manager: Any, make_contact: Any, monkeypatch: Any
) -> None:
    people = [make_contact(manager, full_name=f"Person {i}") for i in range(4)]
    monkeypatch.setattr(services, "BATCH_SIZE", 2)
    job = BulkJob.objects.create(
        actor=manager, action="archive", contact_ids=ids_of(people), total=4, status="running"
    )
    run_next_batch(job)  # then the worker died

    assert run_job(job.pk) == BulkJobStatus.DONE

    job.refresh_from_db()
    assert (job.processed, job.changed, job.skipped) == (4, 4, 0)
    assert Contact.objects.filter(is_archived=True).count() == 4
