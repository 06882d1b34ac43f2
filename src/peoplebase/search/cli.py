"""`peoplebase contacts search Q` (registered by the `contacts` command): query, then print."""

from __future__ import annotations

import json
from argparse import ArgumentParser, Namespace
from typing import Any, TextIO

from peoplebase.contacts.models import Contact
from peoplebase.search.services import search_contacts


def add_search_arguments(parser: ArgumentParser) -> None:
    parser.add_argument("query", help="What to look for: a name, email, phone, company, tag…")
    parser.add_argument(
        "--limit", type=int, default=20, help="How many hits to show (default: %(default)s)."
    )
    parser.add_argument("--json", action="store_true", help="Print JSON instead of a table.")


def run_search(args: Namespace | dict[str, Any], out: TextIO) -> int:
    """Search and print the hits best first; returns how many were printed."""
    options = vars(args) if isinstance(args, Namespace) else args
    hits = search_contacts(options["query"], limit=max(1, options["limit"]))
    contacts = Contact.objects.select_related("company").in_bulk([h.contact_id for h in hits])
    rows = [
        {
            "id": hit.contact_id,
            "name": contact.full_name,
            "email": contact.email,
            "company": contact.company.name if contact.company_id else "",
            "reason": hit.reason,
            "rank": hit.rank,
        }
        for hit in hits
        if (contact := contacts.get(hit.contact_id)) is not None
    ]
    if options["json"]:
        out.write(json.dumps(rows, ensure_ascii=False) + "\n")
    elif not rows:
        out.write("No contacts match.\n")
    else:
        out.write(_table(rows))
    return len(rows)


def _table(rows: list[dict[str, Any]]) -> str:
    columns = ("id", "name", "email", "company", "reason")
    cells = [[str(row[c]) for c in columns] for row in rows]
    widths = [max(len(c), *(len(line[i]) for line in cells)) for i, c in enumerate(columns)]
    lines = [[c.upper() for c in columns], *cells]
    return "".join(
        "  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip()
        + "\n"
        for line in lines
    )
