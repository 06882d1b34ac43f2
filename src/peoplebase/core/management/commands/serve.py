"""`peoplebase serve`: migrate, make the first admin, serve the app, run a background worker."""

from __future__ import annotations

import signal
from argparse import ArgumentParser
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from peoplebase import __version__, config
from peoplebase.contacts.models import Contact
from peoplebase.core.management.commands._base import PeoplebaseCommand, database_label
from peoplebase.core.management.commands._worker_thread import WorkerThread
from peoplebase.demo.workspace import DemoSummary, load_demo
from peoplebase.users.services import ensure_first_admin

DEFAULT_ADMIN_EMAIL = "admin@localhost"
DEFAULT_THREADS = 8


@dataclass
class Preparation:
    """What getting the database ready did: the first admin's sign-in, a demo load."""

    admin_email: str = ""
    admin_password: str = ""
    password_from_env: bool = False
    demo: DemoSummary | None = None

    @property
    def created_admin(self) -> bool:
        return bool(self.admin_email)


def prepare(*, load_demo_data: bool = False) -> Preparation:
    """Apply migrations, create the first admin on a fresh database, load the demo if asked.

    The demo is only loaded into a database without contacts, so `--demo` is safe on restarts.
    """
    call_command("migrate", interactive=False, verbosity=0)
    # WhiteNoise warns at start-up when STATIC_ROOT is missing, even though it serves from
    # the installed packages; an empty directory keeps the console quiet.
    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)
    result = Preparation()
    env_password = config.env_str("PEOPLEBASE_ADMIN_PASSWORD")
    created = ensure_first_admin(
        config.env_str("PEOPLEBASE_ADMIN_EMAIL", DEFAULT_ADMIN_EMAIL), env_password or None
    )
    if created is not None:
        user, password = created
        result.admin_email, result.admin_password = user.email, password
        result.password_from_env = bool(env_password)
    if load_demo_data and not Contact.objects.exists():
        result.demo = load_demo(password=config.env_str("PEOPLEBASE_DEMO_PASSWORD"))
    return result


def site_url(host: str, port: int) -> str:
    """The address to open in a browser for a server listening on host:port."""
    if host in ("", "0.0.0.0"):  # noqa: S104 (a comparison, not a bind)
        host = "127.0.0.1"
    elif host == "::":
        host = "::1"
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}"


def banner(preparation: Preparation, *, url: str, worker: bool) -> list[str]:
    """What the server prints on start; the first admin's password appears here only."""
    lines = [
        f"Peoplebase {__version__}",
        f"  Data directory: {settings.DATA_DIR}",
        f"  Database:       {database_label()}",
        "  Background worker: "
        + ("running in this process" if worker else "off (--no-worker); run `peoplebase worker`"),
    ]
    if preparation.demo is not None:
        lines += ["", *preparation.demo.lines()]
    if preparation.created_admin:
        password = (
            "the value of PEOPLEBASE_ADMIN_PASSWORD"
            if preparation.password_from_env
            else f"{preparation.admin_password}  (shown only now; change it in Settings › Password)"
        )
        lines += [
            "",
            "First start: created the admin account.",
            f"  Sign in at {url}/login/",
            f"  Email:     {preparation.admin_email}",
            f"  Password:  {password}",
        ]
    lines += ["", f"Serving on {url}/ - press Ctrl+C to stop."]
    return lines


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


class Command(PeoplebaseCommand):
    """Run Peoplebase with waitress, plus a background worker thread."""

    help = (
        "Serve Peoplebase (waitress, static files included). Applies migrations first, creates "
        "an admin on the first start and prints how to sign in. Runs a background task worker "
        "in the same process unless --no-worker. Data lives in PEOPLEBASE_DATA_DIR; "
        "DATABASE_URL switches to PostgreSQL."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--host", default="127.0.0.1", help="Address to listen on (default: %(default)s)."
        )
        parser.add_argument(
            "--port", type=int, default=8000, help="Port to listen on (default: %(default)s)."
        )
        parser.add_argument(
            "--threads",
            type=int,
            default=DEFAULT_THREADS,
            help="Requests handled at once (default: %(default)s).",
        )
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="Do not run a background worker in this process.",
        )
        parser.add_argument(
            "--demo",
            action="store_true",
            help="Load the demo workspace first when the database has no contacts.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        import waitress

        from peoplebase.wsgi import application

        if options["threads"] < 1:
            raise CommandError("--threads must be 1 or more.")
        preparation = prepare(load_demo_data=options["demo"])
        try:
            server = waitress.create_server(
                application,
                host=options["host"],
                port=options["port"],
                threads=options["threads"],
                ident="Peoplebase",
            )
        except OSError as exc:
            raise CommandError(
                f"cannot listen on {options['host']}:{options['port']}: {exc.strerror or exc}"
            ) from exc
        worker = None if options["no_worker"] else WorkerThread().start()
        url = site_url(options["host"], options["port"])
        self.stdout.write("\n".join(banner(preparation, url=url, worker=worker is not None)))
        self.stdout.flush()
        # SIGINT too: a shell starting us in the background may have set it to be ignored.
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, _interrupt)
        try:
            server.run()  # returns after Ctrl+C (waitress handles KeyboardInterrupt itself)
        except KeyboardInterrupt:
            pass
        finally:
            server.close()
            if worker is not None:
                worker.stop()
        self.stdout.write("Stopped.")
