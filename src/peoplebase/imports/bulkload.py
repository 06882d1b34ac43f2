"""Very large imports into nearly empty tables load the rows first and build indexes after.

Keeping a dozen B-tree and GIN indexes up to date row by row is most of what a large import
costs the database, and it grows with the table (each new key lands on a random page); building
an index once over rows already loaded is a sort and a sequential write. So an import of at least
`BULK_MIN_ROWS` rows into tables holding fewer contacts than it brings sets the secondary indexes
of the tables it fills aside while it writes, and builds them again when it ends: done, failed,
cancelled or interrupted (PostgreSQL's documentation gives the same advice for bulk loads).

Nothing is lost if the process dies in between: each index's CREATE statement, as the database
itself reports it, is stored in `DeferredIndex` in the same transaction that drops the index.
Housekeeping (worker start, then hourly) and `migrate` build again whatever a job that is no
longer running left aside; a resumed job keeps them aside and builds them at its end.

On PostgreSQL the foreign keys of those tables are set aside too and added back at the end,
first unchecked, then validated in one pass per key: checking each new row's references at every
batch's commit was a quarter of the server's time. Should a row point at something deleted
while its key was away, the key stays NOT VALID (enforced for new rows) and a warning is logged.
On SQLite the full-text index merges its segments sixteen at a time instead of four while the
job loads; the statement restoring the default is recorded and run like an index's.

Never set aside: primary keys, unique indexes and constraints (they keep the data right) and
the indexes matching reads: the company index when the job matches by name and company, and the
email and phone indexes when more than `PRELOAD_MAX_CONTACTS` contacts are already there (below
that, their emails and phones are read into memory once and matched there; contacts someone
else adds while the load runs are then not matched against, only the file's own rows and what
was there when it began). Other users keep working meanwhile; lists and searches over the imported
tables are slower until the indexes are back.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import DatabaseError, IntegrityError, connection, connections, transaction
from django.db.models import Model, QuerySet

from peoplebase.contacts.models import Contact, ContactEmail, ContactPhone, ContactTag
from peoplebase.imports.models import DeferredIndex, ImportJob, ImportRow, ImportStatus
from peoplebase.search.engines import NAME_TOKENS, PostgresEngine, SqliteEngine

logger = logging.getLogger("peoplebase.imports")

# Below this many rows still to import, indexes are kept: building them again over the whole
# table would cost more than maintaining them (measured on SQLite: 300k rows into an empty
# database, 55 s with indexes kept, 38 s + 3.7 s to rebuild them).
BULK_MIN_ROWS = 100_000
DEFERRED_MODELS: tuple[type[Model], ...] = (
    Contact,
    ContactEmail,
    ContactPhone,
    ContactTag,
    ImportRow,
)
# The search engine's own tables on PostgreSQL (SQLite's FTS5 table has no separate indexes).
DEFERRED_RAW_TABLES = (PostgresEngine.table, NAME_TOKENS)
# Memory PostgreSQL may use while building an index again. More is not faster here: at a
# million contacts the search document's GIN index took 10.7 s with 256 MB, 11.7 s with 1 GB
# and 6.6–7.6 s with 16–32 MB (its pending entries fit the processor's caches); the B-trees
# were fastest around 64 MB (the name-ordered list index: 2.1 s at 256 MB, 1.8 s at 64 MB).
BUILD_MEMORY = "64MB"
GIN_BUILD_MEMORY = "32MB"
# A table busy with a long query is left alone rather than waited for: the import then
# simply keeps its indexes.
LOCK_WAIT = "2s"


def should_defer(job: ImportJob) -> bool:
    """True for an import big enough, into tables small enough, to load before indexing."""
    rows_left = job.total_rows - job.processed_rows
    if rows_left < BULK_MIN_ROWS:
        return False
    return Contact.objects.count() < rows_left


def _index_names(fields: list[tuple[type[Model], str]]) -> set[str]:
    """The names Django gave the single-column indexes of these fields."""
    editor = connection.schema_editor()  # only for its naming rule: never entered
    return {
        editor._create_index_name(model._meta.db_table, [model._meta.get_field(name).column])
        for model, name in fields
    }


MATCH_FIELDS: list[tuple[type[Model], str]] = [(ContactEmail, "email"), (ContactPhone, "number")]
# Up to this many contacts already there, a bulk load reads their emails and phones into
# memory once (`matching.KnownContacts`) and sets the email and phone indexes aside too: kept,
# each batch wrote ~4,000 random pages of them, which made SQLite's commits a quarter of a
# 1M-row import. Above it, the indexes stay and matching queries them.
PRELOAD_MAX_CONTACTS = 200_000


def _kept_index_names(match_name_company: bool, keep_match_indexes: bool = True) -> set[str]:
    """Indexes matching reads while the import runs."""
    kept = list(MATCH_FIELDS) if keep_match_indexes else []
    if match_name_company:
        kept.append((Contact, "company"))
    return _index_names(kept)


def match_indexes_deferred(job: ImportJob) -> bool:
    """Whether `job` set the email and phone indexes aside (so it matches from memory)."""
    return DeferredIndex.objects.filter(job=job, name__in=_index_names(MATCH_FIELDS)).exists()


def secondary_indexes(table: str) -> list[tuple[str, str]]:
    """(name, CREATE statement) of each index on `table` that no constraint needs."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT i.relname, pg_get_indexdef(x.indexrelid) FROM pg_index x "
                "JOIN pg_class i ON i.oid = x.indexrelid "
                "WHERE x.indrelid = to_regclass(%s) AND NOT x.indisunique AND NOT x.indisprimary "
                "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid) "
                "ORDER BY i.relname",
                [table],
            )
        else:
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s "
                "AND sql IS NOT NULL ORDER BY name",
                [table],
            )
        return [
            (name, sql)
            for name, sql in cursor.fetchall()
            if not sql.upper().startswith("CREATE UNIQUE")
        ]


