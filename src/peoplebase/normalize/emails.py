"""Email address normalisation: syntax checks only, never DNS."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from email_validator import EmailNotValidError, validate_email

ROLE_LOCAL_PARTS: frozenset[str] = frozenset(
    {
        "info",
        "sales",
        "office",
        "admin",
        "contact",
        "hello",
        "support",
        "team",
        "billing",
        "accounts",
        "hr",
        "jobs",
        "careers",
        "marketing",
        "noreply",
        "no-reply",
        "enquiries",
        "inquiries",
        "mail",
        "webmaster",
        "help",
    }
)

_NAME_ADDR = re.compile(r"<([^<>]*)>\s*$")
_MAILTO = "mailto:"


class InvalidEmail(ValueError):
    """Raised when a value cannot be read as an email address."""


@dataclass(frozen=True)
class NormalizedEmail:
    """A normalised address (``value``) and the text it was read from."""

    value: str
    original: str


def _extract_address(raw: str) -> str:
    """Pull the bare address out of ``Name <a@b>``, ``<a@b>`` or ``mailto:a@b?...``."""
    text = raw.strip()
    # The pattern ends in ">": without one there is nothing to search for (the usual case).
    match = _NAME_ADDR.search(text) if ">" in text else None
    if match:
        text = match.group(1).strip()
    if text[: len(_MAILTO)].lower() == _MAILTO:
        text = text[len(_MAILTO) :].split("?", 1)[0].strip()
    return text


def _normalize(raw: str) -> NormalizedEmail | str:
    """Return the normalised address, or the reason it is invalid.

    Failures are returned rather than raised so that they are cached too.
    """
    value, reason = _read(raw)
    return reason if reason else NormalizedEmail(value=value, original=raw)


def _read(raw: str) -> tuple[str, str]:
    """The normalised address and "", or "" and the reason ``raw`` is not an address."""
    address = _extract_address(raw)
    if not address:
        return "", "An email address is empty"
    fast = _plain_address(address)
    if fast is not None:
        return fast, ""
    try:
        result = validate_email(address, check_deliverability=False)
    except EmailNotValidError as exc:
        return "", f"“{raw.strip()}” is not a valid email address: {exc}"
    return result.normalized.lower(), ""


# A plain ASCII dot-atom local part (no leading, trailing or doubled dots) that
# email-validator passes through unchanged, so only the domain needs the library.
_PLAIN_LOCAL = re.compile(r"[A-Za-z0-9_+-]+(?:\.[A-Za-z0-9_+-]+)*\Z")
MAX_LOCAL_LENGTH, MAX_ADDRESS_LENGTH = 64, 254


def _plain_address(address: str) -> str | None:
    """The lower-cased address when its local part is plain and its domain valid, else None.

    email-validator spends most of its time on the domain, and an import's addresses share
    few domains: checking the domain once (cached) gives the same result as checking the whole
    address, which `tests/normalize/test_email_fast_path.py` compares on tricky inputs. Anything
    not plain (quoted, Unicode, over-long, invalid domain) goes through the library whole.
    """
    local, at, domain = address.rpartition("@")
    if not at or len(local) > MAX_LOCAL_LENGTH or not _PLAIN_LOCAL.match(local):
        return None
    normalized_domain = _valid_domain(domain)
    if normalized_domain is None:
        return None
    value = f"{local}@{normalized_domain}".lower()
    return value if len(value) <= MAX_ADDRESS_LENGTH else None


@lru_cache(maxsize=4096)
def _valid_domain(domain: str) -> str | None:
    """The library's normalised form of `domain` when it is valid, else None."""
    try:
        return validate_email(f"x@{domain}", check_deliverability=False).domain
    except EmailNotValidError:
        return None


# Remembered: callers such as search read the same text again and again.
_normalize_cached = lru_cache(maxsize=65536)(_normalize)


def normalize_email(raw: str) -> NormalizedEmail:
    """Validate ``raw`` and return it lower-cased; raise InvalidEmail if it is not an address."""
    outcome = _normalize_cached(raw)
    if isinstance(outcome, str):
        raise InvalidEmail(outcome)
    return outcome


def normalized_address(raw: str) -> str:
    """``normalize_email(raw).value`` (its ``original`` is ``raw``), neither wrapped nor
    remembered: for addresses read once, such as a contact's own when it is cleaned. An
    import cleans a million of them; cached, they would never be asked for again and would
    only lengthen the collector's passes."""
    value, reason = _read(raw)
    if reason:
        raise InvalidEmail(reason)
    return value


def email_domain(value: str) -> str:
    """Return the lower-cased part after the last ``@``, or "" when there is none."""
    local, at, domain = value.strip().rpartition("@")
    return domain.lower() if at and local else ""


def is_role_address(value: str) -> bool:
    """Tell whether the address belongs to a function (info@, sales@) rather than a person."""
    local, at, _domain = value.strip().rpartition("@")
    if not at:
        return False
    # Sub-addressing (sales+eu@) still reaches the same shared mailbox.
    return local.split("+", 1)[0].lower() in ROLE_LOCAL_PARTS
