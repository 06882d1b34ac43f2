"""Erasure removes every trace of a person's email and phone, and says what it did."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType

from peoplebase.activities.models import Activity
from peoplebase.audit.models import AuditEntry
from peoplebase.compliance.models import ErasureLog, SuppressionEntry
from peoplebase.compliance.services import erase_contact, is_suppressed
from peoplebase.contacts.models import Contact, ContactEmail
from peoplebase.core.errors import Conflict, Forbidden, ValidationFailed
from peoplebase.leads.models import Lead
from peoplebase.search.services import indexed_contact_ids, search_contacts
from tests.compliance.conftest import (
    EMAIL,
    OLD_EMAIL,
    VALUES,
    traces_in_database,
    traces_in_files,
)


def test_seeded_person_is_found_before_erasure(seeded_person: dict[str, Any]) -> None:
    # The scan must see the seeds, or its empty answer after erasure proves nothing.
    found = traces_in_database(VALUES)
    for place in (
        "contacts.Contact.email",
        "contacts.ContactEmail.email",
        "contacts.ContactPhone.number",
        "activities.Activity.body",
        "activities.Activity.metadata",
        "audit.AuditEntry.changes",
        "segments.SavedView.q",
        "segments.SavedView.filters",
        "bulk.BulkJob.params",
        "leads.Lead.email",
    ):
        assert place in found
    assert len(traces_in_files(VALUES)) == 3


def test_erasure_leaves_no_trace_in_database_or_files(
    seeded_person: dict[str, Any], admin: Any
) -> None:
    jane = seeded_person["contact"]
    erase_contact(admin, jane, reason=f"Request from {EMAIL}", suppress=False)

    assert traces_in_database(VALUES) == []
    assert traces_in_files(VALUES) == []
    assert not Contact.objects.filter(pk=jane.pk).exists()
    assert jane.pk not in indexed_contact_ids()
    assert search_contacts(EMAIL.lower()) == []
    # Other people's data survives: their rows, lines and cards are still there.
    other = seeded_person["other"]
    assert ContactEmail.objects.filter(contact=other, email="other@example.net").exists()
    assert Activity.objects.filter(contact=other, body__contains="[erased]").exists()
    assert Lead.objects.filter(pk=seeded_person["lead"].pk).exists()
    exports = (Path(log_dir(seeded_person)) / "exports" / "contacts-1.csv").read_text()
    assert "other@example.net" in exports and "line\nbreak" in exports
    assert "Jane" not in exports
    cards = (Path(log_dir(seeded_person)) / "imports" / "cards.vcf").read_text()
    assert "Other Person" in cards and "Jane" not in cards
    upload = (Path(log_dir(seeded_person)) / "imports" / "batch" / "upload.csv").read_bytes()
    assert upload.startswith(b"\xef\xbb\xbfsep=;\n") and b"other@example.net" in upload


def _only_redactions(value: Any) -> bool:
    if isinstance(value, list):
        return all(_only_redactions(v) for v in value)
    return value in (None, "[erased]")


def log_dir(seeded: dict[str, Any]) -> str:
    return str(settings.DATA_DIR)


def test_field_history_keeps_its_shape_without_values(
    seeded_person: dict[str, Any], admin: Any
) -> None:
    jane = seeded_person["contact"]
    erase_contact(admin, jane, reason="Art. 17 request", suppress=False)
    entries = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Contact), object_id=jane.pk
    )
    assert entries.count() == 2
    for entry in entries:
        assert "Jane" not in entry.object_repr
        for old, new in entry.changes.values():
            assert _only_redactions(old) and _only_redactions(new)
    update = entries.get(action="update")
    assert set(update.changes) == {"emails"}  # which fields changed stays known


def test_erasure_log_counts_without_the_erased_values(
    seeded_person: dict[str, Any], admin: Any
) -> None:
    jane = seeded_person["contact"]
    log = erase_contact(admin, jane, reason=f"Asked by {EMAIL} by phone", suppress=False)
    assert log.actor == admin and log.contact_id == jane.pk
    assert log.reason == "Asked by [erased] by phone"
    assert log.counts["contacts.Contact"] == 1
    assert log.counts["contacts.ContactEmail"] == 1
    assert log.counts["audit.AuditEntry"] == 2
    assert log.counts["sweep.leads.Lead"] == 1
    assert log.counts["sweep.segments.SavedView"] == 1
    assert log.counts["files.rewritten"] == 3
    stored = str(ErasureLog.objects.values().get(pk=log.pk)).lower()
    assert not any(v.lower() in stored for v in VALUES) and "jane" not in stored


def test_suppression_is_a_keyed_hash_and_blocks_the_address(
    seeded_person: dict[str, Any], admin: Any
) -> None:
    log = erase_contact(admin, seeded_person["contact"], reason="request", suppress=True)
    assert log.suppressed == 2  # the current address and the one in the field history
    assert is_suppressed(EMAIL) and is_suppressed(f"  {EMAIL.upper()} ")
    assert is_suppressed(OLD_EMAIL)
    assert not is_suppressed("someone.else@example.org")
    for entry in SuppressionEntry.objects.all():
        assert "@" not in entry.email_hash and len(entry.email_hash) == 64
        assert entry.erasure_id == log.pk


@pytest.mark.parametrize("who", ["alice", "reader", "manager"])
def test_reps_read_only_and_plain_managers_may_not_erase(
    seeded_person: dict[str, Any], who: str, request: pytest.FixtureRequest
) -> None:
    actor = request.getfixturevalue(who)
    with pytest.raises(Forbidden):
        erase_contact(actor, seeded_person["contact"], reason="x", suppress=False)
    assert Contact.objects.filter(pk=seeded_person["contact"].pk).exists()


def test_a_data_protection_officer_may_erase(
    seeded_person: dict[str, Any], admin: Any, manager: Any
) -> None:
    from peoplebase.compliance.services import set_data_protection_officer

    officer = set_data_protection_officer(admin, manager, True)
    erase_contact(officer, seeded_person["contact"], reason="request", suppress=False)
    assert not Contact.objects.filter(pk=seeded_person["contact"].pk).exists()


@pytest.mark.parametrize("reason", ["", "   ", "x" * 501])
def test_a_reason_is_required_and_bounded(
    seeded_person: dict[str, Any], admin: Any, reason: str
) -> None:
    with pytest.raises(ValidationFailed) as error:
        erase_contact(admin, seeded_person["contact"], reason=reason, suppress=False)
    assert "reason" in error.value.errors
    assert traces_in_database([EMAIL])  # nothing was touched


def test_an_address_shared_with_another_record_is_refused(
    make_contact: Any, admin: Any, data_dir: Path
) -> None:
    first = make_contact(admin, full_name="Twin One", emails=["twin@example.org"])
    second = make_contact(admin, full_name="Twin Two", emails=["twin@example.org"])
    with pytest.raises(Conflict) as error:
        erase_contact(admin, first, reason="request", suppress=False)
    assert f"#{second.pk}" in error.value.message
    assert Contact.objects.filter(pk=first.pk).exists()


def test_a_phone_shared_with_another_contact_stays_with_them(
    make_contact: Any, admin: Any, data_dir: Path
) -> None:
    leaving = make_contact(
        admin, full_name="Leaving", emails=["leave@example.org"], phones=["+14155550100"]
    )
    staying = make_contact(admin, full_name="Staying", phones=["+14155550100"])
    log = erase_contact(admin, leaving, reason="request", suppress=False)
    assert staying.phones.get().number == "+14155550100"
    assert log.counts["kept.phones_shared_with_other_contacts"] == 1
    assert traces_in_database(["leave@example.org"]) == []


def test_binary_file_mentioning_the_person_is_deleted(
    make_contact: Any, admin: Any, data_dir: Path
) -> None:
    import io
    import zipfile

    person = make_contact(admin, full_name="Zip Person", emails=["zip.person@example.org"])
    (data_dir / "imports").mkdir()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/sharedStrings.xml", "<t>zip.person@example.org</t>")
    (data_dir / "imports" / "people.xlsx").write_bytes(buffer.getvalue())
    (data_dir / "imports" / "unrelated.xlsx").write_bytes(b"PK\x03\x04 nothing here")
    log = erase_contact(admin, person, reason="request", suppress=False)
    assert not (data_dir / "imports" / "people.xlsx").exists()
    assert (data_dir / "imports" / "unrelated.xlsx").exists()
    assert log.counts["files.deleted"] == 1


def test_a_converted_lead_loses_the_persons_details(
    make_lead: Any, admin: Any, data_dir: Path
) -> None:
    from peoplebase.leads.services import convert_lead

    lead = make_lead(
        admin,
        company_name="Lead Source Ltd",
        first_name="Nora",
        last_name="Quist",
        full_name="Nora Quist",
        email="nora.quist@example.org",
        phone="+14155550123",
        status="qualified",
    )
    contact = convert_lead(admin, lead).contact
    log = erase_contact(admin, contact, reason="request", suppress=False)
    lead.refresh_from_db()
    assert (lead.first_name, lead.last_name, lead.full_name) == ("[erased]",) * 3
    assert lead.email == "[erased]" and "4155550123" not in lead.phone + lead.phone_original
    assert lead.company_name == "Lead Source Ltd"
    assert log.counts["leads.Lead"] == 1
    assert traces_in_database(["nora.quist@example.org", "+14155550123", "Nora Quist"]) == []


def test_another_contact_quoting_the_address_is_scrubbed_and_reindexed(
    make_contact: Any, admin: Any, data_dir: Path
) -> None:
    from peoplebase.customfields.services import create_definition

    create_definition(admin, {"label": "Assistant", "field_type": "email"})
    person = make_contact(admin, full_name="Assisting Person", emails=["assist@example.org"])
    boss = make_contact(
        admin, full_name="Boss Person", custom_fields={"assistant": "assist@example.org"}
    )
    log = erase_contact(admin, person, reason="request", suppress=False)
    boss.refresh_from_db()
    assert boss.custom_fields == {"assistant": "[erased]"}
    assert log.counts["sweep.contacts.Contact"] == 1
    assert boss.pk in indexed_contact_ids()
    assert [hit.contact_id for hit in search_contacts("boss person")] == [boss.pk]


def test_erasing_a_contact_deleted_meanwhile_is_not_found(
    make_contact: Any, admin: Any, data_dir: Path
) -> None:
    from peoplebase.core.errors import NotFound

    person = make_contact(admin, full_name="Gone Already", emails=["gone.already@example.org"])
    Contact.objects.filter(pk=person.pk).delete()
    with pytest.raises(NotFound):
        erase_contact(admin, person, reason="request", suppress=False)
    assert not ErasureLog.objects.exists()


def test_a_reason_at_the_limit_that_names_a_short_name_is_logged(
    admin: Any, make_contact: Any
) -> None:
    # "[erased]" is longer than "Bo Ek": the scrubbed reason must still fit the log's column.
    bo = make_contact(admin, full_name="Bo Ek", emails=["bo@example.org"])
    reason = "x" * 494 + " Bo Ek"
    assert len(reason) == 500

    log = erase_contact(admin, bo, reason=reason, suppress=False)

    log.refresh_from_db()
    assert "Bo Ek" not in log.reason and len(log.reason) <= 500


def test_a_column_full_to_its_limit_that_quotes_a_short_address_is_redacted(
    admin: Any, make_contact: Any, make_company: Any
) -> None:
    # "[erased]" is longer than "b@ek.io": the redacted text must still fit the column.
    bo = make_contact(admin, full_name="Bo Ek", emails=["b@ek.io"])
    company = make_company(admin, name=("Ask b@ek.io " + "x" * 200)[:200])

    erase_contact(admin, bo, reason="request", suppress=False)

    company.refresh_from_db()
    assert company.name.startswith("Ask [erased] ") and len(company.name) <= 200
