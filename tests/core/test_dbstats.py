from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from peoplebase.core.dbstats import (
    REFRESH_AFTER_ROWS,
    refresh_after_bulk_write,
    refresh_planner_statistics,
)
from peoplebase.search.services import rebuild_index

pytestmark = pytest.mark.django_db(transaction=True)


def _sqlite_stat_rows() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
        if cursor.fetchone()[0] == 0:
            return 0
        cursor.execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'contacts_contact'")
        return cursor.fetchone()[0]


def _postgres_analyzed() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT last_analyze IS NOT NULL FROM pg_stat_user_tables "
            "WHERE relname = 'contacts_contact'"
        )
        return bool(cursor.fetchone()[0])


def _has_statistics() -> bool:
    return _sqlite_stat_rows() > 0 if connection.vendor == "sqlite" else _postgres_analyzed()


def test_refresh_records_statistics_for_the_contact_indexes(admin, make_contact):
    make_contact(admin, full_name="Ada Lovelace")
    seconds = refresh_planner_statistics()
    assert seconds >= 0
    assert _has_statistics()


def test_small_bulk_writes_leave_the_statistics_alone():
    assert refresh_after_bulk_write(REFRESH_AFTER_ROWS - 1) is None


def test_large_bulk_writes_refresh_them(admin, make_contact):
    make_contact(admin, full_name="Grace Hopper")
    assert refresh_after_bulk_write(REFRESH_AFTER_ROWS) is not None
    assert _has_statistics()


def test_a_search_rebuild_refreshes_them(admin, make_contact):
    make_contact(admin, full_name="Edsger Dijkstra")
    rebuild_index()
    assert _has_statistics()


def test_growth_watch_is_due_each_time_the_rows_double(db: Any) -> None:
    from peoplebase.core.dbstats import GrowthWatch

    watch = GrowthWatch(first=10)
    due = [n for n in range(0, 100, 5) if watch.due(n)]

    assert due == [10, 20, 40, 80]


def test_analyze_tables_refreshes_postgresql_row_counts(make_contact: Any, manager: Any) -> None:
    from django.db import connection

    from peoplebase.core.dbstats import analyze_tables

    if connection.vendor != "postgresql":
        pytest.skip("SQLite's planner needs no statistics for these lookups")
    make_contact(manager, full_name="Ann Lee", emails=["ann@example.com"])

    analyze_tables(["contacts_contactemail"])

    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'contacts_contactemail'")
        assert cursor.fetchone()[0] == 1
