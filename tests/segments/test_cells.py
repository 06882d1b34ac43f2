"""The contact list's cells: every built-in column and every custom field type, escaped."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from peoplebase.contacts.models import Contact
from peoplebase.customfields.services import create_definition
from peoplebase.segments.columns import BUILT_IN_COLUMNS, custom_column
from peoplebase.segments.templatetags.segment_tags import contact_cell

pytestmark = pytest.mark.django_db
COLUMNS = {column.key: column for column in BUILT_IN_COLUMNS}


def cell(contact: Any, key: str) -> str:
    return str(contact_cell(Contact.objects.get(pk=contact.pk), COLUMNS[key]))


def test_built_in_columns_show_the_contacts_values(
    alice: Any, make_contact: Any, make_company: Any
) -> None:
    company = make_company(alice, name="Acme <Labs>")
    contact = make_contact(
        alice,
        first_name="Ada",
        last_name="Lovelace",
        emails=[{"email": "ada@acme.io"}],
        phones=[{"number": "+1 415 555 0100"}],
        company_id=company.pk,
        job_title="CTO & founder",
        status="inactive",
        lead_score=42,
        consent_status="opted_in",
        country="DE",
        source="Web <form>",
        tags=["VIP", "<b>bold</b>"],
        owner_id=alice.pk,
    )

    assert cell(contact, "email") == "<td>ada@acme.io</td>"
    assert cell(contact, "phone") == "<td>+14155550100</td>"
    assert (
        cell(contact, "company")
        == f'<td><a href="/companies/{company.pk}/">Acme &lt;Labs&gt;</a></td>'
    )
    assert cell(contact, "job_title") == "<td>CTO &amp; founder</td>"
    assert cell(contact, "owner") == f"<td>{alice.display_name}</td>"
    assert cell(contact, "status") == '<td><span class="badge badge-inactive">Inactive</span></td>'
    assert cell(contact, "lead_score") == '<td class="num">42</td>'
    assert cell(contact, "consent_status") == "<td>Opted In</td>"
    assert cell(contact, "country") == "<td>DE</td>"
    assert cell(contact, "source") == "<td>Web &lt;form&gt;</td>"
    tags = cell(contact, "tags")
    assert '<span class="tag">VIP</span>' in tags
    assert '<span class="tag">&lt;b&gt;bold&lt;/b&gt;</span>' in tags


def test_empty_values_and_dates(alice: Any, make_contact: Any) -> None:
    contact = make_contact(alice, first_name="Nobody")
    when = timezone.make_aware(dt.datetime(2026, 3, 7, 23, 30), dt.UTC)
    Contact.objects.filter(pk=contact.pk).update(created_at=when, last_activity_at=None, owner=None)

    assert cell(contact, "company") == "<td></td>"
    assert cell(contact, "owner") == '<td><span class="muted">No owner</span></td>'
    assert cell(contact, "last_activity") == '<td><span class="muted">—</span></td>'
    local = timezone.localtime(when)
    assert cell(contact, "created") == (
        f'<td><time datetime="{local.isoformat()}">{local:%Y-%m-%d}</time></td>'
    )


@pytest.mark.parametrize(
    ("field_type", "options", "value", "expected"),
    [
        ("text", [], "<script>", "&lt;script&gt;"),
        ("number", [], 12.5, "12.5"),
        ("boolean", [], True, "Yes"),
        ("boolean", [], False, "No"),
        ("multi_select", ["A", "B"], ["A", "B"], "A, B"),
        (
            "url",
            [],
            "https://example.com/?a=1&b=2",
            '<a href="https://example.com/?a=1&amp;b=2" rel="noopener noreferrer nofollow">'
            "https://example.com/?a=1&amp;b=2</a>",
        ),
        ("email", [], "ada@example.com", '<a href="mailto:ada@example.com">ada@example.com</a>'),
        ("long_text", [], " ".join(["word"] * 20), " ".join(["word"] * 12) + " …"),
    ],
)
def test_custom_field_cells_by_type(
    admin: Any,
    make_contact: Any,
    field_type: str,
    options: list[str],
    value: Any,
    expected: str,
) -> None:
    definition = create_definition(
        admin, {"key": "extra", "label": "Extra", "field_type": field_type, "options": options}
    )
    contact = make_contact(admin, first_name="Cf", custom_fields={"extra": value})
    column = custom_column(definition)
    css = ' class="num"' if column.numeric else ""

    assert str(contact_cell(contact, column)) == f"<td{css}>{expected}</td>"
    contact.custom_fields = {}
    assert str(contact_cell(contact, column)) == f'<td{css}><span class="muted">—</span></td>'


def test_rows_carry_checkbox_name_cell_and_columns_all_escaped(
    alice: Any, make_contact: Any
) -> None:
    from peoplebase.contacts.services import attach_tag_names
    from peoplebase.segments.templatetags.segment_tags import contact_rows

    odd = make_contact(
        alice,
        full_name='Eve "<script>" Hacker',
        job_title="<i>CEO</i>",
        tags=["<b>x</b>", "VIP"],
        lead_score=7,
    )
    plain = make_contact(alice, full_name="", emails=[{"email": "a&b@example.com"}])
    contacts = list(Contact.objects.filter(pk__in=[odd.pk, plain.pk]).order_by("pk"))
    attach_tag_names(contacts)
    columns = [COLUMNS["email"], COLUMNS["lead_score"]]

    html = str(contact_rows(contacts, columns))

    first, second = html.split("</tr>\n")
    assert first + "</tr>" == (
        f'<tr><td><input type="checkbox" name="contact_ids" value="{odd.pk}" form="bulk-form" '
        'aria-label="Select Eve &quot;&lt;script&gt;&quot; Hacker"></td>'
        f'<td>\n<a href="/contacts/{odd.pk}/">Eve &quot;&lt;script&gt;&quot; Hacker</a>'
        '<div class="muted">&lt;i&gt;CEO&lt;/i&gt;</div>'
        '<div class="cell-tags"><span class="tag">&lt;b&gt;x&lt;/b&gt;</span>'
        '<span class="tag">VIP</span></div></td>'
        '<td></td><td class="num">7</td></tr>'
    )
    assert 'aria-label="Select a&amp;b@example.com"' in second
    assert ">a&amp;b@example.com</a></td><td>a&amp;b@example.com</td>" in second
    assert second.endswith("</tr>")
    assert "cell-tags" not in second and "muted" not in second
    # Each cell is what contact_cell gives on its own.
    assert str(contact_cell(contacts[0], COLUMNS["lead_score"])) in first
