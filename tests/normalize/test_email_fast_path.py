"""The email fast path (plain local part, cached domain) must agree with email-validator."""

from __future__ import annotations

import pytest
from email_validator import EmailNotValidError, validate_email

from peoplebase.normalize import emails
from peoplebase.normalize.emails import InvalidEmail, normalize_email

TRICKY = [
    "zoe.garcia.1@example.com",
    "Zoe.Garcia@Example.COM",
    "a+tag@sub.example.co.uk",
    "under_score-dash@example.org",
    ".leading@example.com",
    "trailing.@example.com",
    "double..dot@example.com",
    "x" * 64 + "@example.com",
    "x" * 65 + "@example.com",
    "a@" + "b" * 63 + ".com",
    "a@" + "b" * 64 + ".com",
    "a@" + ".".join(["abcdefghi"] * 25) + ".com",
    "y" * 64 + "@" + ".".join(["d" * 60] * 3) + ".com",
    "a@localhost",
    "a@example",
    "a@example.local",
    "a@example.invalid",
    "a@example.test",
    "a@123.456",
    "a@-example.com",
    "a@example-.com",
    "a@exa_mple.com",
    "a@[127.0.0.1]",
    "a@münchen.de",
    "a@XN--MNCHEN-3YA.DE",
    "jürgen@example.com",
    '"quoted local"@example.com',
    "a@b@example.com",
    "a@",
    "@example.com",
    "a b@example.com",
    "a@exa mple.com",
    "a@example.com.",
    "a@.example.com",
    "a@example..com",
    "zoe at example.com",
    "UPPER.CASE@EXAMPLE.COM",
    "o'brien@example.com",
    "a!#$%&*=?^`{|}~@example.com",
]


def reference(address: str) -> str:
    """What the library alone says: the lower-cased normalised address, or an error."""
    try:
        return validate_email(address, check_deliverability=False).normalized.lower()
    except EmailNotValidError:
        return "invalid"


def fast(address: str) -> str:
    try:
        return normalize_email(address).value
    except InvalidEmail:
        return "invalid"


@pytest.mark.parametrize("address", TRICKY)
def test_fast_path_gives_the_same_result_as_the_library(address: str) -> None:
    emails._normalize_cached.cache_clear()
    assert fast(address) == reference(address)


def test_fast_path_is_taken_for_plain_addresses_only() -> None:
    assert emails._plain_address("Zoe.Garcia@Example.COM") == "zoe.garcia@example.com"
    assert emails._plain_address("jürgen@example.com") is None
    assert emails._plain_address("a..b@example.com") is None
    assert emails._plain_address("a@localhost") is None


def test_invalid_address_keeps_the_library_message() -> None:
    with pytest.raises(InvalidEmail, match="is not a valid email address"):
        normalize_email("a@example.invalid")
