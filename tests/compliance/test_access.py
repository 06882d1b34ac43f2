"""The right-of-access document: complete by construction, JSON-safe, logged, permitted."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.apps import apps
from django.db import connection, models

from peoplebase.companies.services import add_account_relation
from peoplebase.compliance.models import AccessExport
from peoplebase.compliance.services import build_access_document, erase_contact
from peoplebase.contacts.models import Contact
from peoplebase.contacts.relations import contact_relations
from peoplebase.contacts.services import update_contact
from peoplebase.core.errors import Forbidden
from peoplebase.customfields.services import create_definition
from tests.compliance.conftest import EMAIL, traces_in_database

pytestmark = pytest.mark.django_db


def test_document_holds_every_part_of_the_person(seeded_person: Any, admin: Any) -> None:
    jane = seeded_person["contact"]
    document = build_access_document(admin, jane)
    json.dumps(document)  # serialisable as it is
    meta = document["metadata"]
    assert meta["schema_version"] == 1 and meta["generated_by"]["email"] == admin.email
    assert meta["generated_at"]
    summary = document["summary"]
    assert summary["emails"][0]["email"] == EMAIL.lower()
    assert summary["phones"][0]["number"] == "+442079460958"
    assert summary["tags"] == ["vip"]
    assert summary["company"]["name"] == "Erasure Test GmbH"
    assert summary["consent"]["consent_status"] == "opted_in"
    assert summary["consent_history"][0]["field"] == "consent_status"
    assert summary["consent_history"][0]["new"] == "opted_in"
    records = document["records"]
    # Every relation the walker knows is present, even empty ones.
    assert set(records) == {r.label for r in contact_relations()}
    notes = records["activities.Activity.contact"]
    assert any(EMAIL in row["body"] for row in notes)
    history = records["audit.AuditEntry.object_id"]
    assert {row["action"] for row in history} == {"create", "update"}
    assert AccessExport.objects.get().contact_id == jane.pk


def test_custom_fields_carry_their_labels(make_contact: Any, admin: Any) -> None:
    create_definition(admin, {"label": "Shoe size", "field_type": "number"})
    person = make_contact(admin, full_name="Custom Person", custom_fields={"shoe_size": 44})
    fields = build_access_document(admin, person)["summary"]["custom_fields"]
    assert fields == [{"key": "shoe_size", "label": "Shoe size", "type": "number", "value": 44}]


def test_a_relation_not_special_cased_appears(
    make_contact: Any, make_company: Any, admin: Any
) -> None:
    person = make_contact(admin, full_name="Board Member")
    board = make_company(admin, name="Board Co")
    add_account_relation(admin, person, board, "Advisor")
    later = make_contact(admin, full_name="Board Member (new job)")
    Contact.objects.filter(pk=later.pk).update(previous_contact=person)
    records = build_access_document(admin, person)["records"]
    relation = records["companies.AccountRelation.contact"][0]
    assert relation["role"] == "Advisor"
    assert relation["company"] == {
        "model": "companies.Company",
        "id": board.pk,
        "label": "Board Co",
    }
    assert records["contacts.Contact.previous_contact"][0]["id"] == later.pk


@pytest.fixture
def later_model(transactional_db: Any) -> Iterator[type[models.Model]]:
    """A model 'added in a later issue' (a support ticket) that points at Contact."""

    class GdprTestTicket(models.Model):
        contact = models.ForeignKey(
            "contacts.Contact", on_delete=models.CASCADE, related_name="gdpr_test_tickets"
        )
        subject = models.CharField(max_length=200)
        payload = models.JSONField(default=dict)

        class Meta:
            app_label = "compliance"

        def __str__(self) -> str:
            return self.subject

    with connection.schema_editor() as editor:
        editor.create_model(GdprTestTicket)
    apps.clear_cache()
    try:
        yield GdprTestTicket
    finally:
        with connection.schema_editor() as editor:
            editor.delete_model(GdprTestTicket)
        del apps.all_models["compliance"]["gdprtestticket"]
        apps.clear_cache()


def test_a_model_added_later_is_exported_and_erased(
    later_model: type[models.Model], make_contact: Any, admin: Any, settings: Any, tmp_path: Any
) -> None:
    settings.DATA_DIR = tmp_path
    person = make_contact(admin, full_name="Ticket Person", emails=["ticket.person@example.org"])
    other = make_contact(admin, full_name="Someone Else")
    later_model.objects.create(contact=person, subject="Printer broken")
    later_model.objects.create(
        contact=other, subject="Forwarded by ticket.person@example.org", payload={"cc": "x"}
    )
    records = build_access_document(admin, person)["records"]
    tickets = records["compliance.GdprTestTicket.contact"]
    assert [t["subject"] for t in tickets] == ["Printer broken"]

    log = erase_contact(admin, person, reason="request", suppress=False)
    assert log.counts["compliance.GdprTestTicket"] == 1  # cascaded with the contact
    assert log.counts["sweep.compliance.GdprTestTicket"] == 1  # the other person's ticket
    assert traces_in_database(["ticket.person@example.org"]) == []


@pytest.mark.parametrize("who", ["alice", "reader", "manager"])
def test_only_admins_and_officers_may_export(
    seeded_person: Any, who: str, request: pytest.FixtureRequest
) -> None:
    with pytest.raises(Forbidden):
        build_access_document(request.getfixturevalue(who), seeded_person["contact"])
    assert not AccessExport.objects.exists()


def test_inactive_admin_may_not_export(seeded_person: Any, admin: Any) -> None:
    admin.is_active = False
    with pytest.raises(Forbidden):
        build_access_document(admin, seeded_person["contact"])


def test_consent_changes_are_listed_oldest_first(make_contact: Any, admin: Any) -> None:
    person = make_contact(admin, full_name="Consent Person", emails=["c@example.org"])
    update_contact(admin, person, {"consent_status": "opted_in", "consent_type": "explicit"})
    update_contact(admin, person, {"consent_status": "opted_out"})
    history = build_access_document(admin, person)["summary"]["consent_history"]
    statuses = [h["new"] for h in history if h["field"] == "consent_status"]
    assert statuses == ["unknown", "opted_in", "opted_out"]
    assert [h["new"] for h in history if h["field"] == "consent_type"] == ["explicit"]
