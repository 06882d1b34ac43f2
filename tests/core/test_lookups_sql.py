"""The `is` lookup keeps boolean filters usable as index prefixes."""

from __future__ import annotations

import pytest
from django.db import connection

from peoplebase.contacts.models import Contact
from peoplebase.contacts.services import CONTACT_SORTS, ContactFilters, _filtered
from peoplebase.core.pagination import ordering

pytestmark = pytest.mark.django_db


def test_boolean_equality_is_rendered_as_a_comparison():
    sql = str(Contact.objects.filter(is_archived__is=False).query)
    assert '"is_archived" = ' in sql
    assert "NOT" not in sql.split("WHERE", 1)[1]


def test_is_lookup_selects_the_same_rows_as_exact(alice, make_contact):
    kept = make_contact(alice, full_name="Kept")
    gone = make_contact(alice, full_name="Gone")
    Contact.objects.filter(pk=gone.pk).update(is_archived=True)
    assert list(Contact.objects.filter(is_archived__is=False)) == [kept]
    assert list(Contact.objects.filter(is_archived__is=True)) == [gone]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's planner is the one at risk")
def test_contact_list_seeks_into_the_name_index(alice):
    sort = CONTACT_SORTS["name"]
    query = _filtered(alice, ContactFilters()).order_by(*ordering(sort))[:51]
    plan = query.explain()
    assert "contact_list_name_idx (is_archived=?)" in plan
    assert "TEMP B-TREE" not in plan
