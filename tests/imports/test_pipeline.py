"""Running imports: creates, each duplicates policy, in-file duplicates, invalid rows, undo."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest

from peoplebase.contacts.models import Contact, ContactEmail
from peoplebase.contacts.services import tag_names
from peoplebase.imports import reports, services
from peoplebase.imports.models import ImportRow, ImportStatus, RowOutcome
from peoplebase.imports.undo import undo_import
from peoplebase.search.services import indexed_contact_ids, search_contacts
from tests.imports.conftest import HEADER, parallel_job


def test_import_creates_normalised_contacts_with_their_origin(
    manager: Any, upload: Any, run: Any
) -> None:
    job = upload(
        manager,
        [
            HEADER,
            ["Zoë", "Ångström", " ZOE@Example.COM ", "(212) 555-0134", "Acme", "CTO"],
            ["", "", "solo@example.com", "", "", ""],
        ],
    )

    job = run(manager, job, defaults={"tags": ["expo"]})

    assert (job.status, job.created, job.invalid) == (ImportStatus.DONE, 2, 0)
    zoe = Contact.objects.get(email="zoe@example.com")
    assert (zoe.first_name, zoe.last_name, zoe.full_name) == ("Zoë", "Ångström", "Zoë Ångström")
    assert zoe.phone == "+12125550134"
    assert zoe.company.name == "Acme"
    assert zoe.owner == manager
    assert (zoe.source, zoe.consent_type) == ("import", "imported")
    assert tag_names(zoe) == ["expo"]
    origin = reports.import_origin(zoe)
    assert (origin.job_id, origin.row_number) == (job.pk, 1)
    assert zoe.pk in indexed_contact_ids()
    assert [hit.contact_id for hit in search_contacts("Angstrom")] == [zoe.pk]


def test_import_skips_rows_with_existing_email(
    manager: Any, make_contact: Any, upload: Any, run: Any
) -> None:
    known = make_contact(manager, full_name="Known", emails=["known@example.com"])
    job = upload(manager, [HEADER, ["New", "Name", "KNOWN@example.com", "", "", "CEO"]])

    job = run(manager, job, duplicate_policy="skip")

    row = job.rows.get()
    assert (job.created, job.skipped, row.outcome) == (0, 1, RowOutcome.SKIPPED)
    assert f"#{known.pk}" in row.reason
    known.refresh_from_db()
    assert known.job_title == ""


def test_fill_policy_only_fills_empty_fields_and_adds_new_phones(
    manager: Any, make_contact: Any, upload: Any, run: Any
) -> None:
    known = make_contact(
        manager, full_name="Kim Known", job_title="Owner", emails=["kim@example.com"]
    )
    job = upload(
        manager,
        [
            [*HEADER, "City"],
            ["Other", "Name", "kim@example.com", "+44 20 7946 0958", "", "Intern", "Paris"],
        ],
    )

    job = run(manager, job, duplicate_policy="fill")

    known.refresh_from_db()
    assert job.updated == 1
    assert (known.full_name, known.job_title, known.city) == ("Kim Known", "Owner", "Paris")
    assert known.phone == "+442079460958"


def test_overwrite_policy_replaces_values_the_file_gives(
    manager: Any, make_contact: Any, upload: Any, run: Any
) -> None:
    known = make_contact(manager, full_name="Kim Known", job_title="Owner", phones=["+12125550199"])
    job = upload(manager, [HEADER, ["Kim", "Newname", "", "212-555-0199", "", "Intern"]])

    job = run(manager, job, duplicate_policy="overwrite")

    known.refresh_from_db()
    assert job.updated == 1
    assert (known.full_name, known.job_title) == ("Kim Newname", "Intern")
    assert job.rows.get().changes["job_title"] == ["Owner", "Intern"]


def test_create_policy_creates_a_second_contact(
    manager: Any, make_contact: Any, upload: Any, run: Any
) -> None:
    make_contact(manager, full_name="Kim", emails=["kim@example.com"])
    job = upload(manager, [HEADER, ["Kim", "Two", "kim@example.com", "", "", ""]])

    job = run(manager, job, duplicate_policy="create")

    assert job.created == 1
    assert ContactEmail.objects.filter(email="kim@example.com").count() == 2


def test_duplicates_inside_the_file_are_caught(manager: Any, upload: Any, run: Any) -> None:
    job = upload(
        manager,
        [
            HEADER,
            ["Ann", "One", "ann@example.com", "", "", ""],
            ["Ann", "Again", "ANN@example.com", "", "", ""],
            ["Bo", "One", "", "+1 212 555 0100", "", ""],
            ["Bo", "Again", "", "(212) 555-0100", "", ""],
        ],
    )

    job = run(manager, job)

    assert (job.created, job.skipped) == (2, 2)
    reasons = list(job.rows.filter(outcome="skipped").values_list("reason", flat=True))
    assert reasons == ["Same email as row 1 of this file.", "Same phone as row 3 of this file."]


def test_invalid_rows_are_reported_with_reasons_and_a_rejected_file(
    manager: Any, upload: Any, run: Any
) -> None:
    job = upload(
        manager,
        [
            HEADER,
            ["Good", "Row", "good@example.com", "", "", ""],
            ["Bad", "Email", "not-an-email", "", "", ""],
            ["", "", "", "", "Acme", "=HYPERLINK(1)"],
        ],
    )

    job = run(manager, job)

    assert (job.created, job.invalid) == (1, 2)
    text = Path(job.rejected_path).read_text(encoding="utf-8").splitlines()
    assert text[0] == "First Name,Last Name,Email,Phone,Company,Job Title,reason"
    assert text[1].startswith("Bad,Email,not-an-email,,,,emails.0.email:")
    assert "'=HYPERLINK(1)" in text[2] and "Give at least a name or an email" in text[2]
    assert reports.rejected_rows_path(manager, job) == Path(job.rejected_path)


def test_undo_deletes_created_contacts_and_restores_updated_fields(
    manager: Any, make_contact: Any, upload: Any, run: Any
) -> None:
    known = make_contact(manager, full_name="Kim", job_title="Owner", emails=["kim@example.com"])
    job = upload(
        manager,
        [
            HEADER,
            ["Kim", "", "kim@example.com", "", "", "Intern"],
            ["New", "Person", "new@example.com", "", "", ""],
            ["Edited", "Later", "edited@example.com", "", "", ""],
        ],
    )
    job = run(manager, job, duplicate_policy="overwrite")
    edited = Contact.objects.get(email="edited@example.com")
    from peoplebase.contacts.services import update_contact

    update_contact(manager, edited, {"job_title": "Changed by hand"})

    job = undo_import(manager, job)

    known.refresh_from_db()
    assert known.job_title == "Owner"
    assert not Contact.objects.filter(email="new@example.com").exists()
    assert Contact.objects.filter(pk=edited.pk).exists()
    assert job.undo_report["deleted"] == 1
    assert job.undo_report["kept"] == [{"contact_id": edited.pk, "why": "edited since the import"}]
    with pytest.raises(services.Conflict):
        undo_import(manager, job)


def test_cancel_before_the_first_batch_writes_nothing(manager: Any, upload: Any) -> None:
    job = upload(manager, [HEADER, ["A", "B", "a@example.com", "", "", ""]])
    services.ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.RUNNING, cancel_requested=True
    )

    assert services.run_import(job.pk) == ImportStatus.CANCELLED
    assert not Contact.objects.exists()
    assert not ImportRow.objects.exists()


def test_an_unknown_owner_falls_back_to_the_default_owner_with_a_warning(
    manager: Any, alice: Any, bob: Any, upload: Any, run: Any
) -> None:
    job = upload(
        manager,
        [
            ["Name", "Email", "Contact owner"],
            ["Owned", "owned@example.com", "ALICE@example.com"],
            ["Orphan", "orphan@example.com", "nobody@example.com"],
        ],
    )
    services.set_mapping(
        manager, job, {"Name": "full_name", "Email": "emails", "Contact owner": "owner_email"}
    )

    job = run(manager, job, defaults={"owner": bob.email})

    assert (job.created, job.invalid) == (2, 0)
    assert Contact.objects.get(email="owned@example.com").owner == alice
    assert Contact.objects.get(email="orphan@example.com").owner == bob
    warned = job.rows.get(contact__email="orphan@example.com")
    assert warned.outcome == RowOutcome.CREATED
    assert warned.reason == (
        "Owner: no active user with the email nobody@example.com; given to the default owner."
    )
    assert job.rows.get(contact__email="owned@example.com").reason == ""
    assert reports.import_report(job)["owner_fallbacks"] == 1
    assert not job.rejected_path


def test_an_unknown_owner_without_a_default_goes_to_the_importer(
    manager: Any, upload: Any, run: Any
) -> None:
    job = upload(manager, [["Name", "Owner"], ["Orphan", "gone@example.com"]])
    services.set_mapping(manager, job, {"Name": "full_name", "Owner": "owner_email"})

    job = run(manager, job)

    assert Contact.objects.get(full_name="Orphan").owner == manager
    assert reports.import_report(job)["owner_fallbacks"] == 1


def test_the_rejected_rows_file_is_written_by_the_export_writer(
    manager: Any, upload: Any, run: Any
) -> None:
    job = upload(
        manager,
        [
            ["Name", "Email", "@Note"],
            ["Bad", "not-an-email", "two\nlines"],
            ["Worse", "-also bad", "=1+1"],
        ],
    )

    job = run(manager, job)

    raw = Path(job.rejected_path).read_bytes().decode("utf-8")
    assert raw.count("\r\n") == 3  # the exports' line ending; the quoted newline stays inside
    rows = list(csv.reader(io.StringIO(raw, newline="")))
    assert rows[0] == ["Name", "Email", "'@Note", "reason"]
    assert rows[1][:3] == ["Bad", "not-an-email", "two\nlines"]
    assert rows[2][:3] == ["Worse", "'-also bad", "'=1+1"]
    assert rows[2][3].startswith("emails.0.email:")


@pytest.mark.django_db(transaction=True)
def test_big_files_clean_in_a_second_process_with_the_same_result(
    manager: Any, upload: Any, run: Any, monkeypatch: Any
) -> None:
    monkeypatch.setattr(services, "PARALLEL_MIN_ROWS", 1)
    monkeypatch.setattr("peoplebase.imports.pipeline.BATCH_SIZE", 2)
    monkeypatch.setattr(services, "BATCH_SIZE", 2)
    rows = [HEADER] + [[f"P{i}", "X", f"p{i % 5}@example.com", "", "", ""] for i in range(9)]
    job = upload(manager, rows)
    assert services._parallel(job)

    job = run(manager, job)

    assert (job.created, job.skipped, job.invalid) == (5, 4, 0)
    assert sorted(Contact.objects.values_list("email", flat=True)) == [
        f"p{i}@example.com" for i in range(5)
    ]


@pytest.mark.django_db(transaction=True)
def test_an_error_in_the_cleaning_process_fails_the_job_after_the_batches_before_it(
    manager: Any, upload: Any, run: Any, monkeypatch: Any
) -> None:
    from peoplebase.imports import cleaners

    real_prepare = cleaners.prepare

    def failing(row: Any, ctx: Any) -> None:
        if row.number == 5:
            raise ValueError("cleaner broke on row 5")
        real_prepare(row, ctx)

    monkeypatch.setattr(cleaners, "prepare", failing)  # set before the fork: the child sees it
    job = parallel_job(manager, upload, monkeypatch, 8)

    job = run(manager, job)

    assert job.status == ImportStatus.FAILED
    assert "cleaner broke on row 5" in job.error
    assert (job.processed_rows, job.created) == (4, 4)  # two whole batches, then the error


@pytest.mark.django_db(transaction=True)
def test_stopping_early_ends_the_cleaning_process(
    manager: Any, upload: Any, monkeypatch: Any
) -> None:
    import multiprocessing

    from peoplebase.imports import cleaners, pipeline

    # Enough rows that the cleaned batches overflow the pipe: the cleaner is still at work,
    # blocked on a send, when the writer stops.
    job = parallel_job(manager, upload, monkeypatch, 3000)
    batches = cleaners.prepared_batches(
        lambda: pipeline.raw_batches(services._rows(job), 2), services._context(job), parallel=True
    )

    first = next(batches)
    batches.close()  # as a cancelled import does

    assert [row.number for row in first] == [1, 2] and first[0].clean is not None
    assert multiprocessing.active_children() == []


def test_suppressed_addresses_are_refused(
    manager: Any, upload: Any, run: Any, monkeypatch: Any
) -> None:
    monkeypatch.setattr(
        "peoplebase.imports.matching.suppressed_emails",
        lambda emails: {e for e in emails if e == "erased@example.com"},
    )
    job = upload(
        manager,
        [
            HEADER,
            ["Gone", "Person", "ERASED@example.com", "", "", ""],
            ["Kept", "", "k@example.com", "", "", ""],
        ],
    )

    job = run(manager, job)

    assert (job.created, job.invalid) == (1, 1)
    assert "suppressed" in job.rows.get(outcome=RowOutcome.INVALID).reason
    assert not Contact.objects.filter(email="erased@example.com").exists()


def test_import_index_rows_equal_the_rows_read_back_from_the_tables(
    manager: Any, upload: Any, run: Any
) -> None:
    """The import builds index rows from what it wrote; they must match a rebuild's."""
    from peoplebase.companies.services import create_company
    from peoplebase.contacts.services import get_or_create_tags
    from peoplebase.search.engines import current_engine
    from peoplebase.search.services import build_documents

    create_company(manager, {"name": "ACME Société"})
    get_or_create_tags(["VIP Clients"])
    job = upload(
        manager,
        [
            HEADER,
            ["Zoë", "Ångström", "zoe@example.com", "+44 20 7946 0018", "acme société", "Head"],
            ["", "", "solo@example.com", "not a phone 12", "", ""],
            ["Łukasz", "", "", "(212) 555-0199", "Nowa Firma", ""],
        ],
    )

    job = run(manager, job, defaults={"tags": ["vip clients", "Expo"]})

    assert job.created == 3
    ids = sorted(job.rows.values_list("contact_id", flat=True))
    from django.db import connection

    with connection.cursor() as cursor:
        indexed = current_engine().fetch(cursor, ids)
    expected = {doc.contact_id: doc for doc in build_documents(pk__in=ids)}
    assert indexed == expected
    assert "acme" in expected[ids[0]].company and "vip" in expected[ids[0]].tags


