"""Import rules around the run: sizes, setup after start, preview = run, saved mappings, who may."""

from __future__ import annotations

import io
from typing import Any

import pytest

from peoplebase.contacts.models import Contact
from peoplebase.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from peoplebase.imports import services
from peoplebase.imports.models import ImportJob, ImportStatus
from peoplebase.imports.undo import undo_import
from tests.imports.conftest import HEADER

ROWS = [
    HEADER,
    ["Ann", "Lee", "ann@example.com", "", "", ""],
    ["Ann", "Again", "ann@example.com", "", "", ""],
    ["Bad", "Row", "nope", "", "", ""],
]


def test_a_file_over_the_limit_is_refused_and_not_kept(
    manager: Any, monkeypatch: Any, settings: Any
) -> None:
    monkeypatch.setattr(services, "MAX_UPLOAD_BYTES", 10)

    with pytest.raises(ValidationFailed, match="larger than"):
        services.create_import(manager, io.BytesIO(b"Name\n" + b"x" * 100), "big.csv")

    assert not list((settings.DATA_DIR / "imports").iterdir())
    assert not ImportJob.objects.exists()


def test_a_file_that_is_not_a_spreadsheet_is_refused(manager: Any, upload: Any) -> None:
    with pytest.raises(ValidationFailed) as caught:
        upload(manager, b"PK\x03\x04 definitely not a workbook", "fake.xlsx")

    assert "file" in caught.value.errors


def test_unknown_mapping_target_and_column_are_refused(manager: Any, upload: Any) -> None:
    job = upload(manager, ROWS)

    with pytest.raises(ValidationFailed) as caught:
        services.set_mapping(manager, job, {"Email": "shoe_size", "Nope": "emails"})

    assert set(caught.value.errors) == {"mapping.Email", "mapping.Nope"}


def test_preview_counts_are_what_the_run_does(manager: Any, upload: Any, run: Any) -> None:
    job = upload(manager, ROWS)

    preview = services.preview_import(manager, job)
    job = run(manager, job)

    assert preview.counts == {"created": 1, "updated": 0, "skipped": 1, "invalid": 1}
    assert (job.created, job.updated, job.skipped, job.invalid) == (1, 0, 1, 1)
    assert preview.rows[0].values["emails"] == ["ann@example.com"]


def test_settings_cannot_change_once_started(manager: Any, upload: Any, run: Any) -> None:
    job = run(manager, upload(manager, ROWS))

    with pytest.raises(Conflict):
        services.set_options(manager, job, duplicate_policy="overwrite")


def test_cancel_a_queued_import(manager: Any, upload: Any) -> None:
    job = upload(manager, ROWS)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.QUEUED)

    job = services.cancel_import(manager, job)

    assert job.status == ImportStatus.CANCELLED
    assert services.run_import(job.pk) == ImportStatus.CANCELLED
    assert not Contact.objects.exists()
    with pytest.raises(Conflict):
        services.cancel_import(manager, job)


def test_a_cancelled_run_keeps_whole_batches_only(
    manager: Any, upload: Any, monkeypatch: Any
) -> None:
    monkeypatch.setattr(services, "BATCH_SIZE", 2)
    rows = [HEADER] + [[f"P{i}", "X", f"p{i}@example.com", "", "", ""] for i in range(6)]
    job = upload(manager, rows)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.QUEUED)

    def cancel_after_first_batch(progress_job: ImportJob) -> None:
        ImportJob.objects.filter(pk=progress_job.pk).update(cancel_requested=True)

    services.run_import(job.pk, progress=cancel_after_first_batch)
    job.refresh_from_db()

    assert job.status == ImportStatus.CANCELLED
    assert (job.processed_rows, job.created) == (2, 2)
    assert Contact.objects.count() == 2 == job.rows.count()


def test_saved_mapping_is_private_unless_shared(
    manager: Any, admin: Any, alice: Any, upload: Any
) -> None:
    job = upload(manager, ROWS)
    services.set_mapping(manager, job, {"Email": "emails", "Last Name": "full_name"})
    services.save_mapping(manager, job, "Mine")
    services.save_mapping(manager, job, "Team", shared=True)

    assert [m.name for m in services.list_saved_mappings(admin)] == ["Team"]
    with pytest.raises(NotFound):
        services.get_saved_mapping(admin, "Mine")
    other = services.apply_saved_mapping(admin, upload(admin, ROWS), "Team")
    assert other.mapping == {"1": "full_name", "2": "emails"}
    team = services.get_saved_mapping(alice, "Team")
    with pytest.raises(Forbidden):
        services.delete_saved_mapping(alice, team)
    services.delete_saved_mapping(admin, team)
    assert [m.name for m in services.list_saved_mappings(manager)] == ["Mine"]


def test_reps_and_read_only_users_may_not_import_or_undo(
    manager: Any, alice: Any, reader: Any, upload: Any, run: Any
) -> None:
    for user in (alice, reader):
        with pytest.raises(Forbidden):
            upload(user, ROWS)
    job = run(manager, upload(manager, ROWS))
    for user in (alice, reader):
        with pytest.raises((Forbidden, NotFound)):
            undo_import(user, job)
    assert Contact.objects.count() == 1


def test_an_admin_sees_and_may_undo_a_managers_import(
    manager: Any, admin: Any, upload: Any, run: Any
) -> None:
    job = run(manager, upload(manager, ROWS))

    assert services.get_import(admin, job.pk) == job
    undo_import(admin, job)

    assert not Contact.objects.exists()


