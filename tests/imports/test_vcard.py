"""The vCard reader (2.1, 3.0, 4.0) and the vCard 4.0 writer."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from peoplebase.imports.readers import open_table
from peoplebase.imports.vcard import (
    VCardContact,
    fold,
    parse_cards,
    parse_line,
    split_escaped,
    vcard_date,
    write_card,
    write_cards,
)

FIXTURES = Path(__file__).parent / "fixtures"


def cards_of(name: str) -> list[dict[str, str]]:
    table = open_table(FIXTURES / name)
    assert table.format == "vcard"
    return [{h: v for h, v in zip(table.headers, row, strict=True) if v} for row in table.rows]


def test_vcard_21_quoted_printable_charset_soft_breaks_and_bare_types() -> None:
    first, second = cards_of("vcard21.vcf")
    assert first["First name"] == "Jürgen" and first["Last name"] == "Müller"
    assert first["Full name"] == "Jürgen Müller"
    assert first["Company"] == "Bäckerei GmbH" and first["Department"] == "Verkauf"
    assert first["Note"] == "Mag Brötchen und\nlange Notizen, die umbrechen müssen"
    assert (first["Email 1"], first["Email 1 type"]) == ("juergen@example.de", "personal")
    assert (first["Phone 1"], first["Phone 1 type"]) == ("+49 30 1234567", "work")
    assert (first["Phone 2"], first["Phone 2 type"]) == ("+49 170 1234567", "mobile")
    assert first["Street"] == "Hauptstr. 1" and first["City"] == "Berlin"
    assert first["Postal code"] == "10115" and first["Country"] == "Germany"
    assert first["Birthday"] == "1975-06-30"
    assert second == {
        "First name": "Jo",
        "Last name": "Smith",
        "Phone 1": "555-0100",
        "Phone 1 type": "home",
    }


def test_vcard_30_escapes_groups_labels_social_profiles_and_folding() -> None:
    (card,) = cards_of("vcard30.vcf")
    assert card["Full name"] == "Dr. Jane Q. Doe, PhD"
    assert (card["Name prefix"], card["Middle name"], card["Name suffix"]) == ("Dr.", "Q.", "PhD")
    assert card["Company"] == "Doe; Partners" and card["Department"] == "Legal"
    assert card["Job title"] == "Partner, Litigation"
    assert (card["Email 1"], card["Email 1 type"]) == ("jane@doe.example", "work")
    assert (card["Email 2"], card["Email 2 type"]) == ("jane.private@mail.example", "personal")
    assert (card["Phone 1 type"], card["Phone 2 type"], card["Phone 3 type"]) == (
        "work",
        "mobile",
        "mobile",
    )
    assert card["Street"] == "500 Fifth Ave, Suite 5" and card["Region"] == "NY"
    assert card["Website"] == "https://doe.example"
    assert card["LinkedIn"] == "https://www.linkedin.com/in/janedoe"
    assert card["Twitter"] == "janedoe"
    assert card["Note"].startswith("First line\nSecond line")
    assert card["Note"].endswith("folded across two physical lines.")
    assert card["Birthday"] == "--03-07"
    assert card["Tags"] == "Clients ::: VIP, Gold"


def test_vcard_40_quoted_types_tel_uri_nested_card_and_missing_end() -> None:
    first, second = cards_of("vcard40.vcf")
    assert first["Full name"] == "Ólafur Arnalds"
    assert (first["Email 1"], first["Email 1 type"]) == ("olafur@example.is", "work")
    assert (first["Phone 1"], first["Phone 1 type"]) == ("+354-555-1234", "mobile")
    assert first["Birthday"] == "--03-07"
    assert "agent@example.com" not in first.values()  # the embedded AGENT card is not merged
    assert second == {"Full name": "No End Card", "Email 1": "noend@example.com"}


def test_columns_grow_to_the_card_with_most_emails(tmp_path: Path) -> None:
    emails = "".join(f"EMAIL:p{i}@example.com\n" for i in range(5))
    path = tmp_path / "many.vcf"
    path.write_text(f"BEGIN:VCARD\nVERSION:3.0\nFN:Many\n{emails}END:VCARD\n")
    table = open_table(path)
    assert "Email 5" in table.headers and "Email 6" not in table.headers
    (row,) = table.rows
    assert row[table.headers.index("Email 5")] == "p4@example.com"


@pytest.mark.parametrize(
    ("line", "types"),
    [
        ("TEL;TYPE=WORK,VOICE:1", ["work", "voice"]),
        ("TEL;TYPE=work;TYPE=cell:1", ["work", "cell"]),
        ("TEL;WORK;CELL:1", ["work", "cell"]),
        ('TEL;TYPE="home,voice":1', ["home", "voice"]),
        ("item1.TEL;type=pref:1", ["pref"]),
    ],
)
def test_type_parameters_in_every_spelling(line: str, types: list[str]) -> None:
    prop = parse_line(line)
    assert prop is not None and prop.name == "TEL" and prop.types == types


def test_group_and_value_with_colons() -> None:
    prop = parse_line("item1.URL;TYPE=pref:https://example.com:8080/x")
    assert prop is not None
    assert (prop.group, prop.name, prop.value) == ("ITEM1", "URL", "https://example.com:8080/x")


def test_split_escaped_keeps_escaped_separators() -> None:
    assert split_escaped(r"Doe\; Partners;Legal\, Tax;a\\b", ";") == [
        "Doe; Partners",
        "Legal, Tax",
        "a\\b",
    ]


@pytest.mark.parametrize(
    ("raw", "iso"),
    [
        ("19800307", "1980-03-07"),
        ("--0307", "--03-07"),
        ("--03-07", "--03-07"),
        ("1980-03-07T00:00:00Z", "1980-03-07"),
    ],
)
def test_vcard_dates_become_iso(raw: str, iso: str) -> None:
    assert vcard_date(raw) == iso


def test_writer_escapes_folds_and_reads_back() -> None:
    contact = VCardContact(
        full_name="Zoë O'Brien, Jr.",
        first_name="Zoë",
        last_name="O'Brien",
        company="Smith; Sons",
        job_title="Head, Sales",
        emails=[("zoe@example.com", "work"), ("zoe@home.example", "personal")],
        phones=[("+14155550100", "mobile")],
        birthday="--03-07",
        tags=["VIP", "a,b"],
        note="Line 1\nLine 2 " + "é" * 80,
        city="Paris",
        country="FR",
    )
    text = write_card(contact)
    assert "BDAY:--0307\r\n" in text
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    (card,) = list(parse_cards(io.StringIO(text)))
    assert card.version == "4.0"
    names = [p.name for p in card.properties]
    assert names.count("EMAIL") == 2 and "TEL" in names and "CATEGORIES" in names


def test_write_cards_counts_and_round_trips_through_the_reader(tmp_path: Path) -> None:
    out = io.StringIO()
    count = write_cards(
        [
            VCardContact(
                full_name="Ann Lee",
                first_name="Ann",
                last_name="Lee",
                emails=[("ann@example.com", "work")],
                birthday="1980-03-07",
            ),
            VCardContact(full_name="Bo Ek", phones=[("+46812345", "home")]),
        ],
        out,
    )
    assert count == 2
    path = tmp_path / "out.vcf"
    path.write_text(out.getvalue(), newline="")
    table = open_table(path)
    rows = [dict(zip(table.headers, row, strict=True)) for row in table.rows]
    assert rows[0]["Email 1"] == "ann@example.com" and rows[0]["Birthday"] == "1980-03-07"
    assert rows[1]["Phone 1"] == "+46812345" and rows[1]["Phone 1 type"] == "home"


def test_fold_never_splits_a_multibyte_character() -> None:
    folded = fold("NOTE:" + "ü" * 100)
    for line in folded.split("\r\n"):
        line.encode("utf-8").decode("utf-8")
        assert len(line.encode("utf-8")) <= 75
    assert folded.replace("\r\n ", "").rstrip("\r\n") == "NOTE:" + "ü" * 100


def test_categories_are_packed_so_escaped_commas_stay_in_their_tag() -> None:
    from peoplebase.imports.vcard import packed_tags

    assert packed_tags(["Clients", "VIP, Gold"]) == "Clients ::: VIP, Gold"
    assert packed_tags(["VIP, Gold"]) == "VIP, Gold :::"
    assert packed_tags(["VIP"]) == "VIP"


def test_an_escaped_comma_in_a_name_stays_and_unescaped_commas_join_values() -> None:
    # Our own export writes "N:Smith\, Jr.;Ann;;;" for the last name "Smith, Jr."; an
    # unescaped comma separates several values of one part (given names "Ann,Marie").
    text = write_card(
        VCardContact(full_name="Ann Smith, Jr.", first_name="Ann", last_name="Smith, Jr.")
    )
    (card,) = list(parse_cards(io.StringIO(text)))
    from peoplebase.imports.vcard import card_values

    values = card_values(card)
    assert (values["Last name"], values["First name"]) == ("Smith, Jr.", "Ann")
    (other,) = list(parse_cards(io.StringIO("BEGIN:VCARD\r\nN:Doe;Ann,Marie;;;\r\nEND:VCARD\r\n")))
    assert card_values(other)["First name"] == "Ann Marie"


def test_a_card_without_end_is_closed_by_the_next_begin(tmp_path: Path) -> None:
    # The first card lacks END:VCARD; the BEGIN:VCARD that follows is not the value of an
    # AGENT property, so it starts a card of its own instead of vanishing as an embedded one.
    path = tmp_path / "no_end.vcf"
    path.write_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann Lee\r\nEMAIL:ann@example.com\r\n"
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Bo Ek\r\nEMAIL:bo@example.com\r\nEND:VCARD\r\n",
        newline="",
    )
    table = open_table(path)
    rows = [{h: v for h, v in zip(table.headers, row, strict=True) if v} for row in table.rows]
    assert rows == [
        {"Full name": "Ann Lee", "Email 1": "ann@example.com"},
        {"Full name": "Bo Ek", "Email 1": "bo@example.com"},
    ]
    assert table.notes[0] == "Read 2 vCards."
    assert any(note.startswith("Card 1 has no END:VCARD") for note in table.notes)


def test_a_vcard_21_agent_card_is_not_a_contact_of_its_own(tmp_path: Path) -> None:
    # vCard 2.1 writes `AGENT:` and the embedded card on the lines after it; 3.0 escapes the
    # card inside the AGENT value. Neither is a contact, and neither closes the outer card.
    path = tmp_path / "agent.vcf"
    path.write_text(
        "BEGIN:VCARD\r\nVERSION:2.1\r\nN:Lee;Ann\r\nAGENT:\r\n"
        "BEGIN:VCARD\r\nVERSION:2.1\r\nN:Friday;Fred\r\nEMAIL:fred@example.com\r\nEND:VCARD\r\n"
        "EMAIL:ann@example.com\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Bo Ek\r\n"
        "AGENT:BEGIN:VCARD\\nFN:Sue\\nEMAIL:sue@example.com\\nEND:VCARD\r\nEND:VCARD\r\n",
        newline="",
    )
    table = open_table(path)
    rows = [{h: v for h, v in zip(table.headers, row, strict=True) if v} for row in table.rows]
    assert rows == [
        {"First name": "Ann", "Last name": "Lee", "Email 1": "ann@example.com"},
        {"Full name": "Bo Ek"},
    ]
    assert table.notes == ["Read 2 vCards."]


def test_notes_on_bad_cards_are_capped_like_the_csv_readers(tmp_path: Path) -> None:
    from peoplebase.imports.readers import MAX_NOTED_ROWS

    # 50 cards with nothing to import, each also missing its END:VCARD, then a good one.
    path = tmp_path / "bad.vcf"
    path.write_text("BEGIN:VCARD\nVERSION:3.0\n" * 50 + "BEGIN:VCARD\nFN:Ann\nEND:VCARD\n")
    table = open_table(path)
    assert len(list(table.rows)) == 1
    skipped = [n for n in table.notes if "has no name, email or phone" in n]
    unended = [n for n in table.notes if "has no END:VCARD" in n]
    assert len(skipped) == len(unended) == MAX_NOTED_ROWS
    assert skipped[0].startswith("Card 1 ") and unended[-1].startswith(f"Card {MAX_NOTED_ROWS} ")
    assert "50 cards in all had no name, email or phone; they were skipped." in table.notes
    assert "50 cards in all had no END:VCARD." in table.notes


@pytest.mark.parametrize(
    ("contact", "fn"),
    [
        (
            VCardContact(full_name="", emails=[("ann@example.com", "work")], company="Acme"),
            "ann@example.com",
        ),
        (
            VCardContact(full_name="", company="Acme; Sons", phones=[("+46812345", "")]),
            "Acme\\; Sons",
        ),
        (VCardContact(full_name="", phones=[("+46 8 123 45", "home")]), "+46 8 123 45"),
    ],
)
def test_a_nameless_contact_gets_a_stand_in_fn(contact: VCardContact, fn: str) -> None:
    # RFC 6350 requires a non-empty FN, and some clients refuse a card without one.
    assert f"\r\nFN:{fn}\r\n" in write_card(contact)


def test_an_fn_standing_in_with_the_email_reads_back_as_no_name() -> None:
    from peoplebase.imports.vcard import card_values

    text = write_card(VCardContact(full_name="", emails=[("Ann@Example.com", "work")]))
    (card,) = list(parse_cards(io.StringIO(text)))
    values = card_values(card)
    assert not {"Full name", "First name", "Last name"} & values.keys()
    assert values["Email 1"] == "Ann@Example.com"
    # A real name that happens to equal the email's text is kept when N gives the name parts.
    named = write_card(
        VCardContact(full_name="ann@example.com", first_name="ann@example.com",
                     emails=[("ann@example.com", "work")])
    )  # fmt: skip
    (card,) = list(parse_cards(io.StringIO(named)))
    assert card_values(card)["Full name"] == "ann@example.com"


def test_a_company_card_from_elsewhere_keeps_its_organisation_as_its_name() -> None:
    # An address book's company card: no N, FN the organisation, no email. Read as no name,
    # it would be a row with neither name nor email, which the import refuses.
    from peoplebase.imports.vcard import card_values

    text = "BEGIN:VCARD\r\nVERSION:3.0\r\nN:;;;;\r\nFN:Acme Ltd\r\nORG:Acme Ltd;\r\nEND:VCARD\r\n"
    (card,) = list(parse_cards(io.StringIO(text)))
    values = card_values(card)
    assert values["Full name"] == "Acme Ltd"
    assert values["Company"] == "Acme Ltd"
