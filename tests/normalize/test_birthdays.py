"""Birthday parsing: ISO, year-less, vCard forms, unambiguous day/month orders, bad values."""

from __future__ import annotations

import datetime as dt

import pytest

from peoplebase.normalize.birthdays import (
    Birthday,
    InvalidBirthday,
    format_birthday,
    parse_birthday,
)

TODAY = dt.date(2026, 6, 1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1980-03-07", Birthday(3, 7, 1980)),
        ("19800307", Birthday(3, 7, 1980)),
        ("1980/3/7", Birthday(3, 7, 1980)),
        ("--03-07", Birthday(3, 7)),
        ("--0307", Birthday(3, 7)),
        ("25/12/1980", Birthday(12, 25, 1980)),
        ("25.12.1980", Birthday(12, 25, 1980)),
        ("12/25/1980", Birthday(12, 25, 1980)),
        ("7/7/1980", Birthday(7, 7, 1980)),
        ("7 March 1980", Birthday(3, 7, 1980)),
        ("Mar 7, 1980", Birthday(3, 7, 1980)),
        ("March 7", Birthday(3, 7)),
        ("1980-03-07T00:00:00Z", Birthday(3, 7, 1980)),
        ("--02-29", Birthday(2, 29)),
        (dt.date(1980, 3, 7), Birthday(3, 7, 1980)),
    ],
)
def test_accepted_forms(text: object, expected: Birthday) -> None:
    assert parse_birthday(text, today=TODAY) == expected


@pytest.mark.parametrize("text", ["", "  ", None, "0/0/00", "0000-00-00"])
def test_empty_values_mean_no_birthday(text: object) -> None:
    assert parse_birthday(text, today=TODAY) is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("12/9/1906", "day-first or month-first"),
        ("1981-02-29", "February has no day 29 in 1981"),
        ("--13-01", "no month 13"),
        ("2030-01-01", "not a plausible birth year"),
        ("2026-12-01", "cannot be in the future"),
        ("1/2/80", "two-digit year"),
        ("someday", "is not a date"),
    ],
)
def test_bad_values_say_why(text: str, message: str) -> None:
    with pytest.raises(InvalidBirthday, match=message):
        parse_birthday(text, today=TODAY)


def test_iso_and_display_never_invent_a_year() -> None:
    assert Birthday(3, 7).iso() == "--03-07"
    assert Birthday(3, 7).display() == "7 March"
    assert Birthday(3, 7, 1980).iso() == "1980-03-07"
    assert format_birthday("--03-07") == "7 March"
    assert format_birthday("") == ""
