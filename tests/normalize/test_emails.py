"""Tests for peoplebase.normalize.emails."""

import dataclasses

import pytest
from hypothesis import given
from hypothesis import strategies as st

from peoplebase.normalize import (
    ROLE_LOCAL_PARTS,
    InvalidEmail,
    NormalizedEmail,
    email_domain,
    is_role_address,
    normalize_email,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("bob@example.com", "bob@example.com"),
        ("  Bob.Smith@Example.COM \n", "bob.smith@example.com"),
        ("<bob@example.com>", "bob@example.com"),
        ("Bob Smith <Bob@Example.com>", "bob@example.com"),
        ('"Smith, Bob" <bob@example.com>', "bob@example.com"),
        ("mailto:Bob@Example.com", "bob@example.com"),
        ("MAILTO:bob@example.com?subject=Hello", "bob@example.com"),
        ("<mailto:bob@example.com>", "bob@example.com"),
        ("bob+crm@example.co.uk", "bob+crm@example.co.uk"),
        ("Jörg@MÜNCHEN.de", "jörg@münchen.de"),
        ("anna@xn--mnchen-3ya.de", "anna@münchen.de"),
    ],
)
def test_normalize_email(raw: str, expected: str) -> None:
    result = normalize_email(raw)
    assert result == NormalizedEmail(value=expected, original=raw)


@pytest.mark.parametrize(
    "raw",
    [
        "bob@",
        "@example.com",
        "bob",
        "bob@@example.com",
        "bob@example",
        "bo b@example.com",
        "bob@localhost",
        "a@b..com",
        "bob@-example.com",
    ],
)
def test_invalid_addresses_raise(raw: str) -> None:
    with pytest.raises(InvalidEmail, match="is not a valid email address"):
        normalize_email(raw)


def test_error_message_quotes_the_input_and_gives_a_reason() -> None:
    with pytest.raises(InvalidEmail) as info:
        normalize_email(" bob@ ")
    message = str(info.value)
    assert message.startswith("“bob@” is not a valid email address: ")
    assert len(message) > len("“bob@” is not a valid email address: ")


@pytest.mark.parametrize("raw", ["", "   ", "<>", "Bob <>", "mailto:"])
def test_empty_input_raises(raw: str) -> None:
    with pytest.raises(InvalidEmail, match="empty"):
        normalize_email(raw)


def test_invalid_email_is_a_value_error() -> None:
    assert issubclass(InvalidEmail, ValueError)


def test_results_are_cached_and_frozen() -> None:
    first = normalize_email("Cache.Me@Example.com")
    assert normalize_email("Cache.Me@Example.com") is first
    with pytest.raises(dataclasses.FrozenInstanceError):
        first.value = "other@example.com"  # type: ignore[misc]


def test_failures_are_raised_again_from_the_cache() -> None:
    for _ in range(2):
        with pytest.raises(InvalidEmail):
            normalize_email("not-an-address")


def test_email_domain() -> None:
    assert email_domain("bob@example.com") == "example.com"
    assert email_domain("Bob@Sub.Example.COM") == "sub.example.com"
    assert email_domain("no-at-sign") == ""
    assert email_domain("@example.com") == ""


def test_role_local_parts() -> None:
    expected = {
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
    assert expected == ROLE_LOCAL_PARTS
    assert isinstance(ROLE_LOCAL_PARTS, frozenset)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("info@acme.io", True),
        ("Sales@acme.io", True),
        ("no-reply@acme.io", True),
        ("support+eu@acme.io", True),
        ("bob@acme.io", False),
        ("information@acme.io", False),
        ("info", False),
    ],
)
def test_is_role_address(value: str, expected: bool) -> None:
    assert is_role_address(value) is expected


_address_like = st.builds(
    "{}@{}.{}".format,
    st.text(alphabet="aBcDé._+-Ü'", min_size=1, max_size=12),
    st.text(alphabet="xYzÄ-.", min_size=1, max_size=12),
    st.sampled_from(["com", "DE", "io", "Org"]),
)


@given(st.one_of(st.emails(), _address_like, st.text(max_size=40)))
def test_normalize_email_is_lowercase_and_idempotent(raw: str) -> None:
    try:
        result = normalize_email(raw)
    except InvalidEmail:
        return
    assert result.value == result.value.lower()
    assert normalize_email(result.value).value == result.value
