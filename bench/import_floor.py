#!/usr/bin/env python3
"""How fast an import of bench/import.py's file could possibly be on this machine: the work
no design of the pipeline can leave out, measured, against what the import took.

    .venv/bin/python bench/import_floor.py --rows 1000000
    .venv/bin/python bench/import_floor.py --rows 1000000 \
        --database-url postgres://postgres@127.0.0.1:5432/bench_floor

It runs the real import first (bench/import.py's `run`, counts checked), then measures, on
the same machine a minute later:

- cleaning: CPU per row of the contact rules as the cleaning processes apply them
  (`pipeline.prepare` and `set_contact_values`, on the file's first `--sample` rows), next to
  the same email and phone cells given straight to email-validator and phonenumbers (what the
  rules cannot do without), and reading the file (which each cleaning process does);
- database: the import's own rows (its contacts, addresses, numbers, tag links, report rows
  and search index rows) copied with INSERT ... SELECT, in the import's 4,000-row
  transactions, into empty copies of those tables with the indexes the import keeps while
  loading; then the indexes it sets aside, built as it builds them. No Python per row: what
  SQLite's or PostgreSQL's own work costs for these rows.

`floor_seconds` = (cleaning CPU for every row, reading once per cleaning process, and the
loading CPU) spread perfectly over every core, plus the index builds, plus the import's own
fixed stages (storing and counting the upload, planner statistics). It assumes no pipe
between processes, no matching or batching cost and no idle core: a bound the pipeline
cannot beat, not a design. Prints one JSON object; see bench/README.md.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import importlib
import json
import os
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

BATCH_ROWS = 4_000  # pipeline.BATCH_SIZE: one transaction per batch of file rows
TIMINGS = 3  # cleaning samples are timed this many times; the least is kept


def cleaning_floor(job: Any, sample: int) -> dict[str, float]:
    """Microseconds of CPU per row: the import's cleaning, the field libraries alone on the
    same cells, and reading the file."""
    import email_validator
    import phonenumbers

    from peoplebase.imports import services
    from peoplebase.imports.pipeline import PreparedRow, prepare, set_contact_values

    ctx = services._context(job)
    cells = [row for _, row in zip(range(sample), services._rows(job), strict=False)]
    email_column = next(i for i, name in ctx.mapping.items() if name == "emails")
    phone_column = next(i for i, name in ctx.mapping.items() if name.startswith("phones"))

    def clean() -> None:
        rows = [PreparedRow(number=n, cells=list(c)) for n, c in enumerate(cells, 1)]
        for row in rows:
            prepare(row, ctx)
        set_contact_values(rows)

    def libraries() -> None:
        e164 = phonenumbers.PhoneNumberFormat.E164
        for row in cells:
            with contextlib.suppress(email_validator.EmailNotValidError):
                email_validator.validate_email(row[email_column], check_deliverability=False)
            if row[phone_column]:
                try:
                    number = phonenumbers.parse(row[phone_column], ctx.region)
                except phonenumbers.NumberParseException:
                    continue
                phonenumbers.is_valid_number(number)
                phonenumbers.format_number(number, e164)

    def read() -> None:
        for _ in zip(range(len(cells)), services._rows(job), strict=False):
            pass

    gc.freeze()  # as a cleaning process does with what it inherits
    return {
        "clean_us_per_row": _least_cpu_us(clean, len(cells)),
        "field_libraries_us_per_row": _least_cpu_us(libraries, len(cells)),
        "read_us_per_row": _least_cpu_us(read, len(cells)),
        "sample_rows": len(cells),
    }


def _least_cpu_us(work: Any, rows: int) -> float:
    least = float("inf")
    for _ in range(TIMINGS):
        started = time.process_time()
        work()
        least = min(least, time.process_time() - started)
    return round(least / rows * 1e6, 2)


def _batches(
    cursor: Any, job_id: int, placeholder: str, source: str
) -> list[tuple[int, int, int, int]]:
    """(first row, last row, first contact id, last contact id) per batch of file rows."""
    cursor.execute(
        f"SELECT row_number, contact_id FROM {source}imports_importrow "
        f"WHERE job_id = {placeholder} AND outcome = 'created' ORDER BY row_number",
        [job_id],
    )
    spans: dict[int, list[int]] = {}
    for number, contact_id in cursor.fetchall():
        span = spans.setdefault((number - 1) // BATCH_ROWS, [contact_id, contact_id])
        span[0], span[1] = min(span[0], contact_id), max(span[1], contact_id)
    return [
        (index * BATCH_ROWS + 1, (index + 1) * BATCH_ROWS, low, high)
        for index, (low, high) in sorted(spans.items())
    ]


def _where(table: str, fts: str) -> tuple[str, str]:
    """Which of `table`'s rows a batch copies: contacts and their rows by contact id (kind
    "contacts"), report rows by the job and row number (kind "rows")."""
    if table == fts:
        return "rowid BETWEEN %s AND %s", "contacts"
    if table == "imports_importrow":
        return "job_id = %s AND row_number BETWEEN %s AND %s", "rows"
    if table == "contacts_contact":
        return "id BETWEEN %s AND %s", "contacts"
    return "contact_id BETWEEN %s AND %s", "contacts"


def _copies(tables: dict[str, str], fts: str, source: str) -> list[tuple[str, str]]:
    """(statement, kind of range) copying one batch's rows of each table into `{target}`."""
    copies = []
    for table, columns in tables.items():
        where, kind = _where(table, fts)
        listed = f"rowid, {columns}" if table == fts else columns
        copies.append(
            (f"INSERT INTO {{target}}{table} ({listed}) "
             f"SELECT {listed} FROM {source}{table} WHERE {where}", kind)
        )  # fmt: skip
    return copies


