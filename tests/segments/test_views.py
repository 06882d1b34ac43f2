"""Saved views on the contact list page: sidebar, save/update/delete, opening and columns."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlencode

from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from peoplebase.customfields.services import create_definition
from peoplebase.segments.models import SavedView
from peoplebase.segments.services import create_view

LIST_URL = reverse("contacts:contact_list")
ROW_NAME = re.compile(r'<td>\s*<a href="/contacts/\d+/">([^<]*)</a>')


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def row_names(response: Any) -> list[str]:
    return ROW_NAME.findall(response.content.decode())


def test_sidebar_lists_own_and_shared_views_and_highlights_the_open_one(
    alice: Any, bob: Any
) -> None:
    mine = create_view(alice, {"name": "My hot list"})
    create_view(bob, {"name": "Team list", "is_shared": True})
    create_view(bob, {"name": "Bob secret"})

    response = signed_in(alice).get(LIST_URL, {"view": mine.pk})

    assertContains(response, "My hot list")
    assertContains(response, "Team list")
    assertNotContains(response, "Bob secret")
    assertContains(response, f'href="/contacts/?view={mine.pk}" aria-current="page"')
    assertContains(response, "Update view")


def test_save_this_view_stores_the_current_search_filters_sort_and_columns(alice: Any) -> None:
    state = urlencode(
        {"status": "active", "q": "ann", "sort": "-created", "columns": "email,phone"}
    )

    response = signed_in(alice).post(
        reverse("segments:view_create"), {"name": "Active", "is_shared": "on", "state": state}
    )

    view = SavedView.objects.get(owner=alice)
    assert response.status_code == 302
    assert response["Location"] == f"{LIST_URL}?view={view.pk}"
    assert (view.name, view.is_shared, view.q, view.sort) == ("Active", True, "ann", "-created")
    assert view.filters == {"status": "active"}
    assert view.columns == ["email", "phone"]


def test_saving_with_a_taken_name_reports_it_and_saves_nothing(alice: Any) -> None:
    create_view(alice, {"name": "Active"})

    response = signed_in(alice).post(
        reverse("segments:view_create"), {"name": "active", "state": ""}, follow=True
    )

    assertContains(response, "already have a view")
    assert SavedView.objects.filter(owner=alice).count() == 1


def test_opening_a_view_applies_its_filters_and_sort(alice: Any, make_contact: Any) -> None:
    for name in ("Ann Vip", "Zed Vip"):
        make_contact(alice, full_name=name, tags=["vip"])
    make_contact(alice, full_name="Plain Person")
    view = create_view(alice, {"name": "VIPs", "filters": {"tags_any": "vip"}, "sort": "-name"})

    response = signed_in(alice).get(LIST_URL, {"view": view.pk})

    assert row_names(response) == ["Zed Vip", "Ann Vip"]


def test_explicit_parameters_override_the_view(alice: Any, make_contact: Any) -> None:
    for name in ("Ann Vip", "Zed Vip"):
        make_contact(alice, full_name=name, tags=["vip"])
    view = create_view(alice, {"name": "VIPs", "filters": {"tags_any": "vip"}, "sort": "-name"})

    response = signed_in(alice).get(LIST_URL, {"view": view.pk, "sort": "name"})

    assert row_names(response) == ["Ann Vip", "Zed Vip"]


def test_another_users_private_view_is_a_404(alice: Any, bob: Any) -> None:
    private = create_view(bob, {"name": "Bob only"})

    response = signed_in(alice).get(LIST_URL, {"view": private.pk})

    assert response.status_code == 404


def test_owner_updates_and_deletes_a_view(alice: Any) -> None:
    view = create_view(alice, {"name": "Mine", "filters": {"status": "active"}})
    client = signed_in(alice)

    client.post(
        reverse("segments:view_update", args=[view.pk]), {"state": "status=bounced&sort=-score"}
    )
    view.refresh_from_db()
    assert (view.filters, view.sort) == ({"status": "bounced"}, "-score")

    client.post(reverse("segments:view_delete", args=[view.pk]))
    assert not SavedView.objects.filter(pk=view.pk).exists()


def test_rep_cannot_delete_a_teammates_shared_view(alice: Any, bob: Any) -> None:
    shared = create_view(bob, {"name": "Team", "is_shared": True})

    page = signed_in(alice).get(LIST_URL, {"view": shared.pk})
    response = signed_in(alice).post(reverse("segments:view_delete", args=[shared.pk]))

    assertNotContains(page, "Delete view")
    assert response.status_code == 403
    assert SavedView.objects.filter(pk=shared.pk).exists()


def test_read_only_user_is_not_offered_sharing(reader: Any) -> None:
    response = signed_in(reader).get(LIST_URL)

    assertContains(response, "Save this view")
    assertNotContains(response, "Share with the team")


def test_default_columns_when_none_are_chosen(alice: Any, make_contact: Any) -> None:
    make_contact(alice, full_name="Ann", phones=[{"number": "+49 30 1234567"}])

    response = signed_in(alice).get(LIST_URL)

    assertContains(response, "Last activity</a>")
    assertNotContains(response, '<th scope="col">Phone</th>')


def test_chosen_columns_include_a_custom_field_rendered_by_type(
    admin: Any, alice: Any, make_contact: Any
) -> None:
    create_definition(admin, {"label": "Partner", "field_type": "boolean"})
    make_contact(alice, full_name="Ann", custom_fields={"partner": True}, job_title="CTO")
    view = create_view(alice, {"name": "Partners", "columns": ["job_title", "cf.partner"]})

    response = signed_in(alice).get(LIST_URL, {"view": view.pk})
    content = response.content.decode()

    assertContains(response, '<th scope="col">Partner</th>')
    assertContains(response, '<th scope="col">Job title</th>')
    assertNotContains(response, "Last activity</a>")
    assert re.search(r"<td>\s*Yes\s*</td>", content)
    assertContains(response, 'name="columns" value="cf.partner" checked')


def test_sort_links_keep_the_view_and_columns(alice: Any, make_contact: Any) -> None:
    make_contact(alice, full_name="Ann")
    view = create_view(alice, {"name": "Mine", "columns": ["email"]})

    response = signed_in(alice).get(LIST_URL, {"view": view.pk})

    assertContains(response, f"view={view.pk}")
    assert re.search(r'href="\?[^"]*columns=email[^"]*sort=-?email', response.content.decode())


def test_list_with_a_view_runs_a_bounded_number_of_queries(
    alice: Any, make_contact: Any, django_assert_max_num_queries: Any
) -> None:
    for index in range(20):
        make_contact(alice, full_name=f"Person {index}", tags=["vip"])
    view = create_view(alice, {"name": "All", "columns": ["tags", "company", "owner", "phone"]})
    client = signed_in(alice)

    with django_assert_max_num_queries(14):
        response = client.get(LIST_URL, {"view": view.pk})
    assert len(row_names(response)) == 20
