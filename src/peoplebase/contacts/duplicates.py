"""Existing contacts that look like the one about to be created (the on-create warning).

Signals: the same email, the same phone, or a similar name at the same company. The scan-wide
matching engine comes later; this check must stay cheap enough to run on every keystroke.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from peoplebase.contacts.models import Contact, ContactEmail, ContactPhone
from peoplebase.normalize import fold

NAME_SIMILARITY_THRESHOLD = 85
MAX_CANDIDATES = 10
# Bounds the name comparison at very large accounts; the newest colleagues are checked first.
MAX_COMPANY_CONTACTS_COMPARED = 2000


@dataclass
class DuplicateCandidate:
    contact: Contact
    reasons: list[str] = field(default_factory=list)

    @property
    def score(self) -> int:
        return len(self.reasons)


def find_duplicate_candidates(
    *,
    emails: Iterable[str] = (),
    phones: Iterable[str] = (),
    full_name: str = "",
    company_id: int | None = None,
    exclude_id: int | None = None,
) -> list[DuplicateCandidate]:
    """Candidates with why each matched, strongest first; emails and phones must be normalised."""
    found: dict[int, DuplicateCandidate] = {}

    def note(contact_id: int, reason: str) -> None:
        found.setdefault(contact_id, DuplicateCandidate(contact=None)).reasons.append(reason)  # type: ignore[arg-type]

    email_list = [e for e in emails if e]
    if email_list:
        for contact_id, email in ContactEmail.objects.filter(email__in=email_list).values_list(
            "contact_id", "email"
        )[:50]:
            note(contact_id, f"same email {email}")
    phone_list = [p for p in phones if p]
    if phone_list:
        for contact_id, number in ContactPhone.objects.filter(number__in=phone_list).values_list(
            "contact_id", "number"
        )[:50]:
            note(contact_id, f"same phone {number}")
    wanted = fold(full_name)
    if company_id and wanted:
        colleagues = (
            Contact.objects.filter(company_id=company_id, is_archived=False)
            .order_by("-id")
            .values_list("id", "first_name", "last_name", "full_name")[
                :MAX_COMPANY_CONTACTS_COMPARED
            ]
        )
        for contact_id, first, last, full in colleagues:
            similarity = fuzz.token_sort_ratio(wanted, fold(f"{first} {last}".strip() or full))
            if similarity >= NAME_SIMILARITY_THRESHOLD:
                note(contact_id, f"similar name at the same company ({similarity:.0f}% alike)")
    found.pop(exclude_id, None)  # type: ignore[arg-type]
    if not found:
        return []
    contacts = Contact.objects.select_related("company", "owner").in_bulk(list(found))
    candidates = []
    for contact_id, candidate in found.items():
        if contact_id in contacts:
            candidate.contact = contacts[contact_id]
            candidates.append(candidate)
    candidates.sort(key=lambda c: (-c.score, c.contact.sort_name))
    return candidates[:MAX_CANDIDATES]
