"""bench/seed.py writes fast, but the rows must still be what the services would have made."""

from __future__ import annotations

import importlib.util
import random
import sys
from pathlib import Path
from types import ModuleType

import phonenumbers
import pytest
from django.contrib.contenttypes.models import ContentType

from peoplebase.activities.models import OUTREACH_KINDS, Activity
from peoplebase.audit.models import AuditEntry
from peoplebase.companies.models import Company
from peoplebase.contacts.models import Contact, ContactTag
from peoplebase.customfields.services import active_definitions, clean_values
from peoplebase.normalize import fold, sort_key

SEED_SCRIPT = Path(__file__).resolve().parents[2] / "bench" / "seed.py"


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_seed", SEED_SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("country", ["US", "GB", "DE", "FR", "ES", "PL", "DK", "SE", "NL",
                                     "VN", "JP", "BR", "IN", "AU"])  # fmt: skip
def test_phone_ranges_only_hold_valid_numbers(bench: ModuleType, country: str) -> None:
    rng = random.Random(country)
    for contact_id in [1, 2, 3, *(rng.randrange(1, 5_000_000) for _ in range(300))]:
        number = phonenumbers.parse(bench.phone_for(country, contact_id))
        assert phonenumbers.is_valid_number(number), number
        assert phonenumbers.region_code_for_number(number) == country


def test_phone_numbers_differ_per_contact(bench: ModuleType) -> None:
    numbers = {bench.phone_for("DK", contact_id) for contact_id in range(1, 20_001)}
    assert len(numbers) == 20_000


@pytest.mark.django_db
def test_seeded_rows_keep_the_service_invariants(bench: ModuleType) -> None:
    stats = bench.seed(contacts=120, batch=50, seed=3)

    assert stats["contacts"] == Contact.objects.count() == 120
    assert stats["companies"] == Company.objects.count() == 6
    assert stats["activities"] == Activity.objects.count() == 120
    assert stats["database"] in ("sqlite", "postgresql")
    definitions = active_definitions()
    for contact in Contact.objects.prefetch_related("emails", "phones", "activities"):
        assert contact.sort_name == sort_key(contact.first_name, contact.last_name)
        assert [e.email for e in contact.emails.all() if e.is_primary] == [contact.email]
        assert [p.number for p in contact.phones.all() if p.is_primary] == (
            [contact.phone] if contact.phone else []
        )
        (activity,) = contact.activities.all()
        assert contact.last_activity_at == activity.occurred_at
        assert contact.created_at <= activity.occurred_at
        assert (contact.last_contacted_at is not None) == (activity.kind in OUTREACH_KINDS)
        values = contact.custom_fields
        assert clean_values(values, creating=False, definitions=definitions) == values
    assert ContactTag.objects.exists()
    creation_days = {c.date() for c in Contact.objects.values_list("created_at", flat=True)}
    assert len(creation_days) > 30, "creation dates spread over time"
    owned = Contact.objects.filter(owner__isnull=False).count()
    assert 100 <= owned < 120, "nine in ten contacts have an owner from the seeded team"
    contact_type = ContentType.objects.get_for_model(Contact)
    audited = AuditEntry.objects.filter(content_type=contact_type, action="create")
    assert audited.count() == 120
    assert any(
        fold(name) != name.lower() for name in Contact.objects.values_list("full_name", flat=True)
    )


@pytest.mark.django_db
def test_seeding_twice_appends_and_new_rows_get_fresh_ids(
    bench: ModuleType, make_contact: object, alice: object
) -> None:
    bench.seed(contacts=20, batch=7, seed=1)
    bench.seed(contacts=20, batch=7, seed=1)

    assert Contact.objects.count() == 40
    assert len(set(Contact.objects.values_list("email", flat=True))) == 40
    # The id sequence moved past the seeded rows, so a normal create still works.
    assert make_contact(alice, full_name="After Seeding").pk > max(
        Contact.objects.exclude(full_name="After Seeding").values_list("pk", flat=True)
    )
