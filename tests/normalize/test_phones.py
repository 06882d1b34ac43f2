"""Tests for peoplebase.normalize.phones."""

import dataclasses

import pytest

from peoplebase.normalize import (
    InvalidPhone,
    NormalizedPhone,
    format_phone_display,
    normalize_phone,
    phone_digits,
)


@pytest.mark.parametrize(
    ("raw", "region", "expected"),
    [
        ("(415) 555-0132", "US", "+14155550132"),
        ("415.555.0132", "US", "+14155550132"),
        ("+1 415 555 0132", "DE", "+14155550132"),
        ("030 1234567", "DE", "+49301234567"),
        ("+44 20 7946 0958", "US", "+442079460958"),
        ("+44 20 7946 0958", "DE", "+442079460958"),
        ("+44 20 7946 0958", "JP", "+442079460958"),
        ("0044 20 7946 0958", "DE", "+442079460958"),
        ("0044 20 7946 0958", "US", "+442079460958"),
        ("011 44 20 7946 0958", "US", "+442079460958"),
        ("tel:+14155550132", "US", "+14155550132"),
        ("030 1234567", "de", "+49301234567"),
    ],
)
def test_normalize_phone_to_e164(raw: str, region: str, expected: str) -> None:
    result = normalize_phone(raw, region)
    assert result.e164 == expected
    assert result.warning is None
    assert result.is_valid
    assert result.value == expected
    assert result.original == raw


def test_default_region_is_us() -> None:
    assert normalize_phone("415 555 0132").e164 == "+14155550132"


@pytest.mark.parametrize(
    "raw", ["(415) 555-0132 x123", "415-555-0132 ext. 123", "415 555 0132 extension 7"]
)
def test_extension_is_accepted_but_left_out_of_e164(raw: str) -> None:
    result = normalize_phone(raw)
    assert result.e164 == "+14155550132"
    assert result.warning is None


@pytest.mark.parametrize("raw", ["12", "555", "+999 1234"])
def test_unreadable_number_is_kept_as_typed(raw: str) -> None:
    result = normalize_phone(f"  {raw} ")
    assert result.e164 is None
    assert not result.is_valid
    assert result.value == raw
    assert result.warning == f"Could not read “{raw}” as a phone number; kept as typed"


def test_possible_but_invalid_number_is_stored_with_warning() -> None:
    result = normalize_phone("+1 555 555 5555")
    assert result.e164 == "+15555555555"
    assert result.is_valid
    assert result.warning == "“+1 555 555 5555” may not be a valid number in US"


@pytest.mark.parametrize("raw", ["", "   ", "\t\n"])
def test_empty_input_raises(raw: str) -> None:
    with pytest.raises(InvalidPhone, match=r"^A phone number is empty$"):
        normalize_phone(raw)


@pytest.mark.parametrize("raw", ["call me maybe", "n/a", "---", "+"])
def test_input_without_digits_raises(raw: str) -> None:
    with pytest.raises(InvalidPhone, match="no digits"):
        normalize_phone(raw)


def test_digits_of_any_script_count_and_superscripts_do_not() -> None:
    # What str.isdecimal accepts: Arabic-Indic digits are read, a lone "²" is no number.
    assert normalize_phone("+١ ٢١٢ ٥٥٥ ٠١٠٠").e164 == "+12125550100"
    with pytest.raises(InvalidPhone, match="no digits"):
        normalize_phone("²³")


def test_overlong_input_raises() -> None:
    with pytest.raises(InvalidPhone, match="40"):
        normalize_phone("1" * 41)
    assert normalize_phone(" " + "1" * 40 + " ").original == " " + "1" * 40 + " "


@pytest.mark.parametrize("region", ["XX", "", "USA", "ZZ"])
def test_unknown_region_raises_value_error(region: str) -> None:
    with pytest.raises(ValueError, match=f"^Unknown phone region {region}$") as info:
        normalize_phone("415 555 0132", region)
    assert not isinstance(info.value, InvalidPhone)


def test_invalid_phone_is_a_value_error() -> None:
    assert issubclass(InvalidPhone, ValueError)


def test_result_is_cached_and_frozen() -> None:
    first = normalize_phone("(212) 555-0100")
    assert normalize_phone("(212) 555-0100") is first
    with pytest.raises(dataclasses.FrozenInstanceError):
        first.e164 = None  # type: ignore[misc]


def test_value_strips_original_when_unreadable() -> None:
    phone = NormalizedPhone(e164=None, original="  12 ", warning="w")
    assert phone.value == "12"
    assert not phone.is_valid


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("(415) 555-0132 x12", "415555013212"),
        ("+49 (0)30-123", "49030123"),
        ("abc", ""),
        ("٠١٢", "012"),
    ],
)
def test_phone_digits(raw: str, expected: str) -> None:
    assert phone_digits(raw) == expected


@pytest.mark.parametrize(
    ("e164", "expected"),
    [
        ("+14155550132", "+1 415-555-0132"),
        ("+442079460958", "+44 20 7946 0958"),
        ("+49301234567", "+49 30 1234567"),
        ("not a number", "not a number"),
        ("", ""),
    ],
)
def test_format_phone_display(e164: str, expected: str) -> None:
    assert format_phone_display(e164) == expected
