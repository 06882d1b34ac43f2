"""Explainable pair scores: evidence points with a reason for each, and vetoes for the traps.

Points add up to a score in [0, 1]. Identifiers (email, phone, birthday, unique id) carry most
weight; the name alone never reaches a band, so namesakes are not suggested. Vetoes stop pairs
that share a lot but are different people: relatives (same surname, phone and city, another
first name), conflicting birthdays or unique ids, and records linked by a job change.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from rapidfuzz.distance import JaroWinkler

from peoplebase.duplicates.engine.records import PersonRecord

LIKELY = "likely"
BIRTHDAY_POINTS = 30
BIRTHDAY_DAY_POINTS = 10
COMMON_NAME_FROM = 3
POSSIBLE = "possible"


@dataclass(frozen=True)
class Thresholds:
    """Score cut-offs of the two bands; defaults measured on bench/duplicates.py."""

    likely: float = 0.45
    possible: float = 0.38

    def band(self, score: float) -> str:
        if score >= self.likely:
            return LIKELY
        if score >= self.possible:
            return POSSIBLE
        return ""


DEFAULT_THRESHOLDS = Thresholds()


@dataclass(frozen=True)
class Match:
    score: float
    reasons: tuple[str, ...]

    @property
    def explanation(self) -> str:
        return "; ".join(self.reasons)


def jw(a: str, b: str) -> float:
    if a == b:
        return 1.0
    if not a or not b:
        return 0.0
    return JaroWinkler.normalized_similarity(a, b)


def given_similarity(a: PersonRecord, b: PersonRecord) -> float:
    """1 for the same name or nickname, 0.85 for a matching initial, else Jaro-Winkler."""
    if not a.first or not b.first:
        return 0.5  # unknown: neither for nor against
    if a.given == b.given:
        return 1.0
    if len(a.first) == 1 or len(b.first) == 1:
        return 0.85 if a.first[0] == b.first[0] else 0.0
    return max(jw(a.given, b.given), jw(a.first, b.first))


def name_similarity(a: PersonRecord, b: PersonRecord) -> tuple[float, float, bool]:
    """(given, surname) similarity, trying first/last swapped too; the flag says swapped."""
    given, last = given_similarity(a, b), jw(a.last, b.last)
    if a.first and b.first:
        swapped_given = jw(a.first, b.last) if len(a.first) > 1 else 0.0
        swapped_last = jw(a.last, b.first)
        if swapped_given + swapped_last > given + last + 0.05:
            return swapped_given, swapped_last, True
    return given, last, False


def first_names_conflict(a: PersonRecord, b: PersonRecord) -> bool:
    """Two known first names that are not the same name, nickname, initial or a typo."""
    given, _, _ = name_similarity(a, b)
    return bool(a.first and b.first) and given < 0.8


def birthday_parts(birthday: str) -> tuple[str, str]:
    """(full date or "", month-day): "1980-03-07" -> both, "--03-07" (no year) -> day only.

    Anything else (a custom field in another format) is compared as a whole."""
    if len(birthday) == 10 and birthday[4] == "-" and birthday[:4].isdigit():
        return birthday, birthday[5:]
    if len(birthday) == 7 and birthday.startswith("--"):
        return "", birthday[2:]
    return birthday, birthday


def birthdays_differ(a: str, b: str) -> bool:
    """Two known birthdays that cannot be one person's: another day, or another full date."""
    if not a or not b:
        return False
    (full_a, day_a), (full_b, day_b) = birthday_parts(a), birthday_parts(b)
    return day_a != day_b or bool(full_a and full_b and full_a != full_b)


def strong_conflict(a: PersonRecord, b: PersonRecord) -> str:
    """Why the two cannot be one person ("" when nothing forbids it)."""
    if a.id in b.links or b.id in a.links:
        return "linked by a job change"
    if birthdays_differ(a.birthday, b.birthday):
        return "different birthdays"
    if a.uid and b.uid and a.uid != b.uid:
        return "different unique ids"
    return ""


def _local_repeats_name(local: str, r: PersonRecord) -> bool:
    flat = local.replace(".", "").replace("_", "").replace("-", "")
    return bool(r.last) and r.last.replace(" ", "") in flat


