"""The lead pages: list, profile, create, edit, qualify, disqualify, delete and convert."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse

from peoplebase.activities.models import ActivityKind
from peoplebase.activities.services import timeline
from peoplebase.companies.models import Company
from peoplebase.contacts.models import Contact
from peoplebase.leads.models import Lead, LeadStatus

LIST_URL = reverse("leads:lead_list")
CREATE_URL = reverse("leads:lead_create")


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def url(name: str, lead: Lead) -> str:
    return reverse(f"leads:{name}", args=[lead.pk])


def lead_form(**changes: Any) -> dict[str, Any]:
    data = {
        "company_name": "Initech",
        "first_name": "Peter",
        "last_name": "Gibbons",
        "email": "peter@initech.example",
        "phone": "+1 415 555 0100",
        "job_title": "Engineer",
        "website": "",
        "source": "Web form",
        "status": "new",
        "disqualified_reason": "",
        "owner_id": "",
        "notes": "",
    }
    data.update(changes)
    return data


def qualified(make_lead: Any, actor: Any, **data: Any) -> Lead:
    return make_lead(actor, status="qualified", **data)


# --- list -------------------------------------------------------------------------------------


def test_list_shows_leads_in_few_queries(
    alice: Any, bob: Any, make_lead: Any, django_assert_max_num_queries: Any
) -> None:
    for number in range(12):
        make_lead(alice if number % 2 else bob, company_name=f"Lead Co {number}")
    client = signed_in(alice)

    with django_assert_max_num_queries(6):
        response = client.get(LIST_URL)

    assert response.status_code == 200
    assert len(response.context["page"].items) == 12
    assert b"New lead" in response.content
    assert response.content.decode().count("<h1>") == 1


def test_status_tabs_filter_the_list_including_converted(
    alice: Any, make_lead: Any, make_company: Any
) -> None:
    make_lead(alice, company_name="Fresh Co")
    make_lead(alice, company_name="Good Co", status="qualified")
    done = make_lead(alice, company_name="Done Co", status="qualified")
    from peoplebase.leads.services import convert_lead

    convert_lead(alice, done)
    client = signed_in(alice)

    def names(**params: str) -> list[str]:
        return [lead.company_name for lead in client.get(LIST_URL, params).context["page"].items]

    assert set(names()) == {"Fresh Co", "Good Co", "Done Co"}
    assert names(status="qualified") == ["Good Co"]
    assert names(status="converted") == ["Done Co"]
    assert (
        'aria-current="page">Converted'
        in client.get(LIST_URL, {"status": "converted"}).content.decode()
    )


def test_list_search_and_owner_filter(alice: Any, bob: Any, make_lead: Any) -> None:
    make_lead(alice, company_name="Initech", full_name="Peter Gibbons")
    make_lead(bob, company_name="Globex", full_name="Hank Scorpio")
    client = signed_in(alice)

    def names(**params: str) -> list[str]:
        return [lead.company_name for lead in client.get(LIST_URL, params).context["page"].items]

    assert names(q="scorp") == ["Globex"]
    assert names(owner="me") == ["Initech"]


def test_list_pages_with_cursor_links(alice: Any, make_lead: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr("peoplebase.leads.views.PAGE_SIZE", 2)
    for name in ("A", "B", "C"):
        make_lead(alice, company_name=name)
    client = signed_in(alice)

    first = client.get(LIST_URL, {"sort": "company"})
    second = client.get(LIST_URL, {"sort": "company", "cursor": first.context["page"].next_cursor})

    assert [lead.company_name for lead in first.context["page"].items] == ["A", "B"]
    assert [lead.company_name for lead in second.context["page"].items] == ["C"]
    assert b'rel="next"' in first.content


def test_bad_status_and_cursor_are_reported_not_a_500(alice: Any, make_lead: Any) -> None:
    make_lead(alice, company_name="Initech")

    response = signed_in(alice).get(LIST_URL, {"status": "bogus", "cursor": "xyz", "owner": "x"})

    assert response.status_code == 200
    assert [lead.company_name for lead in response.context["page"].items] == ["Initech"]
    assert "Use one of" in response.content.decode()


# --- create and edit --------------------------------------------------------------------------


def test_create_lead_normalises_phone_and_shows_it_formatted(alice: Any) -> None:
    client = signed_in(alice)

    response = client.post(CREATE_URL, lead_form(owner_id=alice.pk))

    lead = Lead.objects.get()
    assert response.url == lead.get_absolute_url()
    assert (lead.full_name, lead.phone, lead.owner) == ("Peter Gibbons", "+14155550100", alice)
    detail = client.get(lead.get_absolute_url()).content.decode()
    assert "+1 415-555-0100" in detail
    assert "peter@initech.example" in detail


def test_invalid_email_is_reported_next_to_the_field_and_input_kept(alice: Any) -> None:
    response = signed_in(alice).post(CREATE_URL, lead_form(email="not-an-email"))

    assert response.status_code == 200
    assert "email" in response.context["form"].errors
    html = response.content.decode()
    assert 'id="id_email_error"' in html
    assert 'value="Initech"' in html
    assert not Lead.objects.exists()


def test_reader_may_not_create_leads(reader: Any) -> None:
    client = signed_in(reader)

    assert b"New lead" not in client.get(LIST_URL).content
    assert client.post(CREATE_URL, lead_form()).status_code == 403
    assert not Lead.objects.exists()


def test_owner_edits_lead(alice: Any, make_lead: Any) -> None:
    lead = make_lead(alice, company_name="Initech")

    response = signed_in(alice).post(
        url("lead_edit", lead),
        lead_form(company_name="Initrode", owner_id=alice.pk, version=lead.version),
    )

    assert response.status_code == 302
    lead.refresh_from_db()
    assert lead.company_name == "Initrode"


def test_rep_cannot_edit_bobs_lead(alice: Any, bob: Any, make_lead: Any) -> None:
    lead = make_lead(bob, company_name="Bob's lead")
    client = signed_in(alice)

    detail = client.get(lead.get_absolute_url())
    assert url("lead_edit", lead).encode() not in detail.content
    assert client.get(url("lead_edit", lead)).status_code == 403
    status = client.post(url("lead_set_status", lead), {"status": "qualified"})
    assert status.status_code == 403
    lead.refresh_from_db()
    assert lead.status == LeadStatus.NEW


# --- status -----------------------------------------------------------------------------------


def test_mark_qualified_then_convert_becomes_available(alice: Any, make_lead: Any) -> None:
    lead = make_lead(alice)
    client = signed_in(alice)
    before = client.get(lead.get_absolute_url()).content.decode()
    assert url("lead_convert", lead) not in before
    assert "Only qualified leads can be converted" in before

    response = client.post(
        url("lead_set_status", lead), {"status": "qualified", "version": lead.version}, follow=True
    )

    lead.refresh_from_db()
    assert lead.status == LeadStatus.QUALIFIED
    assert "Lead marked qualified." in response.content.decode()
    assert url("lead_convert", lead) in response.content.decode()


def test_disqualify_keeps_the_reason(alice: Any, make_lead: Any) -> None:
    lead = make_lead(alice)

    response = signed_in(alice).post(
        url("lead_set_status", lead),
        {"status": "disqualified", "disqualified_reason": "No budget"},
        follow=True,
    )

    lead.refresh_from_db()
    assert (lead.status, lead.disqualified_reason) == ("disqualified", "No budget")
    assert "No budget" in response.content.decode()


def test_setting_converted_by_hand_is_refused_with_a_message(alice: Any, make_lead: Any) -> None:
    lead = make_lead(alice)

    response = signed_in(alice).post(
        url("lead_set_status", lead), {"status": "converted"}, follow=True
    )

    lead.refresh_from_db()
    assert lead.status == LeadStatus.NEW
    assert "conversion sets" in response.content.decode()


def test_delete_lead_after_confirmation(alice: Any, make_lead: Any) -> None:
    lead = make_lead(alice)
    client = signed_in(alice)

    assert client.get(url("lead_delete", lead)).status_code == 200
    response = client.post(url("lead_delete", lead), {"version": lead.version})

    assert response.url == LIST_URL
    assert not Lead.objects.exists()


def test_missing_lead_is_404(alice: Any) -> None:
    assert signed_in(alice).get(reverse("leads:lead_detail", args=[987654])).status_code == 404


# --- conversion -------------------------------------------------------------------------------


def test_convert_creates_company_and_contact_keeping_email_and_phone(
    alice: Any, make_lead: Any
) -> None:
    lead = qualified(
        make_lead,
        alice,
        company_name="Initech",
        full_name="Peter Gibbons",
        email="peter@initech.example",
        phone="+1 415 555 0100",
    )
    client = signed_in(alice)

    page = client.get(url("lead_convert", lead))
    assert page.status_code == 200
    assert "Create a new company “Initech”" in page.content.decode()

    response = client.post(
        url("lead_convert", lead), {"company": "new", "contact": "new", "version": lead.version}
    )

    contact = Contact.objects.get()
    company = Company.objects.get()
    assert response.url == contact.get_absolute_url()
    assert contact.email == "peter@initech.example"
    assert contact.phone == "+14155550100"
    assert contact.company == company
    assert company.lifecycle == "customer"
    events = timeline(alice, contact=contact).items
    assert [event.kind for event in events] == [ActivityKind.CONVERTED]
    contact_page = client.get(contact.get_absolute_url()).content.decode()
    assert "Converted from lead" in contact_page
    lead.refresh_from_db()
    assert lead.status == LeadStatus.CONVERTED
    detail = client.get(lead.get_absolute_url()).content.decode()
    assert f'href="{company.get_absolute_url()}"' in detail
    assert f'href="{contact.get_absolute_url()}"' in detail
    assert url("lead_edit", lead) not in detail


def test_successful_conversion_says_what_was_created(alice: Any, make_lead: Any) -> None:
    lead = qualified(make_lead, alice, company_name="Initech", full_name="Peter Gibbons")

    response = signed_in(alice).post(
        url("lead_convert", lead), {"company": "new", "contact": "new"}
    )

    from django.contrib.messages import get_messages

    texts = [str(m) for m in get_messages(response.wsgi_request)]
    assert texts == [
        "Lead converted: account “Initech” created and contact “Peter Gibbons” created."
    ]


def test_convert_links_the_existing_company_suggested_by_name(
    alice: Any, make_lead: Any, make_company: Any
) -> None:
    existing = make_company(alice, name="Initech")
    lead = qualified(make_lead, alice, company_name="initech", full_name="Peter Gibbons")
    client = signed_in(alice)

    page = client.get(url("lead_convert", lead))
    assert page.context["suggestions"]["company"] == existing
    assert f"Link to existing company “{existing.name}”" in page.content.decode()
    assert page.context["form"]["company"].initial == str(existing.pk)

    client.post(url("lead_convert", lead), {"company": str(existing.pk), "contact": "new"})

    assert Company.objects.count() == 1
    lead.refresh_from_db()
    assert lead.converted_company == existing
    assert Contact.objects.get().company == existing


def test_convert_can_link_the_existing_contact_with_the_same_email(
    alice: Any, make_lead: Any, make_contact: Any
) -> None:
    person = make_contact(
        alice, full_name="Peter Gibbons", emails=[{"email": "peter@initech.example"}]
    )
    lead = qualified(make_lead, alice, email="peter@initech.example")
    client = signed_in(alice)

    page = client.get(url("lead_convert", lead))
    assert page.context["suggestions"]["contact"] == person

    response = client.post(url("lead_convert", lead), {"company": "new", "contact": str(person.pk)})

    assert response.url == person.get_absolute_url()
    assert Contact.objects.count() == 1
    person.refresh_from_db()
    assert person.company is not None


def test_convert_without_a_contact_goes_to_the_company(alice: Any, make_lead: Any) -> None:
    lead = qualified(make_lead, alice, company_name="Initech")

    response = signed_in(alice).post(
        url("lead_convert", lead), {"company": "new", "contact": "none"}
    )

    assert response.url == Company.objects.get().get_absolute_url()
    assert not Contact.objects.exists()


def test_converting_an_unqualified_lead_is_refused_with_the_message(
    alice: Any, make_lead: Any
) -> None:
    lead = make_lead(alice, status="working")
    client = signed_in(alice)

    page = client.get(url("lead_convert", lead), follow=True)
    assert "Only qualified leads can be converted" in page.content.decode()

    response = client.post(
        url("lead_convert", lead), {"company": "new", "contact": "new"}, follow=True
    )

    assert response.status_code == 200
    assert "Only qualified leads can be converted; this one is Working." in (
        response.content.decode()
    )
    assert not Company.objects.exists()


def test_converting_twice_is_refused_with_the_message(alice: Any, make_lead: Any) -> None:
    lead = qualified(make_lead, alice)
    client = signed_in(alice)
    client.post(url("lead_convert", lead), {"company": "new", "contact": "new"})

    response = client.post(
        url("lead_convert", lead), {"company": "new", "contact": "new"}, follow=True
    )

    assert "This lead was already converted." in response.content.decode()
    assert Company.objects.count() == 1


def test_rep_cannot_convert_bobs_lead(alice: Any, bob: Any, make_lead: Any) -> None:
    lead = qualified(make_lead, bob)

    response = signed_in(alice).post(
        url("lead_convert", lead), {"company": "new", "contact": "new"}
    )

    assert response.status_code == 403
    assert not Company.objects.exists()


def test_tampered_conversion_choice_is_a_form_error(alice: Any, make_lead: Any) -> None:
    lead = qualified(make_lead, alice)

    response = signed_in(alice).post(
        url("lead_convert", lead), {"company": "12345", "contact": "x"}
    )

    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"company", "contact"}
    assert not Company.objects.exists()
