"""Tests for peoplebase.normalize.names."""

import dataclasses

import pytest

from peoplebase.normalize import (
    ParsedName,
    compose_full_name,
    parse_full_name,
    split_or_compose,
)


def test_parse_title_particles_and_suffix() -> None:
    assert parse_full_name("Dr. Margaret van der Berg Jr.") == ParsedName(
        first="Margaret", last="van der Berg", title="Dr.", suffix="Jr."
    )


def test_parse_last_comma_first() -> None:
    assert parse_full_name("Berg, Margaret") == ParsedName(first="Margaret", last="Berg")


def test_parse_middle_name() -> None:
    assert parse_full_name("Mary Ann McDonald") == ParsedName(
        first="Mary", middle="Ann", last="McDonald"
    )


@pytest.mark.parametrize("raw", ["Cher", "  Cher  ", "McDonald"])
def test_single_word_is_first_name(raw: str) -> None:
    parsed = parse_full_name(raw)
    assert parsed.first == raw.strip()
    assert parsed.last == ""


@pytest.mark.parametrize(
    ("raw", "first", "last"),
    [
        ("JOHN SMITH", "John", "Smith"),
        ("john smith", "John", "Smith"),
        ("JOHN MCDONALD", "John", "McDonald"),
        ("cher", "Cher", ""),
        ("McDonald Smith", "McDonald", "Smith"),
        ("danah boyd Smith", "danah", "Smith"),
        ("Ronald MacDONALD", "Ronald", "MacDONALD"),
    ],
)
def test_title_case_only_for_single_case_input(raw: str, first: str, last: str) -> None:
    parsed = parse_full_name(raw)
    assert (parsed.first, parsed.last) == (first, last)


def test_parse_collapses_whitespace() -> None:
    assert parse_full_name("  Ada \t  Lovelace ") == ParsedName(first="Ada", last="Lovelace")


@pytest.mark.parametrize("raw", ["", "   "])
def test_parse_empty(raw: str) -> None:
    assert parse_full_name(raw) == ParsedName(first="", last="")


def test_parse_is_cached_and_frozen() -> None:
    parsed = parse_full_name("Grace Hopper")
    assert parse_full_name("Grace Hopper") is parsed
    with pytest.raises(dataclasses.FrozenInstanceError):
        parsed.first = "Amazing"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        (("Ada", "Lovelace"), "Ada Lovelace"),
        (("Ada", "Lovelace", "King"), "Ada King Lovelace"),
        ((" Ada ", ""), "Ada"),
        (("", "Lovelace"), "Lovelace"),
        (("", "", ""), ""),
        (("Mary  Ann", " van  Dyke "), "Mary Ann van Dyke"),
    ],
)
def test_compose_full_name(parts: tuple[str, ...], expected: str) -> None:
    assert compose_full_name(*parts) == expected


def test_split_or_compose_keeps_given_parts_and_composes_full() -> None:
    assert split_or_compose(" Ada ", " Lovelace ", "") == ("Ada", "Lovelace", "Ada Lovelace")
    assert split_or_compose("Ada", "", "") == ("Ada", "", "Ada")
    assert split_or_compose("", "Lovelace", "  ") == ("", "Lovelace", "Lovelace")


def test_split_or_compose_keeps_given_full_name() -> None:
    result = split_or_compose("Ada", "Lovelace", "Augusta  Ada King ")
    assert result == ("Ada", "Lovelace", "Augusta Ada King")


def test_split_or_compose_parses_lone_full_name() -> None:
    assert split_or_compose("", "", "  Dr.  Margaret van der Berg Jr. ") == (
        "Margaret",
        "van der Berg",
        "Dr. Margaret van der Berg Jr.",
    )
    assert split_or_compose(" ", "", "Berg, Margaret") == ("Margaret", "Berg", "Berg, Margaret")
    assert split_or_compose("", "", "JOHN SMITH") == ("John", "Smith", "John Smith")


def test_split_or_compose_all_empty() -> None:
    assert split_or_compose("", " ", "  ") == ("", "", "")


def test_all_lower_full_name_is_recased_with_its_parts():
    assert split_or_compose("", "", "dr. jane van der berg") == (
        "Jane",
        "van der Berg",
        "Dr. Jane van der Berg",
    )


def test_mixed_case_full_name_is_kept_as_typed():
    assert split_or_compose("", "", "Jane McDonald-deVries")[2] == "Jane McDonald-deVries"


def test_recasing_never_drops_typed_characters():
    assert split_or_compose("", "", "<script>alert(1)</script>")[2] == "<script>alert(1)</script>"
