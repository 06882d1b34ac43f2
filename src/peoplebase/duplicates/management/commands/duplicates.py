"""`peoplebase duplicates scan|list|settings`: run a duplicate scan here, print the suggested
pairs, read or change the band thresholds."""

from __future__ import annotations

import csv
import json
import sys
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import CommandError

from peoplebase.bulk.services import neutralise_cell
from peoplebase.contacts.management.commands.contacts import _actor
from peoplebase.core.errors import ValidationFailed
from peoplebase.core.management.commands._base import PeoplebaseCommand
from peoplebase.duplicates import services
from peoplebase.duplicates.models import DuplicateSuggestion

DEFAULT_FIELDS = ("full_name", "email")
ALLOWED_FIELDS = (
    "full_name",
    "first_name",
    "last_name",
    "email",
    "phone",
    "company",
    "job_title",
    "city",
    "postal_code",
    "country",
    "status",
)


class Command(PeoplebaseCommand):
    """Find and list duplicate contacts."""

    help = (
        "Find duplicate contacts. `scan` runs the matcher over everyone (or one saved view) in "
        "this process, re-checking only contacts changed since the previous scan; `list` prints "
        "the open suggested pairs with both ids, chosen fields, score, band and reasons; "
        "`settings` prints or changes the likely and possible thresholds."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        subcommands = parser.add_subparsers(dest="action", metavar="ACTION")
        scanning = subcommands.add_parser("scan", help="Scan for duplicates now.")
        scanning.add_argument("--view", default="", help="Only this saved view (name or id).")
        scanning.add_argument("--json", action="store_true", help="Print the scan as JSON.")
        scanning.add_argument(
            "--as",
            dest="as_user",
            default="",
            metavar="EMAIL",
            help="Who runs it; default: the first active admin.",
        )
        listing = subcommands.add_parser("list", help="Print the open suggested pairs.")
        listing.add_argument("--band", choices=("likely", "possible"), default="")
        listing.add_argument("--format", choices=("csv", "json"), default="csv")
        listing.add_argument(
            "--fields",
            default=",".join(DEFAULT_FIELDS),
            help="Fields of each contact to print, comma-separated, from: "
            + ", ".join(ALLOWED_FIELDS),
        )
        listing.add_argument("--limit", type=int, default=1000, help="At most this many pairs.")
        listing.add_argument(
            "--as",
            dest="as_user",
            default="",
            metavar="EMAIL",
            help="Whose view to take; default: the first active admin.",
        )

        self._add_settings_parser(subcommands)

    def _add_settings_parser(self, subcommands: Any) -> None:
        settings = subcommands.add_parser(
            "settings",
            help="Print or change the band thresholds.",
            description="Without options, print the thresholds. --likely and --possible change "
            "them (0 < possible <= likely <= 1; admins only): open suggestions are re-banded "
            "at once, those below the new possible threshold leave the queue, and lowering "
            "--possible makes the next scan a full one.",
        )
        settings.add_argument("--likely", metavar="SCORE", help="Likely band from this score.")
        settings.add_argument("--possible", metavar="SCORE", help="Possible band from this score.")
        settings.add_argument("--json", action="store_true", help="Print the result as JSON.")
        settings.add_argument(
            "--as",
            dest="as_user",
            default="",
            metavar="EMAIL",
            help="Who changes them (must be an admin); default: the first active admin.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        action = options.get("action")
        if action == "scan":
            self._scan(options)
        elif action == "list":
            self._list(options)
        elif action == "settings":
            self._settings(options)
        else:
            raise CommandError(
                "Say what to do: `peoplebase duplicates scan`, `… list` or `… settings`."
            )

    def _settings(self, options: dict[str, Any]) -> None:
        actor = _actor(options["as_user"])
        changing = options["likely"] is not None or options["possible"] is not None
        if not changing:
            summary = services.settings_summary(services.get_duplicate_settings(actor))
        else:
            try:
                change = services.update_duplicate_settings(
                    actor, likely=options["likely"], possible=options["possible"]
                )
            except ValidationFailed as error:
                # Name the option the user typed, not the service's field.
                raise ValidationFailed({f"--{k}": v for k, v in error.errors.items()}) from error
            summary = {
                **services.settings_summary(change.settings),
                "to_likely": change.to_likely,
                "to_possible": change.to_possible,
                "dropped": change.dropped,
                "next_scan_full": change.next_scan_full,
            }
        if options["json"]:
            self.stdout.write(json.dumps(summary, indent=2))
            return
        self.stdout.write(f"likely   >= {summary['likely']:g}")
        self.stdout.write(f"possible >= {summary['possible']:g}")
        if changing:
            self.stdout.write(
                f"Open suggestions: {summary['to_likely']} moved to likely, "
                f"{summary['to_possible']} to possible, {summary['dropped']} dropped."
            )
            if summary["next_scan_full"]:
                self.stdout.write("The next scan re-checks everyone.")

    def _scan(self, options: dict[str, Any]) -> None:
        actor = _actor(options["as_user"])
        show = sys.stderr.isatty() and not options["json"]

        def progress(message: str) -> None:
            if show:
                self.stderr.write(f"\r{message}\033[K", ending="")

        scan = services.start_scan(
            actor, view=options["view"] or None, run_now=True, progress=progress
        )
        if show:
            self.stderr.write("")
        if options["json"]:
            self.stdout.write(json.dumps(_scan_row(scan), indent=2))
        else:
            kind = f"incremental, {scan.changed:,} changed" if scan.incremental else "full"
            self.stdout.write(
                f"Scan #{scan.pk} {scan.status} ({kind}): {scan.total:,} contacts, "
                f"{scan.candidate_pairs:,} pairs compared, {scan.suggestions:,} suggested."
            )
        if scan.status != "done":
            raise CommandError(scan.error or "The scan failed.")

    def _list(self, options: dict[str, Any]) -> None:
        fields = [f.strip() for f in options["fields"].split(",") if f.strip()]
        unknown = [f for f in fields if f not in ALLOWED_FIELDS]
        if unknown or not fields:
            raise ValidationFailed.single(
                "--fields",
                f"Unknown field {', '.join(unknown) or '(none)'}; use {', '.join(ALLOWED_FIELDS)}.",
            )
        if options["limit"] < 1:
            raise ValidationFailed.single("--limit", "Use a number of at least 1.")
        actor = _actor(options["as_user"])
        pairs = services.open_suggestions(actor, options["band"])[: options["limit"]]
        rows = [_pair_row(s, fields) for s in pairs]
        if options["format"] == "json":
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        header = [
            "id_a",
            "id_b",
            *[f"a_{f}" for f in fields],
            *[f"b_{f}" for f in fields],
            "score",
            "band",
            "reasons",
        ]
        writer = csv.writer(self.stdout, lineterminator="\n")
        writer.writerow(header)
        for row in rows:
            values = [
                row["id_a"],
                row["id_b"],
                *[row["a"][f] for f in fields],
                *[row["b"][f] for f in fields],
                row["score"],
                row["band"],
                "; ".join(row["reasons"]),
            ]
            writer.writerow([neutralise_cell(v) for v in values])


def _value(contact: Any, field: str) -> str:
    if field == "company":
        return contact.company.name if contact.company_id else ""
    return str(getattr(contact, field) or "")


def _pair_row(s: DuplicateSuggestion, fields: list[str]) -> dict[str, Any]:
    return {
        "id_a": s.contact_a_id,
        "id_b": s.contact_b_id,
        "a": {f: _value(s.contact_a, f) for f in fields},
        "b": {f: _value(s.contact_b, f) for f in fields},
        "score": s.score,
        "band": s.band,
        "reasons": s.reasons,
        "cluster": s.cluster,
    }


def _scan_row(scan: Any) -> dict[str, Any]:
    return {
        "id": scan.pk,
        "status": scan.status,
        "incremental": scan.incremental,
        "total": scan.total,
        "changed": scan.changed,
        "candidate_pairs": scan.candidate_pairs,
        "suggestions": scan.suggestions,
        "likely_threshold": scan.likely_threshold,
        "possible_threshold": scan.possible_threshold,
        "error": scan.error,
    }
