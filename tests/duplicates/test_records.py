"""Engine records read from rows, and the on-create check's single-statement lookups."""

from __future__ import annotations

from typing import Any

from peoplebase.contacts import duplicates as on_create
from peoplebase.contacts.models import Contact
from peoplebase.duplicates.engine.records import make_record
from peoplebase.duplicates.records import load_records, record_from_row, record_rows


def test_record_from_row_carries_every_email_and_valid_phone(
    manager: Any, make_contact: Any
) -> None:
    contact = make_contact(
        manager,
        first_name="Ann",
        last_name="Lee",
        emails=["ann@gmail.com", "a.lee@zeta.example", "ann.lee@acme.example"],
        phones=["+1 415 555 0100", "12", "+44 20 7946 0000"],
        city="Oslo",
        postal_code="0150",
        birthday="--03-07",
        custom_fields={},
    )
    (row,) = record_rows(Contact.objects.filter(pk=contact.pk))
    record = record_from_row(row)
    # The primary first, then the rest sorted, whatever order the database joined them in:
    # the first work domain of that list is the record's domain.
    expected = make_record(
        contact.pk,
        first="Ann",
        last="Lee",
        emails=["ann@gmail.com", "a.lee@zeta.example", "ann.lee@acme.example"],
        phones=["+14155550100", "+442079460000"],  # "12" is not a valid phone
        city="Oslo",
        postcode="0150",
        birthday="--03-07",
    )
    assert record == expected
    assert record.domain == "zeta.example"


def test_scan_loader_and_on_create_read_the_same_records(manager: Any, make_contact: Any) -> None:
    made = [
        make_contact(
            manager, full_name="Bo Ek", emails=["bo@ek.se", "b@x.se"], phones=["+46 8 123 456 78"]
        ),
        make_contact(manager, full_name="Ida Lund"),  # no email, no phone
    ]
    loaded = load_records(Contact.objects.all())
    assert [r.id for r in loaded] == [c.pk for c in made]
    assert loaded[0].emails == ("bo@ek.se", "b@x.se") and loaded[0].phones == ("+46812345678",)
    assert loaded[1].emails == () and loaded[1].phones == ()
    rows = record_rows(Contact.objects.filter(pk__in=[c.pk for c in made]).order_by("id"))
    assert [record_from_row(row) for row in rows] == loaded


def test_each_lookup_keeps_its_own_limit_in_the_union(
    manager: Any, make_contact: Any, monkeypatch: Any
) -> None:
    smiths = [make_contact(manager, full_name=f"J{'o' * n}hn Smith") for n in range(1, 6)]
    phone_twin = make_contact(manager, full_name="Ann Other", phones=["+1 415 555 0100"])
    monkeypatch.setitem(on_create.LIMITS, "name", 2)
    monkeypatch.setitem(on_create.LIMITS, "initial", 3)
    lookups = on_create.candidate_lookups([], ["+14155550100"], "john", "smith", None)
    ids = on_create.union_ids(lookups)
    by_name = [i for i in ids if i != phone_twin.pk]
    # "smith john" matches one Smith (limit 2), "smith j" all five (limit 3): at most 5 rows
    # of Smiths, deduplicated, every one of them a Smith; the phone lookup adds its contact.
    assert phone_twin.pk in ids
    assert set(by_name) <= {s.pk for s in smiths}
    assert 3 <= len(by_name) <= 4
    assert len(ids) == len(set(ids))


def test_no_lookup_no_statement(django_assert_num_queries: Any, db: Any) -> None:
    with django_assert_num_queries(0):
        assert on_create.union_ids(on_create.candidate_lookups([], [], "", "", None)) == []


def test_on_create_check_takes_three_statements(
    manager: Any, make_contact: Any, make_company: Any, django_assert_num_queries: Any
) -> None:
    acme = make_company(manager, name="Acme Inc")
    ann = make_contact(
        manager, full_name="Ann Lee", emails=["ann@acme.example"], company_id=acme.pk
    )
    with django_assert_num_queries(3):  # the union, the candidates' rows, the contacts shown
        found = on_create.find_duplicate_candidates(
            emails=["ann@acme.example"],
            full_name="Ann Lee",
            company_id=acme.pk,
            company_name=acme.name,
        )
    assert [c.contact for c in found] == [ann]
    assert "same email" in "; ".join(found[0].reasons)
    with django_assert_num_queries(1):  # nobody alike: the union alone
        assert on_create.find_duplicate_candidates(full_name="Zed Quux") == []
