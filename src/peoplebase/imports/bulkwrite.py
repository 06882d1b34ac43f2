"""Fast inserts for the import's batches: executemany on SQLite, COPY on PostgreSQL.

Django's bulk_create compiles SQL and converts every value through the ORM per row, which is
most of an import's write time at a million rows. These writers take rows as {attname: value},
convert only the columns whose type needs it (datetimes, JSON) and send them in one statement
per table (bench/seed.py writes through them too). Contact ids are reserved up front
(`reserve_ids`), so child rows can point at them without reading ids back.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

from django.db import connection, transaction
from django.db.models import Model

from peoplebase.core.multirow import insert_many

Row = dict[str, Any]
# Field types whose Python values the database driver takes as they are.
PLAIN_FIELD_TYPES = frozenset(
    {
        "AutoField",
        "BigAutoField",
        "BigIntegerField",
        "BooleanField",
        "CharField",
        "EmailField",
        "ForeignKey",
        "IntegerField",
        "PositiveIntegerField",
        "PositiveSmallIntegerField",
        "SlugField",
        "SmallIntegerField",
        "TextField",
        "URLField",
    }
)


@dataclass
class TablePlan:
    """How rows of one model become database rows."""

    table: str
    columns: str
    # The VALUES clause: a placeholder per bound column, a literal per `literal` one.
    values: str
    attnames: list[str]  # the bound columns, in statement order
    defaults: dict[str, Any]
    # (position, converter) of the columns whose values the driver cannot take as they are.
    converters: list[tuple[int, Any]]
    # (name, field.get_default) of the bound columns whose default is made anew for each row.
    per_row_defaults: list[tuple[str, Any]]
    # Values bound after each row's own in `insert_tuples` (converted defaults).
    tail: tuple[Any, ...] = ()

    def __post_init__(self) -> None:
        # Always a tuple of the bound values (an itemgetter of one name gives the value alone).
        if len(self.attnames) > 1:
            self.pick: Any = itemgetter(*self.attnames)
        elif self.attnames:
            self.pick = lambda row, name=self.attnames[0]: (row[name],)
        else:
            self.pick = lambda row: ()


_plans: dict[tuple[type[Model], str, bool, frozenset[str]], TablePlan] = {}
# A default written into the statement itself must be one of these: numbers, or text of
# letters, digits, spaces and a few signs (never a quote, backslash or percent sign).
SAFE_LITERAL_TEXT = re.compile(r"[\w .@{}\[\]-]*", re.ASCII)
# Callable defaults that give the same value every time (a new empty dict or list).
CONSTANT_FACTORIES = (dict, list)


def _plan(model: type[Model], with_pk: bool, unfilled: frozenset[str] = frozenset()) -> TablePlan:
    """The statement for rows that give none of the `unfilled` columns.

    Those whose default is NULL are left out (NULL all the same, without a value to send for
    each row: most of a new contact's dates, birthday and links). On SQLite the others' model
    defaults are written into the statement as literals: binding a parameter costs the driver
    about as much as SQLite's own work per column, and half of a new contact's 34 columns
    hold their default ('', 0, False, "active"...).
    """
    key = (model, connection.vendor, with_pk, unfilled)
    if key not in _plans:
        fields = [
            f
            for f in model._meta.concrete_fields
            if (with_pk or not f.primary_key)
            and not (f.attname in unfilled and f.get_default() is None)
        ]
        plain = PLAIN_FIELD_TYPES
        if connection.vendor == "postgresql":
            plain = plain | {"DateTimeField"}  # psycopg sends aware datetimes as they are
        quote = connection.ops.quote_name
        literals = {
            f.attname: literal
            for f in fields
            if f.attname in unfilled and (literal := _literal(f)) is not None
        }
        bound = [f for f in fields if f.attname not in literals]
        _plans[key] = TablePlan(
            table=quote(model._meta.db_table),
            columns=", ".join(quote(f.column) for f in fields),
            values=", ".join(literals.get(f.attname, "%s") for f in fields),
            attnames=[f.attname for f in bound],
            defaults={f.attname: f.get_default() for f in bound},
            converters=[
                (position, f.get_db_prep_save)
                for position, f in enumerate(bound)
                if f.get_internal_type() not in plain
            ],
            per_row_defaults=[(f.attname, f.get_default) for f in bound if _made_per_row(f)],
        )
    return _plans[key]


def _made_per_row(field: Any) -> bool:
    """Whether the field's default is called for each row and may differ between rows (a
    token, a time): neither a literal nor a value computed once per cached plan will do."""
    return (
        field.has_default() and callable(field.default) and field.default not in CONSTANT_FACTORIES
    )


def _literal(field: Any) -> str | None:
    """The field's default as SQL text for SQLite, when it is a number or safe plain text."""
    if connection.vendor != "sqlite":
        return None
    if _made_per_row(field):
        return None
    value = field.get_db_prep_save(field.get_default(), connection)
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(int(value))
    if isinstance(value, str) and SAFE_LITERAL_TEXT.fullmatch(value):
        return f"'{value}'"
    return None


