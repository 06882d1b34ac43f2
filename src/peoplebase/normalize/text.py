"""Text folding used for searching, de-duplicating and sorting people."""

from __future__ import annotations

import unicodedata
from functools import lru_cache

SORT_KEY_MAX_LENGTH = 200
# Non-ASCII text up to this length is folded once and remembered: names, titles, cities and
# company names repeat all through an import, and folding them is the dear path.
FOLD_CACHE_MAX_LENGTH = 64

# Letters that NFKD leaves alone because they are distinct letters, not accented ones.
_UNDECOMPOSABLE = str.maketrans(
    {
        "ø": "o",
        "ł": "l",
        "æ": "ae",
        "œ": "oe",
        "đ": "d",
        "ð": "d",
        "þ": "th",
        "ħ": "h",
        "ŧ": "t",
        "\u0131": "i",  # dotless i
        "ŀ": "l",
        "ĸ": "k",
    }
)


def collapse_spaces(text: str) -> str:
    """Replace every run of whitespace with one space and strip both ends."""
    return " ".join(text.split())


def _strip_marks(text: str) -> str:
    """Decompose compatibility characters and drop the combining marks."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def fold(text: str) -> str:
    """Return ``text`` case-folded, without diacritics and with whitespace collapsed.

    >>> fold("  José   Ñúñez ")
    'jose nunez'
    """
    if text.isascii():
        # Nothing to decompose or translate: the common case, and a hot path of matching.
        return " ".join(text.lower().split())
    if len(text) <= FOLD_CACHE_MAX_LENGTH:
        return _fold_short(text)
    return _fold_unicode(text)


def _fold_unicode(text: str) -> str:
    """The general path of `fold`, right for any text (the ASCII path gives the same)."""
    # Marks are stripped again after case folding because folding can add them (İ -> i̇).
    folded = _strip_marks(text).casefold().translate(_UNDECOMPOSABLE)
    return collapse_spaces(_strip_marks(folded))


_fold_short = lru_cache(maxsize=16384)(_fold_unicode)


def sort_key(first: str, last: str, full: str = "") -> str:
    """Return a database-independent alphabetical key: folded "last first".

    Falls back to the folded ``full`` name when both parts are empty.
    """
    key = fold(f"{last} {first}") or fold(full)
    return key[:SORT_KEY_MAX_LENGTH].rstrip()
