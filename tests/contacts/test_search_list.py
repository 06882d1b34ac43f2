"""The contact list searches through the search engine: ranked, filterable, pageable."""

from __future__ import annotations

import pytest

from peoplebase.contacts.filtering import parse_filters
from peoplebase.contacts.services import ContactFilters, count_contacts, list_contacts
from peoplebase.core.errors import ValidationFailed

pytestmark = pytest.mark.django_db


@pytest.fixture
def margarets(alice, make_contact):
    people = {
        "exact": make_contact(alice, full_name="Zed Null", emails=["margaret@acme.io"]),
        "name": make_contact(alice, full_name="Margaret Hamilton", status="inactive"),
        "prefix": make_contact(alice, full_name="Margarethe Weiß"),
        "other": make_contact(alice, full_name="Anna Berg", job_title="Margarine buyer"),
    }
    make_contact(alice, full_name="Unrelated Person")
    return people


def ids(page):
    return [c.pk for c in page.items]


def test_searching_ranks_best_matches_first(alice, margarets):
    page = list_contacts(alice, ContactFilters(q="margaret@acme.io"))
    assert ids(page) == [margarets["exact"].pk]
    page = list_contacts(alice, ContactFilters(q="margaret"))
    assert ids(page)[0] == margarets["name"].pk
    assert margarets["prefix"].pk in ids(page)


def test_search_results_page_by_position(alice, margarets):
    first = list_contacts(alice, ContactFilters(q="marga"), limit=1)
    seen = ids(first)
    cursor = first.next_cursor
    while cursor:
        page = list_contacts(alice, ContactFilters(q="marga"), cursor=cursor, limit=1)
        seen += ids(page)
        assert page.prev_cursor
        cursor = page.next_cursor
    assert len(seen) == len(set(seen)) == count_contacts(alice, ContactFilters(q="marga"))
    assert margarets["name"].pk in seen and margarets["prefix"].pk in seen


def test_filters_narrow_search_results(alice, margarets):
    spec = parse_filters({"status": "inactive"})
    page = list_contacts(alice, ContactFilters(q="margaret", spec=spec))
    assert ids(page) == [margarets["name"].pk]


def test_an_explicit_sort_orders_the_matches(alice, margarets):
    page = list_contacts(alice, ContactFilters(q="margaret"), sort="name")
    names = [c.sort_name for c in page.items]
    assert names == sorted(names)


def test_relevance_needs_search_text_and_cursors_are_checked(alice, margarets):
    with pytest.raises(ValidationFailed) as caught:
        list_contacts(alice, ContactFilters(), sort="relevance")
    assert "sort" in caught.value.errors
    with pytest.raises(ValidationFailed) as caught:
        list_contacts(alice, ContactFilters(q="marga"), cursor="bogus")
    assert "cursor" in caught.value.errors
    name_cursor = list_contacts(alice, ContactFilters(), limit=1).next_cursor
    with pytest.raises(ValidationFailed):
        list_contacts(alice, ContactFilters(q="marga"), cursor=name_cursor)


def test_list_page_and_api_search(client, alice, margarets):
    from peoplebase.users.services import create_token

    client.force_login(alice)
    html = client.get("/contacts/", {"q": "margaret ham"}).content.decode()
    assert "Margaret Hamilton" in html and "Unrelated Person" not in html
    token = create_token(alice, "t").secret
    body = client.get(
        "/api/v1/contacts", {"q": "margaret@acme.io"}, HTTP_AUTHORIZATION=f"Bearer {token}"
    ).json()
    assert [item["id"] for item in body["items"]] == [margarets["exact"].pk]
    bad = client.get(
        "/api/v1/contacts", {"sort": "relevance"}, HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    assert bad.status_code == 422 and "sort" in bad.json()["errors"]


def test_search_pages_leave_archived_contacts_out_unless_asked(alice, make_contact):
    from peoplebase.contacts.models import Contact
    from peoplebase.contacts.services import set_archived

    live = make_contact(alice, full_name="Ottilie Live")
    gone = make_contact(alice, full_name="Ottilie Gone")
    set_archived(alice, gone, True)
    Contact.objects.filter(pk=make_contact(alice, full_name="Ottilie Deleted").pk).delete()

    assert ids(list_contacts(alice, ContactFilters(q="ottilie"))) == [live.pk]
    archived_only = ContactFilters(q="ottilie", spec=parse_filters({"archived": "true"}))
    assert ids(list_contacts(alice, archived_only)) == [gone.pk]
    both = ContactFilters(q="ottilie", spec=parse_filters({"archived": "any"}))
    assert set(ids(list_contacts(alice, both))) == {live.pk, gone.pk}
