"""The shared display filters and link helpers of peoplebase_tags."""

from __future__ import annotations

from typing import Any

import pytest
from django.template import Context, Template
from django.test import RequestFactory

from peoplebase.core.pagination import Page
from peoplebase.web.templatetags import peoplebase_tags as tags


def render(source: str, path: str = "/contacts/", **context: Any) -> str:
    request = RequestFactory().get(path)
    template = Template("{% load peoplebase_tags %}" + source)
    return template.render(Context({"request": request, **context}))


def test_phone_display_formats_e164_and_keeps_other_text() -> None:
    assert tags.phone_display("+14155550100") == "+1 415-555-0100"
    assert tags.phone_display("call after 5") == "call after 5"
    assert tags.phone_display(None) == ""


def test_country_name_from_code() -> None:
    assert tags.country_name("DE") == "Germany"
    assert tags.country_name("") == ""
    assert tags.country_name("ZZ") == "ZZ"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("active", "badge badge-active"),
        ("bounced", "badge badge-danger"),
        ("opted_out", "badge badge-danger"),
        ("qualified", "badge badge-active"),
        ("something", "badge"),
        ("", "badge"),
    ],
)
def test_badge_class(value: str, expected: str) -> None:
    assert tags.badge_class(value) == expected


def test_field_label_is_readable() -> None:
    assert tags.field_label("consent_status") == "Consent status"
    assert tags.field_label("gdpr_basis") == "GDPR basis"
    assert tags.field_label("custom_fields.annual_budget") == "Annual budget"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, "—"),
        ("", "—"),
        ([], "—"),
        (True, "Yes"),
        (False, "No"),
        (["a@x.org", "b@x.org"], "a@x.org, b@x.org"),
        ({"id": 3, "label": "Acme"}, "Acme"),
        ({"budget": 5, "tier": "Gold"}, "Budget: 5; Tier: Gold"),
        ("2024-05-01T10:30:00+00:00", "2024-05-01 10:30"),
        (72, "72"),
    ],
)
def test_audit_value_is_readable(value: Any, expected: str) -> None:
    assert tags.audit_value(value) == expected


def test_count_label_singular_plural_and_cap() -> None:
    assert tags.count_label(1, 10_000, "contact", "contacts") == "1 contact"
    assert tags.count_label(1234, 10_000, "contact", "contacts") == "1,234 contacts"
    assert tags.count_label(10_001, 10_000, "contact", "contacts") == "10,000+ contacts"


def test_query_string_replaces_and_drops_keys() -> None:
    path = "/contacts/?q=ann&status=active&cursor=abc"
    assert render("{% query_string cursor=None %}", path) == "?q=ann&amp;status=active"
    assert render('{% query_string cursor="xyz" %}', path) == (
        "?q=ann&amp;status=active&amp;cursor=xyz"
    )
    assert render('{% query_string "tl_cursor" "t1" %}', "/contacts/1/") == "?tl_cursor=t1"


def test_sort_header_toggles_direction_and_drops_the_cursor() -> None:
    path = "/contacts/?q=ann&cursor=abc&sort=name"
    active = render('{% sort_header "Name" "name" "name" %}', path)
    assert 'aria-sort="ascending"' in active
    assert 'href="?q=ann&amp;sort=-name"' in active
    other = render('{% sort_header "Created" "created" "name" True %}', path)
    assert "aria-sort" not in other
    assert "sort=-created" in other
    descending = render('{% sort_header "Name" "name" "-name" %}', path)
    assert 'aria-sort="descending"' in descending


def test_pager_keeps_filters_and_uses_the_given_cursor_key() -> None:
    page = Page(items=[1], next_cursor="n1", prev_cursor="p1")
    html = render(
        '{% include "web/_pager.html" with page=page %}', "/contacts/?status=active", page=page
    )
    assert 'href="?status=active&amp;cursor=p1" rel="prev"' in html
    assert 'href="?status=active&amp;cursor=n1" rel="next"' in html
    timeline = render(
        '{% include "web/_pager.html" with page=page cursor_param="tl_cursor" %}',
        "/contacts/1/",
        page=page,
    )
    assert 'href="?tl_cursor=n1" rel="next"' in timeline


def test_pager_is_empty_for_a_single_page() -> None:
    page = Page(items=[1])
    assert render('{% include "web/_pager.html" with page=page %}', page=page).strip() == ""


def test_can_edit_record_and_can_change_note(alice: Any, bob: Any, reader: Any) -> None:
    class Record:
        owner_id = alice.pk

    class Note:
        kind = "note"
        actor_id = alice.pk

    assert tags.can_edit_record(alice, Record())
    assert not tags.can_edit_record(bob, Record())
    assert tags.can_change_note(alice, Note())
    assert not tags.can_change_note(bob, Note())
    assert not tags.can_change_note(reader, Note())


def test_history_shows_choice_labels_not_stored_values(alice, make_contact):
    from peoplebase.audit.services import history_for
    from peoplebase.contacts.services import update_contact
    from peoplebase.web.templatetags.peoplebase_tags import audit_display

    contact = make_contact(alice, full_name="Ann", consent_status="pending")
    update_contact(alice, contact, {"consent_status": "opted_in", "job_title": "CTO"})
    entry = history_for(contact)[0]
    assert audit_display(entry, "consent_status", "opted_in") == "Opted In"
    assert audit_display(entry, "consent_status", "pending") == "Pending"
    assert audit_display(entry, "job_title", "CTO") == "CTO"
    assert audit_display(entry, "custom_fields.budget", 10) == "10"


def test_quick_field_renders_what_the_field_template_does() -> None:
    import re

    from django import forms
    from django.template.loader import render_to_string

    from peoplebase.web.widgets import QuickSelect, QuickTextInput

    class Sample(forms.Form):
        name = forms.CharField(label="Name <first>", help_text="Say & mean", required=True)
        when = forms.CharField(required=False, widget=QuickTextInput(attrs={"type": "date"}))
        kind = forms.ChoiceField(choices=[("a", "A & co"), ("b", "B")], widget=QuickSelect)
        agree = forms.BooleanField(required=False)
        secret = forms.CharField(required=False, widget=forms.HiddenInput)

    form = Sample({"name": "", "when": "2026-01-02", "kind": "b"})
    assert form.errors  # name is required: an error list to render as well

    def squeeze(html: str) -> str:
        return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", str(html))).strip()

    for name in form.fields:
        expected = render_to_string("web/_field.html", {"field": form[name]})
        assert squeeze(tags.quick_field(form[name])) == squeeze(expected), name
