"""`phones._parse_plain` reads plain input without `phonenumbers.parse`'s first steps: whenever
it answers, the answer must be the library's, and where the library refuses the input it must
leave the input to the library (answer None)."""

from __future__ import annotations

import random

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat, PhoneNumberType

from peoplebase.normalize.phones import _parse_plain, normalize_phone

DEFAULT_REGIONS = ("US", "GB", "DE", "FR", "IT", "BR", "MX", "AR", "IN", "CN", "JP", "AU", "RU")


def _library(text: str, region: str) -> phonenumbers.PhoneNumber | None:
    try:
        return phonenumbers.parse(text, region)
    except NumberParseException:
        return None


def _agrees(text: str, region: str) -> bool:
    """Check one input; True when the plain path answered it itself."""
    plain = _parse_plain(text, region)
    if plain is None:
        return False
    assert plain == _library(text, region), (text, region)
    return True


def _written_ways(number: phonenumbers.PhoneNumber) -> list[str]:
    """How people type a number: as formatted, digits only, with brackets, dots or a 00."""
    national = phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL)
    international = phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL)
    e164 = phonenumbers.format_number(number, PhoneNumberFormat.E164)
    digits = "".join(ch for ch in national if ch.isdigit())
    return [
        national,
        international,
        e164,
        digits,
        international.replace(" ", "."),
        international.replace(" ", "-"),
        "(" + e164 + ")",
        "00" + e164[1:],
        str(number.country_code) + digits,
        f"({digits[:3]}) {digits[3:]}",
    ]


def test_agrees_with_the_library_on_every_regions_example_numbers() -> None:
    answered = 0
    for region in sorted(phonenumbers.SUPPORTED_REGIONS):
        examples = [phonenumbers.invalid_example_number(region)]
        for kind in vars(PhoneNumberType).values():
            if isinstance(kind, int):
                examples.append(phonenumbers.example_number_for_type(region, kind))
        for example in filter(None, examples):
            for text in _written_ways(example):
                for default in (region, *DEFAULT_REGIONS):
                    answered += _agrees(text, default)
    # Most of these are plain input the fast path reads itself, not left to the library.
    assert answered > 20_000


def test_agrees_with_the_library_on_random_plain_input() -> None:
    rng = random.Random(7)
    answered = 0
    for _ in range(40_000):
        length = rng.randint(1, 18)
        body = "".join(
            rng.choice("0123456789012345678901234567890123456789 ().-") for _ in range(length)
        )
        text = rng.choice(("", "+", "(+", "(", "00", "0")) + body
        answered += _agrees(text.strip(), rng.choice(DEFAULT_REGIONS))
    assert answered > 10_000


def test_leaves_anything_else_to_the_library() -> None:
    for text in (
        "212 555 0100 ext. 12",
        "212-555-0100#12",
        "1-800-FLOWERS",
        "tel:+1-212-555-0100",
        "+1 212 555 0100 / +1 212 555 0101",
        "２１２ ５５５ ０１００",
        "011 44 20 7946 0958",
        "1 212 555 0100",
        "+0 123 456",
        "12",
    ):
        assert _parse_plain(text, "US") is None, text


def test_normalising_gives_the_same_results_as_before() -> None:
    assert normalize_phone("(212) 555-0100").e164 == "+12125550100"
    assert normalize_phone("+44 20 7946 0958", "US").e164 == "+442079460958"
    assert normalize_phone("020 7946 0958", "GB").e164 == "+442079460958"
    assert normalize_phone("0049 30 1234567", "US").e164 == "+49301234567"
    assert normalize_phone("030 1234567", "DE").e164 == "+49301234567"
    assert normalize_phone("06 12 34 56 78", "FR").e164 == "+33612345678"
