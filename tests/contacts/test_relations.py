"""The relation walker finds every row that points at a contact, with no hand-kept list."""

from __future__ import annotations

import pytest

from peoplebase.activities.services import add_note
from peoplebase.companies.services import add_account_relation
from peoplebase.contacts.relations import (
    MERGE_POLICIES,
    contact_relations,
    related_row_counts,
    unhandled_relations,
)
from peoplebase.contacts.services import update_contact

pytestmark = pytest.mark.django_db


def test_every_relation_to_contact_has_a_merge_policy():
    assert unhandled_relations() == [], (
        "A model now points at Contact: add it to MERGE_POLICIES in contacts/relations.py"
    )
    assert set(MERGE_POLICIES) == {r.label for r in contact_relations()}


def test_walker_counts_rows_of_every_relation(alice, make_contact, make_company):
    person = make_contact(
        alice, full_name="Ann", emails=["ann@example.com"], phones=["+14155550100"], tags=["vip"]
    )
    add_note(alice, person, "hello")
    add_account_relation(alice, person, make_company(alice, name="Startup"), "Advisor")
    update_contact(alice, person, {"job_title": "CTO"})
    counts = related_row_counts(person)
    assert counts["contacts.ContactEmail.contact"] == 1
    assert counts["contacts.ContactPhone.contact"] == 1
    assert counts["contacts.ContactTag.contact"] == 1
    assert counts["activities.Activity.contact"] == 1
    assert counts["companies.AccountRelation.contact"] == 1
    # create, the account relation, the job title change
    assert counts["audit.AuditEntry.object_id"] == 3