def foreign_keys(table: str) -> list[tuple[str, str]]:
    """(name, ALTER TABLE … ADD CONSTRAINT … NOT VALID) of each foreign key of `table`, on
    PostgreSQL; none on SQLite, whose foreign-key checks cannot be dropped per table."""
    if connection.vendor != "postgresql":
        return []
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE contype = 'f' AND conrelid = to_regclass(%s) ORDER BY conname",
            [table],
        )
        return [
            (
                name,
                f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} "
                f"{body.removesuffix(' NOT VALID')} NOT VALID",
            )
            for name, body in cursor.fetchall()
        ]


@contextmanager
def unchecked_references() -> Iterator[None]:
    """SQLite: this connection skips foreign-key checks for the block (they cost 10-15% of a
    large import's time); `check_references` looks at the loaded rows once afterwards.

    Only this connection: everyone else's writes are still checked. What the import writes
    points at rows it read or wrote in the same batch transaction, which holds SQLite's write
    lock from its start (transaction mode IMMEDIATE), so nothing it read can be deleted under
    it. The pragma is a no-op inside a transaction, so the block must start outside one; it is
    switched back on whatever happens.
    """
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA foreign_keys = OFF")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA foreign_keys = ON")


def check_references() -> int:
    """SQLite: rows of the filled tables whose references lead nowhere (`foreign_key_check`),
    logged; returns how many. PostgreSQL validates its keys as it adds them back."""
    if connection.vendor != "sqlite":
        return 0
    quote = connection.ops.quote_name
    broken = 0
    with connection.cursor() as cursor:
        for table in deferred_tables():
            cursor.execute(f"PRAGMA foreign_key_check({quote(table)})")
            found = len(cursor.fetchall())
            if found:
                logger.warning("%s row(s) of %s point at missing rows", found, table)
            broken += found
    return broken


def deferred_tables() -> list[str]:
    tables = [model._meta.db_table for model in DEFERRED_MODELS]
    if connection.vendor == "postgresql":
        tables += DEFERRED_RAW_TABLES
    return tables


def defer_indexes(job: ImportJob) -> int:
    """Drop the secondary indexes of the tables the import fills, recording each first.

    Returns how many were set aside; 0 when a table was busy (the import keeps its indexes).
    Runs outside the import's batches, in a transaction of its own.
    """
    keep_match = Contact.objects.count() > PRELOAD_MAX_CONTACTS
    kept = _kept_index_names(job.match_name_company, keep_match)
    quote = connection.ops.quote_name
    try:
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute(f"SET LOCAL lock_timeout = '{LOCK_WAIT}'")
                    # Dropping a foreign key alters the table it points at too, which
                    # PostgreSQL refuses while checks of rows written in this transaction
                    # (the DeferredIndex rows below) are still queued: check them as written.
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            count = 0
            for table in deferred_tables():
                for name, definition in secondary_indexes(table):
                    if name in kept:
                        continue
                    DeferredIndex.objects.create(
                        job=job, name=name, table=table, definition=definition
                    )
                    with connection.cursor() as cursor:
                        cursor.execute(f"DROP INDEX {quote(name)}")
                    count += 1
                # Each new row's references were checked one by one at every batch's commit
                # (a quarter of PostgreSQL's time); one validating join per key at the end.
                for name, definition in foreign_keys(table):
                    DeferredIndex.objects.create(
                        job=job, name=name, table=table, definition=definition
                    )
                    with connection.cursor() as cursor:
                        cursor.execute(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}")
                    count += 1
            count += _relax_search_merging(job)
    except DatabaseError:
        logger.warning("Import %s keeps its indexes: a table was busy", job.pk, exc_info=True)
        return 0
    return count


def _relax_search_merging(job: ImportJob) -> int:
    """SQLite: let FTS5 merge fewer times while the job loads; the statement that restores
    the default is recorded like an index, so every path that builds indexes again runs it."""
    if connection.vendor != "sqlite":
        return 0
    engine = SqliteEngine()
    DeferredIndex.objects.create(
        job=job,
        name=f"{engine.table} automerge",
        table=engine.table,
        definition=engine.automerge_sql(engine.AUTOMERGE),
    )
    with connection.cursor() as cursor:
        cursor.execute(engine.automerge_sql(engine.BULK_AUTOMERGE))
    return 1


