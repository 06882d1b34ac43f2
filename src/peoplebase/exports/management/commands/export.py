"""`peoplebase export`: contacts to CSV or vCard, from a saved view, filters or everything."""

from __future__ import annotations

import sys
from argparse import ArgumentParser
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError

from peoplebase.contacts.management.commands.contacts import _actor, _filter_pairs
from peoplebase.core.errors import ValidationFailed
from peoplebase.core.management.commands._base import PeoplebaseCommand
from peoplebase.exports.formats import DEFAULT_COLUMNS
from peoplebase.exports.services import parse_export_request, stream_export, truthy


class Command(PeoplebaseCommand):
    """Write contacts to a file or standard output."""

    help = (
        "Export contacts as CSV (UTF-8) or vCard 4.0: everything, a saved view, or the "
        "contacts matching --filter key=value pairs (the filters of `contacts list`). "
        "Any size streams straight to the file. CSV cells a spreadsheet would run as a "
        "formula start with an apostrophe."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--view", default=None, metavar="NAME", help="A saved view's name or id."
        )
        parser.add_argument(
            "--filter",
            action="append",
            default=[],
            metavar="KEY=VALUE",
            help="A filter such as status=active or tags_any=vip; repeat for more (AND). "
            "With --view, a filter replaces the view's filter of the same name. "
            "view=, q=, format=, columns= and bom= here are the same as those options; "
            "an option given with a different value is refused.",
        )
        parser.add_argument(
            "--q",
            default=None,
            metavar="TEXT",
            help="Search text (the same as --filter q=TEXT; giving both with different text "
            "is refused).",
        )
        parser.add_argument(
            "--format", default=None, choices=["csv", "vcf"], help="csv (default) or vcf."
        )
        parser.add_argument(
            "--columns",
            default=None,
            metavar="A,B",
            help="CSV columns by key, e.g. full_name,emails,company,cf.budget "
            f"(default: {','.join(DEFAULT_COLUMNS)} and every custom field).",
        )
        parser.add_argument(
            "--bom",
            action="store_true",
            default=None,  # None: not given, so --filter bom=… holds
            help="Start the CSV with a byte-order mark (Excel).",
        )
        parser.add_argument(
            "--out", default="-", metavar="FILE", help="Where to write (default: standard output)."
        )
        parser.add_argument(
            "--as",
            dest="as_user",
            default="",
            metavar="EMAIL",
            help="Whose view to take (`owner=me`, private views); default: the first admin.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        actor = _actor(options["as_user"])
        query: dict[str, Any] = dict(_filter_pairs(options["filter"]))
        _set_once(query, "view", options["view"], "the view")
        _set_once(query, "q", options["q"], "the search text")
        _set_once(query, "format", options["format"], "the format", meaning=_lowered)
        _set_once(query, "columns", options["columns"], "the columns")
        bom = "1" if options["bom"] else None
        _set_once(query, "bom", bom, "the byte-order mark", meaning=truthy)
        request = parse_export_request(actor, query)
        count = 0
        chunks = stream_export(actor, request)
        if options["out"] == "-":
            for chunk in chunks:
                sys.stdout.write(chunk)
            return
        path = Path(options["out"])
        try:
            with path.open("w", encoding="utf-8", newline="") as handle:
                for chunk in chunks:
                    handle.write(chunk)
                    count += 1
        except OSError as exc:
            raise CommandError(f"Cannot write {path}: {exc.strerror or exc}.") from exc
        rows = count - 1 if request.format == "csv" else count
        self.stderr.write(f"Exported {rows} contact{'s' if rows != 1 else ''} to {path}.")


def _lowered(value: str) -> str:
    return value.strip().lower()  # as parse_export_request reads format=


def _set_once(
    query: dict[str, Any],
    key: str,
    value: str | None,
    what: str,
    meaning: Callable[[str], object] = lambda value: value,
) -> None:
    """Put a given option's `value` under `key`. An option not given (None) leaves what
    --filter key=… said; one given may repeat it but not contradict it, since silently
    preferring either would export something other than what was asked. Values are compared
    by `meaning` (format=CSV is csv, bom=yes is --bom), as parse_export_request reads them."""
    if value is None:
        return
    given = query.get(key, [value])
    if [meaning(v) for v in given] != [meaning(value)]:
        raise ValidationFailed.single(
            f"--{key}", f"differs from --filter {key}={','.join(given)}; give {what} once."
        )
    query[key] = value
