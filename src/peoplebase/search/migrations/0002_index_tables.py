"""The full-text index: an FTS5 table on SQLite, a tsvector side table with GIN indexes on
PostgreSQL. Both start empty; `peoplebase search rebuild` fills them for existing contacts."""

from django.db import migrations

FIELDS = ("names", "emails", "phones", "company", "title", "tags")

SQLITE_CREATE = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_contact_fts USING fts5("
    + ", ".join(FIELDS)
    + ", tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3 4')",
]
SQLITE_DROP = ["DROP TABLE IF EXISTS search_contact_fts"]

POSTGRES_CREATE = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE TABLE IF NOT EXISTS search_contact_doc (contact_id bigint PRIMARY KEY, "
    + ", ".join(f"{name} text NOT NULL DEFAULT ''" for name in FIELDS)
    + ", name_vector tsvector GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, names)) STORED"
    ", document tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('simple'::regconfig, names), 'A') || "
    "setweight(to_tsvector('simple'::regconfig, emails), 'B') || "
    "setweight(to_tsvector('simple'::regconfig, phones), 'C') || "
    "setweight(to_tsvector('simple'::regconfig, company || ' ' || title || ' ' || tags), 'D')"
    ") STORED)",
    "CREATE INDEX IF NOT EXISTS search_doc_name_vector ON search_contact_doc USING gin (name_vector)",
    "CREATE INDEX IF NOT EXISTS search_doc_document ON search_contact_doc USING gin (document)",
    "CREATE INDEX IF NOT EXISTS search_doc_names_trgm ON search_contact_doc "
    "USING gin (names gin_trgm_ops)",
]
POSTGRES_DROP = ["DROP TABLE IF EXISTS search_contact_doc"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):

    dependencies = [("search", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_CREATE, "postgresql": POSTGRES_CREATE}),
            _run({"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}),
        ),
    ]