def _arguments(kind: str, job_id: int, span: tuple[int, int, int, int]) -> list[int]:
    first, last, low, high = span
    return [job_id, first, last] if kind == "rows" else [low, high]


def _copied_exactly(
    fetch: Any, tables: list[str], fts: str, source: str, target: str, job_id: int, spans: list
) -> dict[str, int]:
    """Rows copied per table, after checking each equals the import's rows in the copied
    ranges (a floor measured on fewer rows would be too low)."""
    whole = (spans[0][0], spans[-1][1], spans[0][2], spans[-1][3])
    copied = {}
    for table in tables:
        where, kind = _where(table, fts)
        arguments = _arguments(kind, job_id, whole)
        there = fetch(f"SELECT count(*) FROM {source}{table} WHERE {where}", arguments)
        copied[table] = fetch(f"SELECT count(*) FROM {target}{table}", [])
        if copied[table] != there:
            raise SystemExit(f"{table}: copied {copied[table]} rows of {there}")
    return copied


def sqlite_database_floor(job: Any, tables: list[str], fts: str) -> dict[str, float]:
    from django.db import connection

    from peoplebase.imports.bulkload import SORT_CACHE_KIB, SORT_THREADS
    from peoplebase.imports.bulkwrite import LOADING_CACHE_KIB

    finished = connection.settings_dict["NAME"]
    target = Path(finished).with_name("floor.sqlite3")
    target.unlink(missing_ok=True)
    db = sqlite3.connect(target, isolation_level=None)
    try:
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = OFF")
        db.execute(f"PRAGMA cache_size = -{LOADING_CACHE_KIB}")
        db.execute("ATTACH DATABASE ? AS finished", [str(finished)])
        made = dict(db.execute("SELECT name, sql FROM finished.sqlite_master WHERE type='table'"))
        indexes = db.execute(
            "SELECT sql FROM finished.sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
            f"AND tbl_name IN ({', '.join('?' * len(tables))})",
            tables,
        ).fetchall()
        kept = [sql for (sql,) in indexes if sql.upper().startswith("CREATE UNIQUE")]
        set_aside = [sql for (sql,) in indexes if not sql.upper().startswith("CREATE UNIQUE")]
        for table in tables:
            db.execute(made[table])
        for sql in kept:
            db.execute(sql)
        columns = {
            table: ", ".join(
                f'"{row[1]}"' for row in db.execute(f"PRAGMA finished.table_info({table})")
            )
            for table in tables
        }
        spans = _batches(db.cursor(), job.pk, "?", "finished.")
        copies = [
            (sql.replace("%s", "?").replace("{target}", ""), kind)
            for sql, kind in _copies(columns, fts, "finished.")
        ]
        started, cpu = time.perf_counter(), time.process_time()
        for span in spans:
            db.execute("BEGIN")
            for sql, kind in copies:
                db.execute(sql, _arguments(kind, job.pk, span))
            db.execute("COMMIT")
        load_wall, load_cpu = time.perf_counter() - started, time.process_time() - cpu
        started, cpu = time.perf_counter(), time.process_time()
        db.execute(f"PRAGMA cache_size = -{SORT_CACHE_KIB}")
        db.execute(f"PRAGMA threads = {SORT_THREADS}")
        for sql in set_aside:
            db.execute(sql)
        index_wall, index_cpu = time.perf_counter() - started, time.process_time() - cpu
        copied = _copied_exactly(
            lambda sql, arguments: db.execute(sql.replace("%s", "?"), arguments).fetchone()[0],
            tables, fts, "finished.", "", job.pk, spans,
        )  # fmt: skip
    finally:
        db.close()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
    return {
        "load_seconds": round(load_wall, 2),
        "load_cpu_seconds": round(load_cpu, 2),
        "index_seconds": round(index_wall, 2),
        "index_cpu_seconds": round(index_cpu, 2),
        "indexes_built": len(set_aside),
        "rows_copied": copied,
        # Built as the import builds them (one connection, SQLite's sorting threads); at best
        # every core busy throughout.
        "index_floor_seconds": round(index_cpu / (os.cpu_count() or 1), 2),
    }


