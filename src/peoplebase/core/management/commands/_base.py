"""What Peoplebase's commands share: short help and one-line errors instead of tracebacks."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from peoplebase.core.errors import DomainError, ValidationFailed

# Django's generic options still work; hiding them keeps each command's --help readable.
HIDDEN_BASE_OPTIONS = {
    "--version",
    "--settings",
    "--pythonpath",
    "--traceback",
    "--no-color",
    "--force-color",
}


def describe_error(exc: Exception) -> str:
    """One readable line for an expected failure (field errors become `field: message`)."""
    if isinstance(exc, ValidationFailed):
        parts = []
        for field, messages in exc.errors.items():
            text = " ".join(messages)
            parts.append(text if field == "__all__" else f"{field}: {text}")
        return "; ".join(parts)
    if isinstance(exc, DomainError):
        return exc.message
    return str(exc)


def mask_url_password(url: str) -> str:
    """The URL with any password replaced by ****, safe to print."""
    parts = urlsplit(url)
    if not parts.password:
        return url
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    netloc = f"{parts.username or ''}:****@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))


def database_label() -> str:
    """Which database is in use, for banners and error messages (passwords masked)."""
    database = settings.DATABASES["default"]
    if "sqlite" in database["ENGINE"]:
        return f"SQLite {database['NAME']}"
    if settings.DATABASE_URL:
        return f"PostgreSQL {mask_url_password(settings.DATABASE_URL)}"
    return f"{database['ENGINE']} {database.get('NAME', '')}"


class CleanErrorsMixin:
    """Expected failures print `peoplebase <command>: <message>` on stderr and exit 1.

    Called through `call_command` (tests, other code), or with --traceback, they raise
    CommandError instead.
    """

    suppressed_base_arguments = HIDDEN_BASE_OPTIONS
    _called_from_command_line: bool

    def execute(self, *args: Any, **options: Any) -> Any:
        try:
            return super().execute(*args, **options)  # type: ignore[misc]
        except (DomainError, CommandError) as exc:
            message = describe_error(exc)
            if not self._called_from_command_line or options.get("traceback"):
                raise CommandError(message) from exc
        name = type(self).__module__.rsplit(".", 1)[-1]
        self.stderr.write(f"peoplebase {name}: {message}")  # type: ignore[attr-defined]
        raise SystemExit(1)


class PeoplebaseCommand(CleanErrorsMixin, BaseCommand):
    """Base for Peoplebase's own management commands."""


def command_actor(email: str) -> Any:
    """Who a command acts as: the user named by `--as`, else the first active admin."""
    from peoplebase.users.models import Role, User

    users = User.objects.filter(is_active=True)
    if email:
        user = users.filter(email__iexact=email.strip()).first()
        if user is None:
            raise ValidationFailed.single("--as", f"No active user {email}.")
        return user
    user = users.filter(role=Role.ADMIN).order_by("id").first()
    if user is None:
        raise ValidationFailed.single("--as", "There is no active admin; name a user with --as.")
    return user
