"""Large imports into nearly empty tables set secondary indexes aside and build them again."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from peoplebase.contacts.models import Contact
from peoplebase.imports import bulkload, pipeline, services
from peoplebase.imports.apps import restore_before_migrating
from peoplebase.imports.models import DeferredIndex, ImportJob, ImportStatus
from peoplebase.search.services import search_contacts
from tests.imports.conftest import HEADER


@pytest.fixture
def bulk(monkeypatch: Any) -> None:
    """Any import of 3 rows or more counts as big; batches of 2 rows."""
    monkeypatch.setattr(bulkload, "BULK_MIN_ROWS", 3)
    monkeypatch.setattr(pipeline, "BATCH_SIZE", 2)
    monkeypatch.setattr(services, "BATCH_SIZE", 2)


def catalogue() -> dict[str, list[tuple[str, str]]]:
    """Each filled table's secondary indexes and (on PostgreSQL) foreign keys; on SQLite, the
    full-text index's merge setting too."""
    found = {
        table: bulkload.secondary_indexes(table) + bulkload.foreign_keys(table)
        for table in bulkload.deferred_tables()
    }
    if connection.vendor == "sqlite":
        found["fts"] = [("automerge", str(fts_automerge()))]
    return found


def fts_automerge() -> int:
    """FTS5's merge setting as stored in the index (no row: its default, 4)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT v FROM search_contact_fts_config WHERE k = 'automerge'")
        row = cursor.fetchone()
    return int(row[0]) if row else 4


def people(count: int) -> list[list[str]]:
    return [HEADER] + [
        [f"Person{i}", "Lee", f"p{i}@example.com", f"+1 212 555 01{i:02d}", "Acme", "CEO"]
        for i in range(count)
    ]


def watch_writes(monkeypatch: Any, during: Any) -> list[dict[str, list[str]]]:
    """Record the index names of the contact and email tables as each batch is written."""
    seen: list[dict[str, list[str]]] = []
    real_write = pipeline.BatchWriter.write

    def write(self: Any, rows: Any) -> None:
        seen.append(
            {
                table: [name for name, _ in bulkload.secondary_indexes(table)]
                for table in ("contacts_contact", "contacts_contactemail")
            }
        )
        during(len(seen), self.job)
        real_write(self, rows)

    monkeypatch.setattr(pipeline.BatchWriter, "write", write)
    return seen


def test_a_big_import_into_an_empty_table_loads_first_and_indexes_after(
    manager: Any, upload: Any, run: Any, bulk: None, monkeypatch: Any
) -> None:
    before = catalogue()
    assert before["contacts_contact"] and before["contacts_contactemail"]
    seen = watch_writes(monkeypatch, lambda number, job: None)

    job = run(manager, upload(manager, people(5)))

    assert job.status == ImportStatus.DONE and job.created == 5
    # While loading: no secondary index on contacts or emails (the few contacts already there
    # are matched from memory).
    assert len(seen) == 3
    assert all(s["contacts_contact"] == [] for s in seen)
    assert all(s["contacts_contactemail"] == [] for s in seen)
    # Afterwards every index is back as it was, nothing is left to build, and it is timed.
    assert catalogue() == before
    assert not DeferredIndex.objects.exists()
    assert "indexes" in job.timings
    person3 = Contact.objects.get(email="p3@example.com")
    assert [hit.contact_id for hit in search_contacts("person3")] == [person3.pk]


def test_matching_by_name_and_company_keeps_the_company_index(db: Any) -> None:
    kept = bulkload._kept_index_names(True)
    company_index = [
        name for name, _ in bulkload.secondary_indexes("contacts_contact") if name in kept
    ]
    assert len(company_index) == 1 and "company" in company_index[0]


def test_duplicates_of_rows_loaded_earlier_are_still_caught(
    manager: Any, upload: Any, run: Any, bulk: None
) -> None:
    rows = [*people(4), ["Again", "Lee", "P1@EXAMPLE.COM", "", "", ""]]

    job = run(manager, upload(manager, rows))

    assert (job.created, job.skipped) == (4, 1)
    assert Contact.objects.filter(email="p1@example.com").count() == 1


@pytest.mark.parametrize("ending", ["error", "cancel"])
def test_a_failed_or_cancelled_import_builds_its_indexes_again(
    manager: Any, upload: Any, run: Any, bulk: None, monkeypatch: Any, ending: str
) -> None:
    before = catalogue()

    def second_batch(number: int, job: ImportJob) -> None:
        if number == 2 and ending == "error":
            raise RuntimeError("disk full")
        if number == 2:
            ImportJob.objects.filter(pk=job.pk).update(cancel_requested=True)

    watch_writes(monkeypatch, second_batch)

    job = run(manager, upload(manager, people(6)))

    expected = ImportStatus.FAILED if ending == "error" else ImportStatus.CANCELLED
    assert job.status == expected
    assert catalogue() == before
    assert not DeferredIndex.objects.exists()


def test_small_imports_and_full_tables_keep_their_indexes(
    manager: Any, upload: Any, run: Any, bulk: None, monkeypatch: Any, make_contact: Any
) -> None:
    small = upload(manager, people(2))
    assert not bulkload.should_defer(small)
    for i in range(5):
        make_contact(manager, first_name=f"Old{i}", last_name="Row")
    big = upload(manager, people(5))
    assert not bulkload.should_defer(big)  # the table already holds as many as it brings

    seen = watch_writes(monkeypatch, lambda number, job: None)
    run(manager, big)

    assert all(s["contacts_contact"] for s in seen)


def test_indexes_a_dead_import_left_aside_are_built_by_housekeeping(
    manager: Any, upload: Any, bulk: None
) -> None:
    from peoplebase.core.housekeeping import run_housekeeping

    before = catalogue()
    job = upload(manager, people(5))
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.RUNNING)
    assert bulkload.defer_indexes(job) > 0
    assert catalogue()["contacts_contact"] == []

    # Still running (perhaps on another worker): left alone.
    assert run_housekeeping()["restored_indexes"] == 0
    # Its process died and the job was marked failed: built again.
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.FAILED)
    assert run_housekeeping()["restored_indexes"] == sum(len(v) for v in before.values())
    assert catalogue() == before


def test_migrate_builds_every_set_aside_index_first(manager: Any, upload: Any, bulk: None) -> None:
    before = catalogue()
    job = upload(manager, people(5))
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.RUNNING)
    bulkload.defer_indexes(job)

    restore_before_migrating()

    assert catalogue() == before
    assert not DeferredIndex.objects.exists()


def test_an_index_built_meanwhile_is_not_built_twice(manager: Any, upload: Any, bulk: None) -> None:
    job = upload(manager, people(5))
    bulkload.defer_indexes(job)
    first = DeferredIndex.objects.order_by("pk").first()
    assert first is not None
    from django.db import connection

    with connection.cursor() as cursor:  # as if an earlier, interrupted restore had built it
        cursor.execute(first.definition)

    pending = DeferredIndex.objects.count()

    assert bulkload.restore_indexes(job) == pending
    assert not DeferredIndex.objects.exists()
    assert bulkload.secondary_indexes(first.table)


@pytest.mark.django_db(transaction=True)
def test_indexes_are_built_again_side_by_side_outside_a_transaction(
    manager: Any, upload: Any, run: Any, bulk: None
) -> None:
    before = catalogue()

    job = run(manager, upload(manager, people(5)))

    assert job.status == ImportStatus.DONE and job.created == 5
    assert catalogue() == before
    assert not DeferredIndex.objects.exists()


def test_an_interrupted_import_is_cancelled_with_its_indexes_built_again(
    manager: Any, upload: Any, bulk: None, monkeypatch: Any
) -> None:
    before = catalogue()

    def ctrl_c(number: int, job: ImportJob) -> None:
        if number == 2:
            raise KeyboardInterrupt

    watch_writes(monkeypatch, ctrl_c)
    job = upload(manager, people(6))

    with pytest.raises(KeyboardInterrupt):
        services.run_import_now(manager, job)

    job.refresh_from_db()
    assert job.status == ImportStatus.CANCELLED and job.processed_rows == 2
    assert catalogue() == before
    assert not DeferredIndex.objects.exists()


def test_a_resumed_import_keeps_its_indexes_aside_and_builds_them_at_its_end(
    manager: Any, upload: Any, bulk: None, monkeypatch: Any
) -> None:
    before = catalogue()
    job = upload(manager, people(6))
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.QUEUED)
    # As if its worker died after setting the indexes aside and before writing anything.
    assert bulkload.defer_indexes(job) > 0
    seen = watch_writes(monkeypatch, lambda number, job: None)

    services.run_import(job.pk)

    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and job.created == 6
    assert all(s["contacts_contact"] == [] for s in seen)
    assert catalogue() == before
    assert not DeferredIndex.objects.exists()


def test_postgresql_foreign_keys_are_set_aside_and_checked_again_at_the_end(
    manager: Any, upload: Any, run: Any, bulk: None, monkeypatch: Any
) -> None:
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("SQLite's foreign-key checks cannot be dropped per table")
    before = bulkload.foreign_keys("contacts_contactemail")
    assert before
    seen: list[list[tuple[str, str]]] = []
    watch_writes(
        monkeypatch,
        lambda number, job: seen.append(bulkload.foreign_keys("contacts_contactemail")),
    )

    job = run(manager, upload(manager, people(5)))

    assert job.created == 5
    assert all(keys == [] for keys in seen)
    assert bulkload.foreign_keys("contacts_contactemail") == before
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT bool_and(convalidated) FROM pg_constraint "
            "WHERE contype = 'f' AND conrelid = 'contacts_contactemail'::regclass"
        )
        assert cursor.fetchone()[0] is True


def test_a_key_broken_while_set_aside_is_kept_unvalidated_not_lost(
    manager: Any, upload: Any, bulk: None, caplog: Any
) -> None:
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("foreign keys are set aside on PostgreSQL only")
    before = bulkload.foreign_keys("contacts_contactemail")
    job = upload(manager, people(5))
    bulkload.defer_indexes(job)
    with connection.cursor() as cursor:  # a row pointing at a contact that does not exist
        cursor.execute(
            "INSERT INTO contacts_contactemail (contact_id, email, original, kind, is_primary, "
            "is_bounced, is_opted_out, created_at) "
            "VALUES (987654, 'x@example.com', 'x@example.com', 'work', true, false, false, now())"
        )

    bulkload.restore_indexes(job)

    assert bulkload.foreign_keys("contacts_contactemail") == before
    assert not DeferredIndex.objects.exists()
    assert "left NOT VALID" in caplog.text
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT convalidated FROM pg_constraint WHERE contype = 'f' "
            "AND conrelid = 'contacts_contactemail'::regclass"
        )
        assert cursor.fetchall() == [(False,)]  # there, and enforced for new rows


@pytest.mark.django_db(transaction=True)
def test_sqlite_loads_without_reference_checks_then_checks_once(
    manager: Any, upload: Any, run: Any, bulk: None, monkeypatch: Any
) -> None:
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("a SQLite connection setting")

    def foreign_keys_on() -> int:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA foreign_keys")
            return cursor.fetchone()[0]

    during: list[int] = []
    watch_writes(monkeypatch, lambda number, job: during.append(foreign_keys_on()))
    checked: list[int] = []
    real_check = bulkload.check_references
    monkeypatch.setattr(services, "check_references", lambda: checked.append(real_check()))

    job = run(manager, upload(manager, people(5)))

    assert job.created == 5
    assert during == [0, 0, 0]
    assert foreign_keys_on() == 1
    assert checked == [0]


def test_check_references_counts_rows_pointing_nowhere(db: Any, caplog: Any) -> None:
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL validates its keys as it adds them back")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA defer_foreign_keys = ON")  # checked at commit: there is none
        cursor.execute(
            "INSERT INTO contacts_contactemail (contact_id, email, original, kind, is_primary, "
            "is_bounced, is_opted_out, created_at) "
            "VALUES (987654, 'x@example.com', 'x@example.com', 'work', 1, 0, 0, '2026-01-01')"
        )

    assert bulkload.check_references() == 1
    assert "point at missing rows" in caplog.text
    with connection.cursor() as cursor:  # the test's own check at its end would fail on it
        cursor.execute("DELETE FROM contacts_contactemail WHERE contact_id = 987654")


def test_a_bulk_load_matches_the_contacts_already_there_from_memory(
    manager: Any, upload: Any, run: Any, bulk: None, make_contact: Any
) -> None:
    old = make_contact(
        manager, full_name="Old Timer", emails=["p1@example.com"], phones=["+1 212 555 0103"]
    )
    job = upload(manager, people(5))
    assert bulkload.should_defer(job)

    job = run(manager, job)

    # Row 2 (p1@…) by email, row 4 (…0103) by phone: both are the contact already there.
    assert (job.created, job.skipped) == (3, 2)
    reasons = sorted(job.rows.filter(outcome="skipped").values_list("reason", flat=True))
    assert reasons == [
        f"Matches existing contact #{old.pk} by email.",
        f"Matches existing contact #{old.pk} by phone.",
    ]


def test_above_the_preload_limit_the_match_indexes_stay(
    manager: Any, upload: Any, run: Any, bulk: None, monkeypatch: Any, make_contact: Any
) -> None:
    monkeypatch.setattr(bulkload, "PRELOAD_MAX_CONTACTS", 0)
    make_contact(manager, full_name="Old Timer", emails=["p1@example.com"])
    seen = watch_writes(monkeypatch, lambda number, job: None)

    job = run(manager, upload(manager, people(5)))

    assert (job.created, job.skipped) == (4, 1)
    kept = bulkload._index_names(bulkload.MATCH_FIELDS)
    assert all(
        set(s["contacts_contactemail"]) == kept & set(s["contacts_contactemail"]) for s in seen
    )
    assert all(s["contacts_contactemail"] for s in seen)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="FTS5 is SQLite's index")
def test_sqlite_search_index_merges_less_often_during_a_bulk_load_only(
    manager: Any, upload: Any, run: Any, bulk: None, monkeypatch: Any
) -> None:
    during: list[int] = []
    watch_writes(monkeypatch, lambda number, job: during.append(fts_automerge()))

    job = run(manager, upload(manager, people(5)))

    assert job.status == ImportStatus.DONE
    assert during == [16, 16, 16]
    assert fts_automerge() == 4
    assert not DeferredIndex.objects.exists()


def pragma(name: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA {name}")
        return int(cursor.fetchone()[0])


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's sorter settings")
def test_sqlite_builds_indexes_with_parallel_sorts_then_restores_the_connection(
    manager: Any, upload: Any, bulk: None, monkeypatch: Any
) -> None:
    job = upload(manager, people(5))
    assert bulkload.defer_indexes(job)
    real_build, during = bulkload._build, []

    def build(index: Any) -> None:
        during.append((pragma("cache_size"), pragma("threads")))
        real_build(index)

    monkeypatch.setattr(bulkload, "_build", build)
    before = (pragma("cache_size"), pragma("threads"))

    assert bulkload.restore_indexes(job) == len(during) > 1

    assert set(during) == {(-bulkload.SORT_CACHE_KIB, bulkload.SORT_THREADS)}
    assert (pragma("cache_size"), pragma("threads")) == before
    assert not DeferredIndex.objects.exists()
