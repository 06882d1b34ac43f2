"""Search tests' helpers (every database test starts with an empty index: tests/conftest.py)."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def search() -> Any:
    """search(query, limit=200) -> list of contact ids, best first."""
    from peoplebase.search.services import ranked_ids

    return ranked_ids