@pytest.mark.parametrize(("threshold", "refreshed"), [(2, True), (3, False)])
def test_a_large_import_refreshes_the_planner_statistics(
    manager: Any, upload: Any, run: Any, monkeypatch: Any, threshold: int, refreshed: bool
) -> None:
    from peoplebase.core import dbstats

    calls: list[bool] = []
    monkeypatch.setattr(dbstats, "REFRESH_AFTER_ROWS", threshold)
    monkeypatch.setattr(dbstats, "refresh_planner_statistics", lambda: calls.append(True) or 0.1)
    rows = [HEADER, ["Ann", "Lee", "ann@example.com", "", "", ""]]
    job = upload(manager, [*rows, ["Bo", "Ek", "bo@example.com", "", "", ""]])

    job = run(manager, job)

    assert job.created == 2
    assert bool(calls) is refreshed
    assert ("statistics" in job.timings) is refreshed


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("cleaners", [2, 3])
def test_several_cleaning_processes_hand_batches_back_in_file_order(
    manager: Any, upload: Any, monkeypatch: Any, cleaners: int
) -> None:
    import multiprocessing

    from peoplebase.imports import cleaners as cleaners_module
    from peoplebase.imports import pipeline

    monkeypatch.setattr(cleaners_module, "CLEANERS", cleaners)
    job = parallel_job(manager, upload, monkeypatch, 15)  # 8 batches: not a multiple of 3

    batches = list(
        cleaners_module.prepared_batches(
            lambda: pipeline.raw_batches(services._rows(job), 2),
            services._context(job),
            parallel=True,
        )
    )

    assert [row.number for batch in batches for row in batch] == list(range(1, 16))
    assert [row.clean.emails[0].email for batch in batches for row in batch] == [
        f"p{i}@example.com" for i in range(15)
    ]
    assert multiprocessing.active_children() == []


