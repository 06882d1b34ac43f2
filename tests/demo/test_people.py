"""Made-up people, names and phone numbers used by the demo and the benchmark."""

from __future__ import annotations

import random

import phonenumbers
import pytest

from peoplebase.demo.people import (
    PHONE_FORMATS,
    ascii_slug,
    company_names,
    make_person,
    phone_number,
)
from peoplebase.demo.words import COUNTRIES


@pytest.mark.parametrize("code", sorted(PHONE_FORMATS))
def test_phone_numbers_are_valid_for_their_country(code: str) -> None:
    rng = random.Random(code)
    for mobile in (False, True):
        for _ in range(25):
            number = phonenumbers.parse(phone_number(rng, code, mobile=mobile), None)
            assert phonenumbers.is_valid_number(number)
            assert phonenumbers.region_code_for_number(number) == code


def test_every_country_has_phone_formats() -> None:
    assert {country.code for country in COUNTRIES} == set(PHONE_FORMATS)


def test_polish_family_names_agree_with_the_first_name() -> None:
    rng = random.Random(5)
    polish = next(country for country in COUNTRIES if country.code == "PL")
    for _ in range(200):
        person = make_person(rng, polish)
        assert "/" not in person.last_name
        if person.last_name.endswith(("ski", "cki")):
            assert not person.first_name.endswith("a")


def test_ascii_slug_keeps_only_plain_letters_and_digits() -> None:
    assert ascii_slug("Łukasz Ó Briain-O'Neil 2") == "lukaszobriainoneil2"
    assert ascii_slug("Nguyễn Đức") == "nguyenduc"


def test_company_names_are_unique_and_use_reserved_domains() -> None:
    names = company_names(random.Random(1), 200)

    assert len({n.name for n in names}) == 200
    assert len({n.domain for n in names}) == 200
    assert all(n.domain.endswith(".example") for n in names)
