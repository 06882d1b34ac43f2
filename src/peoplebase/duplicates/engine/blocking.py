"""Blocking: cheap keys that two records of one person very likely share.

A pair is only scored when the two records share at least one key, so a scan never compares
all pairs. Each key covers a different way records drift apart (new email, typo in the name,
swapped first/last, initials, a moved address), so their union catches nearly every true pair.
"""

from __future__ import annotations

import re
from functools import lru_cache

from peoplebase.duplicates.engine.records import PersonRecord
from peoplebase.duplicates.engine.scoring import birthday_parts
from peoplebase.normalize.people import canonical_given_name

# Blocks bigger than this ("john smith" at a million contacts) are not compared all-pairs but
# sorted by a second key and compared only with near neighbours.
MAX_BLOCK = 40
NEIGHBOUR_WINDOW = 6

_PHONETIC_RULES = (
    (re.compile(r"^kn|^gn|^pn|^wr"), lambda m: m.group(0)[1]),
    (re.compile(r"sch|sh"), "s"),
    (re.compile(r"ph"), "f"),
    (re.compile(r"ck|q"), "k"),
    (re.compile(r"c(?=[eiy])"), "s"),
    (re.compile(r"c"), "k"),
    (re.compile(r"x"), "ks"),
    (re.compile(r"z"), "s"),
    (re.compile(r"dt|th"), "t"),
    (re.compile(r"gh"), ""),
    (re.compile(r"v|w"), "f"),
    (re.compile(r"[^a-z]"), ""),
)
_VOWELS = re.compile(r"[aeiouyh]")
_REPEATS = re.compile(r"(.)\1+")


@lru_cache(maxsize=1 << 16)  # names repeat: a million records hold a few thousand
def phonetic(word: str) -> str:
    """A small sound-alike key: first letter kept, consonant skeleton after it, repeats merged."""
    if not word:
        return ""
    text = word
    for pattern, repl in _PHONETIC_RULES:
        text = pattern.sub(repl, text)
    if not text:
        return ""
    head, tail = text[0], _VOWELS.sub("", text[1:])
    return _REPEATS.sub(r"\1", head + tail)[:5]


def blocking_keys(r: PersonRecord) -> list[str]:
    """The record's blocking keys; the one-letter prefix names the kind (for stats and docs)."""
    keys = [f"e{e}" for e in r.emails]
    keys.extend(f"p{p}" for p in r.phones)
    given, last = r.given, r.last
    # Keyed on day and month, so a birthday entered without its year meets the full date.
    day = birthday_parts(r.birthday)[1] if r.birthday else ""
    if given and last:
        # Both tokens nickname-expanded and sorted: "Jansen, Bob" meets "Robert Jansen".
        keys.append("n" + " ".join(sorted((given, canonical_given_name(last)))))
        keys.append("f" + "|".join(sorted((phonetic(given), phonetic(last.replace(" ", ""))))))
        keys.append(f"i{last}|{given[0]}")
    if last:
        if r.company:
            keys.append(f"c{r.company}|{last}")
        if r.postcode:
            keys.append(f"z{r.postcode}|{last}")
        if day:
            keys.append(f"b{day}|{last}")
    if given and day:
        keys.append(f"d{day}|{given}")  # a surname changed at marriage
    for email in r.emails:
        local = email.split("@", 1)[0]
        if len(local) >= 5:
            keys.append(f"l{local}")  # same mailbox name at a new employer
    return keys


def name_key(r: PersonRecord) -> str:
    """Who counts as a namesake: used to measure how common a name is in the workspace."""
    return f"{r.given} {r.last}" if r.last else ""


def neighbour_sort_key(r: PersonRecord) -> tuple[str, str, str, str]:
    """Orders an oversized block so that records of one person end up next to each other."""
    return (r.given, r.city or r.postcode, r.company or r.domain, r.phones[0] if r.phones else "")


def block_pairs(members: list[int], records: list[PersonRecord]) -> list[tuple[int, int]]:
    """Index pairs to compare inside one block: all of them when small, neighbours when large."""
    if len(members) <= MAX_BLOCK:
        return [(a, b) for i, a in enumerate(members) for b in members[i + 1 :]]
    ordered = sorted(members, key=lambda i: neighbour_sort_key(records[i]))
    pairs = []
    for i, a in enumerate(ordered):
        for b in ordered[i + 1 : i + 1 + NEIGHBOUR_WINDOW]:
            pairs.append((a, b) if a < b else (b, a))
    return pairs