@pytest.mark.django_db(transaction=True)
def test_rows_of_one_batch_filling_different_fields_each_keep_their_own(
    manager: Any, upload: Any, run: Any, monkeypatch: Any
) -> None:
    """A batch's contacts share one column list; a row leaving a column out gets its default,
    whether cleaned in a cleaning process (parallel) or here."""
    from django.forms.models import model_to_dict

    header = ["First Name", "Last Name", "Email", "Lead Score", "Birthday", "City", "Tags"]
    people = [
        ["Ann", "Lee", "ann@example.com", "40", "--03-07", "", "VIP"],
        ["Bo", "Ray", "bo@example.com", "", "", "Paris", ""],
        ["Cy", "Oh", "cy@example.com", "", "1980-05-02", "", ""],
    ]
    monkeypatch.setattr("peoplebase.imports.pipeline.BATCH_SIZE", 2)
    monkeypatch.setattr(services, "BATCH_SIZE", 2)

    def imported(parallel: bool) -> dict[str, dict[str, Any]]:
        Contact.objects.all().delete()
        monkeypatch.setattr(services, "PARALLEL_MIN_ROWS", 1 if parallel else 10**9)
        job = upload(manager, [header, *people])
        assert services._parallel(job) is parallel
        job = run(manager, job)
        assert job.created == 3
        skip = {"id", "created_at", "updated_at", "previous_contact"}
        return {
            contact.email: {k: v for k, v in model_to_dict(contact).items() if k not in skip}
            for contact in Contact.objects.all()
        }

    parallel, here = imported(True), imported(False)

    assert parallel == here
    assert (here["ann@example.com"]["lead_score"], here["bo@example.com"]["lead_score"]) == (40, 0)
    ann = Contact.objects.get(email="ann@example.com")
    bo = Contact.objects.get(email="bo@example.com")
    cy = Contact.objects.get(email="cy@example.com")
    assert (ann.birthday, bo.birthday, cy.birthday) == ("--03-07", "", "1980-05-02")
    assert (ann.city, bo.city) == ("", "Paris")
    assert tag_names(ann) == ["VIP"] and tag_names(bo) == []


