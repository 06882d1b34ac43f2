"""Pure normalisation functions for contact data (no Django imports).

Each function turns what people type or import into the canonical value stored
on a record, raising a ``ValueError`` subclass with a readable message otherwise.
"""

from __future__ import annotations

from .countries import InvalidCountry, country_choices, country_name, normalize_country
from .emails import (
    ROLE_LOCAL_PARTS,
    InvalidEmail,
    NormalizedEmail,
    email_domain,
    is_role_address,
    normalize_email,
    normalized_address,
)
from .names import ParsedName, compose_full_name, parse_full_name, split_or_compose
from .phones import (
    InvalidPhone,
    NormalizedPhone,
    format_phone_display,
    normalize_phone,
    phone_digits,
    read_phone,
)
from .text import collapse_spaces, fold, sort_key
from .urls import (
    InvalidUrl,
    normalize_domain,
    normalize_linkedin,
    normalize_twitter,
    normalize_url,
)

__all__ = [
    "COUNTRY_CHOICES",
    "ROLE_LOCAL_PARTS",
    "InvalidCountry",
    "InvalidEmail",
    "InvalidPhone",
    "InvalidUrl",
    "NormalizedEmail",
    "NormalizedPhone",
    "ParsedName",
    "collapse_spaces",
    "compose_full_name",
    "country_choices",
    "country_name",
    "email_domain",
    "fold",
    "format_phone_display",
    "is_role_address",
    "normalize_country",
    "normalize_domain",
    "normalize_email",
    "normalize_linkedin",
    "normalize_phone",
    "normalize_twitter",
    "normalize_url",
    "normalized_address",
    "parse_full_name",
    "phone_digits",
    "read_phone",
    "sort_key",
    "split_or_compose",
]


def __getattr__(name: str) -> list[tuple[str, str]]:
    # COUNTRY_CHOICES is built on first access so importing the package stays cheap.
    if name == "COUNTRY_CHOICES":
        return country_choices()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
