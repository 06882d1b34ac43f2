"""The `peoplebase` console command: a short help of our own, then Django's command machinery."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

from peoplebase import __version__

COMMANDS = {
    "serve": "Run the web app on http://127.0.0.1:8000 with a background worker.",
    "worker": "Run background task workers on their own (more machines on PostgreSQL).",
    "migrate": "Create or update the database tables.",
    "createuser": "Add a user with a role, optionally with an API token.",
    "contacts": "Filter contacts (`contacts list --filter k=v`) or `contacts search TEXT`.",
    "demo": "Load a sample workspace with contacts, companies, leads and history.",
    "import": "Import contacts from a CSV, TSV, XLSX or vCard file; `import undo JOB_ID`.",
    "search": "Rebuild the contact search index (`peoplebase search rebuild`).",
    "merges": "List contact merges, undo one (`merges undo MERGE_ID`), `merges settings`.",
    "duplicates": "Find duplicate contacts: `duplicates scan`, `list --band likely`, `settings`.",
    "manage": "Run any Django management command, e.g. `peoplebase manage check`.",
    "export": "Export contacts to CSV or vCard (`export --view NAME --format vcf --out F`).",
    "gdpr": "Personal-data requests: `gdpr export|erase ID`, `gdpr suppress|lift EMAIL`.",
}

USAGE = """\
usage: peoplebase <command> [options]

Peoplebase keeps the people your team sells to: contacts, companies, leads and their history.

commands:
{commands}

Run `peoplebase <command> --help` for a command's options.
Data lives in PEOPLEBASE_DATA_DIR (default ~/.local/share/peoplebase); set DATABASE_URL to use
PostgreSQL instead of SQLite.
"""


def usage() -> str:
    commands = "\n".join(f"  {name:<11} {text}" for name, text in COMMANDS.items())
    return USAGE.format(commands=commands)


def django_argv(args: list[str]) -> list[str] | None:
    """The argv Django should see for our arguments, or None when the command is unknown."""
    name, rest = args[0], args[1:]
    if name == "help":  # `peoplebase help serve`, and what Django's own help suggests
        if rest[0] in COMMANDS and rest[0] != "manage":
            return ["peoplebase", rest[0], "--help"]
        return ["peoplebase manage", "help", *rest]
    if name == "manage":
        # Django's usage lines then read "peoplebase manage <command>".
        return ["peoplebase manage", *(rest or ["help"])]
    if name in COMMANDS:
        return ["peoplebase", *args]
    return None


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in ("-h", "--help") or args == ["help"]:
        print(usage(), end="")
        return 0
    if args[0] == "--version":
        print(f"peoplebase {__version__}")
        return 0
    target = django_argv(args)
    if target is None:
        print(
            f"peoplebase: unknown command “{args[0]}”; `peoplebase --help` lists the commands.",
            file=sys.stderr,
        )
        return 2
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peoplebase.settings")
    return run_django(target, show_traceback="--traceback" in args)


def run_django(argv: list[str], *, show_traceback: bool = False) -> int:
    """Hand over to Django, turning database failures into one line on stderr."""
    from django.core.management import execute_from_command_line
    from django.db import InterfaceError, OperationalError, ProgrammingError

    try:
        execute_from_command_line(argv)
    except KeyboardInterrupt:
        return 130
    except (OperationalError, InterfaceError, ProgrammingError) as exc:
        if show_traceback:
            raise
        print(f"peoplebase: {database_problem(exc)}", file=sys.stderr)
        return 1
    return 0


def database_problem(exc: Exception) -> str:
    """Say what went wrong with the database in one line, without leaking a password."""
    from peoplebase.core.management.commands._base import database_label

    detail = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    lowered = detail.lower()
    if "no such table" in lowered or ("relation" in lowered and "does not exist" in lowered):
        return f"the database has no Peoplebase tables yet ({detail}); run `peoplebase migrate`."
    return f"cannot use the database ({database_label()}): {detail}"


if __name__ == "__main__":
    sys.exit(main())
