"""The company pages: list, profile, create, edit, archive and delete, and who may use them."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from peoplebase.companies.models import Company
from peoplebase.companies.services import add_account_relation
from peoplebase.contacts.models import Contact

LIST_URL = reverse("companies:company_list")
CREATE_URL = reverse("companies:company_create")


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def edit_url(company: Company) -> str:
    return reverse("companies:company_edit", args=[company.pk])


def form_data(company: Company | None = None, **changes: Any) -> dict[str, Any]:
    data = {
        "name": "Globex",
        "domain": "",
        "website": "",
        "industry": "",
        "size": "",
        "phone": "",
        "lifecycle": "lead",
        "owner_id": "",
        "description": "",
        "street": "",
        "street2": "",
        "postal_code": "",
        "city": "",
        "region": "",
        "country": "",
    }
    if company is not None:
        data.update(name=company.name, owner_id=company.owner_id or "", version=company.version)
    data.update(changes)
    return data


# --- list -------------------------------------------------------------------------------------


def test_list_shows_companies_with_contact_counts_in_few_queries(
    alice: Any, make_company: Any, make_contact: Any, django_assert_max_num_queries: Any
) -> None:
    acme = make_company(alice, name="Acme Inc")
    make_company(alice, name="Globex")
    for name in ("Ann One", "Ben Two", "Cy Three"):
        make_contact(alice, full_name=name, company_id=acme.pk)
    for number in range(10):
        make_company(alice, name=f"Filler {number}")
    client = signed_in(alice)

    with django_assert_max_num_queries(6):
        response = client.get(LIST_URL)

    assert response.status_code == 200
    rows = {c.name: c.contact_count for c in response.context["page"].items}
    assert rows["Acme Inc"] == 3
    assert rows["Globex"] == 0
    assert b"<h1>Companies</h1>" in response.content
    assert b"New company" in response.content


def test_list_pages_forward_and_back_with_cursor_links(
    alice: Any, make_company: Any, monkeypatch: Any
) -> None:
    monkeypatch.setattr("peoplebase.companies.views.PAGE_SIZE", 2)
    for name in ("Alpha", "Bravo", "Charlie", "Delta", "Echo"):
        make_company(alice, name=name)
    client = signed_in(alice)

    first = client.get(LIST_URL)
    assert [c.name for c in first.context["page"].items] == ["Alpha", "Bravo"]
    assert first.context["page"].prev_cursor is None
    second = client.get(LIST_URL, {"cursor": first.context["page"].next_cursor})
    assert [c.name for c in second.context["page"].items] == ["Charlie", "Delta"]
    assert b'rel="prev"' in second.content
    back = client.get(LIST_URL, {"cursor": second.context["page"].prev_cursor})
    assert [c.name for c in back.context["page"].items] == ["Alpha", "Bravo"]


def test_list_sorts_by_name_descending(alice: Any, make_company: Any) -> None:
    for name in ("Bravo", "Alpha", "Charlie"):
        make_company(alice, name=name)

    response = signed_in(alice).get(LIST_URL, {"sort": "-name"})

    assert [c.name for c in response.context["page"].items] == ["Charlie", "Bravo", "Alpha"]
    assert b'aria-sort="descending"' in response.content


def test_bad_cursor_and_sort_fall_back_to_first_page_with_a_message(
    alice: Any, make_company: Any
) -> None:
    make_company(alice, name="Acme Inc")

    response = signed_in(alice).get(LIST_URL, {"cursor": "garbage!!", "sort": "nonsense"})

    assert response.status_code == 200
    assert [c.name for c in response.context["page"].items] == ["Acme Inc"]
    assert "This page link has expired or is not valid" in response.content.decode()
    assert "Sort by one of" in response.content.decode()


def test_list_filters_by_search_lifecycle_and_owner(
    alice: Any, bob: Any, make_company: Any
) -> None:
    make_company(alice, name="Acme Inc", lifecycle="customer")
    make_company(alice, name="Acme Labs")
    make_company(bob, name="Bobco", lifecycle="customer")
    client = signed_in(alice)

    def names(**params: str) -> list[str]:
        return [c.name for c in client.get(LIST_URL, params).context["page"].items]

    assert names(q="acme") == ["Acme Inc", "Acme Labs"]
    assert names(lifecycle="customer") == ["Acme Inc", "Bobco"]
    assert names(owner="me") == ["Acme Inc", "Acme Labs"]
    assert names(owner=str(bob.pk)) == ["Bobco"]


def test_archived_companies_are_listed_separately(alice: Any, make_company: Any) -> None:
    kept = make_company(alice, name="Kept")
    gone = make_company(alice, name="Gone")
    signed_in(alice).post(reverse("companies:company_archive", args=[gone.pk]))
    client = signed_in(alice)

    active = client.get(LIST_URL).context["page"].items
    archived = client.get(LIST_URL, {"archived": "1"}).context["page"].items

    assert [c.pk for c in active] == [kept.pk]
    assert [c.pk for c in archived] == [gone.pk]


def test_reader_sees_no_new_company_button_and_may_not_create(reader: Any) -> None:
    client = signed_in(reader)

    assert b"New company" not in client.get(LIST_URL).content
    assert client.get(CREATE_URL).status_code == 403
    assert client.post(CREATE_URL, form_data()).status_code == 403
    assert not Company.objects.exists()


def test_list_requires_sign_in(db: Any) -> None:
    response = Client().get(LIST_URL)

    assert response.status_code == 302
    assert reverse("web:login") in response.url


# --- create and edit --------------------------------------------------------------------------


def test_create_company_redirects_to_its_profile(alice: Any) -> None:
    response = signed_in(alice).post(
        CREATE_URL, form_data(name="Globex", website="globex.example.com", owner_id=alice.pk)
    )

    company = Company.objects.get()
    assert response.status_code == 302
    assert response.url == company.get_absolute_url()
    assert company.website == "https://globex.example.com"
    assert company.domain == "globex.example.com"
    assert company.owner == alice


def test_invalid_website_is_reported_next_to_the_field_and_input_is_kept(alice: Any) -> None:
    response = signed_in(alice).post(
        CREATE_URL, form_data(name="Globex", website="ftp://globex", industry="Widgets")
    )

    assert response.status_code == 200
    assert not Company.objects.exists()
    form = response.context["form"]
    assert form.errors["website"]
    html = response.content.decode()
    assert 'id="id_website_error"' in html
    assert 'aria-invalid="true"' in html
    assert 'value="Widgets"' in html
    assert 'value="ftp://globex"' in html


def test_missing_name_is_reported_next_to_the_field(alice: Any) -> None:
    response = signed_in(alice).post(CREATE_URL, form_data(name=""))

    assert response.status_code == 200
    assert "name" in response.context["form"].errors


def test_rep_may_not_assign_a_company_to_a_teammate(alice: Any, bob: Any) -> None:
    response = signed_in(alice).post(CREATE_URL, form_data(owner_id=bob.pk))

    # The rep's owner choices hold only themselves and nobody.
    assert response.status_code == 200
    assert "owner_id" in response.context["form"].errors
    assert not Company.objects.exists()


def test_owner_edits_company_and_history_shows_the_change(alice: Any, make_company: Any) -> None:
    company = make_company(alice, name="Acme Inc")
    client = signed_in(alice)

    response = client.post(
        edit_url(company), form_data(company, industry="Anvils", owner_id=alice.pk)
    )

    assert response.status_code == 302
    company.refresh_from_db()
    assert company.industry == "Anvils"
    assert company.version == 2
    detail = client.get(company.get_absolute_url())
    assert "Anvils" in detail.content.decode()
    assert detail.context["history"][0].changes["industry"] == ["", "Anvils"]


def test_stale_edit_is_refused_with_a_clear_message_and_input_kept(
    alice: Any, make_company: Any
) -> None:
    company = make_company(alice, name="Acme Inc")
    client = signed_in(alice)
    stale = form_data(company, industry="Rockets", owner_id=alice.pk)
    client.post(edit_url(company), form_data(company, industry="Anvils", owner_id=alice.pk))

    response = client.post(edit_url(company), stale)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Someone changed this company since you opened it" in html
    assert 'value="Rockets"' in html
    company.refresh_from_db()
    assert company.industry == "Anvils"


def test_rep_cannot_edit_bobs_company(alice: Any, bob: Any, make_company: Any) -> None:
    company = make_company(bob, name="Bobco")
    client = signed_in(alice)

    detail = client.get(company.get_absolute_url())
    assert detail.status_code == 200
    assert edit_url(company).encode() not in detail.content
    assert reverse("companies:company_delete", args=[company.pk]).encode() not in detail.content
    assert client.get(edit_url(company)).status_code == 403
    assert client.post(edit_url(company), form_data(company, name="Mine")).status_code == 403
    archive = client.post(reverse("companies:company_archive", args=[company.pk]))
    assert archive.status_code == 403
    company.refresh_from_db()
    assert (company.name, company.is_archived) == ("Bobco", False)


def test_manager_may_edit_anyones_company(manager: Any, bob: Any, make_company: Any) -> None:
    company = make_company(bob, name="Bobco")

    detail = signed_in(manager).get(company.get_absolute_url())

    assert edit_url(company).encode() in detail.content


# --- profile ----------------------------------------------------------------------------------


def test_profile_lists_employees_and_related_contacts(
    alice: Any, make_company: Any, make_contact: Any
) -> None:
    acme = make_company(
        alice, name="Acme Inc", website="https://acme.example.com", phone="+493012345678"
    )
    other = make_company(alice, name="Other Co")
    ann = make_contact(
        alice, full_name="Ann Buyer", company_id=acme.pk, job_title="CFO", role="decision_maker"
    )
    make_contact(alice, full_name="Gone Person", company_id=acme.pk, job_title="Ex")
    Contact.objects.filter(full_name="Gone Person").update(is_archived=True)
    advisor = make_contact(alice, full_name="Ava Advisor", company_id=other.pk)
    add_account_relation(alice, advisor, acme, "Board member")

    response = signed_in(alice).get(acme.get_absolute_url())

    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<h1>") == 1
    assert f'href="{ann.get_absolute_url()}"' in html
    assert "CFO" in html
    assert "Decision Maker" in html
    assert "Gone Person" not in html
    assert f'href="{advisor.get_absolute_url()}"' in html
    assert "Board member" in html
    assert 'href="https://acme.example.com" rel="noopener noreferrer"' in html


def test_profile_timeline_shows_the_companys_activities(
    alice: Any, make_company: Any, make_contact: Any
) -> None:
    from peoplebase.activities.services import add_note

    acme = make_company(alice, name="Acme Inc")
    ann = make_contact(alice, full_name="Ann Buyer", company_id=acme.pk)
    add_note(alice, ann, "Discussed the renewal")

    response = signed_in(alice).get(acme.get_absolute_url())

    assert "Discussed the renewal" in response.content.decode()


def test_unknown_company_is_a_404_page(alice: Any) -> None:
    client = signed_in(alice)

    assert client.get(reverse("companies:company_detail", args=[999999])).status_code == 404
    assert client.get("/companies/abc/").status_code == 404


def test_bad_timeline_cursor_shows_the_newest_entries(alice: Any, make_company: Any) -> None:
    acme = make_company(alice, name="Acme Inc")

    response = signed_in(alice).get(acme.get_absolute_url(), {"tl_cursor": "%%%"})

    assert response.status_code == 200
    assert "This page link has expired" in response.content.decode()


# --- archive, restore, delete -----------------------------------------------------------------


def test_archive_and_restore_redirect_back_with_a_message(alice: Any, make_company: Any) -> None:
    company = make_company(alice, name="Acme Inc")
    client = signed_in(alice)

    archived = client.post(reverse("companies:company_archive", args=[company.pk]), follow=True)
    company.refresh_from_db()
    assert company.is_archived
    assert "Company “Acme Inc” archived." in archived.content.decode()
    assert b"Restore" in archived.content

    client.post(reverse("companies:company_restore", args=[company.pk]))
    company.refresh_from_db()
    assert not company.is_archived


def test_archive_needs_post(alice: Any, make_company: Any) -> None:
    company = make_company(alice, name="Acme Inc")

    response = signed_in(alice).get(reverse("companies:company_archive", args=[company.pk]))

    assert response.status_code == 405


def test_delete_asks_for_confirmation_then_keeps_the_contacts(
    alice: Any, make_company: Any, make_contact: Any
) -> None:
    company = make_company(alice, name="Acme Inc")
    ann = make_contact(alice, full_name="Ann Buyer", company_id=company.pk)
    client = signed_in(alice)
    url = reverse("companies:company_delete", args=[company.pk])

    confirm = client.get(url)
    assert confirm.status_code == 200
    assert Company.objects.filter(pk=company.pk).exists()

    response = client.post(url, {"version": company.version}, follow=True)

    assert not Company.objects.filter(pk=company.pk).exists()
    ann.refresh_from_db()
    assert ann.company_id is None
    assert "deleted" in response.content.decode()


def test_reader_may_not_delete(reader: Any, alice: Any, make_company: Any) -> None:
    company = make_company(alice, name="Acme Inc")
    client = signed_in(reader)
    url = reverse("companies:company_delete", args=[company.pk])

    assert client.get(url).status_code == 403
    assert client.post(url).status_code == 403
    assert Company.objects.filter(pk=company.pk).exists()


@pytest.mark.parametrize("name", ["company_edit", "company_delete"])
def test_actions_on_missing_company_are_404(alice: Any, name: str) -> None:
    assert signed_in(alice).get(reverse(f"companies:{name}", args=[424242])).status_code == 404


def test_profile_queries_do_not_grow_with_contacts_and_notes(
    alice: Any, make_company: Any, make_contact: Any, django_assert_max_num_queries: Any
) -> None:
    from peoplebase.activities.services import add_note

    acme = make_company(alice, name="Acme Inc")
    for number in range(8):
        person = make_contact(alice, full_name=f"Person {number}", company_id=acme.pk)
        add_note(alice, person, f"Note {number}")
    client = signed_in(alice)

    with django_assert_max_num_queries(10):
        response = client.get(acme.get_absolute_url())

    assert response.content.decode().count('class="event') == 8
