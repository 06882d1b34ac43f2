"""Tests for peoplebase.normalize.countries."""

import pytest

import peoplebase.normalize as normalize
from peoplebase.normalize import (
    InvalidCountry,
    country_choices,
    country_name,
    normalize_country,
)
from peoplebase.normalize import countries as countries_module


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("de", "DE"),
        ("DE", "DE"),
        (" DEU ", "DE"),
        ("deu", "DE"),
        ("germany", "DE"),
        ("GERMANY", "DE"),
        ("United States", "US"),
        ("United States of America", "US"),
        ("USA", "US"),
        ("US", "US"),
        ("U.S.", "US"),
        ("u.s.a.", "US"),
        ("UK", "GB"),
        ("United Kingdom", "GB"),
        ("England", "GB"),
        ("Scotland", "GB"),
        ("wales", "GB"),
        ("Côte d'Ivoire", "CI"),
        ("cote d'ivoire", "CI"),
        ("Côte d\u2019Ivoire", "CI"),
        ("South Korea", "KR"),
        ("North Korea", "KP"),
        ("Korea, Republic of", "KR"),
        ("Russia", "RU"),
        ("Russian Federation", "RU"),
        ("Czech Republic", "CZ"),
        ("Czechia", "CZ"),
        ("Holland", "NL"),
        ("Netherlands", "NL"),
        ("Iran", "IR"),
        ("Vietnam", "VN"),
        ("Viet Nam", "VN"),
        ("Bolivia", "BO"),
        ("Venezuela", "VE"),
        ("Tanzania", "TZ"),
        ("Syria", "SY"),
        ("Laos", "LA"),
        ("Moldova", "MD"),
        ("Taiwan", "TW"),
        ("  åland   islands ", "AX"),
    ],
)
def test_normalize_country(raw: str, expected: str) -> None:
    assert normalize_country(raw) == expected


@pytest.mark.parametrize("raw", ["", "   "])
def test_empty_country(raw: str) -> None:
    assert normalize_country(raw) == ""


@pytest.mark.parametrize("raw", ["Atlantis", "XX", "Germ", "D", "Deutschlandd"])
def test_unknown_country_raises(raw: str) -> None:
    with pytest.raises(InvalidCountry) as info:
        normalize_country(f" {raw} ")
    assert str(info.value) == (
        f"Unknown country “{raw}”; use a country name or ISO code such as DE"
    )


def test_invalid_country_is_a_value_error() -> None:
    assert issubclass(InvalidCountry, ValueError)


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("DE", "Germany"),
        ("de", "Germany"),
        ("KR", "South Korea"),
        ("TW", "Taiwan"),
        ("GB", "United Kingdom"),
        ("XX", ""),
        ("", ""),
    ],
)
def test_country_name(code: str, expected: str) -> None:
    assert country_name(code) == expected


def test_country_choices_sorted_by_name() -> None:
    choices = country_choices()
    assert len(choices) == len({code for code, _ in choices}) >= 249
    assert ("DE", "Germany") in choices
    assert choices[0] == ("AF", "Afghanistan")
    # Accented names sort with their base letter, not after "Z".
    assert choices.index(("AX", "Åland Islands")) < choices.index(("AL", "Albania"))


def test_country_choices_returns_a_copy() -> None:
    country_choices().clear()
    assert country_choices()


def test_country_choices_constant_is_lazy_alias() -> None:
    assert country_choices() == normalize.COUNTRY_CHOICES
    assert country_choices() == countries_module.COUNTRY_CHOICES
    with pytest.raises(AttributeError):
        _ = normalize.NOT_A_NAME


def test_every_choice_round_trips() -> None:
    for code, name in country_choices():
        assert normalize_country(code) == code
        assert normalize_country(name) == code
