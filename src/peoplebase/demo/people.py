"""Deterministic made-up people, companies, email addresses and phone numbers (no database)."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

import phonenumbers

from peoplebase.demo.words import (
    COMPANY_KINDS,
    COMPANY_WORDS,
    COUNTRIES,
    COUNTRY_BY_CODE,
    COUNTRY_WEIGHTS,
    Country,
)
from peoplebase.normalize import fold

# Every generated address and website uses the .example top-level domain (RFC 2606), so the
# demo can never mail or link to a real organisation.
DEMO_TLD = "example"
PERSONAL_MAIL_DOMAINS = ("mailbox.example", "inbox.example", "post.example")

# "#" is a random digit. Where regulators reserve numbers for fiction (US 555-01xx, UK Ofcom
# drama landlines, Australia's 5550 and 0491 570 ranges) those are used.
PHONE_FORMATS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # country: (landline formats, mobile formats)
    "US": (("+1 (212) 555-01##", "+1 415-555-01##", "+1 617 555 01##"), ("+1 646-555-01##",)),
    "GB": (
        ("+44 20 7946 0###", "+44 161 496 0###", "+44 113 496 0###"),
        ("+44 7800 ######", "+44 7400 ######"),
    ),
    "DE": (("+49 30 ########", "+49 89 #######"), ("+49 151 ########", "+49 170 #######")),
    "FR": (("+33 1 4# ## ## ##", "+33 4 7# ## ## ##"), ("+33 6 ## ## ## ##",)),
    "ES": (("+34 91 ### ## ##", "+34 93 ### ## ##"), ("+34 6## ### ###",)),
    "PL": (("+48 22 ### ## ##", "+48 12 ### ## ##"), ("+48 50# ### ###",)),
    "DK": (("+45 33 ## ## ##",), ("+45 2# ## ## ##",)),
    "SE": (("+46 8 ### ### ##",), ("+46 70 ### ## ##",)),
    "NL": (("+31 20 ### ####",), ("+31 6 ## ## ## ##",)),
    "VN": (("+84 24 3### ####",), ("+84 91 ### ## ##",)),
    "JP": (("+81 3-####-####",), ("+81 90-####-####",)),
    "BR": (("+55 11 3###-####",), ("+55 11 9####-####",)),
    "IN": (("+91 80 2### ####",), ("+91 98### #####",)),
    "AU": (("+61 2 5550 ####",), ("+61 491 570 ###",)),
}


@dataclass(frozen=True)
class Person:
    """A made-up person: names as they write them, and where they live."""

    first_name: str
    last_name: str
    country: Country

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


@dataclass(frozen=True)
class CompanyName:
    """A made-up organisation name with its industry and web domain."""

    name: str
    industry: str
    domain: str
    country: Country


def pick_country(rng: random.Random) -> Country:
    codes = list(COUNTRY_WEIGHTS)
    return COUNTRY_BY_CODE[rng.choices(codes, weights=[COUNTRY_WEIGHTS[c] for c in codes])[0]]


def make_person(rng: random.Random, country: Country | None = None) -> Person:
    """A person whose family name agrees in gender where the language requires it."""
    country = country or pick_country(rng)
    raw_first = rng.choice(country.first_names)
    feminine = raw_first.startswith("f:")
    last = rng.choice(country.last_names)
    if "/" in last:
        masculine_form, feminine_form = last.split("/")
        last = feminine_form if feminine else masculine_form
    return Person(raw_first.removeprefix("f:"), last, country)


def ascii_slug(text: str) -> str:
    """Lower-case ASCII letters and digits only: "Łukasz O'Brien" -> "lukaszobrien"."""
    return re.sub(r"[^a-z0-9]", "", fold(text))


def email_local_part(person: Person) -> str:
    return f"{ascii_slug(person.first_name)}.{ascii_slug(person.last_name)}"


def company_names(rng: random.Random, count: int) -> list[CompanyName]:
    """`count` distinct company names, each with a coherent industry and a unique domain."""
    pairs = [(word, kind) for word in COMPANY_WORDS for kind in COMPANY_KINDS]
    rng.shuffle(pairs)
    names: list[CompanyName] = []
    for word, (kind, industry) in pairs[:count]:
        country = pick_country(rng)
        domain = f"{ascii_slug(word)}{ascii_slug(kind)}.{DEMO_TLD}"
        names.append(
            CompanyName(f"{word} {kind} {country.company_suffix}", industry, domain, country)
        )
    return names


def _fill(rng: random.Random, template: str) -> str:
    return "".join(str(rng.randrange(10)) if ch == "#" else ch for ch in template)


def phone_number(rng: random.Random, country_code: str, *, mobile: bool = False) -> str:
    """A number as someone might type it, valid for its country (checked with phonenumbers)."""
    landlines, mobiles = PHONE_FORMATS[country_code]
    template = rng.choice(mobiles if mobile else landlines)
    typed = _fill(rng, template)
    for _attempt in range(30):
        number = phonenumbers.parse(typed, None)
        valid = phonenumbers.is_valid_number(number)
        if valid and phonenumbers.region_code_for_number(number) == country_code:
            break
        typed = _fill(rng, template)
    return typed


def all_country_codes() -> list[str]:
    return [country.code for country in COUNTRIES]
