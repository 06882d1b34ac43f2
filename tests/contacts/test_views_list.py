"""The contact list page: sorting, keyset pages, filters that survive paging, bounded queries."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from peoplebase.contacts.services import set_archived

LIST_URL = reverse("contacts:contact_list")
COUNT_URL = reverse("contacts:contact_count")
HTMX = {"HTTP_HX_REQUEST": "true"}
ROW_LINK = re.compile(r'<td>\s*<a href="/contacts/(\d+)/">')


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def row_ids(response: Any) -> list[int]:
    return [int(pk) for pk in ROW_LINK.findall(response.content.decode())]


def pager_link(response: Any, rel: str) -> str | None:
    match = re.search(rf'<a href="([^"]*)" rel="{rel}">', response.content.decode())
    return html.unescape(match.group(1)) if match else None


@pytest.fixture
def small_pages(monkeypatch: Any) -> None:
    monkeypatch.setattr("peoplebase.contacts.views.listing.PAGE_SIZE", 3)


def test_anonymous_user_is_sent_to_sign_in(client: Client) -> None:
    response = client.get(LIST_URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("web:login"))
    assert "next=/contacts/" in response["Location"]


def test_list_shows_contacts_with_count_and_one_heading(alice: Any, make_contact: Any) -> None:
    make_contact(alice, full_name="Ann Able", emails=["ann@example.com"])
    make_contact(alice, full_name="Ben Baker")
    response = signed_in(alice).get(LIST_URL)
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count("<h1") == 1
    assert "<title>Contacts · Peoplebase</title>" in body
    assertContains(response, "Ann Able")
    assertContains(response, "ann@example.com")
    assertContains(signed_in(alice).get(COUNT_URL, **HTMX), "2 contacts")


def test_count_is_an_estimate_beyond_the_exact_limit(
    alice: Any, make_contact: Any, monkeypatch: Any
) -> None:
    monkeypatch.setattr("peoplebase.contacts.services.EXACT_COUNT_LIMIT", 2)
    for name in ("A One", "B Two", "C Three"):
        make_contact(alice, full_name=name)
    # The figure is the database's estimate (PostgreSQL's planner guesses for a new table).
    response = signed_in(alice).get(COUNT_URL, **HTMX)
    assertContains(response, "About ")
    assertContains(response, "about ")  # the bulk bar's "select all about N"


def test_the_list_loads_its_count_afterwards_with_the_same_filters(
    alice: Any, make_contact: Any
) -> None:
    make_contact(alice, full_name="Ann Able", status="inactive")
    response = signed_in(alice).get(LIST_URL, {"status": "inactive", "q": "ann", "bogus": "1"})
    body = response.content.decode()
    # The page itself does not count (so it does not wait for it); htmx asks the count endpoint.
    match = re.search(r'id="contact-count" hx-get="([^"]+)" hx-trigger="load"', body)
    assert match is not None
    url = html.unescape(match.group(1))
    assert url.startswith(COUNT_URL + "?")
    assert "status=inactive" in url and "q=ann" in url and "bogus" not in url
    assert "contacts match" not in body


def test_count_endpoint_counts_the_search_and_filters(alice: Any, make_contact: Any) -> None:
    make_contact(alice, full_name="Ann Able", status="inactive")
    make_contact(alice, full_name="Ann Other", status="active")
    make_contact(alice, full_name="Ben Baker", status="inactive")
    client = signed_in(alice)
    fragment = client.get(COUNT_URL, {"status": "inactive", "q": "ann"}, **HTMX)
    assert fragment.status_code == 200
    body = fragment.content.decode()
    assert "1 contact match these filters" in body
    assert "<html" not in body  # a fragment for htmx to swap in
    assert 'id="bulk-all-count" hx-swap-oob="true">1 matching contact<' in body
    assertContains(client.get(COUNT_URL, **HTMX), "3 contacts<")
    assertContains(client.get(COUNT_URL, {"archived": "true"}, **HTMX), "0 contacts<")


def test_count_endpoint_follows_a_saved_view(alice: Any, make_contact: Any) -> None:
    from peoplebase.segments.services import create_view

    make_contact(alice, full_name="Ann Able", status="inactive")
    make_contact(alice, full_name="Ben Baker", status="active")
    view = create_view(alice, {"name": "Inactive", "filters": {"status": "inactive"}})
    assertContains(signed_in(alice).get(COUNT_URL, {"view": view.pk}, **HTMX), "1 contact match")


def test_count_endpoint_without_htmx_is_a_page(alice: Any, make_contact: Any) -> None:
    make_contact(alice, full_name="Ann Able")
    response = signed_in(alice).get(COUNT_URL, {"q": "ann"})
    assert response.status_code == 200
    assertContains(response, "<h1")
    assertContains(response, "1 contact match these filters")
    assertContains(response, 'href="/contacts/?q=ann"')


def test_count_endpoint_checks_sign_in_and_active_users(alice: Any) -> None:
    response = Client().get(COUNT_URL, **HTMX)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("web:login"))
    client = signed_in(alice)
    alice.is_active = False
    alice.save()
    assert client.get(COUNT_URL, **HTMX).status_code in (302, 403)


def test_count_endpoint_ignores_unreadable_filters_like_the_list(
    alice: Any, make_contact: Any
) -> None:
    make_contact(alice, full_name="Ann Able")
    bad = {"lead_score_min": "lots", "created_after": "someday", "q": "ann"}
    for url in (COUNT_URL, LIST_URL):
        assert signed_in(alice).get(url, bad, **HTMX).status_code == 200
        # A saved view that does not exist is a clear 404 on both, never a 500.
        assert signed_in(alice).get(url, {"view": "999999"}, **HTMX).status_code == 404
    assertContains(signed_in(alice).get(COUNT_URL, bad, **HTMX), "1 matching contact")


def test_count_endpoint_only_answers_get(alice: Any) -> None:
    assert signed_in(alice).post(COUNT_URL).status_code == 405


def test_sorting_by_name_both_ways_marks_the_active_column(alice: Any, make_contact: Any) -> None:
    zed = make_contact(alice, full_name="Zed Zulu")
    amy = make_contact(alice, full_name="Amy Alpha")
    client = signed_in(alice)
    ascending = client.get(LIST_URL, {"sort": "name"})
    assert row_ids(ascending) == [amy.pk, zed.pk]
    assertContains(ascending, 'aria-sort="ascending"><a href="?sort=-name">Name</a>')
    descending = client.get(LIST_URL, {"sort": "-name"})
    assert row_ids(descending) == [zed.pk, amy.pk]
    assertContains(descending, 'aria-sort="descending"')


def test_sorting_by_score_and_created(alice: Any, make_contact: Any) -> None:
    low = make_contact(alice, full_name="Low Score", lead_score=10)
    high = make_contact(alice, full_name="High Score", lead_score=90)
    client = signed_in(alice)
    assert row_ids(client.get(LIST_URL, {"sort": "-score"})) == [high.pk, low.pk]
    assert row_ids(client.get(LIST_URL, {"sort": "created"})) == [low.pk, high.pk]


def test_unknown_sort_falls_back_to_name_with_a_message(alice: Any, make_contact: Any) -> None:
    make_contact(alice, full_name="Ann Able")
    response = signed_in(alice).get(LIST_URL, {"sort": "password"})
    assert response.status_code == 200
    assertContains(response, "Cannot sort by")
    assertContains(response, "Ann Able")


def test_walking_pages_with_cursors_visits_every_contact_once(
    alice: Any, make_contact: Any, small_pages: None
) -> None:
    created = {make_contact(alice, full_name=f"Person {i:02d}").pk for i in range(8)}
    client = signed_in(alice)
    seen: list[int] = []
    url: str | None = LIST_URL + "?sort=name"
    pages = 0
    while url:
        response = client.get(url if url.startswith("/") else LIST_URL + url)
        assert response.status_code == 200
        seen.extend(row_ids(response))
        url = pager_link(response, "next")
        pages += 1
    assert pages == 3
    assert len(seen) == len(set(seen)) == 8
    assert set(seen) == created


def test_previous_link_returns_to_the_earlier_page(
    alice: Any, make_contact: Any, small_pages: None
) -> None:
    for i in range(7):
        make_contact(alice, full_name=f"Person {i:02d}")
    client = signed_in(alice)
    first = client.get(LIST_URL)
    second = client.get(LIST_URL + pager_link(first, "next"))
    back = client.get(LIST_URL + pager_link(second, "prev"))
    assert row_ids(back) == row_ids(first)
    assert set(row_ids(second)).isdisjoint(row_ids(first))


def test_filters_and_sort_survive_paging(alice: Any, make_contact: Any, small_pages: None) -> None:
    for i in range(5):
        make_contact(alice, full_name=f"Active {i}", status="active")
    for i in range(5):
        make_contact(alice, full_name=f"Gone {i}", status="inactive")
    client = signed_in(alice)
    first = client.get(LIST_URL, {"status": "inactive", "sort": "-name"})
    next_url = pager_link(first, "next")
    assert next_url is not None
    assert "status=inactive" in next_url
    assert "sort=-name" in next_url
    second = client.get(LIST_URL + next_url)
    names = re.findall(r'/contacts/\d+/">([^<]+)</a>', second.content.decode())
    assert names and all(name.startswith("Gone") for name in names)
    assertContains(second, '<option value="inactive" selected>')


def test_sort_links_keep_filters_and_drop_the_cursor(
    alice: Any, make_contact: Any, small_pages: None
) -> None:
    for i in range(5):
        make_contact(alice, full_name=f"Person {i}")
    client = signed_in(alice)
    first = client.get(LIST_URL, {"q": "person"})
    second = client.get(LIST_URL + pager_link(first, "next"))
    body = html.unescape(second.content.decode())
    email_header = re.search(r'<th scope="col"><a href="([^"]*)">Email</a>', body)
    assert email_header is not None
    assert "q=person" in email_header.group(1)
    assert "cursor" not in email_header.group(1)


def test_search_owner_tag_and_consent_filters(alice: Any, bob: Any, make_contact: Any) -> None:
    mine = make_contact(alice, full_name="Mine Person", tags=["VIP"], consent_status="opted_in")
    bobs = make_contact(bob, full_name="Bob Person", emails=["bobs@example.com"])
    unowned = make_contact(alice, full_name="Nobody Person", owner_id=None)
    client = signed_in(alice)
    assert row_ids(client.get(LIST_URL, {"owner": "me"})) == [mine.pk]
    assert row_ids(client.get(LIST_URL, {"owner": "none"})) == [unowned.pk]
    assert row_ids(client.get(LIST_URL, {"owner": str(bob.pk)})) == [bobs.pk]
    assert row_ids(client.get(LIST_URL, {"tag": "vip"})) == [mine.pk]
    assert row_ids(client.get(LIST_URL, {"consent_status": "opted_in"})) == [mine.pk]
    assert row_ids(client.get(LIST_URL, {"q": "bobs@"})) == [bobs.pk]
    assertContains(client.get(LIST_URL, {"q": "nomatch"}), "No contacts match these filters.")


def test_archived_toggle_shows_only_archived_contacts(alice: Any, make_contact: Any) -> None:
    live = make_contact(alice, full_name="Live One")
    gone = make_contact(alice, full_name="Gone One")
    set_archived(alice, gone, True)
    client = signed_in(alice)
    assert row_ids(client.get(LIST_URL)) == [live.pk]
    archived = client.get(LIST_URL, {"archived": "on"})
    assert row_ids(archived) == [gone.pk]
    assertContains(archived, "<h1>Archived contacts</h1>")


def test_bad_filter_value_shows_a_message_instead_of_failing(alice: Any, make_contact: Any) -> None:
    make_contact(alice, full_name="Ann Able")
    response = signed_in(alice).get(LIST_URL, {"status": "deleted", "owner": "everyone"})
    assert response.status_code == 200
    assertContains(response, "Some filters were not understood")
    assertContains(response, 'aria-invalid="true"')
    assertContains(response, "Ann Able")


def test_bad_cursor_shows_a_message_and_the_first_page(alice: Any, make_contact: Any) -> None:
    make_contact(alice, full_name="Ann Able")
    response = signed_in(alice).get(LIST_URL, {"cursor": "not-a-cursor!!"})
    assert response.status_code == 200
    assertContains(response, "This page link has expired or is not valid")
    assertContains(response, "Ann Able")


def test_cursor_from_another_sort_order_is_refused_politely(
    alice: Any, make_contact: Any, small_pages: None
) -> None:
    for i in range(5):
        make_contact(alice, full_name=f"Person {i}")
    client = signed_in(alice)
    cursor = re.search(r"cursor=([^&\"]+)", pager_link(client.get(LIST_URL), "next") or "")
    assert cursor is not None
    response = client.get(LIST_URL, {"cursor": cursor.group(1), "sort": "-created"})
    assert response.status_code == 200
    assertContains(response, "This page link has expired or is not valid")


def test_empty_list_offers_new_contact_to_those_who_may_create(alice: Any) -> None:
    response = signed_in(alice).get(LIST_URL)
    assertContains(response, "No contacts yet.")
    assertContains(response, reverse("contacts:contact_create"))


def test_reader_sees_no_new_contact_button(reader: Any, alice: Any, make_contact: Any) -> None:
    make_contact(alice, full_name="Ann Able")
    response = signed_in(reader).get(LIST_URL)
    assert response.status_code == 200
    assertContains(response, "Ann Able")
    assertNotContains(response, reverse("contacts:contact_create"))


def test_list_page_runs_a_bounded_number_of_queries(
    alice: Any,
    bob: Any,
    make_contact: Any,
    make_company: Any,
    django_assert_max_num_queries: Any,
) -> None:
    companies = [make_company(alice, name=f"Company {i}") for i in range(3)]
    for i in range(30):
        owner = alice if i % 2 else bob
        make_contact(
            owner,
            full_name=f"Person {i:02d}",
            company_id=companies[i % 3].pk,
            tags=[f"tag{i % 4}", "common"],
        )
    client = signed_in(alice)
    with django_assert_max_num_queries(11):  # 10 + the saved views sidebar
        response = client.get(LIST_URL, {"sort": "-created"})
    assert len(row_ids(response)) == 30
    assertContains(response, "common", count=31)  # 30 chips + the tag suggestion list


def test_list_output_is_escaped(alice: Any, make_contact: Any) -> None:
    make_contact(alice, full_name="<script>alert(1)</script>")
    response = signed_in(alice).get(LIST_URL)
    assertNotContains(response, "<script>alert(1)</script>")
    assertContains(response, "&lt;script&gt;alert(1)&lt;/script&gt;")
