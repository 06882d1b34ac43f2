"""Country names and codes to ISO 3166-1 alpha-2."""

from __future__ import annotations

from functools import cache

import pycountry

from .text import fold


class InvalidCountry(ValueError):
    """Raised when a value matches no known country."""


# Everyday spellings that differ from the ISO names pycountry knows.
_ALIASES: dict[str, str] = {
    "uk": "GB",
    "u.k.": "GB",
    "great britain": "GB",
    "britain": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "northern ireland": "GB",
    "usa": "US",
    "us": "US",
    "u.s.": "US",
    "u.s.a.": "US",
    "america": "US",
    "united states of america": "US",
    "holland": "NL",
    "the netherlands": "NL",
    "south korea": "KR",
    "republic of korea": "KR",
    "north korea": "KP",
    "russia": "RU",
    "iran": "IR",
    "vietnam": "VN",
    "bolivia": "BO",
    "venezuela": "VE",
    "tanzania": "TZ",
    "syria": "SY",
    "laos": "LA",
    "moldova": "MD",
    "taiwan": "TW",
    "czech republic": "CZ",
    "ivory coast": "CI",
    "turkey": "TR",
    "macedonia": "MK",
    "burma": "MM",
    "cape verde": "CV",
    "swaziland": "SZ",
    "brunei": "BN",
    "palestine": "PS",
    "vatican": "VA",
    "vatican city": "VA",
    "micronesia": "FM",
    "uae": "AE",
    "dr congo": "CD",
    "drc": "CD",
    "democratic republic of the congo": "CD",
}


def _key(text: str) -> str:
    """Fold a country name or code for lookup, ignoring case, accents and dots."""
    return fold(text).replace("\u2019", "'").replace(".", "")


@cache
def _lookup() -> dict[str, str]:
    """Map every folded name, code and alias to its alpha-2 code (built once)."""
    table: dict[str, str] = {}
    for country in pycountry.countries:
        for attr in ("official_name", "name", "common_name", "alpha_3", "alpha_2"):
            text = getattr(country, attr, None)
            if text:
                table[_key(text)] = country.alpha_2
    table.update({_key(alias): code for alias, code in _ALIASES.items()})
    return table


@cache
def _names() -> dict[str, str]:
    """Map alpha-2 codes to the name people use for the country."""
    return {
        country.alpha_2: getattr(country, "common_name", None) or country.name
        for country in pycountry.countries
    }


def normalize_country(raw: str) -> str:
    """Return the upper-case alpha-2 code for a country name or code, "" for empty input."""
    if not raw.strip():
        return ""
    code = _lookup().get(_key(raw))
    if code is None:
        raise InvalidCountry(
            f"Unknown country “{raw.strip()}”; use a country name or ISO code such as DE"
        )
    return code


def country_name(alpha2: str) -> str:
    """Return the common English name for an alpha-2 code, "" when unknown."""
    return _names().get(alpha2.strip().upper(), "")


@cache
def _choices() -> tuple[tuple[str, str], ...]:
    """Country pairs sorted by folded name, so accented names sort with their letter."""
    return tuple(sorted(_names().items(), key=lambda item: fold(item[1])))


def country_choices() -> list[tuple[str, str]]:
    """Return ``(alpha2, name)`` pairs sorted by name, for form choices."""
    return list(_choices())


def __getattr__(name: str) -> list[tuple[str, str]]:
    # COUNTRY_CHOICES is computed on first access so importing this module stays cheap.
    if name == "COUNTRY_CHOICES":
        return country_choices()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
