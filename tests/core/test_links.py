"""Links by id match Django's own reverse(), under any script prefix."""

from __future__ import annotations

import pytest
from django.urls import reverse, set_script_prefix

from peoplebase.core.links import id_url


@pytest.mark.parametrize("name", ["contacts:contact_detail", "companies:company_detail"])
@pytest.mark.parametrize("pk", [1, 42, 987654321, 2**63 - 1])
def test_id_url_is_what_reverse_gives(name, pk):
    assert id_url(name, pk) == reverse(name, args=[pk])


def test_id_url_follows_the_script_prefix():
    try:
        set_script_prefix("/crm/")
        assert id_url("contacts:contact_detail", 7) == reverse("contacts:contact_detail", args=[7])
        assert id_url("contacts:contact_detail", 7).startswith("/crm/")
    finally:
        set_script_prefix("/")
