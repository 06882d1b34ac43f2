"""Notes and the timeline."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from peoplebase.activities.models import ActivityKind
from peoplebase.activities.services import (
    add_note,
    delete_note,
    log_activity,
    timeline,
    update_note,
)
from peoplebase.audit.models import AuditEntry
from peoplebase.core.errors import Forbidden, ValidationFailed

pytestmark = pytest.mark.django_db


def test_any_rep_may_note_on_any_contact_and_it_moves_last_activity(alice, bob, make_contact):
    person = make_contact(bob, full_name="Bob's contact")
    note = add_note(alice, person, "  Called about renewal ")
    assert note.body == "Called about renewal" and note.actor == alice
    person.refresh_from_db()
    assert person.last_activity_at == note.occurred_at
    assert person.last_contacted_at is None
    assert person.version == 1


def test_outreach_moves_last_contacted(alice, make_contact):
    person = make_contact(alice, full_name="A")
    call = log_activity(kind=ActivityKind.CALL, contact=person, actor=alice, body="Intro call")
    person.refresh_from_db()
    assert person.last_contacted_at == call.occurred_at


def test_older_activity_does_not_move_stamps_back(alice, make_contact):
    person = make_contact(alice, full_name="A")
    recent = add_note(alice, person, "recent")
    add_note(alice, person, "old", occurred_at=timezone.now() - dt.timedelta(days=30))
    person.refresh_from_db()
    assert person.last_activity_at == recent.occurred_at


def test_note_rules(alice, bob, manager, reader, make_contact):
    person = make_contact(alice, full_name="A")
    with pytest.raises(ValidationFailed):
        add_note(alice, person, "   ")
    with pytest.raises(ValidationFailed):
        add_note(alice, person, "x", occurred_at=timezone.now() + dt.timedelta(days=2))
    with pytest.raises(Forbidden):
        add_note(reader, person, "hi")
    note = add_note(alice, person, "mine")
    with pytest.raises(Forbidden):
        update_note(bob, note, "bob's edit")
    assert update_note(manager, note, "fixed typo").body == "fixed typo"
    with pytest.raises(Forbidden):
        delete_note(bob, note)
    key = f"note {note.pk}"
    delete_note(alice, note)
    assert person.activities.count() == 0
    history = AuditEntry.objects.filter(object_id=person.pk, changes__has_key=key)
    assert [e.changes[key] for e in history.order_by("id")] == [
        ["mine", "fixed typo"],
        ["fixed typo", None],
    ]


def test_timeline_is_newest_first_and_filterable(alice, make_contact):
    person = make_contact(alice, full_name="A")
    first = add_note(alice, person, "first", occurred_at=timezone.now() - dt.timedelta(days=2))
    call = log_activity(kind=ActivityKind.CALL, contact=person, actor=alice)
    page = timeline(alice, contact=person)
    assert [a.pk for a in page.items] == [call.pk, first.pk]
    assert [a.pk for a in timeline(alice, kind="note", contact=person).items] == [first.pk]
    with pytest.raises(ValidationFailed):
        timeline(alice, kind="telegram", contact=person)
