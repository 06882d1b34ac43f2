"""`peoplebase contacts list|search`: filtered lists and the search box, as a table or JSON."""

from __future__ import annotations

import json
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import CommandError

from peoplebase.contacts.filtering import parse_filters
from peoplebase.contacts.services import CONTACT_SORTS, ContactFilters, list_contacts
from peoplebase.core.errors import ValidationFailed
from peoplebase.core.management.commands._base import PeoplebaseCommand, describe_error
from peoplebase.core.management.commands._base import command_actor as _actor
from peoplebase.core.pagination import MAX_LIMIT
from peoplebase.merges.cli import add_merge_arguments, run_merge
from peoplebase.search.cli import add_search_arguments, run_search

USAGE_ERROR = 2
COLUMNS = ("id", "name", "email", "company", "status", "owner")


class Command(PeoplebaseCommand):
    """Read contacts from the command line."""

    help = (
        "Work with contacts. `list` prints the contacts matching --filter key=value pairs; "
        "`search` finds contacts by name, email, phone, company, job title or tag."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        subcommands = parser.add_subparsers(dest="action", metavar="ACTION")
        listing = subcommands.add_parser(
            "list",
            help="List contacts matching filters (docs/filters.md lists every filter).",
            description="List contacts matching every --filter (the same filters as the API).",
        )
        listing.add_argument(
            "--filter",
            action="append",
            default=[],
            metavar="KEY=VALUE",
            help="A filter such as status=active, tags_any=vip or cf.budget__min=1000; repeat "
            "for more (they combine with AND).",
        )
        listing.add_argument("--q", default="", metavar="TEXT", help="Search text.")
        listing.add_argument(
            "--sort",
            default="",
            metavar="KEY",
            help=f"One of: {', '.join(CONTACT_SORTS)}, relevance (default with --q, else name).",
        )
        listing.add_argument(
            "--limit", type=int, default=50, help=f"Contacts to print, 1–{MAX_LIMIT} (default 50)."
        )
        listing.add_argument("--cursor", default=None, help="Continue from a printed cursor.")
        listing.add_argument("--json", action="store_true", help="Print a JSON array.")
        listing.add_argument(
            "--as",
            dest="as_user",
            default="",
            metavar="EMAIL",
            help="Whose view to take (`owner=me`); default: the first active admin.",
        )

        searching = subcommands.add_parser(
            "search",
            help="Find contacts: name prefix, accents and one typo forgiven, any email or part "
            "of it, a phone in any format, company, job title or tag; best matches first.",
            description="Search contacts the way the search box does, best matches first, "
            "with the reason each matched.",
        )
        add_search_arguments(searching)

        merging = subcommands.add_parser(
            "merge",
            help="Merge duplicate contacts into PRIMARY_ID (undo: `peoplebase merges undo`).",
            description="Merge contacts: emails, phones and tags are unioned, consent keeps "
            "the most restrictive value, all history moves to the primary and the merged ids "
            "redirect to it.",
        )
        add_merge_arguments(merging)

    def handle(self, *args: Any, **options: Any) -> None:
        action = options.get("action")
        if action == "search":
            run_search(options, self.stdout)
            return
        if action == "merge":
            run_merge(options, self.stdout)
            return
        if action != "list":
            raise CommandError(
                "Say what to do: `peoplebase contacts list [--filter key=value]` or "
                "`peoplebase contacts search TEXT`."
            )
        try:
            self._list(options)
        except ValidationFailed as exc:
            self._usage_error(describe_error(exc))

    def _usage_error(self, message: str) -> None:
        if not self._called_from_command_line:
            raise CommandError(message, returncode=USAGE_ERROR)
        self.stderr.write(f"peoplebase contacts: {message}")
        raise SystemExit(USAGE_ERROR)

    def _list(self, options: dict[str, Any]) -> None:
        if not 1 <= options["limit"] <= MAX_LIMIT:
            raise ValidationFailed.single("--limit", f"Use a number from 1 to {MAX_LIMIT}.")
        spec = parse_filters(_filter_pairs(options["filter"]))
        actor = _actor(options["as_user"])
        page = list_contacts(
            actor,
            ContactFilters(q=options["q"], spec=spec),
            sort=options["sort"],
            cursor=options["cursor"],
            limit=options["limit"],
        )
        rows = [_row(contact) for contact in page.items]
        if options["json"]:
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(_table(rows))
        if page.next_cursor and not options["json"]:
            self.stderr.write(f"More contacts: add --cursor {page.next_cursor}")


def _filter_pairs(items: list[str]) -> dict[str, list[str]]:
    pairs: dict[str, list[str]] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise ValidationFailed.single("--filter", f"Write “{item}” as key=value.")
        pairs.setdefault(key.strip(), []).append(value)
    return pairs


def _row(contact: Any) -> dict[str, Any]:
    return {
        "id": contact.pk,
        "name": contact.full_name,
        "email": contact.email,
        "company": contact.company.name if contact.company_id else "",
        "status": contact.status,
        "owner": contact.owner.email if contact.owner_id else "",
    }


def _table(rows: list[dict[str, Any]]) -> str:
    if not rows:
        return "No contacts match."
    cells = [list(COLUMNS), *([str(row[name]) for name in COLUMNS] for row in rows)]
    widths = [max(len(line[i]) for line in cells) for i in range(len(COLUMNS))]
    lines = [
        "  ".join(text.ljust(width) for text, width in zip(line, widths, strict=True))
        for line in cells
    ]
    return "\n".join(line.rstrip() for line in lines)
