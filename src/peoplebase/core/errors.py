"""Typed domain errors raised by services; every surface maps them to its own form."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """Base for errors a service raises on purpose."""

    status = 400
    title = "Bad request"

    def __init__(self, message: str = "", **extra: Any) -> None:
        super().__init__(message or self.title)
        self.message = message or self.title
        self.extra = extra


class NotFound(DomainError):
    status = 404
    title = "Not found"


class Forbidden(DomainError):
    status = 403
    title = "Forbidden"


class Conflict(DomainError):
    """The record changed since the caller read it, or the action clashes with the current state."""

    status = 409
    title = "Conflict"


class PreconditionFailed(DomainError):
    """An If-Match version did not match the stored version."""

    status = 412
    title = "Precondition failed"


class ValidationFailed(DomainError):
    """Input broke a rule; `errors` maps field names (dotted for nested) to messages."""

    status = 422
    title = "Validation failed"

    def __init__(self, errors: dict[str, list[str]] | str, message: str = "") -> None:
        if isinstance(errors, str):
            errors = {"__all__": [errors]}
        self.errors = errors
        first = next(iter(errors.values()), [""])
        super().__init__(message or (first[0] if first else self.title))

    @classmethod
    def single(cls, field: str, message: str) -> ValidationFailed:
        return cls({field: [message]})


class DuplicateSuspected(DomainError):
    """A create would likely duplicate existing records; `candidates` lists them."""

    status = 409
    title = "Possible duplicate"

    def __init__(self, candidates: list[Any], message: str = "") -> None:
        self.candidates = candidates
        super().__init__(message or "Existing contacts look like the same person.")


class ErrorCollector:
    """Gathers field errors so a service can report every problem at once."""

    def __init__(self) -> None:
        self.errors: dict[str, list[str]] = {}

    def add(self, field: str, message: str) -> None:
        self.errors.setdefault(field, []).append(message)

    def raise_if_any(self) -> None:
        if self.errors:
            raise ValidationFailed(self.errors)

    def __bool__(self) -> bool:
        return bool(self.errors)
