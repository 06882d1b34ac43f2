"""The two index engines behind one small interface: SQLite FTS5 and PostgreSQL tsvector.

Query text never reaches SQL as syntax: terms are plain alphanumeric tokens (see documents.py),
quoted by us, and the whole match expression travels as a bound parameter.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection

from peoplebase.search.documents import FIELDS, SearchDocument, index_row

COLUMNS = ", ".join(FIELDS)
CONTACTS = "contacts_contact"  # Contact._meta.db_table; a live check joins it


def _coalesced(alias: str) -> str:
    """The document columns of a LEFT JOINed index row, "" where there is none."""
    return ", ".join(f"COALESCE({alias}.{name}, '')" for name in FIELDS)


@dataclass(frozen=True)
class Term:
    """One query word: its tokens as a phrase, the last one a prefix when `prefix`."""

    tokens: tuple[str, ...]
    prefix: bool = True


@dataclass(frozen=True)
class Clause:
    """Every group must match (AND); within a group any term may (OR). Scope: a field or all."""

    groups: tuple[tuple[Term, ...], ...]
    scope: str = ""  # "", "names" or "phones"


class SqliteEngine:
    """An FTS5 table whose rowid is the contact id."""

    table = "search_contact_fts"
    create_sql = (
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {table} USING fts5({COLUMNS}, "
        "tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3 4')"
    )
    drop_sql = f"DROP TABLE IF EXISTS {table}"

    def write(self, cursor: Any, docs: Sequence[SearchDocument]) -> None:
        self.delete(cursor, [d.contact_id for d in docs])
        cursor.executemany(
            f"INSERT INTO {self.table} (rowid, {COLUMNS}) "  # noqa: S608
            "VALUES (%s, %s, %s, %s, %s, %s, %s)",
            list(map(index_row, docs)),
        )

    def delete(self, cursor: Any, ids: Sequence[int]) -> None:
        if ids:
            marks = ", ".join(["%s"] * len(ids))
            cursor.execute(f"DELETE FROM {self.table} WHERE rowid IN ({marks})", list(ids))  # noqa: S608

    def match(self, cursor: Any, clause: Clause, limit: int) -> list[int]:
        cursor.execute(
            f"SELECT rowid FROM {self.table} WHERE {self.table} MATCH %s LIMIT %s",  # noqa: S608
            [self.expression(clause), limit],
        )
        return [row[0] for row in cursor.fetchall()]

    @staticmethod
    def expression(clause: Clause) -> str:
        def phrase(term: Term) -> str:
            return (
                '"' + " ".join(term.tokens).replace('"', '""') + '"' + ("*" if term.prefix else "")
            )

        groups = " AND ".join(
            "(" + " OR ".join(phrase(t) for t in group) + ")" for group in clause.groups
        )
        return f"{clause.scope} : ({groups})" if clause.scope else groups

    def fetch(self, cursor: Any, ids: Sequence[int]) -> dict[int, SearchDocument]:
        if not ids:
            return {}
        marks = ", ".join(["%s"] * len(ids))
        cursor.execute(
            f"SELECT rowid, {COLUMNS} FROM {self.table} WHERE rowid IN ({marks})",  # noqa: S608
            list(ids),
        )
        return {row[0]: SearchDocument(*row) for row in cursor.fetchall()}

    def fetch_live(
        self, cursor: Any, ids: Sequence[int], *, archived: bool = True
    ) -> dict[int, SearchDocument]:
        """The index rows of those `ids` that are contacts (an empty one when missing);
        without the archived ones unless `archived`."""
        if not ids:
            return {}
        marks = ", ".join(["%s"] * len(ids))
        cursor.execute(
            f"SELECT c.id, {_coalesced('f')} FROM {CONTACTS} c "  # noqa: S608
            f"LEFT JOIN {self.table} f ON f.rowid = c.id WHERE c.id IN ({marks})"
            + ("" if archived else " AND NOT c.is_archived"),
            list(ids),
        )
        return {row[0]: SearchDocument(*row) for row in cursor.fetchall()}

    def indexed_ids(self, cursor: Any) -> set[int]:
        cursor.execute(f"SELECT rowid FROM {self.table}")  # noqa: S608
        return {row[0] for row in cursor.fetchall()}

    # FTS5 merges the segments of a level once it holds this many (FTS5's own default).
    AUTOMERGE = 4
    # During a bulk load: each batch's commit adds a segment, and merging them four at a time
    # was a third of FTS5's cost (20 s of CPU at a million rows, 14 s with 16).
    BULK_AUTOMERGE = 16

    def automerge_sql(self, segments: int) -> str:
        """The statement that makes FTS5 merge a level once it holds `segments` segments
        (a setting stored in the index itself, so it outlives the connection)."""
        return (
            f"INSERT INTO {self.table} ({self.table}, rank) "  # noqa: S608
            f"VALUES ('automerge', {int(segments)})"
        )

    def clear(self, cursor: Any) -> None:
        # Dropping is far faster than deleting a million FTS rows one by one.
        cursor.execute(self.drop_sql)
        cursor.execute(self.create_sql)

    def bulk_load(self, cursor: Any, docs: Iterable[SearchDocument]) -> None:
        cursor.executemany(
            f"INSERT INTO {self.table} (rowid, {COLUMNS}) "  # noqa: S608
            "VALUES (%s, %s, %s, %s, %s, %s, %s)",
            list(map(index_row, docs)),
        )

    def finish_rebuild(self, cursor: Any) -> None:
        cursor.execute(f"INSERT INTO {self.table} ({self.table}) VALUES ('optimize')")  # noqa: S608


NAME_TOKENS = "search_name_token"
NAME_TOKEN_INDEX = (
    f"CREATE INDEX IF NOT EXISTS search_name_token_token ON {NAME_TOKENS} (token, contact_id)"
)
# The lookups of one word in names: a btree range or equality that stops after `limit` rows.
# Collation "C" so that a prefix's range (prefix <= token < prefix + U+10FFFF) holds whatever
# the database's own collation is.
NAME_TOKEN_TABLE = (
    f"CREATE TABLE IF NOT EXISTS {NAME_TOKENS} (contact_id bigint NOT NULL, "
    'token text COLLATE "C" NOT NULL, PRIMARY KEY (contact_id, token))'
)
PREFIX_END = "\U0010ffff"


class PostgresEngine:
    """A side table with generated tsvectors ('simple' config over folded text) and GIN indexes,
    plus one row per name token with a btree index for one-word name lookups.

    A GIN index answers `'rah':*` by merging the posting lists of every matching lexeme before
    the first row comes out (10-25 ms at 1M contacts, whatever the LIMIT); the token table's
    btree walks the range and stops after the rows asked for (0.2 ms).

    No foreign key to contacts on purpose: merges and bulk deletes need no index bookkeeping,
    and a stale row is harmless because hits are checked against live contacts.
    """

    table = "search_contact_doc"
    vectors = (
        "name_vector tsvector GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, names)) STORED",
        "document tsvector GENERATED ALWAYS AS ("
        "setweight(to_tsvector('simple'::regconfig, names), 'A') || "
        "setweight(to_tsvector('simple'::regconfig, emails), 'B') || "
        "setweight(to_tsvector('simple'::regconfig, phones), 'C') || "
        "setweight(to_tsvector('simple'::regconfig, company || ' ' || title || ' ' || tags), "
        "'D')) STORED",
    )
    index_sql = (
        f"CREATE INDEX IF NOT EXISTS search_doc_name_vector ON {table} USING gin (name_vector)",
        f"CREATE INDEX IF NOT EXISTS search_doc_document ON {table} USING gin (document)",
        f"CREATE INDEX IF NOT EXISTS search_doc_names_trgm ON {table} "
        "USING gin (names gin_trgm_ops)",
        NAME_TOKEN_INDEX,
    )
    drop_index_sql = (
        "DROP INDEX IF EXISTS search_doc_name_vector",
        "DROP INDEX IF EXISTS search_doc_document",
        "DROP INDEX IF EXISTS search_doc_names_trgm",
        "DROP INDEX IF EXISTS search_name_token_token",
    )
    create_sql = (
        "CREATE EXTENSION IF NOT EXISTS pg_trgm",
        f"CREATE TABLE IF NOT EXISTS {table} (contact_id bigint PRIMARY KEY, "
        + ", ".join(f"{name} text NOT NULL DEFAULT ''" for name in FIELDS)
        + ", "
        + ", ".join(vectors)
        + ")",
        NAME_TOKEN_TABLE,
        *index_sql,
    )
    drop_sql = f"DROP TABLE IF EXISTS {table}, {NAME_TOKENS}"
    weights = {"": "", "names": "", "phones": "C"}

    def write(self, cursor: Any, docs: Sequence[SearchDocument]) -> None:
        self.delete(cursor, [d.contact_id for d in docs])
        self.bulk_load(cursor, docs)

    def delete(self, cursor: Any, ids: Sequence[int]) -> None:
        if ids:
            for table in (self.table, NAME_TOKENS):
                cursor.execute(
                    f"DELETE FROM {table} WHERE contact_id = ANY(%s)",  # noqa: S608
                    [list(ids)],
                )

    def match(self, cursor: Any, clause: Clause, limit: int) -> list[int]:
        if _one_word_in_names(clause):
            return self._match_name_tokens(cursor, clause.groups[0], limit)
        return self._match_vectors(cursor, clause, limit)

    def _match_vectors(self, cursor: Any, clause: Clause, limit: int) -> list[int]:
        column = "name_vector" if clause.scope == "names" else "document"
        cursor.execute(
            f"SELECT contact_id FROM {self.table} "  # noqa: S608
            f"WHERE {column} @@ to_tsquery('simple', %s) LIMIT %s",
            [self.expression(clause), limit],
        )
        return [row[0] for row in cursor.fetchall()]

    def _match_name_tokens(self, cursor: Any, terms: tuple[Term, ...], limit: int) -> list[int]:
        """Contacts with a name token equal to (or starting with) any of the terms."""
        branches, params = [], []
        for term in terms:
            token = term.tokens[0]
            # Each branch walks its own index range and stops after `limit` rows.
            if term.prefix:
                branches.append(
                    f"(SELECT contact_id FROM {NAME_TOKENS} "  # noqa: S608
                    "WHERE token >= %s AND token < %s LIMIT %s)"
                )
                params += [token, token + PREFIX_END, limit]
            else:
                branches.append(
                    f"(SELECT contact_id FROM {NAME_TOKENS} "  # noqa: S608
                    "WHERE token = %s LIMIT %s)"
                )
                params += [token, limit]
        union = " UNION ALL ".join(branches)
        cursor.execute(
            f"SELECT DISTINCT contact_id FROM ({union}) AS hits LIMIT %s",  # noqa: S608
            [*params, limit],
        )
        return [row[0] for row in cursor.fetchall()]

    def expression(self, clause: Clause) -> str:
        weight = self.weights[clause.scope]

        def lexeme(token: str, prefix: bool) -> str:
            suffix = ("*" if prefix else "") + weight
            quoted = "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"
            return f"{quoted}:{suffix}" if suffix else quoted

        def phrase(term: Term) -> str:
            last = len(term.tokens) - 1
            parts = [lexeme(t, term.prefix and i == last) for i, t in enumerate(term.tokens)]
            return "(" + " <-> ".join(parts) + ")"

        return " & ".join(
            "(" + " | ".join(phrase(t) for t in group) + ")" for group in clause.groups
        )

    def fetch(self, cursor: Any, ids: Sequence[int]) -> dict[int, SearchDocument]:
        if not ids:
            return {}
        cursor.execute(
            f"SELECT contact_id, {COLUMNS} FROM {self.table} "  # noqa: S608
            "WHERE contact_id = ANY(%s)",
            [list(ids)],
        )
        return {row[0]: SearchDocument(*row) for row in cursor.fetchall()}

    def fetch_live(
        self, cursor: Any, ids: Sequence[int], *, archived: bool = True
    ) -> dict[int, SearchDocument]:
        """The index rows of those `ids` that are contacts (an empty one when missing);
        without the archived ones unless `archived`."""
        if not ids:
            return {}
        cursor.execute(
            f"SELECT c.id, {_coalesced('d')} FROM {CONTACTS} c "  # noqa: S608
            f"LEFT JOIN {self.table} d ON d.contact_id = c.id WHERE c.id = ANY(%s)"
            + ("" if archived else " AND NOT c.is_archived"),
            [list(ids)],
        )
        return {row[0]: SearchDocument(*row) for row in cursor.fetchall()}

    def similar_names(self, cursor: Any, text: str, limit: int) -> list[int]:
        """Names within trigram similarity of `text` (pg_trgm): the two-typo fallback."""
        cursor.execute(
            f"SELECT contact_id FROM {self.table} WHERE names %% %s "  # noqa: S608
            "ORDER BY similarity(names, %s) DESC LIMIT %s",
            [text, text, limit],
        )
        return [row[0] for row in cursor.fetchall()]

    def indexed_ids(self, cursor: Any) -> set[int]:
        cursor.execute(f"SELECT contact_id FROM {self.table}")  # noqa: S608
        return {row[0] for row in cursor.fetchall()}

    def clear(self, cursor: Any) -> None:
        cursor.execute(f"TRUNCATE {self.table}, {NAME_TOKENS}")
        # Loading first and indexing once is several times faster than updating GIN indexes.
        for statement in self.drop_index_sql:
            cursor.execute(statement)

    def bulk_load(self, cursor: Any, docs: Iterable[SearchDocument]) -> None:
        docs = list(docs)
        raw = cursor.cursor  # the psycopg cursor behind Django's wrapper, for COPY
        with raw.copy(f"COPY {self.table} (contact_id, {COLUMNS}) FROM STDIN") as copy:
            for doc in docs:
                copy.write_row(index_row(doc))
        with raw.copy(f"COPY {NAME_TOKENS} (contact_id, token) FROM STDIN") as copy:
            for doc in docs:
                for token in dict.fromkeys(doc.names.split()):
                    copy.write_row((doc.contact_id, token))

    def finish_rebuild(self, cursor: Any) -> None:
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        for statement in self.index_sql:
            cursor.execute(statement)
        cursor.execute(f"ANALYZE {self.table}")
        cursor.execute(f"ANALYZE {NAME_TOKENS}")


def _one_word_in_names(clause: Clause) -> bool:
    """One word (as terms of single tokens) searched in names: the token table's case."""
    if clause.scope != "names" or len(clause.groups) != 1:
        return False
    return all(len(term.tokens) == 1 and term.tokens[0] for term in clause.groups[0])


def current_engine() -> SqliteEngine | PostgresEngine:
    return engine_for(connection.vendor)


def engine_for(vendor: str) -> SqliteEngine | PostgresEngine:
    if vendor == "postgresql":
        return PostgresEngine()
    if vendor == "sqlite":
        return SqliteEngine()
    raise NotImplementedError(f"Search has no engine for the {vendor} database.")
