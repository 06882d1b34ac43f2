"""The demo workspace: valid, consistent and the same for the same seed."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db.models import Max
from django.utils import timezone

from peoplebase.activities.models import Activity, ActivityKind
from peoplebase.audit.models import AuditAction, AuditEntry
from peoplebase.companies.models import AccountRelation, Company
from peoplebase.contacts.models import Contact
from peoplebase.core.errors import Conflict
from peoplebase.customfields.services import active_definitions, clean_values
from peoplebase.demo.workspace import DEMO_USERS, load_demo
from peoplebase.leads.models import Lead, LeadStatus
from peoplebase.normalize import fold, sort_key
from peoplebase.users.models import Role, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo() -> Any:
    return load_demo(contacts=60, seed=7, password="demo pass phrase 42")


def snapshot() -> list[tuple[str, str, str]]:
    return list(
        Contact.objects.order_by("sort_name", "email").values_list(
            "full_name", "email", "company__name"
        )
    )


def test_contacts_keep_the_denormalised_fields_consistent(demo: Any) -> None:
    for contact in Contact.objects.prefetch_related("emails", "phones"):
        assert contact.sort_name == sort_key(
            contact.first_name, contact.last_name, contact.full_name
        )
        primary_emails = [e.email for e in contact.emails.all() if e.is_primary]
        assert primary_emails == [contact.email]
        primary_phones = [p.number for p in contact.phones.all() if p.is_primary]
        assert primary_phones == ([contact.phone] if contact.phone else [])
        assert all(p.is_valid and p.number.startswith("+") for p in contact.phones.all())


def test_every_contact_and_company_has_a_creation_audit_entry(demo: Any) -> None:
    for model in (Contact, Company, Lead):
        created = set(
            AuditEntry.objects.filter(
                content_type=ContentType.objects.get_for_model(model), action=AuditAction.CREATE
            ).values_list("object_id", flat=True)
        )
        assert set(model.objects.values_list("pk", flat=True)) <= created


def test_custom_field_values_pass_validation(demo: Any) -> None:
    definitions = active_definitions()
    assert set(definitions) == {
        "budget", "renewal_date", "preferred_language", "interests", "newsletter",
    }  # fmt: skip
    for values in Contact.objects.values_list("custom_fields", flat=True):
        assert clean_values(values, creating=False, definitions=definitions) == values


def test_activities_span_the_last_18_months_and_stamp_the_contacts(demo: Any) -> None:
    now = timezone.now()
    occurred = Activity.objects.aggregate(first=Max("occurred_at"))["first"]
    assert occurred <= now
    assert not Activity.objects.filter(occurred_at__lt=now - dt.timedelta(days=560)).exists()
    kinds = set(Activity.objects.values_list("kind", flat=True))
    assert {ActivityKind.NOTE, ActivityKind.CALL, ActivityKind.MEETING} <= kinds
    assert ActivityKind.EMAIL_SENT in kinds
    latest = Contact.objects.annotate(latest=Max("activities__occurred_at"))
    for contact in latest.filter(latest__isnull=False):
        assert contact.last_activity_at == contact.latest
        assert contact.created_at <= contact.latest


def test_names_are_international(demo: Any) -> None:
    names = list(Contact.objects.values_list("full_name", flat=True))
    assert sum(fold(name) != name.lower() for name in names) >= 5  # accents and other letters
    assert len({c for c in Contact.objects.values_list("country", flat=True) if c}) >= 5


def test_leads_cover_every_status_and_one_was_converted(demo: Any) -> None:
    statuses = set(Lead.objects.values_list("status", flat=True))
    assert statuses == set(LeadStatus.values)
    converted = Lead.objects.get(status=LeadStatus.CONVERTED)
    assert converted.converted_contact is not None
    assert converted.converted_company.lifecycle == "customer"
    assert Lead.objects.filter(status=LeadStatus.QUALIFIED).count() >= 2
    assert all(
        lead.disqualified_reason for lead in Lead.objects.filter(status=LeadStatus.DISQUALIFIED)
    )


def test_job_changes_and_account_relations_exist(demo: Any) -> None:
    movers = Contact.objects.filter(previous_contact__isnull=False)
    assert movers.count() == 2
    for contact in movers:
        assert contact.company_id != contact.previous_contact.company_id
        assert contact.activities.filter(kind=ActivityKind.JOB_CHANGED).exists()
    assert AccountRelation.objects.count() >= 2


def test_demo_users_have_their_roles_and_the_given_password(demo: Any) -> None:
    for email, role, _first, _last in DEMO_USERS:
        user = User.objects.get(email=email)
        assert user.role == role
        assert user.check_password("demo pass phrase 42")
    assert User.objects.filter(role=Role.ADMIN).exists()  # made because none existed
    assert demo.password_from_env


def test_an_existing_admin_is_used_instead_of_a_demo_admin(admin: User) -> None:
    load_demo(contacts=10, seed=1)

    assert list(User.objects.filter(role=Role.ADMIN)) == [admin]


def test_same_seed_gives_the_same_workspace() -> None:
    load_demo(contacts=15, seed=3)
    first = snapshot()
    load_demo(contacts=15, seed=3, reset=True)
    assert snapshot() == first
    load_demo(contacts=15, seed=4, reset=True)
    assert snapshot() != first


def test_refuses_to_load_over_existing_contacts(demo: Any) -> None:
    with pytest.raises(Conflict, match="--reset"):
        load_demo(contacts=10)
