"""Existing contacts that look like the one about to be created or edited (the on-create warning).

Uses the duplicate matching engine (peoplebase.duplicates.engine): candidates are found with
indexed lookups on the engine's strongest blocking keys (the same email, the same phone, the
same surname with the same first name or initial, also swapped, and the surname among
colleagues at the same company), sent as one UNION ALL statement, then each is scored with the
same explainable scoring a scan uses. Only pairs reaching the "possible" band are returned, so
namesakes alone never warn.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import connections
from django.db.models import Q, QuerySet

from peoplebase.contacts.models import Contact, ContactEmail, ContactPhone
from peoplebase.duplicates.engine.records import PersonRecord, make_record, split_name
from peoplebase.duplicates.engine.scoring import score_pair

MAX_CANDIDATES = 10
# Rows read per lookup: a very common surname is cut off rather than slowing every keystroke.
# Emails and phones rarely match more than a few rows; the name lookups share the rest, the
# same first name before the initial range (which only adds initials and first-name typos).
SHOWN_FIELDS = ("id", "full_name", "email", "phone", "sort_name", "company__name")
LIMITS = {"email": 10, "phone": 10, "name": 15, "initial": 10, "swapped": 10, "company": 5}


@dataclass
class DuplicateCandidate:
    contact: Contact
    reasons: list[str] = field(default_factory=list)
    match_score: float = 0.0

    @property
    def score(self) -> float:
        return self.match_score


def _after(prefix: str) -> str:
    """The smallest string above every string starting with `prefix` (an index range bound)."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


def _name_range(prefix: str) -> Q:
    # sort_name is folded "last first": a range on it walks the contact list index.
    return Q(sort_name__gte=prefix, sort_name__lt=_after(prefix))


def candidate_lookups(
    emails: list[str], phones: list[str], first: str, last: str, company_id: int | None
) -> list[QuerySet[Any, int]]:
    """One indexed lookup per blocking key, each returning contact ids under its own LIMIT."""
    lookups = []
    if emails:
        by_email = ContactEmail.objects.filter(email__in=emails)
        lookups.append(_limited(by_email.values_list("contact_id", flat=True), "email"))
    if phones:
        by_phone = ContactPhone.objects.filter(number__in=phones)
        lookups.append(_limited(by_phone.values_list("contact_id", flat=True), "phone"))
    if last:
        live = Contact.objects.filter(is_archived=False)
        ranges = {f"{last} {first}".strip(): "name"}
        ranges.setdefault(f"{last} {first[:1]}".strip(), "initial")
        if first:
            ranges.setdefault(f"{first} {last[:1]}", "swapped")
        for prefix, key in ranges.items():
            in_range = live.filter(_name_range(prefix))
            lookups.append(_limited(in_range.values_list("id", flat=True), key))
        if company_id:
            colleagues = live.filter(company_id=company_id, last_name__iexact=last)
            lookups.append(_limited(colleagues.values_list("id", flat=True), "company"))
    return lookups


def _limited(ids: QuerySet[Any, int], key: str) -> QuerySet[Any, int]:
    # No ORDER BY: ordering by the list order makes SQLite walk the whole name index.
    return ids.order_by()[: LIMITS[key]]


def union_ids(lookups: list[QuerySet[Any, int]]) -> list[int]:
    """The ids every lookup finds, in one statement: UNION ALL of the lookups, each wrapped
    so that it keeps its own LIMIT (SQLite allows no LIMIT on a bare compound member).
    The SQL comes from the ORM's compiler; values travel as parameters only."""
    if not lookups:
        return []
    parts, params = [], []
    for n, qs in enumerate(lookups):
        sql, part_params = qs.query.get_compiler(using=qs.db).as_sql()
        parts.append(f"SELECT * FROM ({sql}) AS lookup{n}")  # noqa: S608 (ORM-compiled)
        params.extend(part_params)
    with connections[lookups[0].db].cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        return list(dict.fromkeys(row[0] for row in cursor.fetchall()))


def _query_record(
    emails: list[str], phones: list[str], full_name: str, company: str, birthday: str
) -> PersonRecord:
    return make_record(
        0, full=full_name, emails=emails, phones=phones, company=company, birthday=birthday
    )


def _company_name(company_id: int | None, company_name: str | None) -> str:
    if company_name is not None or not company_id:
        return company_name or ""
    from peoplebase.companies.models import Company

    return Company.objects.filter(pk=company_id).values_list("name", flat=True).first() or ""


def find_duplicate_candidates(
    *,
    emails: Iterable[str] = (),
    phones: Iterable[str] = (),
    full_name: str = "",
    company_id: int | None = None,
    company_name: str | None = None,
    birthday: str = "",
    exclude_id: int | None = None,
) -> list[DuplicateCandidate]:
    """Candidates with why each matched, strongest first; emails and phones must be normalised
    and the birthday ISO ("--MM-DD" without a year), as the contact rules leave them.

    Two statements find and read the candidates (the UNION ALL of the lookups, then their
    fields with emails and phones joined); `company_name` spares a third when the caller
    has the company at hand."""
    from peoplebase.duplicates.records import record_from_row, record_rows

    email_list = [e for e in emails if e]
    phone_list = [p for p in phones if p]
    first, last = split_name("", "", full_name)
    lookups = candidate_lookups(email_list, phone_list, first, last, company_id)
    ids = [i for i in union_ids(lookups) if i != exclude_id]
    if not ids:
        return []
    rows = record_rows(Contact.objects.filter(id__in=ids, is_archived=False).order_by())
    records = [record_from_row(row) for row in rows]
    wanted = _query_record(
        email_list, phone_list, full_name, _company_name(company_id, company_name), birthday
    )
    remembered = _remembered_different(exclude_id, ids)
    same_name = sum(1 for r in records if r.first == first and r.last == last)
    scored: dict[int, tuple[float, list[str]]] = {}
    for record in records:
        if record.id in remembered:
            continue
        match = score_pair(wanted, record, name_count=same_name + 1)
        if match is not None:
            scored[record.id] = (match.score, list(match.reasons))
        elif shared := _shared_identifier(wanted, record):
            # Someone typing a known email or phone should hear of it even when the names
            # differ (a relative, a shared line): the person deciding sees the reason.
            scored[record.id] = (0.0, [f"{shared} (names differ)"])
    if not scored:
        return []
    # What the warning and the 409 show (other fields would load on first use).
    shown = Contact.objects.select_related("company").only(*SHOWN_FIELDS)
    contacts = shown.in_bulk(list(scored))
    candidates = [
        DuplicateCandidate(contact=contacts[cid], reasons=reasons, match_score=score)
        for cid, (score, reasons) in scored.items()
        if cid in contacts
    ]
    candidates.sort(key=lambda c: (-c.score, c.contact.sort_name))
    return candidates[:MAX_CANDIDATES]


def _shared_identifier(a: PersonRecord, b: PersonRecord) -> str:
    for email in a.emails:
        if email in b.emails:
            return f"same email {email}"
    for phone in a.phones:
        if phone in b.phones:
            return f"same phone {phone}"
    return ""


def _remembered_different(contact_id: int | None, ids: list[int]) -> set[int]:
    """Contacts someone already said are not the same person as `contact_id` (on edit)."""
    if not contact_id:
        return set()
    from peoplebase.duplicates.models import NotDuplicate

    pairs = NotDuplicate.objects.filter(
        Q(contact_a_id=contact_id, contact_b_id__in=ids)
        | Q(contact_b_id=contact_id, contact_a_id__in=ids)
    ).values_list("contact_a_id", "contact_b_id")
    return {b if a == contact_id else a for a, b in pairs}