def _values(plan: TablePlan, rows: list[Row]) -> Iterator[tuple[Any, ...] | list[Any]]:
    """Each row's bound values in column order, defaults filled in, converted where needed.

    Filling defaults by merging dicts and picking the columns with an itemgetter keeps the
    per-column work in C: a Python loop over ~45 contact columns was a fifth of the writing.
    """
    defaults, pick = plan.defaults, plan.pick
    if plan.per_row_defaults:
        rows = [_with_row_defaults(plan, row) for row in rows]
    return _converted(plan, (pick({**defaults, **row}) for row in rows))


def _converted(
    plan: TablePlan, rows: Iterator[tuple[Any, ...]] | list[tuple[Any, ...]]
) -> Iterator[tuple[Any, ...] | list[Any]]:
    """`rows` (bound values in column order) with the plan's converted columns converted."""
    if not plan.converters:
        yield from rows
        return
    # Most rows share one "now" and one empty JSON value: convert each distinct object once.
    last_in: dict[int, Any] = {position: object() for position, _ in plan.converters}
    last_out: dict[int, Any] = {}
    for row in rows:
        values = list(row)
        for position, convert in plan.converters:
            value = values[position]
            if value is not last_in[position]:
                last_in[position], last_out[position] = value, convert(value, connection)
            values[position] = last_out[position]
        yield values


def _with_row_defaults(plan: TablePlan, row: Row) -> Row:
    """`row` with each per-row default it does not give made for it alone."""
    made = {name: make() for name, make in plan.per_row_defaults if name not in row}
    return {**row, **made} if made else row


def insert_rows(model: type[Model], rows: list[Row]) -> None:
    """Insert `rows` into `model`'s table inside the caller's transaction.

    Rows carry their id (reserved with `reserve_ids`) or none at all (the database numbers them).
    """
    if not rows:
        return
    plan = _plan(model, "id" in rows[0], _unfilled_columns(model, rows))
    _send(plan, _values(plan, rows))


def insert_tuples(model: type[Model], columns: tuple[str, ...], rows: list[tuple]) -> None:
    """`insert_rows` for rows given as tuples of the `columns`' values (attnames), in that
    order: no dict per row to merge with the defaults and pick from. Every other column gets
    its default, as in `insert_rows`."""
    if not rows:
        return
    plan = _tuple_plan(model, columns)
    _send(plan, _tuple_values(plan, rows))


def _send(plan: TablePlan, values: Iterator[tuple[Any, ...] | list[Any]]) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = cursor.cursor  # the psycopg cursor behind Django's wrapper, for COPY
            with raw.copy(f"COPY {plan.table} ({plan.columns}) FROM STDIN") as copy:
                for row in values:
                    copy.write_row(row)
        else:
            insert_many(
                cursor,
                f"INSERT INTO {plan.table} ({plan.columns}) VALUES",
                f"({plan.values})",
                list(values),
                len(plan.attnames),
            )


_tuple_plans: dict[tuple[type[Model], str, tuple[str, ...]], TablePlan] = {}


def _tuple_plan(model: type[Model], columns: tuple[str, ...]) -> TablePlan:
    """The plan for tuples of `columns`: those bound first, in their order; of the others,
    NULL defaults left out, literal ones written in (`_plan`), and the rest bound after them
    as `plan.tail`, the same converted values for every row."""
    key = (model, connection.vendor, columns)
    if key not in _tuple_plans:
        by_attname = {f.attname: f for f in model._meta.concrete_fields}
        given = [by_attname[name] for name in columns]
        others = [
            f
            for f in model._meta.concrete_fields
            if f.attname not in columns and not f.primary_key and f.get_default() is not None
        ]
        if any(_made_per_row(f) for f in others):
            raise ValueError(f"{model.__name__}: a default made per row must be given")
        literals = {f.attname: literal for f in others if (literal := _literal(f)) is not None}
        tail = [f for f in others if f.attname not in literals]
        plain = PLAIN_FIELD_TYPES
        if connection.vendor == "postgresql":
            plain = plain | {"DateTimeField"}
        quote = connection.ops.quote_name
        written = [*given, *tail, *(f for f in others if f.attname in literals)]
        _tuple_plans[key] = TablePlan(
            table=quote(model._meta.db_table),
            columns=", ".join(quote(f.column) for f in written),
            values=", ".join(literals.get(f.attname, "%s") for f in written),
            attnames=[f.attname for f in [*given, *tail]],
            defaults={},
            converters=[
                (position, f.get_db_prep_save)
                for position, f in enumerate(given)
                if f.get_internal_type() not in plain
            ],
            per_row_defaults=[],
            tail=tuple(f.get_db_prep_save(f.get_default(), connection) for f in tail),
        )
    return _tuple_plans[key]


def _tuple_values(plan: TablePlan, rows: list[tuple]) -> Iterator[tuple[Any, ...] | list[Any]]:
    """Each row with the plan's constant tail, converted where needed (as `_values`)."""
    tail = plan.tail
    return _converted(plan, [row + tail for row in rows] if tail else rows)


