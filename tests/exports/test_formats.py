"""The shared export writer: columns, formula neutralisation, BOM and vCard output."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest

from peoplebase.contacts.models import Contact
from peoplebase.exports.formats import (
    UnknownColumns,
    available_columns,
    choose_columns,
    csv_chunks,
    load_children,
    neutralise_cell,
    vcard_chunks,
)


def loaded(contact: Any) -> Contact:
    fresh = Contact.objects.select_related("company", "owner").get(pk=contact.pk)
    return load_children([fresh])[0]


def read_csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))


@pytest.mark.parametrize("value", ["=1+1", "+44 20", "-5", "@SUM(A1)", "\tx", "\rx"])
def test_every_formula_prefix_is_neutralised(value: str) -> None:
    assert neutralise_cell(value) == "'" + value


def test_csv_neutralises_every_cell_including_emails_tags_and_custom_fields(
    admin: Any, make_contact: Any
) -> None:
    contact = make_contact(
        admin,
        full_name='=HYPERLINK("http://evil")',
        job_title="@cmd",
        tags=["-danger", "safe"],
        phones=["+1 415 555 0100"],
    )
    columns = choose_columns(["full_name", "job_title", "tags", "phones"], available_columns())
    (row,) = read_csv("".join(csv_chunks([loaded(contact)], columns)))
    assert row["full_name"] == '\'=HYPERLINK("http://evil")'
    assert row["job_title"] == "'@cmd"
    assert row["tags"] == "'-danger, safe"
    assert row["phones"] == "'+14155550100"


def test_all_emails_and_phones_are_packed_primary_first(admin: Any, make_contact: Any) -> None:
    contact = make_contact(
        admin,
        full_name="Ann Lee",
        emails=[{"email": "b@example.com"}, {"email": "a@example.com", "is_primary": True}],
    )
    columns = choose_columns(["email", "emails"], available_columns())
    (row,) = read_csv("".join(csv_chunks([loaded(contact)], columns)))
    assert row == {"email": "a@example.com", "emails": "a@example.com ::: b@example.com"}


def test_bom_is_optional_and_header_uses_column_keys(admin: Any, make_contact: Any) -> None:
    columns = choose_columns(["id", "full_name"], available_columns())
    assert next(csv_chunks([], columns, bom=True)) == "\ufeffid,full_name\r\n"
    assert next(csv_chunks([], columns)) == "id,full_name\r\n"


def test_default_columns_include_custom_fields_and_unknown_ones_are_refused() -> None:
    available = available_columns([("shoe_size", "Shoe size")])
    keys = [column.key for column in choose_columns(None, available)]
    assert keys[:3] == ["id", "full_name", "first_name"] and keys[-1] == "cf.shoe_size"
    with pytest.raises(UnknownColumns, match="nope"):
        choose_columns(["full_name", "nope"], available)


def test_year_less_birthday_is_exported_without_a_year(admin: Any, make_contact: Any) -> None:
    contact = loaded(make_contact(admin, full_name="Ann Lee", birthday="--03-07"))
    columns = choose_columns(["birthday"], available_columns())
    # A leading "-" is neutralised like any formula; the import mapping undoes it.
    assert read_csv("".join(csv_chunks([contact], columns)))[0]["birthday"] == "'--03-07"
    card = "".join(vcard_chunks([contact]))
    assert "BDAY:--0307\r\n" in card and "VERSION:4.0" in card


def test_vcard_keeps_the_second_address_line(admin: Any, make_contact: Any) -> None:
    contact = loaded(
        make_contact(admin, full_name="Ann Lee", street="1 Main St", street2="Apt 4", city="Paris")
    )

    card = "".join(vcard_chunks([contact]))

    # ADR: post office box; extended address (apartment, suite); street; city; …
    assert "ADR:;Apt 4;1 Main St;Paris;;;\r\n" in card


def test_a_tag_holding_a_comma_comes_back_whole_from_the_csv(admin: Any, make_contact: Any) -> None:
    from peoplebase.imports.mapping import apply_mapping

    contact = loaded(make_contact(admin, full_name="Ann Lee", tags=["VIP, Gold", "early"]))
    plain = loaded(make_contact(admin, full_name="Bo Ray", tags=["b", "a"]))
    columns = choose_columns(["tags"], available_columns())

    cells = [row["tags"] for row in read_csv("".join(csv_chunks([contact, plain], columns)))]

    assert cells[1] == "a, b"  # the usual comma-separated cell
    assert apply_mapping([cells[0]], {0: "tags"})["tags"] == ["early", "VIP, Gold"]
