"""Scrubbing files kept under the data directory: records dropped, text redacted, encodings kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from peoplebase.compliance.files import scrub_file

VALUES = ["jane@example.org", "+442079460958"]
NAMES = ["jane erased"]


def test_other_text_is_redacted_in_place(tmp_path: Path) -> None:
    path = tmp_path / "report.json"
    path.write_text('{"to": "JANE@example.org", "who": "Jane Erased", "n": 1}', encoding="utf-8")
    assert scrub_file(path, VALUES, NAMES) == "rewritten"
    assert path.read_text() == '{"to": "[erased]", "who": "[erased]", "n": 1}'


def test_utf16_tab_separated_export_keeps_its_encoding(tmp_path: Path) -> None:
    path = tmp_path / "outlook.tsv"
    path.write_text(
        "Name\tPhone\nJane\t+44 20 7946 0958 / +442079460958\nBo\t1\n", encoding="utf-16"
    )
    assert scrub_file(path, VALUES, NAMES) == "rewritten"
    raw = path.read_bytes()
    assert raw[:2] in (b"\xff\xfe", b"\xfe\xff")
    assert raw.decode("utf-16").splitlines() == ["Name\tPhone", "Bo\t1"]


def test_windows_1252_file_without_the_person_is_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "old.csv"
    original = "Name;City\nJosé;Málaga\n".encode("cp1252")
    path.write_bytes(original)
    assert scrub_file(path, VALUES, NAMES) == ""
    assert path.read_bytes() == original


def test_name_alone_drops_the_record(tmp_path: Path) -> None:
    path = tmp_path / "names.csv"
    path.write_text("first,last\nJane,Erased\nJohn,Kept\n", encoding="utf-8")
    assert scrub_file(path, VALUES, NAMES) == "rewritten"
    assert path.read_text().splitlines() == ["first,last", "John,Kept"]


def test_a_vcard_whose_address_is_folded_across_lines_is_dropped(tmp_path: Path) -> None:
    from peoplebase.imports.vcard import VCardContact, write_card

    # Our export folds lines at 75 octets, so a long address is cut in two in the file.
    long_email = "jane.erased-procurement-office@subsidiary.example.org"
    erased = write_card(VCardContact(full_name="J. E.", emails=[(long_email, "work")]))
    assert long_email not in erased
    kept = write_card(VCardContact(full_name="Bo Kept", emails=[("bo@example.org", "work")]))
    path = tmp_path / "contacts-export-3.vcf"
    path.write_text(erased + kept, encoding="utf-8", newline="")

    assert scrub_file(path, [long_email], NAMES) == "rewritten"
    assert path.read_bytes().decode("utf-8") == kept


def test_a_name_across_cells_with_an_empty_middle_name_drops_the_record(tmp_path: Path) -> None:
    # Outlook's CSV has First Name, Middle Name, Last Name; most middle names are empty.
    path = tmp_path / "outlook.csv"
    path.write_text(
        "First Name,Middle Name,Last Name,Company\nJane,,Erased,Acme\nJohn,,Kept,Acme\n",
        encoding="utf-8",
    )
    assert scrub_file(path, VALUES, NAMES) == "rewritten"
    assert path.read_text().splitlines() == [
        "First Name,Middle Name,Last Name,Company",
        "John,,Kept,Acme",
    ]


def test_a_workbook_naming_the_person_across_cells_is_deleted(tmp_path: Path) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["First Name", "Last Name", "Company"])
    workbook.active.append(["Jane", "Erased", "Acme"])
    named = tmp_path / "1a2b-leads.xlsx"
    workbook.save(named)
    other = Workbook()
    other.active.append(["First Name", "Last Name"])
    other.active.append(["Jane", "Kept"])
    other.active.append(["Bo", "Erased"])
    unrelated = tmp_path / "3c4d-others.xlsx"
    other.save(unrelated)

    assert scrub_file(named, VALUES, NAMES) == "deleted"
    assert not named.exists()
    assert scrub_file(unrelated, VALUES, NAMES) == ""
    assert unrelated.exists()


# vCard 2.1 embeds an AGENT's card after an empty `AGENT:` line (the import reader nests it).
AGENT_JANE = (
    "BEGIN:VCARD\r\nVERSION:2.1\r\nN:Boss;Bo\r\nFN:Bo Boss\r\nAGENT:\r\n"
    "BEGIN:VCARD\r\nVERSION:2.1\r\nFN:Jane Erased\r\nEMAIL:jane@example.org\r\nEND:VCARD\r\n"
    "TEL:+1 555 0100\r\nEND:VCARD\r\n"
)
# Jane's card with an agent's card that names someone else; her details on both sides of it.
AGENT_OTHER_NAME_BEFORE = (
    "BEGIN:VCARD\r\nVERSION:2.1\r\nFN:Jane Erased\r\nAGENT:\r\n"
    "BEGIN:VCARD\r\nVERSION:2.1\r\nFN:Al Assistant\r\nEND:VCARD\r\n"
    "TEL:+1 555 0142\r\nEND:VCARD\r\n"
)
AGENT_OTHER_EMAIL_AFTER = (
    "BEGIN:VCARD\r\nVERSION:2.1\r\nFN:J. E.\r\nAGENT:\r\n"
    "BEGIN:VCARD\r\nVERSION:2.1\r\nFN:Al Assistant\r\nEND:VCARD\r\n"
    "EMAIL:jane@example.org\r\nEND:VCARD\r\n"
)
KEPT_WITH_AGENT = (
    "BEGIN:VCARD\r\nVERSION:2.1\r\nFN:Cy Kept\r\nAGENT:\r\n"
    "BEGIN:VCARD\r\nVERSION:2.1\r\nFN:Di Helper\r\nEND:VCARD\r\n"
    "TEL:+1 555 0199\r\nEND:VCARD\r\n"
)
KEPT = "BEGIN:VCARD\r\nVERSION:2.1\r\nFN:Ed Kept\r\nEND:VCARD\r\n"


def test_a_card_whose_agent_card_names_the_person_is_dropped_whole(tmp_path: Path) -> None:
    path = tmp_path / "agents.vcf"
    path.write_text(KEPT + AGENT_JANE + KEPT_WITH_AGENT, encoding="utf-8", newline="")

    assert scrub_file(path, VALUES, NAMES) == "rewritten"
    # Not just the embedded card: the rest of Bo's card (TEL, END:VCARD) must not linger.
    assert path.read_bytes().decode("utf-8") == KEPT + KEPT_WITH_AGENT


@pytest.mark.parametrize("card", [AGENT_OTHER_NAME_BEFORE, AGENT_OTHER_EMAIL_AFTER])
def test_a_card_naming_the_person_is_dropped_with_its_agent_card(tmp_path: Path, card: str) -> None:
    path = tmp_path / "agents.vcf"
    path.write_text(card + KEPT_WITH_AGENT + KEPT, encoding="utf-8", newline="")

    assert scrub_file(path, VALUES, NAMES) == "rewritten"
    # The agent's card is part of Jane's card: neither half of hers may stay behind.
    assert path.read_bytes().decode("utf-8") == KEPT_WITH_AGENT + KEPT