def _export_batches(
    connection: Any,
    tables: list[str],
    fts: str,
    columns: dict[str, str],
    job_id: int,
    spans: list[tuple[int, int, int, int]],
    folder: Path,
) -> list[list[tuple[str, Path]]]:
    """Each batch's rows of each table in COPY's text format, written to files before the
    clock starts (the import sends the server the same format from memory)."""
    connection.ensure_connection()
    raw = connection.connection
    files = []
    for number, span in enumerate(spans):
        batch = []
        for table in tables:
            where, kind = _where(table, fts)
            # Integers from our own query, written into the statement: COPY takes no parameters.
            bounds = tuple(int(value) for value in _arguments(kind, job_id, span))
            path = folder / f"{number}-{table}.copy"
            with raw.cursor() as cursor, path.open("wb") as handle:
                query = f"SELECT {columns[table]} FROM public.{table} WHERE {where}" % bounds
                with cursor.copy(f"COPY ({query}) TO STDOUT") as copy:
                    for chunk in copy:
                        handle.write(chunk)
            batch.append((table, path))
        files.append(batch)
    return files


def postgres_database_floor(job: Any, tables: list[str], fts: str) -> dict[str, float]:
    """As on SQLite, into copies of the tables in a schema of their own (dropped after), but
    loaded with COPY, as the import loads them (INSERT ... SELECT costs the server more). The
    loading and index work is the server's: its CPU is read as bench/import.py reads it."""
    from django.db import connection

    from peoplebase.imports.bulkload import BUILD_MEMORY, GIN_BUILD_MEMORY

    runner = importlib.import_module("import")
    schema = "pb_import_floor"
    with connection.cursor() as cursor:
        cursor.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        cursor.execute(f"CREATE SCHEMA {schema}")
        for table in tables:
            cursor.execute(
                f"CREATE TABLE {schema}.{table} (LIKE public.{table} INCLUDING DEFAULTS "
                "INCLUDING GENERATED INCLUDING CONSTRAINTS)"
            )
        cursor.execute(
            "SELECT tablename, indexdef FROM pg_indexes WHERE schemaname = 'public' "
            "AND tablename = ANY(%s)",
            [tables],
        )
        definitions = [
            definition.replace(" ON public.", f" ON {schema}.").replace(
                " ON ONLY public.", f" ON ONLY {schema}."
            )
            for _, definition in cursor.fetchall()
        ]
        kept = [d for d in definitions if d.startswith("CREATE UNIQUE")]
        set_aside = [d for d in definitions if not d.startswith("CREATE UNIQUE")]
        for definition in kept:
            cursor.execute(definition)
        cursor.execute(
            "SELECT table_name, string_agg(quote_ident(column_name), ', ' "
            "ORDER BY ordinal_position) FROM information_schema.columns "
            "WHERE table_schema = 'public' AND table_name = ANY(%s) AND is_generated = 'NEVER' "
            "GROUP BY table_name",
            [tables],
        )
        columns = dict(cursor.fetchall())
        spans = _batches(cursor, job.pk, "%s", "public.")
    exported = Path(tempfile.mkdtemp(prefix="pb-import-floor-"))
    try:
        files = _export_batches(connection, tables, fts, columns, job.pk, spans, exported)
        server, cpu, started = runner.server_cpu_seconds(), time.process_time(), time.perf_counter()
        raw = connection.connection  # psycopg's own connection: COPY, as the import writes
        for batch in files:
            with raw.transaction(), raw.cursor() as cursor:
                for table, path in batch:
                    with cursor.copy(
                        f"COPY {schema}.{table} ({columns[table]}) FROM STDIN"
                    ) as copy:
                        copy.write(path.read_bytes())
        load_wall = time.perf_counter() - started
        load_server = (runner.server_cpu_seconds() or 0) - (server or 0)
        load_cpu = time.process_time() - cpu
        longest, index_server, started = 0.0, runner.server_cpu_seconds(), time.perf_counter()
        with connection.cursor() as cursor:
            for definition in set_aside:
                memory = GIN_BUILD_MEMORY if " USING gin " in definition else BUILD_MEMORY
                cursor.execute(f"SET maintenance_work_mem = '{memory}'")
                begun = time.perf_counter()
                cursor.execute(definition)
                longest = max(longest, time.perf_counter() - begun)
        index_wall = time.perf_counter() - started
        index_cpu = (runner.server_cpu_seconds() or 0) - (index_server or 0)
        copied = _copied_exactly(_fetch_one, tables, fts, "public.", f"{schema}.", job.pk, spans)
    finally:
        shutil.rmtree(exported, ignore_errors=True)
        with connection.cursor() as cursor:
            cursor.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
    cores = os.cpu_count() or 1
    return {
        "load_seconds": round(load_wall, 2),
        "load_cpu_seconds": round(load_cpu + load_server, 2),
        "load_server_cpu_seconds": round(load_server, 2),
        "rows_copied": copied,
        "index_seconds": round(index_wall, 2),
        "index_cpu_seconds": round(index_cpu, 2),
        "indexes_built": len(set_aside),
        # One after another here; on every core side by side at best, never less than the
        # longest single build.
        "index_floor_seconds": round(max(index_cpu / cores, longest), 2),
    }


