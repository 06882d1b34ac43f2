"""The index follows every write path, and a rebuild gives the same index as incremental upkeep."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from peoplebase.companies.services import delete_company, update_company
from peoplebase.contacts.models import Contact
from peoplebase.contacts.services import change_job, delete_contact, update_contact
from peoplebase.contacts.tags import delete_tag, rename_tag
from peoplebase.core.errors import Forbidden
from peoplebase.search.engines import current_engine
from peoplebase.search.models import NameTermVariant
from peoplebase.search.services import (
    indexed_contact_ids,
    rebuild_index,
    search_contacts,
    unindex_contacts,
)


def index_rows() -> dict[int, tuple[str, ...]]:
    ids = indexed_contact_ids()
    with connection.cursor() as cursor:
        docs = current_engine().fetch(cursor, sorted(ids))
    return {pk: doc.values() for pk, doc in docs.items()}


def test_a_new_contact_is_searchable_at_once(alice: Any, make_contact: Any, search: Any) -> None:
    contact = make_contact(alice, full_name="Grace Hopper", emails=[{"email": "gh@navy.mil"}])

    assert search("grace") == [contact.pk]
    assert indexed_contact_ids() == {contact.pk}


def test_renaming_a_contact_moves_it_in_the_index(
    alice: Any, make_contact: Any, search: Any
) -> None:
    contact = make_contact(alice, full_name="Grace Hopper")

    update_contact(alice, contact, {"first_name": "Ada", "last_name": "Lovelace"})

    assert search("grace") == []
    assert search("lovelace") == [contact.pk]


def test_changing_emails_phones_and_tags_reindexes(
    alice: Any, make_contact: Any, search: Any
) -> None:
    contact = make_contact(
        alice,
        full_name="Grace Hopper",
        emails=[{"email": "old@old.example"}],
        phones=[{"number": "+1 212 555 0100"}],
        tags=["cobol"],
    )

    update_contact(
        alice,
        contact,
        {
            "emails": [{"email": "new@new.example"}],
            "phones": [{"number": "+44 20 7946 0000"}],
            "tags": ["compilers"],
        },
    )

    assert search("old.example") == []
    assert search("new@new.example") == [contact.pk]
    assert search("+1 212 555 0100") == []
    assert search("+44 20 7946 0000") == [contact.pk]
    assert search("cobol") == []
    assert search("compilers") == [contact.pk]


def test_a_failed_update_leaves_the_index_as_it_was(
    alice: Any, bob: Any, make_contact: Any, search: Any
) -> None:
    contact = make_contact(alice, full_name="Grace Hopper")

    with pytest.raises(Forbidden):
        update_contact(bob, contact, {"full_name": "Ada Lovelace"})

    assert search("grace") == [contact.pk]
    assert search("lovelace") == []


def test_renaming_a_company_reindexes_its_contacts(
    manager: Any, make_contact: Any, make_company: Any, search: Any
) -> None:
    company = make_company(manager, name="Initech")
    staff = {
        make_contact(manager, full_name=f"Worker {n}", company_id=company.pk).pk for n in (1, 2)
    }

    update_company(manager, company, {"name": "Globex"})

    assert search("initech") == []
    assert set(search("globex")) == staff


def test_deleting_a_company_drops_its_name_from_former_contacts(
    manager: Any, make_contact: Any, make_company: Any, search: Any
) -> None:
    company = make_company(manager, name="Initech")
    contact = make_contact(manager, full_name="Peter Gibbons", company_id=company.pk)

    delete_company(manager, company)

    assert search("initech") == []
    assert search("gibbons") == [contact.pk]


def test_renaming_and_deleting_a_tag_reindexes_tagged_contacts(
    manager: Any, make_contact: Any, search: Any
) -> None:
    from peoplebase.contacts.models import Tag

    contact = make_contact(manager, full_name="Grace Hopper", tags=["vip"])
    tag = Tag.objects.get(name="vip")

    rename_tag(manager, tag, "Key account")
    assert search("vip") == []
    assert search("key account") == [contact.pk]

    delete_tag(manager, tag)
    assert search("key account") == []
    assert search("grace") == [contact.pk]


def test_a_deleted_contact_is_never_found(alice: Any, make_contact: Any, search: Any) -> None:
    contact = make_contact(alice, full_name="Grace Hopper")

    delete_contact(alice, contact)

    assert search("grace") == []
    assert indexed_contact_ids() == set()


def test_a_contact_deleted_behind_the_index_is_not_returned(
    alice: Any, make_contact: Any, search: Any
) -> None:
    contact = make_contact(alice, full_name="Grace Hopper")

    Contact.objects.filter(pk=contact.pk).delete()  # a bulk delete that skips the services

    assert search("grace") == []


def test_a_job_change_indexes_the_new_record(
    alice: Any, make_contact: Any, make_company: Any, search: Any
) -> None:
    old_employer, new_employer = (
        make_company(alice, name="Initech"),
        make_company(alice, name="Globex"),
    )
    contact = make_contact(alice, full_name="Peter Gibbons", company_id=old_employer.pk)

    new = change_job(
        alice, contact, {"company_id": new_employer.pk, "job_title": "Engineer"}
    ).contact

    assert set(search("gibbons")) == {contact.pk, new.pk}
    assert search("globex engineer") == [new.pk]
    assert search("initech") == [contact.pk]


def test_converting_a_lead_indexes_the_new_contact(
    manager: Any, make_lead: Any, search: Any
) -> None:
    from peoplebase.leads.services import convert_lead

    lead = make_lead(
        manager, full_name="Hedy Lamarr", company_name="Frequency Labs", status="qualified"
    )

    result = convert_lead(manager, lead)

    assert search("lamarr") == [result.contact.pk]


def test_name_terms_are_remembered_for_typos_without_duplicates(
    alice: Any, make_contact: Any
) -> None:
    make_contact(alice, full_name="Grace Hopper")
    make_contact(alice, full_name="Grace Kelly")

    assert NameTermVariant.objects.filter(variant="grce", term="grace").count() == 1
    assert not NameTermVariant.objects.filter(term="kel").exists()  # too short for typos


def test_rebuild_gives_the_same_index_as_incremental_upkeep(
    manager: Any, make_contact: Any, make_company: Any
) -> None:
    company = make_company(manager, name="Initech")
    make_contact(
        manager,
        full_name="Peter Gibbons",
        company_id=company.pk,
        emails=[{"email": "peter@initech.example"}, {"email": "pg@home.example"}],
        phones=[{"number": "+1 212 555 0100"}],
        tags=["tps", "Reports"],
        job_title="Programmer",
    )
    make_contact(manager, full_name="Joanna", emails=[{"email": "j@chotchkies.example"}])
    update_company(manager, company, {"name": "Initrode"})
    incremental = index_rows()
    tokens = name_token_rows() if connection.vendor == "postgresql" else set()

    result = rebuild_index(batch=1)

    assert result.contacts == 2
    assert index_rows() == incremental
    if connection.vendor == "postgresql":
        assert name_token_rows() == tokens == expected_name_tokens()


def test_rebuild_command_reports_what_it_did(alice: Any, make_contact: Any, capsys: Any) -> None:
    contact = make_contact(alice, full_name="Grace Hopper")
    unindex_contacts([contact.pk])
    assert search_contacts("grace") == []

    call_command("search", "rebuild", "--quiet")

    assert "Indexed 1 contacts" in capsys.readouterr().out
    assert [hit.contact_id for hit in search_contacts("grace")] == [contact.pk]


def test_search_command_needs_an_action(db: Any) -> None:
    with pytest.raises(CommandError, match="search rebuild"):
        call_command("search")


# --- the index agrees with the table after random writes ---------------------------------------

NAMES = st.sampled_from(["Ana", "Bruno", "Chloé", "Dmitri", "Eun-ji", "Fatima", "Grace", "Hugo"])
SURNAMES = st.sampled_from(["Silva", "Müller", "O'Brien", "Nguyễn", "Kowalski", "Smith"])
ACTIONS = st.lists(
    st.one_of(
        st.tuples(st.just("create"), NAMES, SURNAMES),
        st.tuples(st.just("rename"), st.integers(0, 9), NAMES, SURNAMES),
        st.tuples(st.just("email"), st.integers(0, 9), st.integers(0, 99)),
        st.tuples(st.just("delete"), st.integers(0, 9)),
        st.tuples(st.just("company"), st.integers(0, 99)),
    ),
    min_size=1,
    max_size=8,
)


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(actions=ACTIONS)
def test_the_index_agrees_with_the_table_after_random_writes(
    manager: Any, make_contact: Any, make_company: Any, actions: list[tuple]
) -> None:
    from django.db import transaction

    with transaction.atomic():
        company = make_company(manager, name="Start Co")
        live: list[Any] = []
        deleted: set[int] = set()
        serial = iter(range(10_000))
        for action in actions:
            run_action(manager, make_contact, company, live, deleted, serial, action)
        check_index_agrees(live, deleted)
        transaction.set_rollback(True)


def run_action(
    actor: Any,
    make_contact: Any,
    company: Any,
    live: list[Any],
    deleted: set[int],
    serial: Any,
    action: tuple,
) -> None:
    kind = action[0]
    if kind == "create":
        email = f"p{next(serial)}@start.example"
        live.append(
            make_contact(
                actor,
                full_name=f"{action[1]} {action[2]}",
                emails=[{"email": email}],
                company_id=company.pk,
            )
        )
    elif kind == "company":
        update_company(actor, company, {"name": f"Company {action[1]}"})
    elif live:
        contact = live[action[1] % len(live)]
        if kind == "rename":
            update_contact(actor, contact, {"first_name": action[2], "last_name": action[3]})
        elif kind == "email":
            update_contact(
                actor, contact, {"emails": [{"email": f"e{action[2]}@x{next(serial)}.io"}]}
            )
        else:
            live.remove(contact)
            deleted.add(contact.pk)
            delete_contact(actor, contact)


def name_token_rows() -> set[tuple[int, str]]:
    """PostgreSQL's one-row-per-name-token table, as (contact id, token) pairs."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT contact_id, token FROM search_name_token")
        return {(pk, token) for pk, token in cursor.fetchall()}


