"""What the index holds for a contact and how a query is read: pure functions, no database.

Both engines get text that is already folded and split into plain alphanumeric tokens joined
by single spaces, so SQLite's unicode61 tokenizer and PostgreSQL's 'simple' parser see the same
words, and accents and case fold identically on both.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from operator import attrgetter

from phonenumbers import COUNTRY_CODE_TO_REGION_CODE

from peoplebase.normalize import fold, normalize_email, normalize_phone, phone_digits

WORD = re.compile(r"[^\W_]+")
PHONE_LIKE = re.compile(r"^[\d\s()+\-./]+$")
MAX_QUERY_CHARS = 200
MAX_WORDS = 8
MIN_PHONE_DIGITS = 3
TYPO_MIN_LENGTH = 4
FIELDS = ("names", "emails", "phones", "company", "title", "tags")


def tokens(text: str) -> list[str]:
    """Folded alphanumeric tokens of `text` (punctuation and underscores split words)."""
    if not text:
        return []
    if text.isascii():
        # fold() of ASCII text only lower-cases it and collapses whitespace, and whitespace
        # never belongs to a token: the same tokens without building the folded copy.
        return WORD.findall(text.lower())
    return WORD.findall(fold(text))


@lru_cache(maxsize=4096)
def token_text(text: str) -> str:
    """`tokens(text)` joined by spaces, remembered: for short values that repeat (job titles)."""
    return " ".join(tokens(text))


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(item for item in items if item))


@dataclass(frozen=True)
class SearchDocument:
    """One contact's row in the index; each field is space-separated folded tokens."""

    contact_id: int
    names: str = ""
    emails: str = ""
    phones: str = ""
    company: str = ""
    title: str = ""
    tags: str = ""

    def values(self) -> tuple[str, ...]:
        return _field_values(self)


_field_values = attrgetter(*FIELDS)
# A document as the index's row: the contact id, then the fields in FIELDS order (picked in C,
# for the import's million documents).
index_row: Callable[[SearchDocument], tuple[int | str, ...]] = attrgetter("contact_id", *FIELDS)


@lru_cache(maxsize=16384)
def name_text(first: str, last: str, full: str) -> str:
    """The full name's tokens, then any first/last-name token the full name lacks.

    Remembered: the same names come back all through an import (and the result is a string).
    """
    return " ".join(_unique([*tokens(full), *tokens(first), *tokens(last)]))


def email_text(addresses: Iterable[str]) -> str:
    """Every address as tokens: its local part's words then its domain's labels, in order.

    In order, so a phrase query "acme.io" (tokens acme, io) finds the domain, and a full
    address finds its owner.
    """
    return " ".join([" ".join(tokens(address)) for address in addresses if address])


def national_digits(digits: str) -> str:
    """E.164 digits without their country code (codes are prefix-free: one length fits)."""
    length = _country_code_length(digits[:3])
    return digits[length:] if length else ""


@lru_cache(maxsize=2048)
def _country_code_length(prefix: str) -> int:
    """How many of the first three digits are the country code, or 0 when none is."""
    for length in (1, 2, 3):
        if int(prefix[:length] or 0) in COUNTRY_CODE_TO_REGION_CODE:
            return length
    return 0


def phone_text(numbers: Iterable[str]) -> str:
    """Each number's digits and, for E.164 numbers, its national significant number."""
    found: list[str] = []
    for number in numbers:
        if number and number[0] == "+" and number.isascii() and number[1:].isdigit():
            digits = number[1:]  # an E.164 value (most stored numbers): its digits as they are
        else:
            digits = phone_digits(number or "")
        found.append(digits)
        if number.startswith("+") and digits:
            found.append(national_digits(digits))
    # `_unique`, without its generator and list: the non-empty forms, first of each kept.
    return " ".join(dict.fromkeys(filter(None, found)))


def all_name_terms(documents: Iterable[SearchDocument]) -> set[str]:
    """The documents' name tokens long enough to be looked up with a typo; each distinct
    name text split once (most names come back many times in an import's batch)."""
    return {term for names in {d.names for d in documents} for term in _terms_of_names(names)}


def _terms_of_names(names: str) -> list[str]:
    return [t for t in names.split() if len(t) >= TYPO_MIN_LENGTH and len(t) <= 100]


def deletion_variants(term: str) -> set[str]:
    """`term` and each string made by deleting one of its characters."""
    return {term} | {term[:i] + term[i + 1 :] for i in range(len(term))}


# --- queries ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ParsedQuery:
    """A query split into words (each a tuple of tokens) plus what it may exactly be."""

    words: tuple[tuple[str, ...], ...]
    email: str = ""
    phone_e164: str = ""
    phone_digits: tuple[str, ...] = ()
    company_key: str = ""  # the text folded as company names are (Company.name_key)

    @property
    def is_empty(self) -> bool:
        return not (self.words or self.email or self.phone_digits)


def parse_query(query: str, phone_region: str | Callable[[], str]) -> ParsedQuery:
    """Read what someone typed; never raises, whatever the characters.

    `phone_region` may be a function: it is then called only for text that looks like a phone
    number (reading the workspace setting is a query most searches do not need).
    """
    text = " ".join((query or "")[:MAX_QUERY_CHARS].split())
    words = tuple(tuple(found) for found in (tokens(w) for w in text.split()[:MAX_WORDS]) if found)
    if any(max(map(len, word)) > 1 for word in words):
        # "A/S", "o.o.", a middle initial: single letters narrow little but cost a lot.
        words = tuple(word for word in words if max(map(len, word)) > 1)
    email = _as_email(text)
    e164, digit_forms = _as_phone(text, phone_region)
    return ParsedQuery(
        words=words,
        email=email,
        phone_e164=e164,
        phone_digits=digit_forms,
        company_key=fold(text)[:200] if words else "",
    )


def _as_email(text: str) -> str:
    if "@" not in text or " " in text:
        return ""
    try:
        return normalize_email(text).value
    except ValueError:
        return ""


def _as_phone(text: str, region: str | Callable[[], str]) -> tuple[str, tuple[str, ...]]:
    if not PHONE_LIKE.match(text) or len(phone_digits(text)) < MIN_PHONE_DIGITS:
        return "", ()
    typed = phone_digits(text)
    if callable(region):
        region = region()
    try:
        e164 = normalize_phone(text, region).e164 or ""
    except ValueError:
        e164 = ""
    return e164, tuple(_unique([typed, phone_digits(e164)]))
