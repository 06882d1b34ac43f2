"""Merge rules, moved rows, tombstones, undo and who may merge."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from peoplebase.activities.models import Activity, ActivityKind
from peoplebase.activities.services import add_note
from peoplebase.companies.services import add_account_relation
from peoplebase.contacts.models import Contact, ContactEmail, ContactPhone, ContactTag
from peoplebase.contacts.relations import MERGE_POLICIES, contact_relations, related_row_counts
from peoplebase.contacts.services import update_contact
from peoplebase.core.errors import (
    Conflict,
    Forbidden,
    NotFound,
    PreconditionFailed,
    ValidationFailed,
)
from peoplebase.merges.models import ContactMerge, ContactTombstone, MergeSettings
from peoplebase.merges.services import merge_contacts, resolve_tombstone, undo_merge
from peoplebase.search.services import search_contacts

pytestmark = pytest.mark.django_db


def _total_rows(contacts):
    totals: dict[str, int] = {}
    for contact in contacts:
        for label, count in related_row_counts(contact).items():
            totals[label] = totals.get(label, 0) + count
    return totals


def test_primary_values_win_and_blanks_are_filled(admin, make_contact):
    ann = make_contact(admin, full_name="Ann Lee", job_title="CTO", emails=["ann@a.com"])
    dup = make_contact(admin, full_name="Ann B Lee", department="R&D", job_title="VP")

    merge_contacts(admin, ann, [dup], field_choices=None)

    ann.refresh_from_db()
    assert ann.full_name == "Ann Lee"
    assert ann.job_title == "CTO"
    assert ann.department == "R&D"


def test_explicit_choice_takes_the_other_contacts_value(admin, make_contact):
    ann = make_contact(admin, full_name="Ann Lee", job_title="CTO")
    dup = make_contact(admin, full_name="Ann Lee", job_title="VP", lead_score=80)

    merge_contacts(admin, ann, [dup], field_choices={"job_title": dup.pk, "lead_score": dup.pk})

    ann.refresh_from_db()
    assert (ann.job_title, ann.lead_score) == ("VP", 80)


def test_emails_phones_and_tags_are_unioned_and_primary_email_stays(admin, make_contact):
    ann = make_contact(
        admin,
        full_name="Ann",
        emails=["ann@a.com", "shared@a.com"],
        phones=["+14155550100"],
        tags=["vip"],
    )
    dup = make_contact(
        admin,
        full_name="Ann",
        emails=["ann@b.com", "shared@a.com"],
        phones=["+14155550199", "+14155550100"],
        tags=["vip", "beta"],
    )

    merge_contacts(admin, ann, [dup])

    ann.refresh_from_db()
    assert sorted(ann.emails.values_list("email", flat=True)) == [
        "ann@a.com",
        "ann@b.com",
        "shared@a.com",
    ]
    assert ann.email == "ann@a.com"
    assert list(ann.emails.filter(is_primary=True).values_list("email", flat=True)) == ["ann@a.com"]
    assert sorted(ann.phones.values_list("number", flat=True)) == ["+14155550100", "+14155550199"]
    assert sorted(ann.tag_links.values_list("tag__name", flat=True)) == ["beta", "vip"]


def test_custom_fields_are_merged_per_field(admin, make_contact):
    from peoplebase.customfields.services import create_definition

    create_definition(admin, {"key": "budget", "label": "Budget", "field_type": "number"})
    create_definition(admin, {"key": "region", "label": "Region", "field_type": "text"})
    ann = make_contact(admin, full_name="Ann", custom_fields={"budget": 10})
    dup = make_contact(admin, full_name="Ann", custom_fields={"budget": 20, "region": "EU"})

    merge_contacts(admin, ann, [dup])
    ann.refresh_from_db()
    assert ann.custom_fields == {"budget": 10, "region": "EU"}


def test_custom_field_choice_by_contact(admin, make_contact):
    from peoplebase.customfields.services import create_definition

    create_definition(admin, {"key": "budget", "label": "Budget", "field_type": "number"})
    ann = make_contact(admin, full_name="Ann", custom_fields={"budget": 10})
    dup = make_contact(admin, full_name="Ann", custom_fields={"budget": 20})

    merge_contacts(admin, ann, [dup], field_choices={"custom_fields.budget": dup.pk})
    ann.refresh_from_db()
    assert ann.custom_fields == {"budget": 20}


@pytest.mark.parametrize(
    ("mine", "theirs", "survives"),
    [
        ("opted_in", "opted_out", "opted_out"),
        ("opted_in", "pending", "pending"),
        ("pending", "opted_out", "opted_out"),
        ("opted_in", "unknown", "unknown"),
        ("opted_in", "opted_in", "opted_in"),
    ],
)
def test_consent_is_the_most_restrictive(admin, make_contact, mine, theirs, survives):
    ann = make_contact(admin, full_name="Ann", consent_status=mine)
    dup = make_contact(admin, full_name="Ann", consent_status=theirs, consent_source="form")

    merge_contacts(admin, ann, [dup])
    ann.refresh_from_db()
    assert ann.consent_status == survives


def test_consent_cannot_be_chosen_by_hand(admin, make_contact):
    ann = make_contact(admin, full_name="Ann", consent_status="opted_in")
    dup = make_contact(admin, full_name="Ann", consent_status="opted_out")
    with pytest.raises(ValidationFailed):
        merge_contacts(admin, ann, [dup], field_choices={"consent_status": ann.pk})
    assert Contact.objects.filter(pk=dup.pk).exists()


def test_dates_take_earliest_created_and_latest_activity(admin, make_contact):
    ann = make_contact(admin, full_name="Ann")
    dup = make_contact(admin, full_name="Ann")
    old = timezone.now() - dt.timedelta(days=400)
    late = timezone.now() + dt.timedelta(days=1)
    Contact.objects.filter(pk=dup.pk).update(created_at=old, last_activity_at=late)

    merge_contacts(admin, ann, [dup])
    ann.refresh_from_db()
    assert ann.created_at == old
    assert ann.last_activity_at == late


def test_cluster_merge_moves_everything_and_orphans_nothing(admin, make_contact, make_company):
    people = [
        make_contact(admin, full_name=f"Ann {i}", emails=[f"a{i}@x.com"], tags=["t"])
        for i in range(3)
    ]
    for person in people:
        add_note(admin, person, f"note {person.pk}")
        add_account_relation(admin, person, make_company(admin, name=f"Co {person.pk}"), "Advisor")
        update_contact(admin, person, {"job_title": "CTO"})
    before = _total_rows(people)

    merge = merge_contacts(admin, people[0], people[1:])

    survivor = Contact.objects.get(pk=people[0].pk)
    after = related_row_counts(survivor)
    assert after["contacts.ContactEmail.contact"] == 3
    assert after["contacts.ContactTag.contact"] == 1  # the same tag, unioned
    assert after["activities.Activity.contact"] == before["activities.Activity.contact"] + 1
    assert after["companies.AccountRelation.contact"] == 3
    # audit rows stay addressed to the old ids and are copied into the merge
    assert {h["contact_id"] for h in merge.history} == {people[1].pk, people[2].pk}
    assert not Contact.objects.filter(pk__in=[p.pk for p in people[1:]]).exists()
    assert ContactEmail.objects.filter(contact__isnull=True).count() == 0
    assert Activity.objects.filter(contact_id__in=[p.pk for p in people[1:]]).count() == 0
    assert ContactTag.objects.filter(contact_id__in=[p.pk for p in people[1:]]).count() == 0


def test_merged_event_on_timeline_has_everyones_before_values(admin, make_contact):
    ann = make_contact(admin, full_name="Ann", job_title="CTO")
    dup = make_contact(admin, full_name="Annie", job_title="VP")

    merge_contacts(admin, ann, [dup])
    event = Activity.objects.get(contact=ann, kind=ActivityKind.MERGED)
    assert event.metadata["before"][str(dup.pk)]["full_name"] == "Annie"
    assert event.metadata["before"][str(ann.pk)]["job_title"] == "CTO"


def test_tombstones_resolve_along_chains(admin, make_contact):
    a, b, c = (make_contact(admin, full_name=n) for n in ("A", "B", "C"))
    merge_contacts(admin, b, [a])
    merge_contacts(admin, c, [b])

    assert resolve_tombstone(a.pk).pk == c.pk
    assert resolve_tombstone(b.pk).pk == c.pk
    assert resolve_tombstone(c.pk) is None


def test_search_index_drops_the_duplicate(admin, make_contact):
    ann = make_contact(admin, full_name="Zebulon Quark")
    dup = make_contact(admin, full_name="Zebulon Quark", emails=["zq@x.com"])
    merge_contacts(admin, ann, [dup])
    ids = [hit.contact_id for hit in search_contacts("Zebulon")]
    assert ids == [ann.pk]
    assert [hit.contact_id for hit in search_contacts("zq@x.com")] == [ann.pk]


@pytest.mark.parametrize("problem", ["self", "archived", "missing", "twice"])
def test_bad_merges_are_refused_and_change_nothing(admin, make_contact, problem):
    from peoplebase.contacts.services import set_archived

    ann = make_contact(admin, full_name="Ann")
    dup = make_contact(admin, full_name="Dup")
    others = {
        "self": [ann],
        "archived": [set_archived(admin, dup, archived=True) or dup],
        "missing": [Contact(pk=999999)],
        "twice": [dup, dup],
    }[problem]
    with pytest.raises((ValidationFailed, Conflict, NotFound)):
        merge_contacts(admin, ann, others)
    assert ContactMerge.objects.count() == 0
    assert Contact.objects.filter(pk=dup.pk).exists()


def test_merging_an_already_merged_contact_names_the_survivor(admin, make_contact):
    ann, dup, other = (make_contact(admin, full_name=n) for n in ("A", "B", "C"))
    merge_contacts(admin, ann, [dup])
    with pytest.raises(Conflict, match=f"#{ann.pk}"):
        merge_contacts(admin, other, [dup])


def test_stale_version_is_refused(admin, make_contact):
    ann = make_contact(admin, full_name="Ann")
    dup = make_contact(admin, full_name="Dup")
    with pytest.raises(PreconditionFailed):
        merge_contacts(admin, ann, [dup], expected_versions={dup.pk: dup.version - 1 or 99})
    assert Contact.objects.filter(pk=dup.pk).exists()


def test_unknown_field_choice_is_refused(admin, make_contact):
    ann = make_contact(admin, full_name="Ann")
    dup = make_contact(admin, full_name="Dup")
    with pytest.raises(ValidationFailed):
        merge_contacts(admin, ann, [dup], field_choices={"nonsense": ann.pk})
    with pytest.raises(ValidationFailed):
        merge_contacts(admin, ann, [dup], field_choices={"job_title": 424242})


def test_who_may_merge(admin, manager, alice, bob, reader, make_contact):
    mine = make_contact(alice, full_name="Mine", owner_id=alice.pk)
    theirs = make_contact(bob, full_name="Theirs", owner_id=bob.pk)
    for actor in (alice, reader):
        with pytest.raises(Forbidden):
            merge_contacts(actor, mine, [theirs])
    settings = MergeSettings.load()
    settings.allowed_roles = ["admin", "manager", "rep"]
    settings.save()
    with pytest.raises(Forbidden):  # a rep still needs edit rights on every contact
        merge_contacts(alice, mine, [theirs])
    other_mine = make_contact(alice, full_name="Mine too", owner_id=alice.pk)
    merge_contacts(alice, mine, [other_mine])
    merge_contacts(manager, mine, [theirs])


def test_relation_without_policy_refuses_merge(admin, make_contact, monkeypatch):
    label = next(iter(MERGE_POLICIES))
    monkeypatch.delitem(MERGE_POLICIES, label)
    ann = make_contact(admin, full_name="Ann")
    dup = make_contact(admin, full_name="Dup")
    with pytest.raises(Conflict, match=label):
        merge_contacts(admin, ann, [dup])
    assert Contact.objects.filter(pk=dup.pk).exists()


def test_delete_policy_drops_rows_and_undo_restores_them(admin, make_contact, monkeypatch):
    monkeypatch.setitem(MERGE_POLICIES, "contacts.ContactPhone.contact", "delete")
    ann = make_contact(admin, full_name="Ann")
    dup = make_contact(admin, full_name="Dup", phones=["+14155550111"])
    phone_id = dup.phones.get().pk
    merge = merge_contacts(admin, ann, [dup])
    assert not ContactPhone.objects.filter(pk=phone_id).exists()
    undo_merge(admin, merge)
    assert ContactPhone.objects.get(pk=phone_id).contact_id == dup.pk


# --- undo ---------------------------------------------------------------------------------


def test_undo_restores_ids_values_and_rows_exactly(admin, make_contact, make_company):
    ann = make_contact(
        admin, full_name="Ann", job_title="", emails=["ann@a.com", "same@a.com"], tags=["vip"]
    )
    dup = make_contact(
        admin,
        full_name="Annie",
        job_title="VP",
        emails=["dup@b.com", "same@a.com"],
        phones=["+14155550100"],
        tags=["vip", "beta"],
        consent_status="opted_out",
    )
    add_note(admin, dup, "about dup")
    add_account_relation(admin, dup, make_company(admin, name="Dup Co"), "Advisor")
    contacts = [ann, dup]
    counts = {c.pk: related_row_counts(c) for c in contacts}
    values = {c.pk: Contact.objects.filter(pk=c.pk).values().get() for c in contacts}
    emails = {c.pk: sorted(c.emails.values_list("pk", "email", "is_primary")) for c in contacts}

    merge = merge_contacts(admin, ann, [dup])
    undo_merge(admin, merge)

    for contact in contacts:
        restored = Contact.objects.get(pk=contact.pk)
        assert (
            sorted(restored.emails.values_list("pk", "email", "is_primary")) == emails[contact.pk]
        )
        now = related_row_counts(restored)
        # the primary's timeline gains the merged and the undone events
        expected = dict(counts[contact.pk])
        if contact.pk == ann.pk:
            expected["activities.Activity.contact"] += 2
            expected["audit.AuditEntry.object_id"] += 2
            expected["merges.ContactMerge.primary"] += 1  # the merge record itself
        else:
            expected["audit.AuditEntry.object_id"] += 2
        assert now == expected
        row = Contact.objects.filter(pk=contact.pk).values().get()
        for key in ("version", "updated_at", "last_activity_at"):
            row.pop(key), values[contact.pk].pop(key)
        assert row == values[contact.pk]
    assert not ContactTombstone.objects.exists()
    assert [hit.contact_id for hit in search_contacts("dup@b.com")] == [dup.pk]


def test_undo_twice_or_after_the_window_is_refused(admin, make_contact):
    ann = make_contact(admin, full_name="Ann")
    dup = make_contact(admin, full_name="Dup")
    merge = merge_contacts(admin, ann, [dup])
    undo_merge(admin, merge)
    with pytest.raises(Conflict, match="already undone"):
        undo_merge(admin, merge)

    again = merge_contacts(admin, ann, [Contact.objects.get(pk=dup.pk)])
    ContactMerge.objects.filter(pk=again.pk).update(
        created_at=timezone.now() - dt.timedelta(days=31)
    )
    with pytest.raises(Conflict, match="30 days"):
        undo_merge(admin, again)


def test_undo_keeps_fields_edited_since_the_merge(admin, make_contact):
    ann = make_contact(admin, full_name="Ann", job_title="")
    dup = make_contact(admin, full_name="Ann", job_title="VP", department="Sales")
    merge = merge_contacts(admin, ann, [dup])
    update_contact(admin, Contact.objects.get(pk=ann.pk), {"job_title": "CEO"})

    undo_merge(admin, merge)
    ann.refresh_from_db()
    assert ann.job_title == "CEO"  # edited since: kept
    assert ann.department == ""  # untouched since: restored


def test_undo_of_a_merge_whose_survivor_was_merged_again_is_refused(admin, make_contact):
    a, b, c = (make_contact(admin, full_name=n) for n in ("A", "B", "C"))
    first = merge_contacts(admin, b, [a])
    merge_contacts(admin, c, [b])
    with pytest.raises(Conflict, match="undo that merge first"):
        undo_merge(admin, ContactMerge.objects.get(pk=first.pk))


def test_undo_needs_merge_rights(admin, alice, make_contact):
    ann = make_contact(admin, full_name="Ann")
    dup = make_contact(admin, full_name="Dup")
    merge = merge_contacts(admin, ann, [dup])
    with pytest.raises(Forbidden):
        undo_merge(alice, merge)


def test_every_relation_is_walked(admin, make_contact):
    assert {r.label for r in contact_relations()} <= set(MERGE_POLICIES)


def test_same_phone_under_another_kind_is_kept_once(admin, make_contact):
    ann = make_contact(admin, full_name="Ann", phones=[{"number": "+14155550100", "kind": "work"}])
    dup = make_contact(
        admin, full_name="Ann", phones=[{"number": "+14155550100", "kind": "mobile"}]
    )
    merge = merge_contacts(admin, ann, [dup])
    assert list(ann.phones.values_list("number", "kind")) == [("+14155550100", "work")]
    undo_merge(admin, merge)
    assert list(dup.phones.values_list("kind", flat=True)) == ["mobile"]


def test_undo_leaves_a_row_moved_elsewhere_since(admin, make_contact):
    ann = make_contact(admin, full_name="Ann")
    dup = make_contact(admin, full_name="Dup")
    other = make_contact(admin, full_name="Other")
    note = add_note(admin, dup, "about dup")
    merge = merge_contacts(admin, ann, [dup])
    Activity.objects.filter(pk=note.pk).update(contact=other)

    undo_merge(admin, merge)
    assert Activity.objects.get(pk=note.pk).contact_id == other.pk
