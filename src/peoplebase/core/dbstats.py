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


def refresh_after_bulk_write(rows_written: int) -> float | None:
    """Refresh the statistics when a bulk write was large enough to change them."""
    if rows_written < REFRESH_AFTER_ROWS:
        return None
    return refresh_planner_statistics()
