"""`peoplebase merges list|undo|settings`: see past contact merges, undo one, read or change
who may merge and the undo window."""

from __future__ import annotations

import json
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import CommandError

from peoplebase.core.errors import ValidationFailed
from peoplebase.core.management.commands._base import PeoplebaseCommand
from peoplebase.merges import services
from peoplebase.merges.cli import actor_for, add_actor_argument, print_merge


class Command(PeoplebaseCommand):
    """Contact merges from the command line (merge with `peoplebase contacts merge`)."""

    help = (
        "List contact merges, undo one within the workspace's undo window, or print and change "
        "the merge settings. Merge contacts with `peoplebase contacts merge PRIMARY_ID "
        "DUPLICATE_ID…`."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", metavar="ACTION")
        undo = actions.add_parser(
            "undo",
            help="Bring merged contacts back with their ids, values and history.",
            description="Undo a merge: the merged contacts return with their original ids, "
            "values and rows; the primary's fields return unless edited since the merge.",
        )
        undo.add_argument("merge_id", metavar="MERGE_ID")
        add_actor_argument(undo)
        listing = actions.add_parser("list", help="List merges, newest first.")
        listing.add_argument("--limit", type=int, default=50, help="How many (default 50).")
        settings = actions.add_parser(
            "settings",
            help="Print or change who may merge and the undo window.",
            description="Without options, print the merge settings. --roles and --undo-days "
            "change them (admins only); the change goes to the audit log.",
        )
        settings.add_argument(
            "--roles",
            metavar="ROLE,ROLE",
            help="Roles that may merge, comma-separated, among admin, manager and rep.",
        )
        settings.add_argument(
            "--undo-days", metavar="DAYS", help="How long a merge can be undone (1 to 3650)."
        )
        add_actor_argument(settings)

    def handle(self, *args: Any, **options: Any) -> None:
        action = options.get("action")
        if action == "undo":
            actor = actor_for(options["as_user"])
            merge = services.undo_merge(actor, services.get_merge(actor, options["merge_id"]))
            print_merge(merge, options, self.stdout, "Undid merge of")
            return
        if action == "list":
            actor = actor_for("")
            for merge in services.list_merges(actor, limit=options["limit"]).items:
                state = (
                    "undone"
                    if merge.undone_at
                    else ("undoable" if not services.undo_blocker(merge) else "final")
                )
                dups = ",".join(str(i) for i in merge.duplicate_ids)
                self.stdout.write(
                    f"{merge.pk}\t{merge.created_at:%Y-%m-%d %H:%M}\t#{dups} -> "
                    f"#{merge.primary_id_at_merge}\t{merge.actor_label}\t{state}"
                )
            return
        if action == "settings":
            self._settings(options)
            return
        raise CommandError("Say what to do: `peoplebase merges list`, `… undo ID` or `… settings`.")

    def _settings(self, options: dict[str, Any]) -> None:
        actor = actor_for(options["as_user"])
        roles, days = options["roles"], options["undo_days"]
        if roles is None and days is None:
            saved = services.get_merge_settings(actor)
        else:
            wanted = None if roles is None else [r.strip() for r in roles.split(",") if r.strip()]
            try:
                saved = services.update_merge_settings(actor, wanted, days)
            except ValidationFailed as error:
                names = {"allowed_roles": "--roles", "undo_window_days": "--undo-days"}
                raise ValidationFailed(
                    {names.get(k, k): v for k, v in error.errors.items()}
                ) from error
        summary = services.merge_settings_summary(saved)
        if options["json"]:
            self.stdout.write(json.dumps(summary, indent=2))
            return
        self.stdout.write(f"roles that may merge: {', '.join(summary['allowed_roles']) or 'none'}")
        self.stdout.write(f"undo window: {summary['undo_window_days']} days")
