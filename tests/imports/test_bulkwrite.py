"""The import writer's per-batch database settings."""

from __future__ import annotations

import pytest
from django.db import connection, transaction

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
