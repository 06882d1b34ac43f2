"""Bulk tests run tasks at once (immediate backend) and write exports to a scratch folder."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.conftest import api_as  # noqa: F401  (the API tests' client fixture)

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _immediate_tasks(settings: Any, tmp_path: Any, db: Any) -> None:
    settings.TASKS = IMMEDIATE
    settings.DATA_DIR = tmp_path


@pytest.fixture
def team_contacts(alice: Any, bob: Any, make_contact: Any) -> dict[str, list[Any]]:
    """Two contacts owned by alice, three by bob, one owned by nobody."""
    return {
        "alice": [make_contact(alice, full_name=f"Alice Lead {i}") for i in range(2)],
        "bob": [make_contact(bob, full_name=f"Bob Lead {i}") for i in range(3)],
        "nobody": [make_contact(alice, full_name="Free Agent", owner_id=None)],
    }


def ids_of(*groups: list[Any]) -> list[int]:
    return [contact.pk for group in groups for contact in group]