def test_report_rows_keep_cells_only_for_rejected_rows_and_changes_only_for_updates(
    manager: Any, upload: Any, run: Any, make_contact: Any
) -> None:
    make_contact(manager, full_name="Old Timer", emails=["old@example.com"])
    job = upload(
        manager,
        [
            HEADER,
            ["New", "Person", "new@example.com", "", "", ""],
            ["Bad", "Email", "not-an-email", "", "", ""],
            ["Old", "Timer", "old@example.com", "", "", "CTO"],
            ["New", "Again", "NEW@example.com", "", "", ""],
        ],
    )

    job = run(manager, job, duplicate_policy="fill")

    rows = {row.row_number: row for row in job.rows.all()}
    assert [rows[n].outcome for n in (1, 2, 3, 4)] == ["created", "invalid", "updated", "skipped"]
    assert (rows[1].reason, rows[1].cells, rows[1].changes) == ("", None, None)
    assert rows[2].cells == ["Bad", "Email", "not-an-email", "", "", ""] and rows[2].reason
    assert rows[3].cells is None and rows[3].changes == {"job_title": ["", "CTO"]}
    assert rows[4].cells == ["New", "Again", "NEW@example.com", "", "", ""] and rows[4].reason


@pytest.mark.parametrize("parallel", [False, True])
@pytest.mark.django_db(transaction=True)
def test_every_contact_field_a_file_gives_is_stored_as_the_contact_form_stores_it(
    manager: Any, upload: Any, monkeypatch: Any, parallel: bool
) -> None:
    """Each scalar target of the mapping, imported, equals the same value typed into the
    contact service: the import's bulk writer loses and changes nothing."""
    from django.forms.models import model_to_dict

    from peoplebase.contacts.cleaning import CHOICE_FIELDS
    from peoplebase.contacts.services import create_contact
    from peoplebase.imports.mapping import BUILTIN_TARGETS

    values = {
        "first_name": "Ann",
        "last_name": "Lee",
        "full_name": "Ann Lee",
        "job_title": "CTO",
        "department": "IT",
        "lead_score": "42",
        "birthday": "--03-07",
        "street": "1 Main St",
        "street2": "Floor 2",
        "city": "Paris",
        "region": "Île-de-France",
        "postal_code": "75001",
        "country": "FR",
        "linkedin_url": "https://www.linkedin.com/in/annlee",
        "twitter_handle": "@annlee",
        "consent_source": "Webinar",
        "consent_date": "2026-01-02T03:04:05+00:00",
        "last_contacted_at": "2026-02-03T04:05:06+00:00",
        "source": "Trade fair",
    }
    for name, choices in CHOICE_FIELDS.items():  # a value other than the default for each
        default = Contact._meta.get_field(name).get_default()
        values[name] = next(v for v in choices.values if v and v != default)
    scalar_targets = {key for key, _ in BUILTIN_TARGETS} & set(values)
    assert scalar_targets == set(values), set(values) - scalar_targets
    missing = {key for key, _ in BUILTIN_TARGETS} - set(values)
    # Lists, kinds, the employer, owner, tags and note are compared elsewhere.
    assert all(
        key.split(".")[0] in {"emails", "phones", "email_kind", "phone_kind", "tags", "note"}
        or key in {"company_name", "owner_email"}
        for key in missing
    ), missing
    if parallel:
        monkeypatch.setattr(services, "PARALLEL_MIN_ROWS", 1)
    headers = [*values, "Email"]
    job = upload(manager, [headers, [*values.values(), "ann@example.com"]])
    job = services.set_mapping(manager, job, {**{h: h for h in values}, "Email": "emails"})
    assert services._parallel(job) is parallel

    job = services.run_import_now(manager, job)

    assert (job.created, job.invalid) == (1, 0), list(job.rows.values_list("reason", flat=True))
    typed = create_contact(manager, {**values, "emails": ["ann@example.com"]}, allow_duplicate=True)
    imported = Contact.objects.get(pk=job.rows.get().contact_id)
    skip = {"id", "created_at", "updated_at", "created_by", "owner", "previous_contact"}

    def fields(contact: Contact) -> dict[str, Any]:
        contact.refresh_from_db()
        return {k: v for k, v in model_to_dict(contact).items() if k not in skip}

    assert fields(imported) == fields(typed.contact)
    assert imported.birthday == "--03-07" and imported.lead_score == 42


