"""`peoplebase contacts list`: the shared filters on the command line, as a table or JSON."""

from __future__ import annotations

import json
from typing import Any

import pytest

from peoplebase.cli import COMMANDS

pytestmark = pytest.mark.django_db


def test_help_lists_the_contacts_command(run_cli: Any) -> None:
    assert "contacts" in COMMANDS
    assert "contacts" in run_cli("--help").out
    result = run_cli("contacts", "list", "--help")
    assert result.code == 0
    assert "--filter" in result.out


def test_table_shows_matching_contacts(
    run_cli: Any, admin: Any, alice: Any, make_contact: Any, make_company: Any
) -> None:
    acme = make_company(alice, name="Acme")
    make_contact(
        alice, full_name="Ann Able", emails=["ann@example.com"], company_id=acme.pk, tags=["VIP"]
    )
    make_contact(alice, full_name="Ben Baker", status="inactive")
    result = run_cli("contacts", "list", "--filter", "tags_any=vip", "--filter", "status=active")
    assert result.code == 0, result.err
    lines = result.out.strip().splitlines()
    assert lines[0].split() == ["id", "name", "email", "company", "status", "owner"]
    assert len(lines) == 2
    assert "Ann Able" in lines[1] and "Acme" in lines[1] and "alice@example.com" in lines[1]


def test_json_output_and_owner_me_as_a_named_user(
    run_cli: Any, admin: Any, alice: Any, bob: Any, make_contact: Any
) -> None:
    mine = make_contact(alice, full_name="Mine")
    make_contact(bob, full_name="Bobs")
    result = run_cli("contacts", "list", "--filter", "owner=me", "--as", alice.email, "--json")
    assert result.code == 0, result.err
    rows = json.loads(result.out)
    assert [row["id"] for row in rows] == [mine.pk]
    assert rows[0]["owner"] == "alice@example.com"


def test_limit_prints_a_cursor_for_the_next_page(run_cli: Any, admin: Any, make_contact: Any):
    for name in ("A", "B", "C"):
        make_contact(admin, full_name=name)
    first = run_cli("contacts", "list", "--limit", "2", "--sort", "name")
    assert first.code == 0
    assert len(first.out.strip().splitlines()) == 3
    cursor = first.err.strip().rsplit(" ", 1)[-1]
    rest = run_cli("contacts", "list", "--limit", "2", "--cursor", cursor, "--json")
    assert [row["name"] for row in json.loads(rest.out)] == ["C"]


@pytest.mark.parametrize(
    ("argument", "named"),
    [
        ("status=sleeping", "status"),
        ("lead_score_max=1000", "lead_score_max"),
        ("last_activity_before=whenever", "last_activity_before"),
        ("cf.missing=1", "cf.missing"),
        ("colour=red", "colour"),
        ("no-equals-sign", "--filter"),
    ],
)
def test_bad_filter_exits_2_naming_the_parameter(
    run_cli: Any, admin: Any, argument: str, named: str
) -> None:
    result = run_cli("contacts", "list", "--filter", argument)
    assert result.code == 2
    assert f"{named}:" in result.err
    assert result.out == ""


def test_unknown_user_for_as_is_refused(run_cli: Any, admin: Any) -> None:
    result = run_cli("contacts", "list", "--as", "nobody@example.com")
    assert result.code == 2
    assert "--as" in result.err


def test_without_an_action_the_command_says_what_to_do(run_cli: Any, admin: Any) -> None:
    result = run_cli("contacts")
    assert result.code == 1
    assert "contacts list" in result.err
