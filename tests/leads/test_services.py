"""Lead rules, above all conversion into an account and a real contact."""

from __future__ import annotations

import pytest

from peoplebase.activities.models import Activity, ActivityKind
from peoplebase.companies.models import Company, Lifecycle
from peoplebase.contacts.models import Contact
from peoplebase.core.errors import Conflict, Forbidden, PreconditionFailed, ValidationFailed
from peoplebase.leads.models import LeadStatus
from peoplebase.leads.services import (
    conversion_suggestions,
    convert_lead,
    create_lead,
    delete_lead,
    list_leads,
    update_lead,
)

pytestmark = pytest.mark.django_db


def qualified_lead(actor, make_lead, **data):
    data.setdefault("email", "ann@betaltd.co.uk")
    data.setdefault("phone", "+44 20 7946 0958")
    return make_lead(
        actor, company_name="Beta Ltd", full_name="Ann Lee", status="qualified", **data
    )


def test_lead_capture_normalises_email_phone_and_name(alice):
    lead = create_lead(
        alice,
        {
            "company_name": "Beta",
            "full_name": "ANN LEE",
            "email": "Ann@Beta.io",
            "phone": "(415) 555-0132",
        },
    )
    assert (lead.first_name, lead.last_name) == ("Ann", "Lee")
    assert lead.email == "ann@beta.io"
    assert lead.phone == "+14155550132"
    assert lead.phone_original == "(415) 555-0132"
    assert lead.owner == alice


def test_lead_needs_a_company_name_and_valid_fields(alice):
    with pytest.raises(ValidationFailed) as caught:
        create_lead(alice, {"full_name": "Ann", "email": "bad@", "status": "converted", "x": 1})
    assert {"company_name", "email", "status", "x"} <= set(caught.value.errors)


def test_converting_a_qualified_lead_creates_customer_account_and_contact(alice, make_lead):
    lead = qualified_lead(alice, make_lead, source="Web form", job_title="CTO")
    result = convert_lead(alice, lead)
    assert result.company_created and result.contact_created
    company, contact = result.company, result.contact
    assert company.name == "Beta Ltd"
    assert company.lifecycle == Lifecycle.CUSTOMER
    assert company.domain == "betaltd.co.uk"
    assert contact.company == company
    assert contact.email == "ann@betaltd.co.uk"
    assert contact.phone == "+442079460958"
    assert contact.job_title == "CTO"
    assert contact.source == "Web form"
    lead.refresh_from_db()
    assert lead.status == LeadStatus.CONVERTED
    assert lead.converted_contact == contact and lead.converted_company == company
    event = Activity.objects.get(kind=ActivityKind.CONVERTED)
    assert event.contact == contact and event.company == company and event.lead == lead


def test_conversion_can_link_an_existing_account(alice, make_lead, make_company):
    existing = make_company(alice, name="Beta Ltd", lifecycle="lead")
    lead = qualified_lead(alice, make_lead)
    assert conversion_suggestions(lead)["company"] == existing
    result = convert_lead(alice, lead, company_id=existing.pk)
    assert not result.company_created
    assert Company.objects.count() == 1
    existing.refresh_from_db()
    assert existing.lifecycle == Lifecycle.CUSTOMER


def test_conversion_can_link_an_existing_contact(alice, make_lead, make_contact):
    person = make_contact(alice, full_name="Ann Lee", emails=["ann@betaltd.co.uk"])
    lead = qualified_lead(alice, make_lead)
    assert conversion_suggestions(lead)["contact"] == person
    result = convert_lead(alice, lead, contact_id=person.pk)
    assert result.contact == person and not result.contact_created
    person.refresh_from_db()
    assert person.company == result.company
    assert Contact.objects.count() == 1


def test_free_mail_domain_is_not_taken_as_the_company_domain(alice, make_lead):
    lead = qualified_lead(alice, make_lead, email="ann@gmail.com")
    assert convert_lead(alice, lead).company.domain == ""


def test_only_qualified_leads_convert(alice, make_lead):
    lead = make_lead(alice, status="working")
    with pytest.raises(Conflict):
        convert_lead(alice, lead)
    assert Company.objects.count() == 0


def test_a_lead_converts_once(alice, make_lead):
    lead = qualified_lead(alice, make_lead)
    convert_lead(alice, lead)
    lead.refresh_from_db()
    with pytest.raises(Conflict):
        convert_lead(alice, lead)
    with pytest.raises(Conflict):
        update_lead(alice, lead, {"notes": "x"})


def test_rep_cannot_convert_someone_elses_lead(alice, bob, make_lead):
    lead = qualified_lead(bob, make_lead)
    with pytest.raises(Forbidden):
        convert_lead(alice, lead)


def test_read_only_cannot_create_or_convert(reader, manager, make_lead):
    with pytest.raises(Forbidden):
        create_lead(reader, {"company_name": "X"})
    lead = qualified_lead(manager, make_lead, owner_id=None)
    with pytest.raises(Forbidden):
        convert_lead(reader, lead)


def test_stale_lead_update_is_refused(alice, make_lead):
    lead = make_lead(alice)
    update_lead(alice, lead, {"status": "working"}, expected_version=1)
    with pytest.raises(PreconditionFailed):
        update_lead(alice, lead, {"status": "qualified"}, expected_version=1)


def test_list_and_delete(alice, bob, make_lead):
    mine = make_lead(alice, company_name="Alpha")
    make_lead(bob, company_name="Gamma", status="qualified")
    assert [lead.company_name for lead in list_leads(alice, status="qualified").items] == ["Gamma"]
    assert [lead.pk for lead in list_leads(alice, owner="me").items] == [mine.pk]
    with pytest.raises(ValidationFailed):
        list_leads(alice, status="hot")
    delete_lead(alice, mine)
    assert [lead.company_name for lead in list_leads(alice).items] == ["Gamma"]


def test_suggestion_finds_the_account_by_website_domain(alice, make_lead, make_company):
    existing = make_company(alice, name="Beta Holdings", domain="beta.example")
    lead = make_lead(alice, company_name="Beta", website="https://www.beta.example/contact")
    assert conversion_suggestions(lead)["company"] == existing


def test_free_mail_domain_does_not_suggest_an_account(alice, make_lead, make_company):
    make_company(alice, name="Gmail fans", domain="gmail.com")
    lead = make_lead(alice, company_name="Someone", email="x@gmail.com")
    assert conversion_suggestions(lead)["company"] is None
