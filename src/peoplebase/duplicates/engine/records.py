"""A person reduced to the folded, canonical values the matcher compares.

Records are NamedTuples of strings and tuples (no per-record dicts), so a million of them stay
within a few hundred megabytes and cross process boundaries cheaply.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from sys import intern
from typing import NamedTuple

from peoplebase.normalize.emails import ROLE_LOCAL_PARTS
from peoplebase.normalize.people import (
    COMPANY_SUFFIXES,
    canonical_given_name,
    canonical_mailbox,
    is_free_mail,
)
from peoplebase.normalize.text import fold

_NON_ALNUM = re.compile(r"[^a-z0-9 ]+")
_NON_DIGIT = re.compile(r"\D+")


class PersonRecord(NamedTuple):
    id: int
    first: str  # folded first given name as typed ("bob", "j")
    given: str  # nickname-expanded ("robert"); an initial stays an initial
    last: str  # folded surname, spaces kept ("van dyke")
    emails: tuple[str, ...]  # canonical personal mailboxes
    role_emails: tuple[str, ...]  # shared mailboxes (info@, sales@…): weak evidence only
    phones: tuple[str, ...]  # E.164
    company: str  # folded, legal suffixes dropped
    domain: str  # email domain when it is not a free-mail provider
    city: str
    postcode: str
    birthday: str  # ISO date or ""
    uid: str  # a workspace's unique-id custom field (passport, customer number…)
    links: tuple[int, ...]  # ids joined by a job change (the same person at a new employer)


def _words(text: str) -> list[str]:
    return _NON_ALNUM.sub(" ", fold(text)).split()


def split_name(first: str, last: str, full: str) -> tuple[str, str]:
    """(first given name, surname), folded; a lone full name is split at its last word."""
    first_words, last_words = _words(first), _words(last)
    if not first_words and not last_words:
        words = _words(full)
        if not words:
            return "", ""
        if len(words) == 1:
            return "", words[0]
        return words[0], words[-1]
    return (first_words[0] if first_words else ""), " ".join(last_words)


def normalise_company(name: str) -> str:
    return " ".join(w for w in _words(name) if w not in COMPANY_SUFFIXES)


def _split_emails(emails: Iterable[str]) -> tuple[tuple[str, ...], tuple[str, ...], str]:
    personal: list[str] = []
    role: list[str] = []
    domain = ""
    for raw in emails:
        if not raw or "@" not in raw:
            continue
        email = canonical_mailbox(raw.strip())
        local, _, host = email.rpartition("@")
        (role if local in ROLE_LOCAL_PARTS else personal).append(email)
        if not domain and not is_free_mail(host):
            domain = host
    return tuple(dict.fromkeys(personal)), tuple(dict.fromkeys(role)), domain


def make_record(
    id: int,
    *,
    first: str = "",
    last: str = "",
    full: str = "",
    emails: Iterable[str] = (),
    phones: Iterable[str] = (),
    company: str = "",
    city: str = "",
    postcode: str = "",
    birthday: str = "",
    uid: str = "",
    links: Iterable[int] = (),
) -> PersonRecord:
    """Build a record from raw-ish values; phones are expected in E.164 already."""
    given_first, surname = split_name(first, last, full)
    personal, role, domain = _split_emails(emails)
    phone_keys = tuple(dict.fromkeys("+" + _NON_DIGIT.sub("", p) for p in phones if p))
    # Names, companies, places, postcodes, email domains and birthdays repeat across a
    # workspace: one copy of each string is kept (interned), which saves hundreds of
    # megabytes at a million records.
    return PersonRecord(
        id=int(id),
        first=intern(given_first),
        given=intern(canonical_given_name(given_first)),
        last=intern(surname),
        emails=personal,
        role_emails=role,
        phones=tuple(p for p in phone_keys if len(p) > 6),
        company=intern(normalise_company(company)),
        domain=intern(domain),
        city=intern(" ".join(_words(city))),
        postcode=intern(_NON_ALNUM.sub("", fold(postcode)).replace(" ", "")),
        birthday=intern(birthday.strip()),
        uid=fold(uid).replace(" ", ""),
        links=tuple(int(x) for x in links),
    )
