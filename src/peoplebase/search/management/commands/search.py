"""`peoplebase search rebuild`: refill the contact search index from the contact tables."""

from __future__ import annotations

import sys
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import CommandError

from peoplebase.core.management.commands._base import PeoplebaseCommand
from peoplebase.search.services import rebuild_index


class Command(PeoplebaseCommand):
    """Maintain the search index (it is otherwise kept in step by every write)."""

    help = (
        "Maintain the contact search index. `rebuild` refills it from the contact tables: run it "
        "after loading contacts behind Peoplebase's back (bench/seed.py, restores, SQL imports)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        subcommands = parser.add_subparsers(dest="action", metavar="ACTION")
        rebuild = subcommands.add_parser(
            "rebuild", help="Rebuild the whole index in one transaction."
        )
        rebuild.add_argument(
            "--batch",
            type=int,
            default=5_000,
            help="Contacts read per step (default: %(default)s).",
        )
        rebuild.add_argument("--quiet", action="store_true", help="Print only the summary.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options.get("action") != "rebuild":
            raise CommandError("Say what to do: `peoplebase search rebuild`.")
        if options["batch"] < 1:
            raise CommandError("--batch must be at least 1.")
        show_progress = not options["quiet"] and sys.stderr.isatty()

        def progress(done: int, total: int) -> None:
            if show_progress:
                self.stderr.write(f"\r{done:,} of {total:,} contacts", ending="")

        result = rebuild_index(batch=options["batch"], progress=progress)
        if show_progress:
            self.stderr.write("")
        self.stdout.write(
            f"Indexed {result.contacts:,} contacts for search in {result.seconds:.1f} s."
        )
