"""Phone number normalisation to E.164, keeping unreadable input as typed."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import phonenumbers
from phonenumbers import (
    COUNTRY_CODE_TO_REGION_CODE,
    NumberParseException,
    PhoneMetadata,
    PhoneNumber,
    PhoneNumberFormat,
)

try:  # the library's pattern cache, for the checks `is_valid_number` makes; private, so only
    # used when present
    from phonenumbers.re_util import re_compile as _re_compile
except ImportError:  # pragma: no cover - another phonenumbers: its own is_valid_number
    _re_compile = None

try:  # the steps of `phonenumbers.parse` that plain input needs; private, so only when present
    from phonenumbers.phonenumberutil import (
        _MAX_LENGTH_FOR_NSN,
        ValidationResult,
        _extract_country_code,
        _maybe_strip_national_prefix_carrier_code,
        _set_italian_leading_zeros_for_phone_number,
        _test_number_length,
    )

    _KEEPS_PREFIX = (
        ValidationResult.TOO_SHORT,
        ValidationResult.IS_POSSIBLE_LOCAL_ONLY,
        ValidationResult.INVALID_LENGTH,
    )
except ImportError:  # pragma: no cover - another phonenumbers: `parse` for every number
    _extract_country_code = None

MAX_PHONE_LENGTH = 40

# phonenumbers looks up its metadata's regular expressions by pattern text a dozen times per
# number, through `re.compile` and its cache; with the library's own pattern cache on, each is
# compiled once and kept (the same compiled patterns, a sixth of a number's normalising time).
# Releases without the switch simply go on as before.
_enable_pattern_cache = getattr(phonenumbers, "enable_pattern_cache", None)
if _enable_pattern_cache is not None:
    _enable_pattern_cache()
_NOT_ASCII_DIGITS = re.compile(r"[^0-9]+")
# Any decimal digit, in any script (what `str.isdecimal` accepts): one search in C rather
# than a call per character.
_DIGIT = re.compile(r"\d")


class InvalidPhone(ValueError):
    """Raised when a value cannot even be kept as a phone number."""


@dataclass(frozen=True)
class NormalizedPhone:
    """The E.164 form when the number could be read, plus any warning for the user."""

    e164: str | None
    original: str
    warning: str | None

    @property
    def value(self) -> str:
        """The value to store: E.164 when known, otherwise the input as typed."""
        return self.e164 if self.e164 is not None else self.original.strip()

    @property
    def is_valid(self) -> bool:
        """Whether the number could be read into E.164."""
        return self.e164 is not None


@lru_cache(maxsize=256)  # a few region settings, read for every number (errors are not kept)
def _check_region(region: str) -> str:
    """Return the upper-cased region code, or raise ValueError for an unknown one."""
    code = region.strip().upper()
    if code not in phonenumbers.SUPPORTED_REGIONS:
        raise ValueError(f"Unknown phone region {region}")
    return code


def _check_input(raw: str) -> str:
    """Return the stripped input, or raise InvalidPhone when it cannot be a phone number."""
    text = raw.strip()
    if not text:
        raise InvalidPhone("A phone number is empty")
    if len(text) > MAX_PHONE_LENGTH:
        raise InvalidPhone(f"A phone number can have at most {MAX_PHONE_LENGTH} characters")
    if not _DIGIT.search(text):
        raise InvalidPhone(f"“{text}” contains no digits, so it is not a phone number")
    return text


def _try_parse(text: str, region: str) -> PhoneNumber | None:
    """Parse ``text`` or return None when phonenumbers cannot make sense of it."""
    number = _parse_plain(text, region)
    if number is not None:
        return number
    try:
        return phonenumbers.parse(text, region)
    except NumberParseException:
        return None


# ASCII digits with spaces, dots, dashes and brackets, and perhaps a leading "+": how most
# numbers are written, and text in which `phonenumbers.parse` finds no letters, extension,
# second number or phone-context to deal with.
_PLAIN_NUMBER = re.compile(r"\(?\+?[0-9][0-9 ().\-]*")


def _plain_digits(text: str) -> str:
    """The ASCII digits of plain input (`_PLAIN_NUMBER`): what else it may hold, removed sign
    by sign. For such short text six chained replacements beat a regular-expression substitution
    (0.2 against 0.6 µs; the substitution was a tenth of a plain number's normalising)."""
    return (
        text.replace(" ", "")
        .replace("-", "")
        .replace(".", "")
        .replace("(", "")
        .replace(")", "")
        .replace("+", "")
    )


def _parse_plain(text: str, region: str) -> PhoneNumber | None:
    """`phonenumbers.parse(text, region)` for plain input (`_PLAIN_NUMBER`), or None to let
    the library parse it (any other input, and every case below that is not the usual one).

    The library first finds the number in the text, checks it looks like one, looks for an
    extension and normalises each digit through Unicode tables: half of a number's
    normalising time, none of which can change plain input's outcome. From the calling code
    on, these are the library's own steps, in its order. `tests/normalize/test_phone_parse.py`
    compares the two on every region's example numbers written in several ways and on random
    plain input.
    """
    if _extract_country_code is None or _re_compile is None or not _PLAIN_NUMBER.fullmatch(text):
        return None
    digits = _plain_digits(text)
    if len(digits) < 3:
        return None
    metadata = PhoneMetadata.metadata_for_region(region, None)
    if metadata is None:
        return None
    if "+" in text:
        country_code, national = _extract_country_code(digits)
        if country_code == 0:
            return None
        number_region = phonenumbers.region_code_for_country_code(country_code)
        if number_region != region:
            metadata = PhoneMetadata.metadata_for_region_or_calling_code(
                country_code, number_region
            )
            if metadata is None:
                return None
    else:
        country_code, national = metadata.country_code, digits
        # An international prefix, or the region's own calling code, up front: the library
        # decides what that means.
        idd = metadata.international_prefix
        if idd is None or _re_compile(idd).match(digits) or digits.startswith(str(country_code)):
            return None
    if len(national) < 2:
        return None
    _, without_prefix, _ = _maybe_strip_national_prefix_carrier_code(national, metadata)
    if _test_number_length(without_prefix, metadata) not in _KEEPS_PREFIX:
        national = without_prefix
    if not 2 <= len(national) <= _MAX_LENGTH_FOR_NSN:
        return None
    number = PhoneNumber()
    number.country_code = country_code
    _set_italian_leading_zeros_for_phone_number(national, number)
    number.national_number = int(national)
    return number


def _parse(text: str, region: str) -> tuple[PhoneNumber | None, bool]:
    """Parse ``text``, also trying a leading "00" as the international prefix.

    Returns the number and whether it is valid, so callers never check validity twice (it
    is the dearest step of normalising a number).
    """
    number = _try_parse(text, region)
    if number is not None and _is_valid_number(number):
        return number, True
    # "00" is the international prefix in most of the world, even where the region's is not.
    if text.startswith("00"):
        alternative = _try_parse("+" + text[2:], region)
        if alternative is not None and phonenumbers.is_possible_number(alternative):
            return alternative, _is_valid_number(alternative)
    return number, False


def _is_valid_number(number: PhoneNumber) -> bool:
    """`phonenumbers.is_valid_number(number)`, with less pattern matching.

    For a calling code shared by several regions (+1, +44, +7…) the library first finds the
    number's region (a region without leading digits is found by checking the number against
    its patterns) and then checks the number against that region's patterns again: the same
    check twice, with the same answer. Here the first answer is kept, and each check tries the
    commonest kinds of number first (`_has_number_type`). `tests/normalize/
    test_phone_validity.py` compares the two on every region's example numbers and on random
    numbers of each shared calling code.
    """
    regions = COUNTRY_CODE_TO_REGION_CODE.get(number.country_code)
    if regions is None or _re_compile is None:
        return phonenumbers.is_valid_number(number)
    national = phonenumbers.national_significant_number(number)
    if len(regions) == 1:
        return _is_valid_for_region(number, national, regions[0])
    # From here, phonenumbers' `_region_code_for_number_from_list`…
    for region in regions:
        metadata = PhoneMetadata.metadata_for_region(region.upper(), None)
        if metadata is None:
            continue
        if metadata.leading_digits is not None:
            if _re_compile(metadata.leading_digits).match(national):
                return _is_valid_for_region(number, national, region)
        elif _has_number_type(national, metadata):
            # …and what `is_valid_number_for_region` would check before repeating the above.
            if (
                region != phonenumbers.REGION_CODE_FOR_NON_GEO_ENTITY
                and metadata.country_code == number.country_code
            ):
                return True
            return _is_valid_for_region(number, national, region)
    return False  # no region: `is_valid_number_for_region(number, None)`


def _is_valid_for_region(number: PhoneNumber, national: str, region: str) -> bool:
    """`phonenumbers.is_valid_number_for_region(number, region)`; `national` is the number's
    national significant number."""
    metadata = PhoneMetadata.metadata_for_region_or_calling_code(
        number.country_code, region.upper()
    )
    if metadata is None:
        return False
    if (
        region != phonenumbers.REGION_CODE_FOR_NON_GEO_ENTITY
        and number.country_code != metadata.country_code
    ):
        return False
    return _has_number_type(national, metadata)


# The kinds of number phonenumbers' `_number_type_helper` tries after the general pattern,
# other than fixed lines and mobiles. It tries these rarer kinds first because it names the
# kind; validity only asks whether any matches, and most numbers are fixed lines or mobiles,
# which `_has_number_type` tries first: two patterns tried instead of ten.
_RARER_KINDS = (
    "toll_free",
    "premium_rate",
    "shared_cost",
    "voip",
    "personal_number",
    "pager",
    "uan",
    "voicemail",
)


def _has_number_type(national: str, metadata: PhoneMetadata) -> bool:
    """`_number_type_helper(national, metadata) != PhoneNumberType.UNKNOWN`.

    The same descriptions are tried (mobile too where its pattern is the fixed lines': then
    it matches exactly when they do), so the answer is the same in any order."""
    if not _matches_desc(national, metadata.general_desc):
        return False
    # The two commonest spelled out: most numbers are answered without the loop.
    if _matches_desc(national, metadata.fixed_line) or _matches_desc(national, metadata.mobile):
        return True
    return any(_matches_desc(national, getattr(metadata, kind)) for kind in _RARER_KINDS)


def _matches_desc(national: str, desc: Any) -> bool:
    """phonenumbers' `_is_number_matching_desc(national, desc)` in one regular expression
    call: the library matches the start of the number and then the whole of it, and without
    a prefix match allowed only the second answer counts."""
    if desc is None:
        return False
    lengths = desc.possible_length
    if lengths and len(national) not in lengths:
        return False
    pattern = desc.national_number_pattern
    return bool(pattern) and _re_compile(pattern).fullmatch(national) is not None


def _number_region(number: PhoneNumber, fallback: str) -> str:
    """Return the main region for the number's country code."""
    code = phonenumbers.region_code_for_country_code(number.country_code)
    return fallback if code == phonenumbers.UNKNOWN_REGION else code


def _normalize(raw: str, region: str) -> NormalizedPhone:
    """Normalise already-checked input; never raises."""
    e164, warning = _read(raw, region)
    return NormalizedPhone(e164=e164, original=raw, warning=warning)


def _read(raw: str, region: str) -> tuple[str | None, str | None]:
    """The E.164 form (None when unreadable) and any warning, for already-checked input."""
    text = raw.strip()
    number, valid = _parse(text, region)
    if number is None or not (valid or phonenumbers.is_possible_number(number)):
        return None, f"Could not read “{text}” as a phone number; kept as typed"
    e164 = _e164(number)
    if valid:
        return e164, None
    where = _number_region(number, region)
    return e164, f"“{text}” may not be a valid number in {where}"


def _e164(number: PhoneNumber) -> str:
    """`phonenumbers.format_number(number, PhoneNumberFormat.E164)`: its E.164 branch, taken
    straight (a number without digits is left to the library's own rules)."""
    if number.national_number == 0:
        return phonenumbers.format_number(number, PhoneNumberFormat.E164)
    return f"+{number.country_code}{phonenumbers.national_significant_number(number)}"


# Remembered: callers such as search read the same text again and again.
_normalize_cached = lru_cache(maxsize=65536)(_normalize)


def normalize_phone(raw: str, region: str = "US") -> NormalizedPhone:
    """Read ``raw`` as a phone number, using ``region`` for numbers without a country code.

    Extensions are accepted but left out of the E.164 value. Raises InvalidPhone for
    empty, over-long or digit-free input and ValueError for an unknown region.
    """
    code = _check_region(region)
    _check_input(raw)
    return _normalize_cached(raw, code)


def read_phone(raw: str, region: str = "US") -> tuple[str | None, str | None]:
    """``normalize_phone(raw, region)``'s ``e164`` and ``warning`` (its ``original`` is ``raw``),
    neither wrapped nor remembered: for numbers read once, such as a contact's own when it is
    cleaned (an import cleans a million; cached, they would only lengthen the collector's
    passes). Raises as `normalize_phone` does."""
    code = _check_region(region)
    _check_input(raw)
    return _read(raw, code)


def phone_digits(raw: str) -> str:
    """Return only the digits of ``raw`` (as ASCII), for search indexing."""
    if raw.isascii():
        # The only decimal characters in ASCII are 0-9, already their own ASCII form.
        return _NOT_ASCII_DIGITS.sub("", raw)
    return "".join(str(int(ch)) for ch in raw if ch.isdecimal())


def format_phone_display(e164: str) -> str:
    """Format an E.164 number in international style, or return it unchanged."""
    try:
        number = phonenumbers.parse(e164, None)
    except NumberParseException:
        return e164
    return phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL)