def _shared(x: tuple[str, ...], y: tuple[str, ...]) -> str:
    for value in x:
        if value in y:
            return value
    return ""


def _identifier_points(a: PersonRecord, b: PersonRecord, reasons: list[str]) -> float:
    points = 0.0
    email = _shared(a.emails, b.emails)
    if email:
        points += 45
        reasons.append(f"same email {email}")
    else:
        locals_a = {e.split("@", 1)[0] for e in a.emails}
        local = next((e.split("@", 1)[0] for e in b.emails if e.split("@", 1)[0] in locals_a), "")
        if local:
            # "john.smith@old" and "john.smith@new" mostly repeat the name: count it once.
            if _local_repeats_name(local, a):
                points += 6
                reasons.append("same email username (repeats the name)")
            else:
                points += 20
                reasons.append("same email username")
    role = _shared(a.role_emails, b.role_emails)
    if role:
        points += 4
        reasons.append(f"shared mailbox {role.split('@', 1)[0]}@ (weak)")
    phone = _shared(a.phones, b.phones)
    if phone:
        points += 35
        reasons.append(f"same phone {phone}")
    if a.birthday and b.birthday and not birthdays_differ(a.birthday, b.birthday):
        full_a, full_b = birthday_parts(a.birthday)[0], birthday_parts(b.birthday)[0]
        if full_a and full_a == full_b:
            points += BIRTHDAY_POINTS
            reasons.append("same birthday")
        else:
            # Only day and month are known on one side: 1 in 365 people share them.
            points += BIRTHDAY_DAY_POINTS
            reasons.append("same birthday day and month (year unknown)")
    if a.uid and a.uid == b.uid:
        points += 60
        reasons.append("same unique id")
    return points


def _context_points(a: PersonRecord, b: PersonRecord, reasons: list[str]) -> float:
    points = 0.0
    if a.company and b.company and jw(a.company, b.company) >= 0.92:
        points += 10
        reasons.append("same company")
    if a.domain and a.domain == b.domain and not _shared(a.emails, b.emails):
        points += 6
        reasons.append("same email domain")
    if a.postcode and a.postcode == b.postcode:
        points += 8
        reasons.append("same postcode")
    elif a.city and b.city and jw(a.city, b.city) >= 0.9:
        points += 5
        reasons.append("same city")
    return points


def _name_points(given: float, last: float, name_count: int, reasons: list[str]) -> float:
    combined = 0.45 * given + 0.55 * last
    if combined >= 0.97:
        points = 30.0
    elif combined >= 0.92:
        points = 24.0
    elif combined >= 0.85:
        points = 16.0
    else:
        points = 0.0
    if points:
        reasons.append(f"name {combined:.2f} similar")
    if points and name_count > COMMON_NAME_FROM:
        # A name shared by many contacts says less about identity: John Smith needs more proof.
        # A few alike are usually the duplicates themselves, so the penalty starts above that.
        penalty = min(16.0, 5.0 * math.log2(name_count / COMMON_NAME_FROM))
        points -= penalty
        reasons.append(f"common name ({name_count} alike)")
    return points


def score_pair(
    a: PersonRecord,
    b: PersonRecord,
    *,
    name_count: int = 1,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
) -> Match | None:
    """The pair's score and reasons, or None when it reaches no band or a trap forbids it.

    `name_count` is how many contacts carry this name in the workspace (frequency awareness).
    """
    if strong_conflict(a, b):
        return None
    given, last, swapped = name_similarity(a, b)
    reasons: list[str] = []
    identifiers = _identifier_points(a, b, reasons)
    strong_identity = bool(_shared(a.emails, b.emails)) or bool(a.uid and a.uid == b.uid)
    if not strong_identity:
        # Relatives share surname, phone and city but not the first name; namesakes fail here too.
        if bool(a.first and b.first) and given < 0.8:
            return None
        if a.last and b.last and last < 0.8:
            return None
    if swapped:
        reasons.append("first and last name swapped")
    name = _name_points(given, last, name_count, reasons)
    total = identifiers + name + _context_points(a, b, reasons)
    score = round(min(total, 100.0) / 100.0, 3)
    if score < thresholds.possible:
        return None
    return Match(score=score, reasons=tuple(reasons))