def test_emails_and_phones_are_stored_with_kind_rank_original_and_validity(
    manager: Any, upload: Any, run: Any
) -> None:
    from peoplebase.contacts.models import ContactPhone

    job = upload(
        manager,
        [
            ["Name", "Work Email", "Personal Email", "Mobile Phone", "Home Phone"],
            ["Ann Lee", " Ann@Work.example ", "ann@home.example", "(212) 555-0134", "12"],
        ],
    )

    job = run(manager, job)

    assert job.created == 1
    emails = list(
        ContactEmail.objects.order_by("id").values_list(
            "email", "original", "kind", "is_primary", "is_bounced", "is_opted_out"
        )
    )
    assert emails == [
        ("ann@work.example", "Ann@Work.example", "work", True, False, False),
        ("ann@home.example", "ann@home.example", "personal", False, False, False),
    ]
    phones = list(
        ContactPhone.objects.order_by("id").values_list(
            "number", "original", "kind", "is_primary", "is_valid"
        )
    )
    assert phones == [
        ("+12125550134", "(212) 555-0134", "mobile", True, True),
        ("12", "12", "home", False, False),
    ]


def test_a_matching_row_fills_or_overwrites_the_birthday_and_undo_restores_it(
    manager: Any, make_contact: Any, upload: Any, run: Any
) -> None:
    empty = make_contact(manager, full_name="Kim Empty", emails=["kim@example.com"])
    dated = make_contact(
        manager, full_name="Lou Dated", emails=["lou@example.com"], birthday="1980-05-02"
    )
    rows = [
        ["Name", "Email", "Birthday"],
        ["Kim Empty", "kim@example.com", "--03-07"],
        ["Lou Dated", "lou@example.com", "1990-01-09"],
    ]

    job = run(manager, upload(manager, rows), duplicate_policy="fill")

    empty.refresh_from_db()
    dated.refresh_from_db()
    assert (empty.birthday, dated.birthday) == ("--03-07", "1980-05-02")
    assert job.rows.get(row_number=1).changes == {"birthday": ["", "--03-07"]}

    job = run(manager, upload(manager, rows), duplicate_policy="overwrite")

    dated.refresh_from_db()
    assert dated.birthday == "1990-01-09"
    undo_import(manager, job)
    dated.refresh_from_db()
    assert dated.birthday == "1980-05-02"