def _fetch_one(sql: str, arguments: list[int]) -> Any:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, arguments)
        return cursor.fetchone()[0]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="default: %(default)s")
    parser.add_argument("--seed", type=int, default=1, help="default: %(default)s")
    parser.add_argument("--sample", type=int, default=20_000, help="rows; default: %(default)s")
    parser.add_argument("--database-url", default="", help="PostgreSQL URL; default SQLite")
    parser.add_argument("--data-dir", default="", help="default: a new temporary directory")
    args = parser.parse_args(argv)
    if args.rows < BATCH_ROWS or args.sample < 1:
        parser.error(f"--rows must be at least {BATCH_ROWS} and --sample at least 1")
    runner = importlib.import_module("import")
    imported = runner.run(args)

    from django.db import connection

    from peoplebase.contacts.models import Contact, ContactEmail, ContactPhone, ContactTag
    from peoplebase.imports.cleaners import CLEANERS
    from peoplebase.imports.models import ImportJob, ImportRow
    from peoplebase.search.engines import NAME_TOKENS, PostgresEngine, SqliteEngine

    job = ImportJob.objects.order_by("-pk").first()
    models = (Contact, ContactEmail, ContactPhone, ContactTag, ImportRow)
    tables = [model._meta.db_table for model in models]
    if connection.vendor == "postgresql":
        database = postgres_database_floor(job, [*tables, PostgresEngine.table, NAME_TOKENS], "")
    else:
        database = sqlite_database_floor(job, [*tables, SqliteEngine.table], SqliteEngine.table)
    cleaning = cleaning_floor(job, args.sample)
    cores = os.cpu_count() or 1
    stages = imported["seconds_per_stage"]
    per_row = cleaning["clean_us_per_row"] + CLEANERS * cleaning["read_us_per_row"]
    cleaning_cpu = args.rows * per_row
    parallel = (cleaning_cpu / 1e6 + database["load_cpu_seconds"]) / cores
    fixed = stages["upload_and_count"] + stages.get("statistics", 0.0)
    floor = parallel + database["index_floor_seconds"] + fixed
    result = {
        "rows": args.rows,
        "database": imported["database"],
        "cores": cores,
        "import_seconds": imported["seconds_end_to_end"],
        "import_cpu_seconds": imported["cpu_seconds"],
        "import_server_cpu_seconds": imported["server_cpu_seconds"],
        "counts_exact": imported["counts_exact"],
        "cleaning": cleaning,
        "database_work": database,
        "floor": {
            "cleaning_cpu_seconds": round(cleaning_cpu / 1e6, 2),
            "parallel_seconds": round(parallel, 2),
            "index_seconds": database["index_floor_seconds"],
            "fixed_seconds": round(fixed, 2),
        },
        "floor_seconds": round(floor, 1),
    }
    print(json.dumps(result, indent=2))
    return 0 if imported["counts_exact"] else 1


if __name__ == "__main__":
    sys.exit(main())
