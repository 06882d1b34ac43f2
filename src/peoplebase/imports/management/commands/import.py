"""`peoplebase import FILE …` and `peoplebase import undo JOB_ID`: the import wizard in one line."""

from __future__ import annotations

import json
from argparse import ArgumentParser, RawDescriptionHelpFormatter
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError

from peoplebase.core.errors import ValidationFailed
from peoplebase.core.management.commands._base import PeoplebaseCommand
from peoplebase.core.management.commands._base import command_actor as _actor
from peoplebase.imports import reports, services
from peoplebase.imports.models import DuplicatePolicy, ImportJob
from peoplebase.imports.undo import undo_import
from peoplebase.users.models import User

EPILOG = """\
examples:
  peoplebase import people.csv
  peoplebase import export.csv --map "E-mail=emails" --map "Notes=ignore" --on-duplicate fill
  peoplebase import leads.xlsx --defaults tags=expo-2026 --defaults owner=dana@example.com
  peoplebase import people.csv --dry-run          # the preview: nothing is written
  peoplebase import undo 12                       # remove what import 12 created or changed
"""


class Command(PeoplebaseCommand):
    """Import contacts from a CSV, TSV, XLSX or vCard file, or undo an import."""

    help = (
        "Import contacts from FILE (CSV, TSV, XLSX or vCard). The suggested column mapping is "
        "used unless --map or --mapping says otherwise; the mapping used is printed first, then "
        "progress, the counts and where the rejected rows were written. `import undo JOB_ID` "
        "undoes a finished import."
    )

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> ArgumentParser:
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.formatter_class = RawDescriptionHelpFormatter
        parser.epilog = EPILOG
        return parser

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "target", nargs="+", metavar="FILE", help="The file to import, or: undo JOB_ID."
        )
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="COLUMN=FIELD",
            help="Map a column (header text or 0-based number) to a field, e.g. Email=emails, "
            "Budget=custom.budget, Notes=ignore. Repeat; other columns keep the suggestion.",
        )
        parser.add_argument(
            "--mapping", default="", metavar="NAME", help="Start from a saved mapping."
        )
        parser.add_argument(
            "--save-mapping", default="", metavar="NAME", help="Save the mapping used as NAME."
        )
        parser.add_argument(
            "--defaults",
            action="append",
            default=[],
            metavar="FIELD=VALUE",
            help="A value for rows that leave it empty: owner, status, source, tags, "
            "consent_status, consent_type (default consent type: imported). Repeat.",
        )
        parser.add_argument(
            "--confirm-opted-in",
            action="store_true",
            help="Needed with --defaults consent_status=opted_in: you confirm the file "
            "records each person's consent.",
        )
        parser.add_argument(
            "--on-duplicate",
            choices=DuplicatePolicy.values,
            default=DuplicatePolicy.SKIP,
            help="Rows matching a contact by email or phone: skip (default), fill empty "
            "fields, overwrite, or create a new contact anyway.",
        )
        parser.add_argument(
            "--match-name-company",
            action="store_true",
            help="Also treat the same full name at the same company as a match.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Preview: show rows and counts, write nothing."
        )
        parser.add_argument("--json", action="store_true", help="Print the final report as JSON.")
        parser.add_argument(
            "--as",
            dest="as_user",
            default="",
            metavar="EMAIL",
            help="Who imports (a manager or admin); default: the first active admin.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        actor = _actor(options["as_user"])
        target = options["target"]
        if target[0] == "undo":
            if len(target) != 2:
                raise CommandError("usage: peoplebase import undo JOB_ID")
            self._undo(actor, target[1], options)
            return
        if len(target) != 1:
            raise CommandError("Give one file to import (or: undo JOB_ID).")
        self._import(actor, Path(target[0]), options)

    def _import(self, actor: User, path: Path, options: dict[str, Any]) -> None:
        job = services.create_import_from_path(actor, path)
        try:
            job = self._configure(actor, job, options)
            if not options["json"]:
                self._print_mapping(job)
            if options["dry_run"]:
                self._preview(actor, job, options)
                services.delete_import_file(job)
                job.delete()
                return
            job = services.run_import_now(actor, job, progress=self._progress(options))
        except Exception:
            if job.status == "draft":
                services.delete_import_file(job)
                job.delete()
            raise
        report = reports.import_report(job)
        if options["json"]:
            self.stdout.write(json.dumps(report, indent=2, ensure_ascii=False))
            if job.status != "done":  # scripts read the exit status, as without --json
                raise SystemExit(1)
            return
        self.stdout.write("")
        self.stdout.write(
            f"Import #{job.pk} {job.status}: {job.created} created, {job.updated} updated, "
            f"{job.skipped} skipped, {job.invalid} invalid."
        )
        if report["owner_fallbacks"]:
            self.stdout.write(
                f"Warning: {report['owner_fallbacks']} rows named an owner who is not an active "
                "user; they went to the default owner (see the report's reasons)."
            )
        if job.rejected_path:
            self.stdout.write(f"Rejected rows (with a reason column): {job.rejected_path}")
        if job.error:
            self.stdout.write(f"Error: {job.error}")
        if job.status != "done":
            raise SystemExit(1)

    def _configure(self, actor: User, job: ImportJob, options: dict[str, Any]) -> ImportJob:
        if options["mapping"]:
            job = services.apply_saved_mapping(actor, job, options["mapping"])
        if options["map"]:
            job = services.override_mapping(actor, job, _pairs(options["map"], "--map"))
        defaults = dict(job.defaults)
        if options["defaults"]:
            defaults.update(_pairs(options["defaults"], "--defaults"))
        job = services.set_options(
            actor,
            job,
            defaults=defaults,
            duplicate_policy=options["on_duplicate"],
            match_name_company=options["match_name_company"],
            confirm_opted_in=options["confirm_opted_in"],
        )
        if options["save_mapping"]:
            services.save_mapping(actor, job, options["save_mapping"])
        return job

    def _print_mapping(self, job: ImportJob) -> None:
        self.stdout.write(f"{job.file_name}: {job.format}, {job.total_rows} rows")
        for note in job.notes:
            self.stdout.write(f"  note: {note}")
        self.stdout.write("Mapping:")
        for index, header in enumerate(job.headers):
            target = job.mapping.get(str(index), "(ignored)")
            self.stdout.write(f"  {header} -> {target}")

    def _progress(self, options: dict[str, Any]) -> Any:
        if options["json"]:
            return None

        def show(job: ImportJob) -> None:
            self.stdout.write(
                f"\r{job.processed_rows}/{job.total_rows} rows ({job.percent}%): "
                f"{job.created} created, {job.updated} updated, {job.skipped} skipped, "
                f"{job.invalid} invalid"
                + ("; finishing (indexes, statistics)..." if job.is_finishing else ""),
                ending="",
            )
            self.stdout.flush()

        return show

    def _preview(self, actor: User, job: ImportJob, options: dict[str, Any]) -> None:
        preview = services.preview_import(actor, job)
        if options["json"]:
            body = {
                "counts": preview.counts,
                "rows": [vars(row) for row in preview.rows],
                "mapping": {job.headers[int(i)]: t for i, t in job.mapping.items()},
            }
            self.stdout.write(json.dumps(body, indent=2, ensure_ascii=False, default=str))
            return
        self.stdout.write("Preview (nothing written):")
        for row in preview.rows:
            shown = ", ".join(f"{k}={v}" for k, v in row.values.items())
            reason = f" — {row.reason}" if row.reason else ""
            self.stdout.write(f"  row {row.row_number}: {row.outcome}{reason} {shown}".rstrip())
        counts = preview.counts
        self.stdout.write(
            f"Would create {counts['created']}, update {counts['updated']}, skip "
            f"{counts['skipped']}; {counts['invalid']} invalid."
        )

    def _undo(self, actor: User, job_id: str, options: dict[str, Any]) -> None:
        job = undo_import(actor, services.get_import(actor, job_id))
        report = job.undo_report
        if options["json"]:
            self.stdout.write(json.dumps(reports.import_report(job), indent=2, ensure_ascii=False))
            return
        self.stdout.write(
            f"Import #{job.pk} undone: {report['deleted']} contacts deleted, "
            f"{report['restored']} restored; {len(report['kept'])} left as they were."
        )
        for item in report["kept"][:20]:
            self.stdout.write(f"  contact #{item['contact_id']}: {item['why']}")


def _pairs(items: list[str], option: str) -> dict[str, str]:
    pairs: dict[str, str] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise ValidationFailed.single(option, f"“{item}” is not KEY=VALUE.")
        pairs[key.strip()] = value.strip()
    return pairs
