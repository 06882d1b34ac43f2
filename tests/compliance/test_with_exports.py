"""Erasure covers the exports app's rows and files without knowing its models."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from peoplebase.compliance.services import erase_contact
from peoplebase.exports.models import ContactExport
from peoplebase.exports.services import parse_export_request, run_export, start_export
from tests.compliance.conftest import traces_in_database, traces_in_files

pytestmark = pytest.mark.django_db
EMAIL = "exported.person@example.org"
PHONE = "+14155550177"


@pytest.mark.parametrize("fmt", ["csv", "vcf"])
def test_real_exports_lose_the_person(
    make_contact: Any, admin: Any, data_dir: Path, fmt: str
) -> None:
    person = make_contact(admin, full_name="Exported Person", emails=[EMAIL], phones=[PHONE])
    make_contact(admin, full_name="Staying Person", emails=["staying@example.org"])
    everyone = start_export(admin, parse_export_request(admin, {"format": [fmt]}))
    searched = start_export(admin, parse_export_request(admin, {"format": [fmt], "q": [EMAIL]}))
    for export in (everyone, searched):
        run_export(export.pk)  # a no-op when the test task backend already ran it
    assert traces_in_files([EMAIL]) and traces_in_database([EMAIL])

    erase_contact(admin, person, reason="request", suppress=False)

    assert traces_in_database([EMAIL, PHONE]) == []
    assert traces_in_files([EMAIL, PHONE, "Exported Person"]) == []
    kept = Path(ContactExport.objects.get(pk=everyone.pk).file_path).read_text()
    assert "staying@example.org" in kept
