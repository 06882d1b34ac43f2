"""Matching import rows: against earlier rows of the same file, against contacts already
there (by email, phone, or name and company), and against the GDPR suppression list; then each
row's outcome under the job's duplicate policy."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.apps import apps

from peoplebase.contacts.models import Contact, ContactEmail, ContactPhone
from peoplebase.imports.bulkwrite import pairs_matching
from peoplebase.imports.models import DuplicatePolicy, RowOutcome
from peoplebase.normalize import fold

if TYPE_CHECKING:
    from peoplebase.imports.pipeline import PreparedRow, RowContext


class SeenInFile:
    """Emails, phones and name+company keys of rows already taken from this file.

    Keys are kept as 64-bit hashes with the row that first had them, so a million rows fit
    in memory; a hash collision could at worst skip one row as a duplicate, reported as such.
    """

    def __init__(self) -> None:
        self.rows: dict[int, int] = {}

    def first_row(self, keys: Iterable[str]) -> tuple[int, str] | None:
        for key in keys:
            number = self.rows.get(hash(key))
            if number is not None:
                return number, key
        return None

    def remember(self, keys: Iterable[str], number: int) -> None:
        for key in keys:
            self.rows.setdefault(hash(key), number)


def row_keys(row: PreparedRow, ctx: RowContext) -> list[str]:
    keys = [f"e:{email}" for email in row.emails] + [f"p:{phone}" for phone in row.phones]
    if ctx.match_name_company and row.name_company_key():
        keys.append(f"n:{row.name_company_key()}")
    return keys


class KnownContacts:
    """Emails and phones of the contacts there when a bulk load began, read once: the load
    runs without those columns' indexes (imports/bulkload.py). Keys are 64-bit hashes, as in
    `SeenInFile`, mapped to the lowest contact id having them."""

    def __init__(self) -> None:
        self.ids: dict[int, int] = {}

    @classmethod
    def read(cls) -> KnownContacts:
        known = cls()
        for prefix, model, column in (("e", ContactEmail, "email"), ("p", ContactPhone, "number")):
            pairs = model.objects.values_list(column, "contact_id").iterator(chunk_size=10_000)
            for value, contact_id in pairs:
                key = hash(f"{prefix}:{value}")
                known.ids[key] = min(contact_id, known.ids.get(key, contact_id))
        return known

    def matches(self, rows: list[PreparedRow]) -> dict[str, int]:
        found: dict[str, int] = {}
        for row in rows:
            for key in row.keys:
                if key[0] in "ep" and (contact_id := self.ids.get(hash(key))) is not None:
                    found[key] = contact_id
        return found


def existing_matches(
    rows: list[PreparedRow], ctx: RowContext, known: KnownContacts | None = None
) -> dict[str, int]:
    """Match key -> lowest existing contact id: from `known` when given, else with one query
    per kind of key for the batch."""
    found: dict[str, int] = {}
    if known is not None:
        found = known.matches(rows)
    else:
        emails = sorted({e for r in rows for e in r.emails})
        phones = sorted({p for r in rows for p in r.phones})
        for prefix, model, column, values in (
            ("e", ContactEmail, "email", emails),
            ("p", ContactPhone, "number", phones),
        ):
            for value, contact_id in pairs_matching(model, column, values):
                key = f"{prefix}:{value}"
                found[key] = min(contact_id, found.get(key, contact_id))
    if ctx.match_name_company:
        found.update(_name_company_matches(rows))
    return found


def _name_company_matches(rows: list[PreparedRow]) -> dict[str, int]:
    wanted = {r.name_company_key() for r in rows} - {""}
    company_keys = sorted({key.split("|", 1)[1] for key in wanted})
    if not company_keys:
        return {}
    found: dict[str, int] = {}
    candidates = Contact.objects.filter(company__name_key__in=company_keys).values_list(
        "pk", "full_name", "company__name_key"
    )
    for pk, full_name, company_key in candidates.order_by("-pk"):
        key = f"{fold(full_name)}|{company_key}"
        if key in wanted:
            found[f"n:{key}"] = pk
    return found


SUPPRESSED_REASON = "emails: {email} was erased at the person's request and is suppressed."


def suppressed_emails(emails: Iterable[str]) -> set[str]:
    """Addresses on the GDPR suppression list (one query per batch), when that app is present.

    `emails` is read only when the list has entries, so an import on a workspace without
    erasures does not even gather its batch's addresses."""
    if not apps.is_installed("peoplebase.compliance"):
        return set()
    from peoplebase.compliance.suppression import (  # type: ignore[import-not-found]
        suppressed_emails as listed,
    )

    return set(listed(emails))


def _refuse_suppressed(rows: list[PreparedRow]) -> None:
    blocked = suppressed_emails(e for row in rows if row.clean for e in row.emails)
    if not blocked:
        return
    for row in rows:
        hit = next((email for email in row.emails if email in blocked), None)
        if hit is not None:
            row.outcome, row.reason = RowOutcome.INVALID, SUPPRESSED_REASON.format(email=hit)
            row.clean = None


KEY_LABELS = {"e": "email", "p": "phone", "n": "name and company"}


def decide(
    rows: list[PreparedRow],
    ctx: RowContext,
    seen: SeenInFile,
    known: KnownContacts | None = None,
) -> None:
    """Set each valid row's outcome from the policy, existing contacts and earlier rows."""
    _refuse_suppressed(rows)
    valid = [row for row in rows if row.clean is not None]
    existing = existing_matches(valid, ctx, known)
    for row in valid:
        keys = row.keys
        earlier = seen.first_row(keys) if ctx.policy != DuplicatePolicy.CREATE else None
        if earlier is not None:
            number, key = earlier
            row.outcome = RowOutcome.SKIPPED
            row.reason = f"Same {KEY_LABELS[key[0]]} as row {number} of this file."
            continue
        seen.remember(keys, row.number)
        match = next(((k, existing[k]) for k in keys if k in existing), None)
        if match is None or ctx.policy == DuplicatePolicy.CREATE:
            row.outcome = RowOutcome.CREATED
            continue
        key, row.match_id = match
        label = KEY_LABELS[key[0]]
        if ctx.policy == DuplicatePolicy.SKIP:
            row.outcome = RowOutcome.SKIPPED
            row.reason = f"Matches existing contact #{row.match_id} by {label}."
        else:
            row.outcome = RowOutcome.UPDATED
            row.reason = f"Matches existing contact #{row.match_id} by {label}."
