"""TEMPORARY stand-in for readers.py and mapping.py (issue4-formats); deleted once they land."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

EXTRAS = ("company_name", "owner_email", "note")


class UnreadableFile(Exception):
    """The file cannot be read as a table."""


@dataclass
class Table:
    format: str
    encoding: str | None
    delimiter: str | None
    headers: list[str]
    notes: list[str] = field(default_factory=list)
    rows: Iterator[list[str]] = field(default_factory=lambda: iter(()))


def open_table(path: str | Path, *, filename: str | None = None) -> Table:
    raw = Path(path).read_bytes()[:4096]
    if not raw.strip():
        raise UnreadableFile("The file is empty.")
    if b"\x00" in raw:
        raise UnreadableFile("This is not a text file we can read.")
    handle = open(path, encoding="utf-8-sig", newline="")  # noqa: SIM115
    reader = csv.reader(handle)
    try:
        headers = next(reader)
    except (StopIteration, UnicodeDecodeError) as exc:
        raise UnreadableFile("The file has no header row.") from exc
    width = len(headers)

    def rows() -> Iterator[list[str]]:
        with handle:
            for row in reader:
                if not any(cell.strip() for cell in row):
                    continue
                yield (row + [""] * width)[:width]

    return Table("csv", "utf-8", ",", headers, [], rows())


SIMPLE = {
    "first name": "first_name",
    "last name": "last_name",
    "name": "full_name",
    "full name": "full_name",
    "email": "emails",
    "e-mail address": "emails",
    "mobile phone": "phones",
    "phone": "phones",
    "company": "company_name",
    "job title": "job_title",
    "tags": "tags",
    "city": "city",
    "country": "country",
    "owner": "owner_email",
    "note": "note",
}


def import_targets(custom_fields: Iterable[Any] = ()) -> list[tuple[str, str]]:
    targets = [(t, t.replace("_", " ").capitalize()) for t in sorted(set(SIMPLE.values()))]
    return targets + [(f"custom.{d.key}", d.label) for d in custom_fields]


def suggest_mapping(headers: list[str], custom_field_keys: Iterable[str] = ()) -> dict[int, str]:
    keys = set(custom_field_keys)
    found: dict[int, str] = {}
    for index, header in enumerate(headers):
        name = header.strip().lower()
        if name in SIMPLE:
            found[index] = SIMPLE[name]
        elif name in keys:
            found[index] = f"custom.{name}"
    return found


def apply_mapping(cells: list[str], mapping: dict[int, str]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for index, target in mapping.items():
        value = cells[index].strip() if index < len(cells) else ""
        if not value:
            continue
        if target in ("emails", "phones"):
            data.setdefault(target, []).append(value)
        elif target == "tags":
            data.setdefault("tags", []).extend(v.strip() for v in value.split(","))
        elif target.startswith("custom."):
            data.setdefault("custom_fields", {})[target[7:]] = value
        else:
            data[target] = value
    return data


def pop_extras(data: dict[str, Any]) -> dict[str, Any]:
    return {key: data.pop(key) for key in EXTRAS if key in data}
