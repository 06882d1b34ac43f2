"""`peoplebase manage contacts_search Q`: contact search until it joins the `contacts` command."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from peoplebase.core.management.commands._base import PeoplebaseCommand
from peoplebase.search.cli import add_search_arguments, run_search


class Command(PeoplebaseCommand):
    """Find contacts by name, email, phone, company, job title or tag."""

    help = (
        "Find contacts by name (prefix, accents and one typo forgiven), any email or part of it, "
        "a phone in any format, company, job title or tag; best matches first, with the reason."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        add_search_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        run_search(options, self.stdout)
