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


def test_a_company_whole_name_finds_its_people(
    alice: Any, make_contact: Any, make_company: Any, search: Any
) -> None:
    from peoplebase.companies.services import set_company_archived

    cedar = make_company(alice, name="Cedar Solar Inc.")
    other = make_company(alice, name="Cedar Solar Holdings")
    staff = [make_contact(alice, full_name=f"Staff {n}", company_id=cedar.pk) for n in "ab"]
    elsewhere = make_contact(alice, full_name="Other Person", company_id=other.pk)
    named = make_contact(alice, full_name="Cedar Person")

    assert set(search("cedar solar inc.")) == {c.pk for c in staff}
    assert set(search("  CEDAR   Solar Inc. ")) == {c.pk for c in staff}
    # Not a whole company name: the words are searched in every field as before.
    assert set(search("cedar solar")) == {*(c.pk for c in staff), elsewhere.pk}
    assert named.pk in search("cedar")
    hits = search_contacts("Cedar Solar Inc.")
    assert {hit.reason for hit in hits} == {"company"}
    set_company_archived(alice, cedar, True)
    assert set(search("cedar solar inc.")) == {c.pk for c in staff}  # by the index, as before


def test_name_searches_do_not_read_the_phone_region(people: Any, monkeypatch: Any) -> None:
    def no_region() -> str:
        raise AssertionError("the phone region was read for a name search")

    monkeypatch.setattr("peoplebase.contacts.services.workspace_phone_region", no_region)
    assert [hit.contact_id for hit in search_contacts("margaret")] == [people["margaret"].pk]
    with pytest.raises(AssertionError):
        search_contacts("415 555 0132")


def test_hits_of_deleted_contacts_left_in_the_index_are_dropped(people: Any) -> None:
    from peoplebase.contacts.models import Contact

    # A bulk delete that leaves the index alone (as merges and bulk jobs may).
    Contact.objects.filter(pk=people["mark"].pk).delete()
    assert search_contacts("mark") == []
    assert [hit.contact_id for hit in search_contacts("john")] == [people["john"].pk]


def test_the_live_check_joins_the_contacts_table() -> None:
    from peoplebase.contacts.models import Contact
    from peoplebase.search.engines import CONTACTS

    assert Contact._meta.db_table == CONTACTS
