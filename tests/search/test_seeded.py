"""A database filled by bench/seed.py is searchable after a rebuild, on each engine."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from peoplebase.contacts.models import Contact
from peoplebase.normalize import format_phone_display
from peoplebase.search.services import indexed_contact_ids, ranked_ids, rebuild_index

SEED_SCRIPT = Path(__file__).resolve().parents[2] / "bench" / "seed.py"


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_seed_for_search", SEED_SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_a_seeded_database_is_searchable_after_a_rebuild(bench: ModuleType, admin: Any) -> None:
    bench.seed(contacts=60, batch=25)

    result = rebuild_index(batch=25)

    assert result.contacts == 60
    assert indexed_contact_ids() == set(Contact.objects.values_list("pk", flat=True))
    for contact in Contact.objects.all()[:20]:
        assert ranked_ids(contact.email, 5) == [contact.pk]
        assert contact.pk in ranked_ids(contact.full_name, 1000)
        if contact.phone:
            assert ranked_ids(format_phone_display(contact.phone), 5) == [contact.pk]
