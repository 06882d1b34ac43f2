"""`peoplebase merges list|undo`: see past contact merges and undo one."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import CommandError

from peoplebase.core.management.commands._base import PeoplebaseCommand
from peoplebase.merges import services
from peoplebase.merges.cli import actor_for, add_actor_argument, print_merge


class Command(PeoplebaseCommand):
    """Contact merges from the command line (merge with `peoplebase contacts merge`)."""

    help = (
        "List contact merges or undo one within the workspace's undo window. "
        "Merge contacts with `peoplebase contacts merge PRIMARY_ID DUPLICATE_ID…`."
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
        raise CommandError(
            "Say what to do: `peoplebase merges list` or `peoplebase merges undo ID`."
        )
