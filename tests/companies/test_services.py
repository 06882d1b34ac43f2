"""Company rules and the labelled contact–account relations."""

from __future__ import annotations

import pytest

from peoplebase.companies.models import AccountRelation
from peoplebase.companies.services import (
    add_account_relation,
    create_company,
    delete_company,
    list_companies,
    remove_account_relation,
    update_company,
)
from peoplebase.contacts.models import Contact
from peoplebase.core.errors import Forbidden, PreconditionFailed, ValidationFailed

pytestmark = pytest.mark.django_db


def test_company_website_gives_the_domain(alice):
    company = create_company(
        alice, {"name": "Acme", "website": "WWW.Acme.io/about", "country": "uk"}
    )
    assert company.website.startswith("https://www.acme.io")
    assert company.domain == "acme.io"
    assert company.country == "GB"
    assert company.owner == alice


def test_company_validation(alice):
    with pytest.raises(ValidationFailed) as caught:
        create_company(
            alice, {"name": "", "website": "javascript:alert(1)", "size": "huge", "lifecycle": "x"}
        )
    assert {"name", "website", "size", "lifecycle"} <= set(caught.value.errors)


def test_rep_cannot_edit_or_delete_someone_elses_company(alice, bob):
    company = create_company(bob, {"name": "Bob Co"})
    with pytest.raises(Forbidden):
        update_company(alice, company, {"industry": "Retail"})
    with pytest.raises(Forbidden):
        delete_company(alice, company)


def test_stale_company_update_is_refused(alice):
    company = create_company(alice, {"name": "Acme"})
    update_company(alice, company, {"industry": "Software"}, expected_version=1)
    with pytest.raises(PreconditionFailed):
        update_company(alice, company, {"industry": "Retail"}, expected_version=1)


def test_deleting_a_company_keeps_its_contacts(alice, make_contact):
    company = create_company(alice, {"name": "Acme"})
    person = make_contact(alice, full_name="Ann", company_id=company.pk)
    delete_company(alice, company)
    person.refresh_from_db()
    assert person.company is None
    assert Contact.objects.filter(pk=person.pk).exists()


def test_contact_related_to_other_accounts_with_a_role(alice, make_contact):
    employer = create_company(alice, {"name": "Acme"})
    advised = create_company(alice, {"name": "Startup"})
    person = make_contact(alice, full_name="Ann", company_id=employer.pk)
    relation = add_account_relation(alice, person, advised, "Advisor")
    assert list(advised.contact_relations.values_list("contact_id", "role")) == [
        (person.pk, "Advisor")
    ]
    assert list(person.account_relations.values_list("company_id", flat=True)) == [advised.pk]
    with pytest.raises(ValidationFailed):
        add_account_relation(alice, person, employer, "Advisor")
    with pytest.raises(ValidationFailed):
        add_account_relation(alice, person, advised, "  ")
    remove_account_relation(alice, relation)
    assert AccountRelation.objects.count() == 0


def test_rep_cannot_relate_someone_elses_contact(alice, bob, make_contact):
    person = make_contact(bob, full_name="Bob's")
    company = create_company(alice, {"name": "Startup"})
    with pytest.raises(Forbidden):
        add_account_relation(alice, person, company, "Advisor")


def test_list_companies_filters_and_counts(alice, make_contact):
    acme = create_company(alice, {"name": "Acme", "lifecycle": "customer"})
    create_company(alice, {"name": "Beta"})
    make_contact(alice, full_name="Ann", company_id=acme.pk)
    page = list_companies(alice, lifecycle="customer")
    assert [(c.name, c.contact_count) for c in page.items] == [("Acme", 1)]
    assert [c.name for c in list_companies(alice, q="bet").items] == ["Beta"]
    with pytest.raises(ValidationFailed):
        list_companies(alice, lifecycle="prospect")
