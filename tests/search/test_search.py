"""What one search box finds, and in which order, on SQLite FTS5 and PostgreSQL full-text."""

from __future__ import annotations

from typing import Any

import pytest

from peoplebase.search.services import MAX_LIMIT, search_contacts


@pytest.fixture
def people(alice: Any, make_contact: Any, make_company: Any) -> dict[str, Any]:
    acme = make_company(alice, name="Acme Robotics", domain="acme.io")
    return {
        "margaret": make_contact(
            alice,
            full_name="Margaret Hamilton",
            emails=[{"email": "margaret.hamilton@acme.io"}],
            phones=[{"number": "+1 415 555 0132"}],
            company_id=acme.pk,
            job_title="Flight Software Director",
            tags=["Apollo"],
        ),
        "jose": make_contact(
            alice,
            full_name="José Núñez",
            emails=[{"email": "jose@example.com"}, {"email": "jn@acme.io"}],
            job_title="Buyer",
        ),
        "john": make_contact(alice, full_name="John Smith", emails=[{"email": "js@other.org"}]),
        "mark": make_contact(alice, full_name="Mark Marshall", job_title="Marketing"),
    }


def test_a_name_prefix_finds_the_person_as_you_type(people: Any, search: Any) -> None:
    assert people["margaret"].pk in search("mar")
    assert people["margaret"].pk in search("marg")
    assert people["margaret"].pk in search("margaret ham")
    assert people["john"].pk not in search("mar")


def test_accents_and_case_fold_both_ways(people: Any, search: Any) -> None:
    for query in ("jose", "JOSÉ", "José Núñez", "nunez", "NÚÑ"):
        assert search(query)[:1] == [people["jose"].pk], query


def test_an_accented_query_finds_an_unaccented_name(people: Any, search: Any) -> None:
    assert search("Márgarét")[:1] == [people["margaret"].pk]


def test_a_domain_finds_everyone_with_an_address_there(people: Any, search: Any) -> None:
    found = set(search("acme.io"))

    assert {people["margaret"].pk, people["jose"].pk} <= found
    assert people["john"].pk not in found


def test_a_full_address_finds_its_owner_first(people: Any, search: Any) -> None:
    assert search("margaret.hamilton@acme.io")[:1] == [people["margaret"].pk]
    assert search("JN@ACME.IO")[:1] == [people["jose"].pk]


def test_a_local_part_finds_its_owner(people: Any, search: Any) -> None:
    assert search("hamilton")[:1] == [people["margaret"].pk]
    assert people["john"].pk in search("js")


@pytest.mark.parametrize(
    "typed", ["(415) 555-0132", "+1 415 555 0132", "4155550132", "+14155550132", "415-555"]
)
def test_a_phone_typed_in_any_format_finds_its_owner(people: Any, search: Any, typed: str) -> None:
    assert search(typed)[:1] == [people["margaret"].pk]


def test_one_typo_in_a_name_still_finds_the_person(people: Any, search: Any) -> None:
    assert search("margret")[:1] == [people["margaret"].pk]
    assert search("jhon")[:1] == [people["john"].pk]
    assert search("jhon smith")[:1] == [people["john"].pk]
    assert search("hamiltn")[:1] == [people["margaret"].pk]


def test_two_typos_in_a_short_name_find_nobody_on_either_database(people: Any, search: Any) -> None:
    assert people["john"].pk not in search("xhox")


def test_company_title_and_tag_are_searched(people: Any, search: Any) -> None:
    assert search("robotics") == [people["margaret"].pk]
    assert search("flight software") == [people["margaret"].pk]
    assert search("apollo") == [people["margaret"].pk]
    assert search("buyer") == [people["jose"].pk]


def test_words_may_match_different_fields(people: Any, search: Any) -> None:
    assert search("margaret apollo") == [people["margaret"].pk]
    assert search("john apollo") == []


def test_exact_email_ranks_before_names_and_other_fields(
    alice: Any, make_contact: Any, search: Any
) -> None:
    by_name = make_contact(alice, full_name="Kim Lee", emails=[{"email": "kim@lee.example"}])
    by_title = make_contact(alice, full_name="Pat Poe", job_title="Kim Lee fan club")
    owner = make_contact(alice, full_name="Someone Else", emails=[{"email": "kim.lee@x.example"}])

    assert search("kim.lee@x.example")[0] == owner.pk
    ranked = search("kim lee")
    assert ranked.index(by_name.pk) < ranked.index(owner.pk)
    assert ranked.index(by_name.pk) < ranked.index(by_title.pk)


def test_an_exact_name_token_ranks_before_a_prefix(
    alice: Any, make_contact: Any, search: Any
) -> None:
    longer = make_contact(alice, full_name="Anabel Rojas")
    exact = make_contact(alice, full_name="Ana Ruiz")

    assert search("ana")[:2] == [exact.pk, longer.pk]


def test_name_matches_rank_before_job_titles(people: Any, search: Any) -> None:
    ranked = search("mark")
    assert ranked[0] == people["mark"].pk
    titles_only = search("marketing")
    assert titles_only == [people["mark"].pk]


def test_hits_say_why_they_matched(people: Any) -> None:
    reasons = {hit.contact_id: hit.reason for hit in search_contacts("acme.io")}
    assert reasons[people["jose"].pk] == "email"
    assert search_contacts("margaret.hamilton@acme.io")[0].reason == "email"
    assert search_contacts("(415) 555-0132")[0].reason == "phone"
    assert search_contacts("margret")[0].reason == "name (one typo)"
    assert search_contacts("robotics")[0].reason == "company"
    hits = search_contacts("marg")
    assert hits[0].reason == "name"
    assert hits == sorted(hits, key=lambda hit: -hit.rank)


@pytest.mark.parametrize(
    "query",
    [
        '"',
        '"margaret',
        "margaret*",
        "*",
        "-margaret",
        "names:margaret",
        "^mar",
        "(mar",
        "mar)",
        "margaret AND",
        "OR",
        "NOT john",
        "NEAR(a b)",
        "a:b:c",
        "'; DROP TABLE contacts_contact; --",
        "\\",
        "\x00",
        "!&|<->:*",
        "@",
        "+",
        "++",
        "1e5",
    ],
)
def test_search_syntax_characters_never_raise(people: Any, search: Any, query: str) -> None:
    assert isinstance(search(query), list)


def test_quoted_syntax_words_are_searched_as_words(people: Any, search: Any) -> None:
    assert search('"margaret"') == [people["margaret"].pk]
    assert search("margaret*")[:1] == [people["margaret"].pk]
    assert search("NOT") == []


@pytest.mark.parametrize("query", ["", "   ", "\t\n", "--", "..."])
def test_empty_queries_return_nothing(people: Any, search: Any, query: str) -> None:
    assert search(query) == []


def test_very_long_queries_are_cut_short_not_refused(people: Any, search: Any) -> None:
    assert isinstance(search("margaret " + "x" * 5000), list)
    assert search("margaret " * 50)[:1] == [people["margaret"].pk]


def test_the_limit_bounds_the_hits(alice: Any, make_contact: Any, search: Any) -> None:
    for n in range(5):
        make_contact(alice, full_name=f"Maria Number{n}")

    assert len(search("maria", limit=3)) == 3
    assert len(search_contacts("maria", limit=10 * MAX_LIMIT)) == 5


def test_archived_contacts_are_still_found(people: Any, alice: Any, search: Any) -> None:
    from peoplebase.contacts.services import set_archived

    set_archived(alice, people["john"], True)
    assert search("john") == [people["john"].pk]