def _unfilled_columns(model: type[Model], rows: list[Row]) -> frozenset[str]:
    """The model's columns that no row gives a value: each row gets the column's default."""
    given = set().union(*rows)
    return frozenset(f.attname for f in model._meta.concrete_fields if f.attname not in given)


# Values per IN list on SQLite: far below its bound-parameter limit, and small enough that
# the planner walks the column's index once per value.
SQLITE_IN_CHUNK = 500


def pairs_matching(model: type[Model], column: str, values: list[str]) -> list[tuple[str, int]]:
    """(value, contact_id) for every row of `model` whose `column` is one of `values`.

    One statement per batch of values, sent without the ORM's per-value preparation:
    `= ANY(array)` on PostgreSQL (one parameter, one plan whatever the count), chunked `IN`
    lists on SQLite.
    """
    if not values:
        return []
    quote = connection.ops.quote_name
    table, field = quote(model._meta.db_table), quote(model._meta.get_field(column).column)
    found: list[tuple[str, int]] = []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with transaction.atomic():
                # The planner prices a scan of the whole table under a batch's index probes until
                # the table is large (it chose the scan at 130k rows, 20 ms instead of 3), and
                # each batch of an import makes the table larger: probes it is, always.
                cursor.execute("SET LOCAL enable_seqscan = off")
                cursor.execute(
                    f"SELECT {field}, contact_id FROM {table} WHERE {field} = ANY(%s)",  # noqa: S608
                    [list(values)],
                )
                return list(cursor.fetchall())
        for start in range(0, len(values), SQLITE_IN_CHUNK):
            chunk = values[start : start + SQLITE_IN_CHUNK]
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(
                f"SELECT {field}, contact_id FROM {table} WHERE {field} IN ({marks})",  # noqa: S608
                chunk,
            )
            found += cursor.fetchall()
    return found


def reserve_ids(model: type[Model], count: int) -> list[int]:
    """`count` new primary keys for `model`, never used before, inside the caller's transaction.

    PostgreSQL takes them from the table's sequence. On SQLite the caller must already hold the
    write lock (it has written in this transaction), so no one else inserts meanwhile; ids
    continue after the highest ever used (sqlite_sequence), so a deleted contact's id, which its
    audit history still names, is never given to someone else.
    """
    if count <= 0:
        return []
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [table, count],
            )
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {connection.ops.quote_name(table)}")  # noqa: S608
        highest = cursor.fetchone()[0]
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        found = cursor.fetchone()
        first = max(highest, found[0] if found else 0) + 1
        last = first + count - 1
        # Move the sequence past the reserved block, as an INSERT with these ids would.
        if found:
            cursor.execute("UPDATE sqlite_sequence SET seq = %s WHERE name = %s", [last, table])
        else:
            cursor.execute("INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", [table, last])
        return list(range(first, last + 1))


# Page cache for a bulk-writing SQLite connection, in KiB (the pragma reads a negative size as KiB).
# The default 2 MB holds too little of the contact indexes once a table has ~100k rows, so
# every batch re-reads index pages; 64 MB keeps them cached while staying far below the
# import's memory budget.
BULK_CACHE_KIB = 65_536
# With the indexes set aside (imports/bulkload.py) little is read back, and half the cache
# is as fast: a 1M-row load took 78.8 s with 64 MB and 80.1 s with 32 MB, and its peak memory
# fell from 524 to 435 MB (index builds at the end size their sorts by the cache too).
LOADING_CACHE_KIB = 32_768


# WAL pages after which a commit copies the log back into the database file (SQLite's default
# is 1,000, about 4 MB: every import batch triggered one). A bigger log is copied less often,
# and index pages that several batches change are copied once: commits took a third less time
# in a 300k-row import (5.8 s -> 3.8 s).
BULK_CHECKPOINT_PAGES = 10_000


def tune_for_bulk_writes(*, indexes_set_aside: bool = False) -> None:
    """Give this SQLite connection a bigger page cache and a longer write-ahead log between
    checkpoints (no-op on PostgreSQL). Lasts as long as the connection; harmless for its later
    queries (the log stays under ~40 MB), and allowed inside a transaction."""
    if connection.vendor != "sqlite":
        return
    cache = LOADING_CACHE_KIB if indexes_set_aside else BULK_CACHE_KIB
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA cache_size = -{cache}")
        cursor.execute(f"PRAGMA wal_autocheckpoint = {BULK_CHECKPOINT_PAGES}")


def relax_commit_durability() -> None:
    """Let this transaction's commit return before its WAL reaches disk (PostgreSQL only).

    `SET LOCAL` lasts until the transaction ends. Safe for an import batch: each batch commits
    together with the job's counters, so a server crash loses at most the last few batches,
    each whole (rows and counters together), and the counters still say exactly which rows
    are in: a job left running resumes after them when run again (`services.run_import`), one
    marked failed can be undone as a whole. Nothing is ever half-written. SQLite in WAL mode
    with synchronous=NORMAL already skips the flush at commit.
    """
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL synchronous_commit = off")