def expected_name_tokens() -> set[tuple[int, str]]:
    return {(pk, token) for pk, values in index_rows().items() for token in values[0].split()}


def check_index_agrees(live: list[Any], deleted: set[int]) -> None:
    assert indexed_contact_ids() == set(Contact.objects.values_list("pk", flat=True))
    if connection.vendor == "postgresql":
        assert name_token_rows() == expected_name_tokens()
    for contact in Contact.objects.all():
        prefix = [h.contact_id for h in search_contacts(contact.first_name[:3], limit=1000)]
        assert contact.pk in prefix, contact.first_name
        assert contact.pk in [h.contact_id for h in search_contacts(contact.email)], contact.email
        by_name = [h.contact_id for h in search_contacts(contact.full_name, limit=1000)]
        assert contact.pk in by_name, contact.full_name
        assert not deleted & set(by_name)
    assert {c.pk for c in live} == set(Contact.objects.values_list("pk", flat=True))


@pytest.mark.django_db
def test_terms_a_writer_already_knows_are_not_looked_up_again(
    django_assert_num_queries: Any,
) -> None:
    from peoplebase.search.services import remember_name_terms

    known: set[str] = set()
    remember_name_terms({"grace", "hopper"}, known)
    assert known == {"grace", "hopper"}
    assert NameTermVariant.objects.filter(variant="grce", term="grace").exists()

    with django_assert_num_queries(0):
        remember_name_terms({"grace"}, known)
    remember_name_terms({"grace", "lovelace"}, known)

    assert known == {"grace", "hopper", "lovelace"}
    assert NameTermVariant.objects.filter(variant="lovelace", term="lovelace").exists()
