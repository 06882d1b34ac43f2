"""A person seeded into many places, and a generic scan that finds any trace of them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models
from django.db.models import Q

from peoplebase.activities.models import ActivityKind
from peoplebase.activities.services import log_activity
from peoplebase.bulk.models import BulkJob
from peoplebase.contacts.services import update_contact
from peoplebase.segments.models import SavedView
from tests.api.conftest import api_as  # noqa: F401 (a fixture)
from tests.cli.conftest import run_cli  # noqa: F401 (a fixture)

EMAIL = "Jane.Erased@Example.org"
OLD_EMAIL = "jane.old@example.org"
PHONE_TYPED = "+44 20 7946 0958"
PHONE_E164 = "+442079460958"
# Every value of the seeded person that must be gone after an erasure.
VALUES = [EMAIL, OLD_EMAIL, PHONE_E164, PHONE_TYPED]


def case_variants(value: str) -> set[str]:
    return {value, value.lower(), value.upper(), value.title()}


def traces_in_database(values: list[str]) -> list[str]:
    """model.field entries (every model, every text and JSON column) holding any value.

    Written independently of the erasure's own sweep: reads every row in Python.
    """
    needles = {v.lower() for value in values for v in case_variants(value)}
    found = []
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        fields = [
            f
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField | models.JSONField)
        ]
        if not fields:
            continue
        for row in model._base_manager.all().values_list(*[f.attname for f in fields]):
            for f, value in zip(fields, row, strict=True):
                text = str(value).lower()
                if any(n in text for n in needles):
                    found.append(f"{model._meta.label}.{f.name}")
    return sorted(set(found))


def traces_in_files(values: list[str]) -> list[str]:
    needles = [v.lower() for v in values]
    found = []
    for path in Path(settings.DATA_DIR).rglob("*"):
        if path.is_file() and path.suffix not in (".sqlite3", ".sqlite3-wal", ".sqlite3-shm"):
            text = path.read_bytes().decode("utf-8", "replace").lower()
            if any(n in text for n in needles):
                found.append(str(path))
    return found


IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _immediate_tasks(settings: Any) -> None:
    """Erasure jobs run as soon as they are queued, in the test's own transaction."""
    settings.TASKS = IMMEDIATE


@pytest.fixture
def data_dir(tmp_path: Path, settings: Any) -> Path:
    settings.DATA_DIR = tmp_path
    return tmp_path


@pytest.fixture
def seeded_person(
    make_contact: Any, make_company: Any, make_lead: Any, admin: Any, alice: Any, data_dir: Path
) -> dict[str, Any]:
    """Jane in the contact tables, the timeline, field history, a bulk job, a saved view, an
    unlinked row with the raw cells, and files under exports/ and imports/."""
    company = make_company(admin, name="Erasure Test GmbH")
    jane = make_contact(
        admin,
        full_name="Jane Erased",
        first_name="Jane",
        last_name="Erased",
        emails=[OLD_EMAIL],
        phones=[PHONE_TYPED],
        company_id=company.pk,
        tags=["vip"],
        consent_status="opted_in",
    )
    # Field history of an email change: the old address sits in an audit entry.
    update_contact(admin, jane, {"emails": [EMAIL]})
    other = make_contact(admin, full_name="Other Person", emails=["other@example.net"])
    log_activity(kind=ActivityKind.NOTE, contact=jane, actor=admin, body=f"Wrote to {EMAIL}")
    # Another person's timeline quoting Jane's address and phone.
    log_activity(
        kind=ActivityKind.CALL,
        contact=other,
        actor=admin,
        body=f"Referred by jane ({EMAIL.upper()}, phone {PHONE_TYPED})",
        metadata={"cc": [EMAIL.lower()], "note": {"phone": PHONE_E164}},
    )
    # A row with the raw values and no link to the contact (like an invalid import row).
    lead = make_lead(admin, full_name="J. Erased", email=EMAIL, phone=PHONE_TYPED)
    SavedView.objects.create(name="Jane", owner=alice, q=EMAIL, filters={"q": [EMAIL]})
    BulkJob.objects.create(
        actor=alice,
        action="add_tags",
        params={"note": EMAIL, "was": OLD_EMAIL},
        filters={"email": [EMAIL]},
    )
    (data_dir / "exports").mkdir()
    (data_dir / "exports" / "contacts-1.csv").write_text(
        "id,name,email,phone\r\n"
        f"1,Jane Erased,{EMAIL},'{PHONE_E164}\r\n"
        '2,Other Person,other@example.net,"line\nbreak"\r\n',
        encoding="utf-8",
    )
    (data_dir / "imports" / "batch").mkdir(parents=True)
    (data_dir / "imports" / "batch" / "upload.csv").write_text(
        f"sep=;\nName;E-mail\nJane Erased;{EMAIL.lower()}\nOther;other@example.net\n",
        encoding="utf-8-sig",
    )
    (data_dir / "imports" / "cards.vcf").write_text(
        f"BEGIN:VCARD\nVERSION:4.0\nFN:Jane Erased\nEMAIL:{EMAIL}\nEND:VCARD\n"
        "BEGIN:VCARD\nVERSION:4.0\nFN:Other Person\nEND:VCARD\n",
        encoding="utf-8",
    )
    return {"contact": jane, "other": other, "company": company, "lead": lead}


def contains_any(query_model: type[models.Model], values: list[str]) -> bool:
    query = Q()
    for f in query_model._meta.concrete_fields:
        if isinstance(f, models.CharField | models.TextField):
            for v in values:
                query |= Q(**{f"{f.name}__icontains": v})
    return query_model._base_manager.filter(query).exists()
