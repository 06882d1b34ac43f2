"""Splitting and joining personal names."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from nameparser import HumanName

from .text import collapse_spaces


@dataclass(frozen=True)
class ParsedName:
    """The parts of a personal name."""

    first: str
    last: str
    middle: str = ""
    title: str = ""
    suffix: str = ""


@lru_cache(maxsize=65536)
def _parse_cached(full: str) -> ParsedName:
    """Parse an already-tidied name with nameparser, which is slow enough to cache."""
    if not full:
        return ParsedName(first="", last="")
    human = HumanName(full)
    # Without force, nameparser only re-cases names typed entirely in one case.
    human.capitalize(force=False)
    return ParsedName(
        first=human.first,
        last=human.last,
        middle=human.middle,
        title=human.title,
        suffix=human.suffix,
    )


def parse_full_name(full: str) -> ParsedName:
    """Split a full name ("Dr. Margaret van der Berg Jr.", "Berg, Margaret") into parts.

    Names typed in all upper or all lower case are title-cased; others keep their case.
    """
    return _parse_cached(collapse_spaces(full))


def compose_full_name(first: str, last: str, middle: str = "") -> str:
    """Join the non-empty parts as "first middle last" with single spaces."""
    return collapse_spaces(f"{first} {middle} {last}")


def split_or_compose(first: str, last: str, full: str) -> tuple[str, str, str]:
    """Return ``(first, last, full)``, filling in whichever side is missing.

    Given first or last names are kept and composed into ``full`` when it is empty;
    a lone ``full`` name is parsed into first and last.
    """
    first, last, full = first.strip(), last.strip(), collapse_spaces(full)
    if first or last:
        return first, last, full or compose_full_name(first, last)
    if not full:
        return "", "", ""
    parsed = parse_full_name(full)
    if full.islower() or full.isupper():
        # Keep the full name's case in step with the parts the parser re-cased, but only when
        # the re-cased name holds exactly the typed characters: never lose what was typed.
        parts = (parsed.title, parsed.first, parsed.middle, parsed.last, parsed.suffix)
        recased = " ".join(part for part in parts if part)
        if recased.casefold() == full.casefold():
            full = recased
    return parsed.first, parsed.last, full
