"""The merge page, the contact page's Merge action and undo link, history, redirects."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from peoplebase.contacts.models import Contact
from peoplebase.merges.models import ContactMerge
from peoplebase.merges.services import merge_contacts

pytestmark = pytest.mark.django_db
MERGE_URL = "/contacts/merge/"


def signed_in(user: Any) -> Client:
    client = Client(enforce_csrf_checks=False)
    client.force_login(user)
    return client


def test_contact_page_offers_merge_and_the_page_finds_contacts(admin, make_contact):
    ann = make_contact(admin, full_name="Ann Lee")
    make_contact(admin, full_name="Ann Leigh", emails=["leigh@x.com"])
    client = signed_in(admin)

    assertContains(client.get(ann.get_absolute_url()), f"{MERGE_URL}?ids={ann.pk}")
    response = client.get(MERGE_URL, {"ids": ann.pk, "q": "Leigh"})
    assertContains(response, "Add Ann Leigh")


def test_side_by_side_with_defaults_then_merge_redirects_to_next(admin, make_contact):
    ann = make_contact(admin, full_name="Ann", job_title="CTO")
    dup = make_contact(admin, full_name="Annie", job_title="", department="Sales")
    client = signed_in(admin)

    page = client.get(MERGE_URL, {"ids": [ann.pk, dup.pk]})
    assertContains(page, f'name="field:job_title" value="{ann.pk}" checked')
    assertContains(page, f'name="field:department" value="{dup.pk}" checked')

    response = client.post(
        MERGE_URL,
        {
            "ids": [ann.pk, dup.pk],
            "primary": ann.pk,
            "field:full_name": dup.pk,
            "confirm": "yes",
            "next": "/contacts/?q=ann",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/contacts/?q=ann"
    ann.refresh_from_db()
    assert (ann.full_name, ann.job_title, ann.department) == ("Annie", "CTO", "Sales")


def test_merge_needs_confirmation_and_keeps_everything_otherwise(admin, make_contact):
    ann = make_contact(admin, full_name="Ann")
    dup = make_contact(admin, full_name="Dup")
    response = signed_in(admin).post(MERGE_URL, {"ids": [ann.pk, dup.pk], "primary": ann.pk})
    assertContains(response, "Tick the confirmation box")
    assert Contact.objects.filter(pk=dup.pk).exists()


def test_unsafe_next_is_ignored(admin, make_contact):
    ann = make_contact(admin, full_name="Ann")
    dup = make_contact(admin, full_name="Dup")
    response = signed_in(admin).post(
        MERGE_URL,
        {
            "ids": [ann.pk, dup.pk],
            "primary": dup.pk,
            "confirm": "yes",
            "next": "https://evil.example/",
        },
    )
    assert response["Location"] == dup.get_absolute_url()


def test_rep_sees_no_merge_button_and_cannot_post(alice, admin, make_contact):
    ann = make_contact(alice, full_name="Ann")
    dup = make_contact(alice, full_name="Dup")
    client = signed_in(alice)
    assertContains(client.get(MERGE_URL, {"ids": [ann.pk, dup.pk]}), "You may not merge")
    response = client.post(MERGE_URL, {"ids": [ann.pk, dup.pk], "confirm": "yes"})
    assertContains(response, "may not merge")
    assert Contact.objects.filter(pk=dup.pk).exists()


def test_old_contact_url_redirects_to_survivor_with_message(admin, make_contact):
    a, b, c = (make_contact(admin, full_name=n) for n in ("A", "B", "C"))
    merge_contacts(admin, b, [a])
    merge_contacts(admin, c, [b])
    client = signed_in(admin)

    response = client.get(reverse("contacts:contact_detail", args=[a.pk]), follow=True)
    assert response.redirect_chain[-1][0] == c.get_absolute_url()
    assertContains(response, f"Contact #{a.pk} was merged into")
    assert client.get(reverse("contacts:contact_detail", args=[999999])).status_code == 404


def test_undo_link_on_the_primary_and_history_list(admin, make_contact):
    ann = make_contact(admin, full_name="Ann")
    dup = make_contact(admin, full_name="Dup Person")
    merge = merge_contacts(admin, ann, [dup])
    client = signed_in(admin)

    page = client.get(ann.get_absolute_url())
    assertContains(page, reverse("merges:merge_undo", args=[merge.pk]))
    assertContains(client.get("/merges/"), f"#{dup.pk}")
    assertContains(client.get(merge.get_absolute_url()), "Dup Person")

    response = client.post(reverse("merges:merge_undo", args=[merge.pk]))
    assert response["Location"] == ann.get_absolute_url()
    assert Contact.objects.filter(pk=dup.pk).exists()
    assertNotContains(client.get(ann.get_absolute_url()), f"merges/{merge.pk}/undo")
    assert ContactMerge.objects.get(pk=merge.pk).undone_at is not None


def test_output_is_escaped(admin, make_contact):
    ann = make_contact(admin, full_name="<script>alert(1)</script>")
    dup = make_contact(admin, full_name="Dup")
    page = signed_in(admin).get(MERGE_URL, {"ids": [ann.pk, dup.pk]})
    assertNotContains(page, "<script>alert(1)</script>")


def test_admin_changes_merge_settings_others_may_not(admin, manager, alice):
    from peoplebase.merges.models import MergeSettings

    response = signed_in(admin).post(
        "/merges/settings/", {"allowed_roles": ["admin", "rep"], "undo_window_days": "7"}
    )
    assert response.status_code == 302
    saved = MergeSettings.load()
    assert (saved.allowed_roles, saved.undo_window_days) == (["admin", "rep"], 7)
    bad = signed_in(admin).post(
        "/merges/settings/", {"allowed_roles": ["read_only"], "undo_window_days": "0"}, follow=True
    )
    assertContains(bad, "Choose among")
    assert (
        signed_in(manager).post("/merges/settings/", {"undo_window_days": "1"}).status_code == 403
    )
    assert MergeSettings.load().undo_window_days == 7