def test_a_matching_rows_note_is_added_to_the_contact_and_undo_removes_it(
    manager: Any, make_contact: Any, upload: Any, run: Any
) -> None:
    from peoplebase.activities.models import Activity

    kim = make_contact(manager, full_name="Kim Known", emails=["kim@example.com"])
    lou = make_contact(manager, full_name="Lou Known", emails=["lou@example.com"])
    mo = make_contact(manager, full_name="Mo Known", emails=["mo@example.com"], city="Oslo")
    job = upload(
        manager,
        [
            ["Name", "Email", "City", "Notes"],
            ["Kim Known", "kim@example.com", "", "Met at the fair"],  # only the note is new
            ["Lou Known", "lou@example.com", "Paris", "Wants a demo"],
            ["Mo Known", "mo@example.com", "", ""],  # nothing new at all
            ["New Person", "new@example.com", "", "First contact"],
        ],
    )

    job = run(manager, job, duplicate_policy="fill")

    assert (job.created, job.updated, job.skipped) == (1, 2, 1)
    notes = {a.contact_id: a.body for a in Activity.objects.filter(kind="note")}
    new = Contact.objects.get(email="new@example.com")
    assert notes == {kim.pk: "Met at the fair", lou.pk: "Wants a demo", new.pk: "First contact"}
    assert job.rows.get(row_number=3).reason.endswith("Nothing new to add.")
    assert mo.activities.count() == 0

    undo_import(manager, job)

    lou.refresh_from_db()
    assert lou.city == ""
    assert not Activity.objects.filter(kind="note").exists()


