"""Planner statistics: what SQLite and PostgreSQL know about the size and spread of each index.

Both planners choose between the contact indexes from these statistics. Without them (a fresh
SQLite file, or right after a bulk load) SQLite guesses, and at a million contacts it guesses
wrong: it walks a whole list index to test `id IN (…)` for a relevance page instead of looking
the ids up by primary key (measured: 350–600 ms instead of under 10 ms). So every bulk write
(seeding, a search rebuild, a large import) ends by refreshing them.
"""

from __future__ import annotations

import time

from django.db import connection

# Imports and bulk jobs below this many written rows leave the statistics alone: the spread of
# a million-row table does not change with a few thousand rows, and ANALYZE reads every index.
REFRESH_AFTER_ROWS = 50_000


def refresh_planner_statistics() -> float:
    """Re-read every table's statistics; returns the seconds it took."""
    started = time.perf_counter()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            # analysis_limit=0 reads whole indexes: sampled statistics (the default limit some
            # builds set) mis-describe the skewed status and owner columns and mislead the planner.
            cursor.execute("PRAGMA analysis_limit=0")
            cursor.execute("ANALYZE")
        elif connection.vendor == "postgresql":
            cursor.execute("ANALYZE")
    return round(time.perf_counter() - started, 2)


def analyze_tables(tables: list[str]) -> None:
    """Re-read the statistics of a few tables, on PostgreSQL only.

    A table a bulk load grows from nothing keeps "empty" statistics until autovacuum gets to
    it (it did not during a whole 300k-row import), and with them the planner reads a lookup
    of 2,000 emails through the (contact, email) index, whole, instead of the email index:
    3 ms at 20k rows, 90 ms at 280k. SQLite's planner needs no statistics to pick that index.
    """
    if connection.vendor != "postgresql" or not tables:
        return
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {', '.join(quote(table) for table in tables)}")


class GrowthWatch:
    """Says when the rows written make statistics stale: each time their count doubles,
    from `first` on (seven refreshes for a million rows)."""

    def __init__(self, first: int = 10_000) -> None:
        self.next_at = first

    def due(self, rows_written: int) -> bool:
        if rows_written < self.next_at:
            return False
        self.next_at = rows_written * 2
        return True


def refresh_after_bulk_write(rows_written: int) -> float | None:
    """Refresh the statistics when a bulk write was large enough to change them."""
    if rows_written < REFRESH_AFTER_ROWS:
        return None
    return refresh_planner_statistics()
