"""`peoplebase gdpr export|erase|suppress|lift`: personal-data requests from the command line."""

from __future__ import annotations

import json
import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError

from peoplebase.compliance import services
from peoplebase.core.management.commands._base import PeoplebaseCommand
from peoplebase.core.management.commands._base import command_actor as _actor
from peoplebase.users.models import User


class Command(PeoplebaseCommand):
    """GDPR right of access and right to erasure, and the suppression list."""

    help = (
        "Personal-data requests. `export ID` prints everything held about a contact as JSON; "
        "`erase ID --reason TEXT` removes the person everywhere (cannot be undone); "
        "`suppress EMAIL` and `lift EMAIL` manage the suppression list."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", metavar="ACTION")
        export = sub.add_parser(
            "export",
            help="Write a contact's data as JSON (right of access).",
            description="Write everything held about a contact as one JSON document.",
        )
        export.add_argument("contact_id", metavar="CONTACT_ID")
        export.add_argument("--out", metavar="FILE", help="Write to FILE instead of stdout.")
        _as_argument(export)

        erase = sub.add_parser(
            "erase",
            help="Erase a contact's personal data everywhere (right to erasure).",
            description="Delete the contact and scrub their emails and phones from every table "
            "and from files under the data directory's exports/ and imports/. Cannot be undone.",
        )
        erase.add_argument("contact_id", metavar="CONTACT_ID")
        erase.add_argument("--reason", required=True, metavar="TEXT", help="Why (kept in the log).")
        erase.add_argument(
            "--suppress",
            action="store_true",
            help="Also block the person's addresses from being added or imported again.",
        )
        erase.add_argument("--yes", action="store_true", help="Do not ask for confirmation.")
        _as_argument(erase)

        suppress = sub.add_parser("suppress", help="Put an address on the suppression list.")
        suppress.add_argument("email", metavar="EMAIL")
        _as_argument(suppress)

        lift = sub.add_parser(
            "lift", help="Lift an address's suppression (admins; type the address in full)."
        )
        lift.add_argument("email", metavar="EMAIL")
        lift.add_argument("--reason", default="", metavar="TEXT", help="Why (kept on the entry).")
        _as_argument(lift)

    def handle(self, *args: Any, **options: Any) -> None:
        action = options.get("action")
        handlers = {
            "export": self._export,
            "erase": self._erase,
            "suppress": self._suppress,
            "lift": self._lift,
        }
        if action not in handlers:
            raise CommandError(
                "Say what to do: `peoplebase gdpr export|erase|suppress|lift …` (see --help)."
            )
        handlers[action](_actor(options["as_user"]), options)

    def _export(self, actor: User, options: dict[str, Any]) -> None:
        contact = services.get_contact_for_request(actor, options["contact_id"])
        text = json.dumps(
            services.build_access_document(actor, contact), ensure_ascii=False, indent=2
        )
        if options["out"]:
            path = Path(options["out"])
            try:
                path.write_text(text + "\n", encoding="utf-8")
            except OSError as exc:  # a folder, a missing folder, no permission: one line
                raise CommandError(f"Cannot write {path}: {exc.strerror or exc}.") from exc
            self.stderr.write(f"Wrote the data of contact #{contact.pk} to {options['out']}.")
        else:
            self.stdout.write(text)

    def _erase(self, actor: User, options: dict[str, Any]) -> None:
        contact = services.get_contact_for_request(actor, options["contact_id"])
        if not options["yes"]:
            if not sys.stdin.isatty():
                raise CommandError("Add --yes to erase without a question (stdin is no terminal).")
            answer = input(f"Erase contact #{contact.pk} ({contact}) for good? Type yes: ")
            if answer.strip().lower() != "yes":
                raise CommandError("Nothing erased.")
        log = services.erase_contact(
            actor, contact, reason=options["reason"], suppress=options["suppress"]
        )
        touched = sum(v for k, v in log.counts.items() if not k.startswith("kept."))
        self.stdout.write(
            f"Erased contact #{log.contact_id}: {touched} rows and files changed, "
            f"{log.suppressed} address(es) suppressed, in {log.seconds:.1f} s (erasure log "
            f"#{log.pk})."
        )

    def _suppress(self, actor: User, options: dict[str, Any]) -> None:
        entry = services.suppress_email(actor, options["email"])
        self.stdout.write(f"Suppressed (entry #{entry.pk}).")

    def _lift(self, actor: User, options: dict[str, Any]) -> None:
        entry = services.lift_suppression(actor, options["email"], options["reason"])
        self.stdout.write(f"Lifted suppression #{entry.pk}.")


def _as_argument(parser: ArgumentParser) -> None:
    parser.add_argument(
        "--as",
        dest="as_user",
        default="",
        metavar="EMAIL",
        help="Who acts (an admin or data protection officer); default: the first active admin.",
    )
