"""A contact who changes company gets a new record; the old one keeps its history."""

from __future__ import annotations

import pytest

from peoplebase.activities.models import Activity, ActivityKind
from peoplebase.activities.services import add_note
from peoplebase.contacts.models import ContactStatus
from peoplebase.contacts.services import change_job, tag_names
from peoplebase.core.errors import Forbidden, ValidationFailed

pytestmark = pytest.mark.django_db


@pytest.fixture
def mover(alice, make_contact, make_company):
    old = make_company(alice, name="Old Co")
    return make_contact(
        alice,
        full_name="Ann Lee",
        company_id=old.pk,
        job_title="CTO",
        tags=["vip"],
        emails=[
            {"email": "ann@old.example", "kind": "work"},
            {"email": "ann@home.example", "kind": "personal"},
        ],
        phones=[
            {"number": "+14155550100", "kind": "work"},
            {"number": "+14155550199", "kind": "mobile"},
        ],
    )


def test_job_change_creates_a_linked_contact_at_the_new_company(alice, mover, make_company):
    add_note(alice, mover, "Met at the conference")
    new_company = make_company(alice, name="New Co")
    new = change_job(
        alice,
        mover,
        {
            "company_id": new_company.pk,
            "job_title": "VP Engineering",
            "emails": ["ann@new.example"],
        },
    ).contact
    assert new.pk != mover.pk
    assert new.company == new_company and new.previous_contact == mover
    assert new.full_name == "Ann Lee" and new.job_title == "VP Engineering"
    assert sorted(new.emails.values_list("email", flat=True)) == [
        "ann@home.example",
        "ann@new.example",
    ]
    assert new.email == "ann@new.example"
    assert list(new.phones.values_list("number", flat=True)) == ["+14155550199"]
    assert tag_names(new) == ["vip"]
    mover.refresh_from_db()
    assert mover.status == ContactStatus.INACTIVE
    assert mover.activities.filter(kind=ActivityKind.NOTE).count() == 1
    assert new.activities.filter(kind=ActivityKind.NOTE).count() == 0
    assert Activity.objects.filter(kind=ActivityKind.JOB_CHANGED).count() == 2


def test_job_change_needs_a_different_company(alice, mover):
    with pytest.raises(ValidationFailed):
        change_job(alice, mover, {"job_title": "CEO"})
    with pytest.raises(ValidationFailed):
        change_job(alice, mover, {"company_id": mover.company_id})


def test_rep_cannot_move_someone_elses_contact(bob, mover, make_company):
    new_company = make_company(bob, name="New Co")
    with pytest.raises(Forbidden):
        change_job(bob, mover, {"company_id": new_company.pk})


def test_job_change_keeps_custom_fields_even_when_required(admin, alice, mover, make_company):
    from peoplebase.contacts.services import update_contact
    from peoplebase.customfields.services import create_definition

    create_definition(admin, {"label": "Language", "field_type": "text", "required": True})
    update_contact(alice, mover, {"custom_fields": {"language": "Deutsch"}})
    new = change_job(alice, mover, {"company_id": make_company(alice, name="Next").pk}).contact
    assert new.custom_fields == {"language": "Deutsch"}
