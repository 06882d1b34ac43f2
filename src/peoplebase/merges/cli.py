"""The command-line side of merges: `contacts merge` and `merges undo|list`."""

from __future__ import annotations

import json
from argparse import ArgumentParser
from typing import Any, TextIO

from peoplebase.core.errors import ValidationFailed
from peoplebase.core.management.commands._base import command_actor as actor_for
from peoplebase.merges import services


def add_actor_argument(parser: ArgumentParser) -> None:
    parser.add_argument(
        "--as",
        dest="as_user",
        default="",
        metavar="EMAIL",
        help="Who merges (their role and edit rights apply); default: the first active admin.",
    )
    parser.add_argument("--json", action="store_true", help="Print the merge as JSON.")


def add_merge_arguments(parser: ArgumentParser) -> None:
    parser.add_argument("primary_id", metavar="PRIMARY_ID", help="The contact that survives.")
    parser.add_argument(
        "duplicate_ids", nargs="+", metavar="DUPLICATE_ID", help="Contacts merged into it."
    )
    parser.add_argument(
        "--field",
        action="append",
        default=[],
        metavar="NAME=CONTACT_ID",
        help="Keep this contact's value for a field (e.g. job_title=42, custom_fields.budget=42)"
        "; repeat for more. Other fields keep the primary's value, else the first non-empty.",
    )
    add_actor_argument(parser)


def field_choices(items: list[str]) -> dict[str, str]:
    choices: dict[str, str] = {}
    for item in items:
        name, sep, contact_id = item.partition("=")
        if not sep or not name.strip() or not contact_id.strip():
            raise ValidationFailed.single("--field", f"Write “{item}” as name=CONTACT_ID.")
        choices[name.strip()] = contact_id.strip()
    return choices


def run_merge(options: dict[str, Any], out: TextIO) -> None:
    merge = services.merge_by_ids(
        actor_for(options["as_user"]),
        options["primary_id"],
        options["duplicate_ids"],
        field_choices(options["field"]),
    )
    print_merge(merge, options, out, "Merged")


def print_merge(merge: Any, options: dict[str, Any], out: TextIO, verb: str) -> None:
    summary = services.merge_summary(merge)
    if options.get("json"):
        out.write(json.dumps(summary, default=str, ensure_ascii=False, indent=2))
        return
    dups = ", ".join(f"#{i}" for i in merge.duplicate_ids)
    out.write(f"{verb} {dups} into #{merge.primary_id_at_merge} (merge {merge.pk}).")
    if summary["can_undo"]:
        out.write(f"Undo until {summary['undo_until']:%Y-%m-%d}: peoplebase merges undo {merge.pk}")
