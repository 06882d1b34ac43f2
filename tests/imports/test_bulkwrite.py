"""The import writer's database helpers: per-batch settings and batched lookups."""

from __future__ import annotations

import sqlite3
from types import SimpleNamespace
from typing import Any

import pytest
from django.db import connection, transaction

from peoplebase.contacts.models import ContactEmail
from peoplebase.imports import bulkwrite
from peoplebase.imports.bulkwrite import relax_commit_durability


def _synchronous_commit() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        return cursor.fetchone()[0]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL setting")
@pytest.mark.django_db(transaction=True)
def test_relaxed_commit_lasts_only_for_its_transaction() -> None:
    with transaction.atomic():
        relax_commit_durability()
        assert _synchronous_commit() == "off"
    assert _synchronous_commit() == "on"


def test_pairs_matching_finds_every_stored_value_across_chunks(
    manager: Any, make_contact: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bulkwrite, "SQLITE_IN_CHUNK", 2)  # several chunks with a few values
    first = make_contact(manager, full_name="Ann One", emails=["ann@example.com"])
    second = make_contact(
        manager, full_name="Bo Two", emails=["bo@example.com", "shared@example.com"]
    )
    third = make_contact(manager, full_name="Cy Three", emails=["shared@example.com"])
    wanted = ["nobody@example.com", "bo@example.com", "ann@example.com", "shared@example.com"]

    pairs = bulkwrite.pairs_matching(ContactEmail, "email", wanted)

    assert sorted(pairs) == sorted(
        [
            ("ann@example.com", first.pk),
            ("bo@example.com", second.pk),
            ("shared@example.com", second.pk),
            ("shared@example.com", third.pk),
        ]
    )
    assert bulkwrite.pairs_matching(ContactEmail, "email", []) == []


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite settings")
def test_bulk_writes_get_a_bigger_cache_and_longer_log_on_sqlite(db: Any) -> None:
    bulkwrite.tune_for_bulk_writes()

    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        assert cursor.fetchone()[0] == -bulkwrite.BULK_CACHE_KIB
        cursor.execute("PRAGMA wal_autocheckpoint")
        assert cursor.fetchone()[0] == bulkwrite.BULK_CHECKPOINT_PAGES

    # Loading with the indexes set aside: a smaller cache (little is read back).
    bulkwrite.tune_for_bulk_writes(indexes_set_aside=True)
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        assert cursor.fetchone()[0] == -bulkwrite.LOADING_CACHE_KIB


def test_columns_no_row_fills_are_left_out_or_written_as_their_default(manager: Any) -> None:
    from django.utils import timezone

    from peoplebase.contacts.models import Contact

    now = timezone.now()
    with transaction.atomic():
        ids = bulkwrite.reserve_ids(Contact, 3)
        base = {"created_by_id": manager.pk, "created_at": now, "updated_at": now}
        bulkwrite.insert_rows(
            Contact,
            [
                {**base, "id": ids[0], "full_name": "No Dates"},
                {**base, "id": ids[1], "full_name": "One Date", "consent_date": now},
            ],
        )
        assert "consent_date" not in bulkwrite._unfilled_columns(Contact, [{"consent_date": now}])
        unfilled = bulkwrite._unfilled_columns(Contact, [{**base, "full_name": "No Dates"}])
        plan = bulkwrite._plan(Contact, False, unfilled)
        bulkwrite.insert_rows(
            Contact, [{**base, "full_name": "Numbered", "id": ids[2], "lead_score": 7}]
        )

    assert {"consent_date", "archived_at", "status", "is_archived"} <= unfilled
    assert "full_name" not in unfilled
    assert "consent_date" not in plan.columns  # NULL by default: left out
    # Other defaults are bound on PostgreSQL and written into the statement on SQLite.
    bound_defaults = {"status", "is_archived", "lead_score", "street"} & set(plan.attnames)
    if connection.vendor == "sqlite":
        assert not bound_defaults
        assert "'active'" in plan.values and plan.values.count("%s") == len(plan.attnames)
    else:
        assert bound_defaults == {"status", "is_archived", "lead_score", "street"}
    stored = {c.full_name: c for c in Contact.objects.filter(pk__in=ids)}
    assert stored["No Dates"].consent_date is None and stored["No Dates"].status == "active"
    assert stored["No Dates"].is_archived is False and stored["No Dates"].lead_score == 0
    assert stored["One Date"].consent_date == now
    assert stored["Numbered"].archived_at is None and stored["Numbered"].status == "active"
    assert stored["Numbered"].lead_score == 7 and stored["Numbered"].street == ""


def test_only_numbers_and_plain_text_become_literals(db: Any) -> None:
    from django.db import models

    def field(default: Any) -> models.Field:
        made = models.CharField(max_length=50, default=default)
        made.set_attributes_from_name("probe")
        return made

    if connection.vendor != "sqlite":
        assert bulkwrite._literal(field("active")) is None
        return
    assert bulkwrite._literal(field("active")) == "'active'"
    assert bulkwrite._literal(field("")) == "''"
    for unsafe in ("it's", "50%", "a\\b", 'say "hi"', "semi;colon", "line\nbreak"):
        assert bulkwrite._literal(field(unsafe)) is None
    flag = models.BooleanField(default=True)
    flag.set_attributes_from_name("flag")
    assert bulkwrite._literal(flag) == "1"
    score = models.PositiveSmallIntegerField(default=3)
    score.set_attributes_from_name("score")
    assert bulkwrite._literal(score) == "3"
    # A callable default is evaluated per row: never frozen into the statement, unless it
    # is an empty container's type (the same JSON text every time).
    counter = iter(range(100))
    assert bulkwrite._literal(field(lambda: f"token{next(counter)}")) is None
    custom = models.JSONField(default=dict)
    custom.set_attributes_from_name("custom")
    assert bulkwrite._literal(custom) == "'{}'"


