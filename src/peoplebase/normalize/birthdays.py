"""Birthdays with or without a year: parse what people type or import, format it back.

A birthday without a year ("--03-07" in ISO 8601 and vCard) stays without one: nothing here
invents a year. Slash or dot dates are read day-first or month-first only when that is
unambiguous (one part above 12, or both parts equal).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name} | {
    name.lower(): i for i, name in enumerate(calendar.month_abbr) if name
}
# Outlook writes 0/0/00 for "no birthday"; other tools write 0000-00-00.
EMPTY_VALUES = {"0/0/00", "0/0/0000", "00/00/0000", "0000-00-00", "--", "-"}
EARLIEST_YEAR = 1900


class InvalidBirthday(ValueError):
    """The text is not a birthday; `str(error)` says what to type instead."""


@dataclass(frozen=True)
class Birthday:
    """A month and day, with the year when it is known."""

    month: int
    day: int
    year: int | None = None

    def iso(self) -> str:
        """ "1980-03-07", or "--03-07" when the year is unknown."""
        if self.year is None:
            return f"--{self.month:02d}-{self.day:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    def display(self) -> str:
        """ "7 March 1980", or "7 March" without a year."""
        text = f"{self.day} {calendar.month_name[self.month]}"
        return f"{text} {self.year}" if self.year else text


def parse_birthday(value: object, *, today: dt.date | None = None) -> Birthday | None:
    """Read a birthday; None when empty. Raises InvalidBirthday with a readable message."""
    if value is None:
        return None
    if isinstance(value, Birthday):
        return value
    if isinstance(value, dt.date):
        return _checked(value.year, value.month, value.day, today)
    text = " ".join(str(value).split()).strip()
    if not text or text in EMPTY_VALUES:
        return None
    text = re.sub(r"[T ]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$", "", text)
    for parse in (_iso, _yearless, _numeric, _named):
        parts = parse(text)
        if parts is not None:
            year, month, day = parts
            return _checked(year, month, day, today)
    raise InvalidBirthday(
        f"“{value}” is not a date. Use 1980-03-07, or --03-07 when the year is unknown."
    )


def format_birthday(value: object) -> str:
    """An ISO birthday as people read it ("7 March 1980" / "7 March"); "" when empty."""
    try:
        birthday = parse_birthday(value)
    except InvalidBirthday:
        return str(value)
    return birthday.display() if birthday else ""


def _iso(text: str) -> tuple[int | None, int, int] | None:
    match = re.fullmatch(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})|(\d{4})(\d{2})(\d{2})", text)
    if not match:
        return None
    groups = [g for g in match.groups() if g is not None]
    return int(groups[0]), int(groups[1]), int(groups[2])


def _yearless(text: str) -> tuple[int | None, int, int] | None:
    match = re.fullmatch(r"--(\d{2})-?(\d{2})", text)
    return (None, int(match.group(1)), int(match.group(2))) if match else None


def _numeric(text: str) -> tuple[int | None, int, int] | None:
    match = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d{2}|\d{4}))?", text)
    if not match:
        return None
    first, second = int(match.group(1)), int(match.group(2))
    year = _full_year(match.group(3))
    if first > 12 >= second:
        return year, second, first  # day first
    if second > 12 >= first or first == second:
        return year, first, second  # month first (or both the same)
    raise InvalidBirthday(
        f"“{text}” could be day-first or month-first. Write it as YYYY-MM-DD, "
        "for example 1980-03-07."
    )


def _named(text: str) -> tuple[int | None, int, int] | None:
    words = re.findall(r"[A-Za-z]+|\d+", text)
    names = [w for w in words if w.lower() in MONTHS]
    numbers = [w for w in words if w.isdigit()]
    if len(names) != 1 or not 1 <= len(numbers) <= 2 or len(words) != len(names) + len(numbers):
        return None
    day = int(numbers[0]) if len(numbers[0]) <= 2 else None
    year = _full_year(numbers[-1]) if len(numbers) == 2 or day is None else None
    if day is None:
        day = int(numbers[1]) if len(numbers) == 2 else 0
    return year, MONTHS[names[0].lower()], day


def _full_year(text: str | None) -> int | None:
    if text is None:
        return None
    if len(text) == 4:
        return int(text)
    raise InvalidBirthday(f"“{text}” is a two-digit year; write all four digits.")


def _checked(year: int | None, month: int, day: int, today: dt.date | None) -> Birthday:
    today = today or dt.date.today()
    if not 1 <= month <= 12:
        raise InvalidBirthday(f"There is no month {month}.")
    # A year-less birthday may be 29 February, so check the day against a leap year.
    if not 1 <= day <= calendar.monthrange(year or 2000, month)[1]:
        raise InvalidBirthday(
            f"{calendar.month_name[month]} has no day {day}" + (f" in {year}." if year else ".")
        )
    if year is not None and not EARLIEST_YEAR <= year <= today.year:
        raise InvalidBirthday(f"{year} is not a plausible birth year.")
    if year is not None and dt.date(year, month, day) > today:
        raise InvalidBirthday("A birthday cannot be in the future.")
    return Birthday(month, day, year)
