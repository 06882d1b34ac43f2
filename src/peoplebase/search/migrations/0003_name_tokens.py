"""PostgreSQL: one row per name token, with a btree index, for one-word name lookups.

A GIN prefix query (`'rah':*`) merges every matching posting list before returning a row; the
btree walks only as far as the LIMIT. Filled from the existing index rows, so no rebuild is
needed. SQLite's FTS5 prefix indexes already answer such lookups: nothing changes there.
"""

from django.db import migrations

POSTGRES_CREATE = [
    "CREATE TABLE IF NOT EXISTS search_name_token (contact_id bigint NOT NULL, "
    'token text COLLATE "C" NOT NULL, PRIMARY KEY (contact_id, token))',
    "INSERT INTO search_name_token (contact_id, token) "
    "SELECT DISTINCT contact_id, token FROM search_contact_doc, "
    "unnest(string_to_array(names, ' ')) AS token WHERE token <> '' "
    "ON CONFLICT DO NOTHING",
    "CREATE INDEX IF NOT EXISTS search_name_token_token ON search_name_token (token, contact_id)",
    "ANALYZE search_name_token",
]
POSTGRES_DROP = ["DROP TABLE IF EXISTS search_name_token"]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0002_index_tables")]

    operations = [migrations.RunPython(_run(POSTGRES_CREATE), _run(POSTGRES_DROP))]