def test_fill_gives_a_matched_contact_without_an_employer_the_files_company(
    manager: Any, make_contact: Any, upload: Any, run: Any
) -> None:
    from peoplebase.companies.models import Company

    acme = Company.objects.create(name="Acme", name_key="acme")
    loner = make_contact(manager, full_name="Kim Loner", emails=["kim@example.com"])
    employed = make_contact(
        manager, full_name="Lou Employed", emails=["lou@example.com"], company_id=acme.pk
    )
    rows = [
        ["Name", "Email", "Company"],
        ["Kim Loner", "kim@example.com", "Globex"],
        ["Lou Employed", "lou@example.com", "Initech"],
    ]

    job = run(manager, upload(manager, rows), duplicate_policy="fill")

    loner.refresh_from_db()
    employed.refresh_from_db()
    assert loner.company is not None and loner.company.name == "Globex"
    assert employed.company_id == acme.pk  # fill never replaces an employer
    assert job.rows.get(row_number=1).changes == {"company_id": [None, loner.company_id]}

    job = run(manager, upload(manager, rows), duplicate_policy="overwrite")

    employed.refresh_from_db()
    assert employed.company.name == "Initech"
    undo_import(manager, job)
    employed.refresh_from_db()
    assert employed.company_id == acme.pk


@pytest.mark.parametrize("parallel", [False, True])
@pytest.mark.django_db(transaction=True)
def test_custom_fields_are_imported_typed_checked_and_filled(
    admin: Any, manager: Any, make_contact: Any, upload: Any, monkeypatch: Any, parallel: bool
) -> None:
    from peoplebase.customfields.services import create_definition

    create_definition(admin, {"key": "budget", "label": "Budget", "field_type": "number"})
    create_definition(
        admin,
        {
            "key": "plan",
            "label": "Plan",
            "field_type": "single_select",
            "options": ["Gold", "Silver"],
        },
    )
    known = make_contact(
        manager, full_name="Kim Known", emails=["kim@example.com"], custom_fields={"plan": "Gold"}
    )
    if parallel:
        monkeypatch.setattr(services, "PARALLEL_MIN_ROWS", 1)
    job = upload(
        manager,
        [
            ["Name", "Email", "Budget", "Plan"],
            ["Ann Lee", "ann@example.com", "1200", "Silver"],
            ["Bo Ray", "bo@example.com", "lots", ""],
            ["Kim Known", "kim@example.com", "300", "Silver"],
        ],
    )
    job = services.set_mapping(
        manager,
        job,
        {"Name": "full_name", "Email": "emails", "Budget": "custom.budget", "Plan": "custom.plan"},
    )
    assert services._parallel(job) is parallel

    job = services.run_import_now(
        manager, services.set_options(manager, job, duplicate_policy="fill")
    )

    assert (job.created, job.invalid, job.updated) == (1, 1, 1)
    assert Contact.objects.get(email="ann@example.com").custom_fields == {
        "budget": 1200,
        "plan": "Silver",
    }
    assert "budget" in job.rows.get(row_number=2).reason
    known.refresh_from_db()
    assert known.custom_fields == {"plan": "Gold", "budget": 300}  # filled, not overwritten