_CREATE = re.compile(r"^\s*CREATE\s+INDEX\s+(?!IF NOT EXISTS)", re.IGNORECASE)


def _build(index: DeferredIndex) -> None:
    """Create one set-aside index or foreign key again (if something already did, leave it),
    or restore the search index's merge setting, and forget it."""
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            gin = "using gin" in index.definition.lower()
            memory = GIN_BUILD_MEMORY if gin else BUILD_MEMORY
            cursor.execute(f"SET LOCAL maintenance_work_mem = '{memory}'")
            # PostgreSQL will not index a table with foreign-key checks still queued in this
            # transaction (only when called inside a caller's open transaction): run them now.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        if index.definition.upper().startswith("ALTER TABLE"):
            _add_foreign_key(cursor, index)
        else:
            cursor.execute(_CREATE.sub("CREATE INDEX IF NOT EXISTS ", index.definition, count=1))
        DeferredIndex.objects.filter(pk=index.pk).delete()


def _add_foreign_key(cursor: Any, index: DeferredIndex) -> None:
    """Add the key back unchecked, then check the rows already there in one pass.

    Should a row point at something deleted meanwhile (possible only while the key was
    away), the key stays NOT VALID: enforced for every new and changed row, the stray rows
    logged for a person to look at, the import not failed for them.
    """
    quote = connection.ops.quote_name
    cursor.execute(
        "SELECT 1 FROM pg_constraint WHERE conname = %s AND conrelid = to_regclass(%s)",
        [index.name, index.table],
    )
    if cursor.fetchone() is None:
        cursor.execute(index.definition)
    try:
        with transaction.atomic():
            cursor.execute(
                f"ALTER TABLE {quote(index.table)} VALIDATE CONSTRAINT {quote(index.name)}"
            )
    except IntegrityError:
        logger.warning(
            "Foreign key %s on %s left NOT VALID: rows point at deleted rows",
            index.name,
            index.table,
        )


def restore_indexes(job: ImportJob | None = None) -> int:
    """Build again the indexes `job` set aside, or, without a job, those of every job that is
    no longer running. Returns how many it built."""
    pending = DeferredIndex.objects.order_by("pk")
    if job is not None:
        pending = pending.filter(job=job)
    else:
        pending = pending.exclude(job__status=ImportStatus.RUNNING)
    return _build_all(pending)


def restore_all_indexes() -> int:
    """Build every set-aside index, running job or not (before a migration changes tables)."""
    return _build_all(DeferredIndex.objects.order_by("pk"))


def _build_all(pending: QuerySet[DeferredIndex]) -> int:
    indexes = list(pending)
    if connection.vendor == "postgresql" and len(indexes) > 1 and not connection.in_atomic_block:
        _build_side_by_side(indexes)
    else:
        with parallel_sorts():
            for index in indexes:
                _build(index)
    if indexes:
        logger.info("Built %s index(es) set aside by imports", len(indexes))
    return len(indexes)


# SQLite sorts an index's keys in memory when they fit in the page cache, on one thread; when
# they do not, it sorts them in cache-sized pieces, handed to its auxiliary threads side by
# side, and merges those. With a small cache and two threads the 21 indexes a 1M-row import
# sets aside were built in 12.8-13.5 s instead of 16.7-17.6 s (interleaved runs on the same
# finished database, 2 cores; 4 MB and 2 threads beat 2 MB and 1 MB, and 3 threads).
SORT_CACHE_KIB = 4_096
SORT_THREADS = 2


@contextmanager
def parallel_sorts() -> Iterator[None]:
    """This SQLite connection with the small cache and the threads above, restored after (no-op
    on PostgreSQL)."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        (cache,) = cursor.fetchone()
        cursor.execute("PRAGMA threads")
        (threads,) = cursor.fetchone()
        cursor.execute(f"PRAGMA cache_size = -{SORT_CACHE_KIB}")
        cursor.execute(f"PRAGMA threads = {SORT_THREADS}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(cache)}")
            cursor.execute(f"PRAGMA threads = {int(threads)}")


# Connections building indexes at once on PostgreSQL. A GIN build uses one core for its whole
# length (10 s for the search document index at a million contacts), so a second connection
# builds the B-trees meanwhile.
BUILDERS = 2


def _build_side_by_side(indexes: list[DeferredIndex]) -> None:
    """Build on `BUILDERS` connections of their own, the GIN indexes (the longest) first."""
    queue = sorted(indexes, key=lambda index: "using gin" not in index.definition.lower())
    lock = threading.Lock()
    failures: list[BaseException] = []

    def builder() -> None:
        try:
            while True:
                with lock:
                    if not queue or failures:
                        return
                    index = queue.pop(0)
                _build(index)
        except BaseException as exc:
            failures.append(exc)
        finally:
            connections.close_all()  # this thread's connection, opened for the builds

    threads = [threading.Thread(target=builder) for _ in range(BUILDERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise failures[0]
