"""Search tests start from an empty index (transactional tests elsewhere may leave rows)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from peoplebase.search.engines import NAME_TOKENS, current_engine


@pytest.fixture(autouse=True)
def _empty_index(db: Any) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {current_engine().table}")  # noqa: S608
        if connection.vendor == "postgresql":
            # PostgreSQL's name-token table is raw SQL too: a flush after a transactional test
            # leaves its rows, and the token checks would see another test's contacts.
            cursor.execute(f"DELETE FROM {NAME_TOKENS}")  # noqa: S608


@pytest.fixture
def search() -> Any:
    """search(query, limit=200) -> list of contact ids, best first."""
    from peoplebase.search.services import ranked_ids

    return ranked_ids
