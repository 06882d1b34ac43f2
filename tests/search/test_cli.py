"""`peoplebase contacts search` prints hits best first, as a table or JSON."""

from __future__ import annotations

import json
import re
from io import StringIO
from typing import Any

from django.core.management import call_command


def run(*args: str) -> str:
    out = StringIO()
    call_command("contacts", "search", *args, stdout=out)
    return out.getvalue()


def test_search_prints_id_name_email_company_and_reason(
    alice: Any, make_contact: Any, make_company: Any
) -> None:
    company = make_company(alice, name="Navy Labs")
    contact = make_contact(
        alice, full_name="Grace Hopper", emails=[{"email": "gh@navy.mil"}], company_id=company.pk
    )

    text = run("grace")

    assert text.splitlines()[0].split() == ["ID", "NAME", "EMAIL", "COMPANY", "REASON"]
    row = re.split(r"\s{2,}", text.splitlines()[1])
    assert row == [str(contact.pk), "Grace Hopper", "gh@navy.mil", "Navy Labs", "name"]


def test_search_as_json_with_a_limit(alice: Any, make_contact: Any) -> None:
    for n in range(3):
        make_contact(alice, full_name=f"Grace Number{n}")

    rows = json.loads(run("grace", "--limit", "2", "--json"))

    assert len(rows) == 2
    assert set(rows[0]) == {"id", "name", "email", "company", "reason", "rank"}


def test_search_says_when_nothing_matches(db: Any) -> None:
    assert run("nobody").strip() == "No contacts match."
    assert json.loads(run('"*', "--json")) == []