def test_an_import_that_has_not_run_cannot_be_undone(manager: Any, upload: Any, run: Any) -> None:
    # Undoing a draft used to mark it undone; it could still run, and then never be undone.
    job = upload(manager, ROWS)

    with pytest.raises(Conflict, match="has not run"):
        undo_import(manager, job)

    job = run(manager, job)
    assert Contact.objects.count() == 1
    undo_import(manager, job)
    assert not Contact.objects.exists()


def test_a_saved_mappings_owner_who_left_is_refused_when_the_import_starts(
    manager: Any, admin: Any, bob: Any, upload: Any
) -> None:
    job = upload(admin, ROWS)
    services.set_options(admin, job, defaults={"owner": bob.email})
    services.save_mapping(admin, job, "Bob's leads", shared=True)
    bob.is_active = False
    bob.save(update_fields=["is_active"])
    job = services.apply_saved_mapping(manager, upload(manager, ROWS), "Bob's leads")
    assert job.defaults["owner"] == bob.pk

    with pytest.raises(ValidationFailed) as refused:
        services.run_import_now(manager, job)

    assert "no longer an active user" in refused.value.errors["defaults.owner"][0]
    assert not Contact.objects.exists()
    job = services.set_options(manager, job, defaults={"owner": manager.email})
    assert services.run_import_now(manager, job).created == 1


def test_a_custom_field_archived_after_mapping_is_refused_when_the_import_starts(
    manager: Any, admin: Any, upload: Any
) -> None:
    from peoplebase.customfields.services import archive_definition, create_definition

    budget = create_definition(admin, {"key": "budget", "label": "Budget", "field_type": "number"})
    rows = [["Name", "Email", "Budget"], ["Ann Lee", "ann@example.com", "12"]]
    job = services.set_mapping(
        manager,
        upload(manager, rows),
        {"Name": "full_name", "Email": "emails", "Budget": "custom.budget"},
    )
    archive_definition(admin, budget)

    with pytest.raises(ValidationFailed) as refused:
        services.start_import(manager, job)

    assert "no longer a field" in refused.value.errors["mapping.Budget"][0]
    assert ImportJob.objects.get(pk=job.pk).status == ImportStatus.DRAFT
    job = services.set_mapping(manager, job, {"Name": "full_name", "Email": "emails"})
    assert services.run_import_now(manager, job).created == 1


def test_two_columns_mapped_to_one_single_value_field_are_refused(
    manager: Any, upload: Any
) -> None:
    rows = [["Title", "Name", "Email", "Role"], ["Mr.", "Ann Lee", "ann@example.com", "CTO"]]
    job = upload(manager, rows)

    with pytest.raises(ValidationFailed) as refused:
        services.set_mapping(
            manager, job, {"Title": "job_title", "Name": "full_name", "Role": "job_title"}
        )

    assert "“Title”, “Role”" in refused.value.errors["mapping.Role"][0]
    # Several columns of emails, phones, tags or notes stay allowed.
    job = services.set_mapping(
        manager, job, {"Name": "full_name", "Email": "emails", "Title": "tags", "Role": "tags"}
    )
    assert set(job.mapping.values()) == {"full_name", "emails", "tags"}


def test_a_nul_character_late_in_the_file_does_not_fail_the_import(
    manager: Any, upload: Any, run: Any
) -> None:
    # PostgreSQL cannot store NUL in text or JSON: one stray byte past the sample (which the
    # binary check reads) failed the whole import there.
    rows = [["Name", "Email", "Notes"]] + [[f"P{i}", f"p{i}@example.com", "ok"] for i in range(400)]
    rows += [["Nul Guy", "nul@example.com", "bad\x00note"], ["Bad\x00", "no\x00pe", "x"]]
    job = run(manager, upload(manager, rows))

    assert job.status == ImportStatus.DONE, job.error
    assert (job.created, job.invalid) == (401, 1)
    assert Contact.objects.filter(email="nul@example.com").exists()
    assert any("NUL" in note for note in job.notes)


def test_a_long_note_is_kept_as_far_as_notes_go_and_a_cut_is_reported(
    manager: Any, upload: Any, run: Any
) -> None:
    from peoplebase.activities.models import Activity
    from peoplebase.activities.services import MAX_NOTE_LENGTH

    # Notes elsewhere take 50,000 characters; the import cut them at 20,000 without a word.
    long_note, too_long = "a" * 30_000, "b" * (MAX_NOTE_LENGTH + 10)
    rows = [
        ["Name", "Email", "Notes", "Owner"],
        ["Ann Lee", "ann@example.com", long_note, ""],
        ["Bo Ray", "bo@example.com", too_long, "nobody@example.com"],
    ]
    job = run(manager, upload(manager, rows))

    assert job.created == 2
    ann = Contact.objects.get(email="ann@example.com")
    assert Activity.objects.get(contact=ann).body == long_note
    bo_row = job.rows.get(row_number=2)
    bo = Contact.objects.get(email="bo@example.com")
    assert len(Activity.objects.get(contact=bo).body) == MAX_NOTE_LENGTH
    assert "first 50,000 characters" in bo_row.reason and "nobody@example.com" in bo_row.reason
    assert job.rows.get(row_number=1).reason == ""
