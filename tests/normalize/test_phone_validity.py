"""`phones._is_valid_number` skips phonenumbers' second check of the same region: it must give
`phonenumbers.is_valid_number`'s answer for every number."""

from __future__ import annotations

import random

import phonenumbers
from phonenumbers import COUNTRY_CODE_TO_REGION_CODE, PhoneNumber, PhoneNumberType

from peoplebase.normalize.phones import _is_valid_number

SHARED_CODES = sorted(
    code for code, regions in COUNTRY_CODE_TO_REGION_CODE.items() if len(regions) > 1
)


def _variants(number: PhoneNumber) -> list[PhoneNumber]:
    """The number, and numbers one digit longer, shorter or different."""
    text = str(number.national_number)
    found = [number]
    for national in (text + "5", text[:-1], "9" + text[1:], text[:-1] + "0", "1" + text):
        if national:
            found.append(
                PhoneNumber(country_code=number.country_code, national_number=int(national))
            )
    return found


def _check(number: PhoneNumber) -> None:
    assert _is_valid_number(number) == phonenumbers.is_valid_number(number), number


def test_agrees_on_every_regions_example_numbers() -> None:
    regions = sorted(phonenumbers.SUPPORTED_REGIONS)
    checked = 0
    for region in regions:
        examples = [phonenumbers.invalid_example_number(region)]
        for kind in vars(PhoneNumberType).values():
            if isinstance(kind, int):
                examples.append(phonenumbers.example_number_for_type(region, kind))
        for example in examples:
            if example is None:
                continue
            for number in _variants(example):
                _check(number)
                checked += 1
    for code in phonenumbers.COUNTRY_CODES_FOR_NON_GEO_REGIONS:
        example = phonenumbers.example_number_for_non_geo_entity(code)
        if example is not None:
            for number in _variants(example):
                _check(number)
                checked += 1
    assert checked > 2000


def test_agrees_on_random_numbers_of_shared_calling_codes() -> None:
    rng = random.Random(4)
    assert 1 in SHARED_CODES and 44 in SHARED_CODES
    valid = invalid = 0
    for code in SHARED_CODES:
        # Random numbers of likely lengths, and each region's examples with new last digits.
        seeds = [str(rng.randrange(10 ** (d - 1), 10**d)) for d in range(5, 12) for _ in range(40)]
        for region in COUNTRY_CODE_TO_REGION_CODE[code]:
            for kind in (PhoneNumberType.FIXED_LINE, PhoneNumberType.MOBILE):
                example = phonenumbers.example_number_for_type(region, kind)
                if example is not None:
                    text = str(example.national_number)
                    for _ in range(20):
                        seeds.append(text[:-4] + str(rng.randrange(10**4)).zfill(4))
        for national in seeds:
            number = PhoneNumber(country_code=code, national_number=int(national))
            if rng.random() < 0.05:
                number.italian_leading_zero = True
                number.number_of_leading_zeros = rng.choice([None, 1, 2])
            _check(number)
            if phonenumbers.is_valid_number(number):
                valid += 1
            else:
                invalid += 1
    assert valid > 1000 and invalid > 1000  # plenty of each answer


def test_agrees_on_parsed_input() -> None:
    for text, region in [
        ("+1 212-555-0100", "US"),
        ("+1 416 555 0100", "US"),
        ("+1 264 497 1234", "US"),
        ("+1 000 000 0000", "US"),
        ("+44 20 7946 0958", "GB"),
        ("+44 1624 612345", "GB"),
        ("+44 7624 612345", "GB"),
        ("+44 1534 712345", "GB"),
        ("+7 727 123 4567", "RU"),
        ("+39 06 698 12345", "IT"),
        ("+39 06 6982", "IT"),
        ("+262 269 61 12 34", "FR"),
        ("+599 7 15 1234", "NL"),
        ("+800 1234 5678", "US"),
        ("+33 1 42 68 53 00", "FR"),
    ]:
        _check(phonenumbers.parse(text, region))


def test_kind_check_agrees_with_the_librarys_on_every_regions_patterns() -> None:
    """`_has_number_type` tries the kinds in another order: only the yes/no may not change."""
    from phonenumbers import PhoneMetadata
    from phonenumbers.phonenumberutil import _number_type_helper

    from peoplebase.normalize.phones import _has_number_type

    rng = random.Random(7)
    answers = {True: 0, False: 0}
    for region in sorted(phonenumbers.SUPPORTED_REGIONS):
        metadata = PhoneMetadata.metadata_for_region(region)
        nationals = [
            str(rng.randrange(10 ** (d - 1), 10**d)) for d in range(4, 13) for _ in range(5)
        ]
        for kind in vars(PhoneNumberType).values():
            if isinstance(kind, int):
                example = phonenumbers.example_number_for_type(region, kind)
                if example is not None:
                    nationals.append(phonenumbers.national_significant_number(example))
        for national in nationals:
            expected = _number_type_helper(national, metadata) != PhoneNumberType.UNKNOWN
            assert _has_number_type(national, metadata) == expected, (region, national)
            answers[expected] += 1
    assert answers[True] > 1000 and answers[False] > 1000


def test_e164_text_is_the_librarys_for_every_regions_numbers() -> None:
    from phonenumbers import PhoneNumberFormat

    from peoplebase.normalize.phones import _e164

    numbers = [PhoneNumber(country_code=1, national_number=0, raw_input="")]
    for region in sorted(phonenumbers.SUPPORTED_REGIONS):
        for kind in (PhoneNumberType.FIXED_LINE, PhoneNumberType.MOBILE):
            example = phonenumbers.example_number_for_type(region, kind)
            if example is not None:
                numbers += _variants(example)
    italian = phonenumbers.parse("+39 06 698 12345")  # a leading zero the number keeps
    numbers.append(italian)
    for number in numbers:
        assert _e164(number) == phonenumbers.format_number(number, PhoneNumberFormat.E164)
    assert _e164(italian) == "+390669812345"
    assert len(numbers) > 400
