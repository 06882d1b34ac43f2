"""`peoplebase demo`: load a sample workspace to explore Peoplebase with."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from peoplebase import config
from peoplebase.core.management.commands._base import PeoplebaseCommand
from peoplebase.demo.workspace import MAX_CONTACTS, load_demo


class Command(PeoplebaseCommand):
    """Load the demo workspace and print what it made and how to sign in."""

    help = (
        "Load a sample workspace: demo users (a manager, two reps, a read-only user), companies, "
        "contacts with international names, leads, tags, custom fields and 18 months of "
        "activity. Refuses when the database already has contacts, unless --reset. New demo "
        "users get the password in PEOPLEBASE_DEMO_PASSWORD, or a generated one printed once."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--contacts",
            type=int,
            default=300,
            help=f"How many contacts to make, 10 to {MAX_CONTACTS} (default: %(default)s).",
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=42,
            help="Random seed; the same seed makes the same workspace (default: %(default)s).",
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help=(
                "First delete ALL contacts, companies, leads, activities, tags and custom "
                "fields (users stay)."
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        summary = load_demo(
            contacts=options["contacts"],
            seed=options["seed"],
            reset=options["reset"],
            password=config.env_str("PEOPLEBASE_DEMO_PASSWORD"),
        )
        self.stdout.write("\n".join(summary.lines()))
