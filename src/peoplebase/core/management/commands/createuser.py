"""`peoplebase createuser`: add a user (and optionally an API token) without any prompt."""

from __future__ import annotations

import sys
from argparse import ArgumentParser
from typing import IO, Any

from django.core.management.base import CommandError
from django.db import transaction

from peoplebase.core.management.commands._base import PeoplebaseCommand
from peoplebase.users.models import Role
from peoplebase.users.services import create_token, create_user

DEFAULT_TOKEN_NAME = "Command line"  # noqa: S105 (a label, not a secret)


class Command(PeoplebaseCommand):
    """Create one user through the users service, printing secrets exactly once."""

    help = (
        "Create a user without prompts. The password is read from standard input with "
        "--password-stdin, otherwise generated and printed once. --api-token also issues a "
        "personal API token, printed once on a final line `API token: pb_…`."
    )
    # Tests pass their own stream; the command line always reads sys.stdin.
    stealth_options = ("stdin",)

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("email", help="The address the user signs in with.")
        parser.add_argument(
            "--role",
            required=True,
            metavar="ROLE",
            help=f"What the user may do: {', '.join(Role.values)}.",
        )
        parser.add_argument("--first-name", default="", help="Given name.")
        parser.add_argument("--last-name", default="", help="Family name.")
        parser.add_argument(
            "--password-stdin",
            action="store_true",
            help="Read the password from the first line of standard input.",
        )
        parser.add_argument(
            "--api-token",
            nargs="?",
            const=DEFAULT_TOKEN_NAME,
            default=None,
            metavar="NAME",
            help=f"Also create a personal API token called NAME (default “{DEFAULT_TOKEN_NAME}”).",
        )
        parser.add_argument(
            "--quiet",
            action="store_true",
            help="Print only the API token (or the generated password when no token is asked for).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        password = self._read_password(options.get("stdin")) if options["password_stdin"] else None
        with transaction.atomic():
            user, generated = create_user(
                None,
                options["email"],
                role=options["role"],
                password=password,
                first_name=options["first_name"],
                last_name=options["last_name"],
            )
            token_name = options["api_token"]
            secret = create_token(user, token_name).secret if token_name is not None else None
        if options["quiet"]:
            quiet_line = secret or generated
            if quiet_line:
                self.stdout.write(quiet_line)
            return
        self.stdout.write(f"Created {user.get_role_display()} user {user.email}.")
        if generated:
            self.stdout.write(f"Password: {generated}  (shown only now)")
        if secret:
            self.stdout.write(f"API token: {secret}")

    def _read_password(self, stream: IO[str] | None) -> str:
        password = (stream or sys.stdin).readline().rstrip("\r\n")
        if not password:
            raise CommandError("--password-stdin was given but standard input held no password.")
        return password
