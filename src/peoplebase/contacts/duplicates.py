"""Existing contacts that look like the one about to be created or edited (the on-create warning).

Uses the duplicate matching engine (peoplebase.duplicates.engine): candidates are found with a
few indexed lookups on the engine's strongest blocking keys (the same email, the same phone,
the same surname with a compatible first name or initial, also swapped, and the surname among
colleagues at the same company), then each is scored with the same explainable scoring a scan
uses. Only pairs reaching the "possible" band are returned, so namesakes alone never warn.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Q

from peoplebase.contacts.models import Contact, ContactEmail, ContactPhone
from peoplebase.duplicates.engine.records import PersonRecord, make_record, split_name
from peoplebase.duplicates.engine.scoring import score_pair

MAX_CANDIDATES = 10
# Rows read per lookup: a very common surname is cut off rather than slowing every keystroke.
LOOKUP_LIMIT = 60


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


def _name_range(last: str, first: str) -> Q:
    # sort_name is folded "last first": a range on it walks the contact list index.
    prefix = f"{last} {first[:1]}".strip()
    return Q(sort_name__gte=prefix, sort_name__lt=_after(prefix))


def _candidate_ids(
    emails: list[str], phones: list[str], first: str, last: str, company_id: int | None
) -> list[int]:
    ids: list[int] = []
    if emails:
        ids += (
            ContactEmail.objects.filter(email__in=emails)
            .order_by()
            .values_list("contact_id", flat=True)[:LOOKUP_LIMIT]
        )
    if phones:
        ids += (
            ContactPhone.objects.filter(number__in=phones)
            .order_by()
            .values_list("contact_id", flat=True)[:LOOKUP_LIMIT]
        )
    # No ORDER BY: sorting by the list order makes SQLite walk the whole name index.
    live = Contact.objects.filter(is_archived=False).order_by()
    if last:
        for part in [(last, first)] + ([(first, last)] if first else []):
            ids += live.filter(_name_range(*part)).values_list("id", flat=True)[:LOOKUP_LIMIT]
        if company_id:
            ids += live.filter(company_id=company_id, last_name__iexact=last).values_list(
                "id", flat=True
            )[:LOOKUP_LIMIT]
    return list(dict.fromkeys(ids))


def _query_record(
    emails: list[str], phones: list[str], full_name: str, company_id: int | None, birthday: str
) -> PersonRecord:
    from peoplebase.companies.models import Company

    company = ""
    if company_id:
        company = Company.objects.filter(pk=company_id).values_list("name", flat=True).first()
    return make_record(
        0, full=full_name, emails=emails, phones=phones, company=company or "", birthday=birthday
    )


def find_duplicate_candidates(
    *,
    emails: Iterable[str] = (),
    phones: Iterable[str] = (),
    full_name: str = "",
    company_id: int | None = None,
    birthday: str = "",
    exclude_id: int | None = None,
) -> list[DuplicateCandidate]:
    """Candidates with why each matched, strongest first; emails and phones must be normalised
    and the birthday ISO ("--MM-DD" without a year), as the contact rules leave them."""
    from peoplebase.duplicates.records import FIELDS, records_from_rows

    email_list = [e for e in emails if e]
    phone_list = [p for p in phones if p]
    first, last = split_name("", "", full_name)
    ids = [
        i
        for i in _candidate_ids(email_list, phone_list, first, last, company_id)
        if i != exclude_id
    ]
    if not ids:
        return []
    wanted = _query_record(email_list, phone_list, full_name, company_id, birthday)
    rows = list(Contact.objects.filter(id__in=ids, is_archived=False).values_list(*FIELDS))
    remembered = _remembered_different(exclude_id, ids)
    same_name = sum(1 for row in rows if split_name(row[1], row[2], row[3]) == (first, last))
    scored: dict[int, tuple[float, list[str]]] = {}
    for record in records_from_rows(rows):
        if record.id in remembered:
            continue
        match = score_pair(wanted, record, name_count=same_name + 1)
        if match is not None:
            scored[record.id] = (match.score, list(match.reasons))
        elif shared := _shared_identifier(wanted, record):
            # Someone typing a known email or phone should hear of it even when the names
            # differ (a relative, a shared line): the person deciding sees the reason.
            scored[record.id] = (0.0, [f"{shared} (names differ)"])
    contacts = Contact.objects.select_related("company", "owner").in_bulk(list(scored))
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