def test_rows_are_inserted_many_per_statement_with_the_rest_one_by_one(
    manager: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.utils import timezone

    from peoplebase.contacts.models import Contact
    from peoplebase.core import multirow

    monkeypatch.setattr(multirow, "ROWS_PER_STATEMENT", 3)  # two full statements and one left
    statements: list[str] = []

    def execute(raw: Any, sql: str, params: Any) -> Any:
        statements.append(sql)
        return sqlite3.Cursor.execute(raw, sql, params)

    monkeypatch.setattr(
        multirow, "sqlite3", SimpleNamespace(Cursor=SimpleNamespace(execute=execute))
    )
    now = timezone.now()
    names = [f"Person {n}" for n in range(7)]
    with transaction.atomic():
        ids = bulkwrite.reserve_ids(Contact, len(names))
        rows = [
            {
                "id": pk,
                "full_name": name,
                "created_by_id": manager.pk,
                "created_at": now,
                "updated_at": now,
                "lead_score": n,
            }
            for n, (pk, name) in enumerate(zip(ids, names, strict=True))
        ]
        bulkwrite.insert_rows(Contact, rows)

    stored = Contact.objects.filter(pk__in=ids).order_by("pk")
    assert [(c.full_name, c.lead_score, c.status) for c in stored] == [
        (name, n, "active") for n, name in enumerate(names)
    ]
    if connection.vendor == "sqlite":
        many = [sql for sql in statements if "contacts_contact" in sql]
        assert len(many) == 2 and all(sql.count("),") == 2 for sql in many)


def test_a_default_made_per_row_is_made_for_each_row(
    manager: Any, upload: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A callable default is called for every row that leaves the column out, on both
    databases, never once for the whole insert (the plan is cached between batches)."""
    from peoplebase.imports.models import ImportRow

    counter = iter(range(1_000))
    reason = ImportRow._meta.get_field("reason")
    monkeypatch.setattr(reason, "default", lambda: f"made {next(counter)}")
    monkeypatch.setattr(bulkwrite, "_plans", {})
    job = upload(manager, [["Name"], ["Ann"]])
    # Django caches how a field makes its default (`_get_default`) on first use: forgotten
    # before, so the new default is seen, and after, so later tests see the real one again.
    reason.__dict__.pop("_get_default", None)
    try:
        with transaction.atomic():
            bulkwrite.insert_rows(
                ImportRow,
                [{"job_id": job.pk, "row_number": n, "outcome": "invalid"} for n in range(1, 4)]
                + [{"job_id": job.pk, "row_number": 4, "outcome": "invalid", "reason": "given"}],
            )
    finally:
        reason.__dict__.pop("_get_default", None)
    reasons = list(
        ImportRow.objects.filter(job=job).order_by("row_number").values_list("reason", flat=True)
    )
    assert reasons[3] == "given"
    assert len(set(reasons[:3])) == 3 and all(r.startswith("made ") for r in reasons[:3])


def test_tuples_are_inserted_like_dicts_with_every_other_column_at_its_default(
    manager: Any,
) -> None:
    from django.forms.models import model_to_dict
    from django.utils import timezone

    from peoplebase.contacts.models import Contact

    now = timezone.now()
    columns = ("id", "created_by_id", "created_at", "updated_at", "full_name", "custom_fields")
    with transaction.atomic():
        by_tuple, by_dict, dated = bulkwrite.reserve_ids(Contact, 3)
        bulkwrite.insert_tuples(
            Contact, columns, [(by_tuple, manager.pk, now, now, "Ann Lee", {"plan": "gold"})]
        )
        bulkwrite.insert_rows(
            Contact,
            [
                {
                    "id": by_dict,
                    "created_by_id": manager.pk,
                    "created_at": now,
                    "updated_at": now,
                    "full_name": "Ann Lee",
                    "custom_fields": {"plan": "gold"},
                }
            ],
        )
        # A converted column (a date) given by one tuple only: the next one is converted too.
        bulkwrite.insert_tuples(
            Contact, (*columns, "consent_date"), [(dated, manager.pk, now, now, "Bo", {}, now)]
        )

    def stored(pk: int) -> dict[str, Any]:
        values = model_to_dict(Contact.objects.get(pk=pk))
        return {name: value for name, value in values.items() if name != "id"}

    assert stored(by_tuple) == stored(by_dict)
    assert stored(by_tuple)["status"] == "active" and stored(by_tuple)["lead_score"] == 0
    dated_contact = Contact.objects.get(pk=dated)
    assert dated_contact.consent_date == now and dated_contact.custom_fields == {}
    assert bulkwrite.insert_tuples(Contact, columns, []) is None  # nothing to write: no-op


def test_a_default_made_per_row_cannot_be_left_to_a_tuple_plan(db: Any) -> None:
    from peoplebase.activities.models import Activity

    with pytest.raises(ValueError, match="made per row"):
        bulkwrite._tuple_plan(Activity, ("kind", "body"))  # occurred_at: the time of each row
