"""Shared input handling for ids, owners and text, so every service reads them the same way."""

from __future__ import annotations

import re
from typing import Any

from django.db.models import QuerySet

from peoplebase.core.errors import ErrorCollector, ValidationFailed

MAX_ID = 2**63 - 1
_DIGITS = re.compile(r"[0-9]{1,19}")


def parse_id(value: Any) -> int | None:
    """A positive 64-bit id from an int or ASCII digits, else None (never an overflow later)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    else:
        text = str(value).strip()
        if not _DIGITS.fullmatch(text):
            return None
        number = int(text)
    return number if 0 < number <= MAX_ID else None


def filter_by_owner(queryset: QuerySet[Any], actor: Any, owner: str) -> QuerySet[Any]:
    """Apply an owner filter: a user id, "me" or "none"; "" leaves the queryset alone."""
    if not owner:
        return queryset
    if owner == "none":
        return queryset.filter(owner__isnull=True)
    if owner == "me":
        return queryset.filter(owner=actor)
    owner_id = parse_id(owner)
    if owner_id is None:
        raise ValidationFailed.single("owner", "Use a user id, “me” or “none”.")
    return queryset.filter(owner_id=owner_id)


def resolve_owner(value: Any, errors: ErrorCollector, field: str = "owner_id") -> Any:
    """The active user for an `owner_id` input; None clears the owner."""
    from peoplebase.users.models import User

    if value in (None, ""):
        return None
    owner_id = parse_id(value)
    owner = User.objects.filter(pk=owner_id, is_active=True).first() if owner_id else None
    if owner is None:
        errors.add(field, f"No active user with id {value}.")
    return owner


def check_text(field: str, value: str, errors: ErrorCollector) -> str:
    """Refuse control characters databases cannot store (PostgreSQL rejects NUL outright)."""
    if "\x00" in value:
        errors.add(field, "Contains a NUL character, which cannot be stored.")
        return value.replace("\x00", "")
    return value
