"""The suppression list: addresses erased at a person's request that must not come back.

Only a keyed hash is stored (HMAC-SHA256 under the secret key), so the list cannot be read back
into addresses, yet any surface can ask whether an address it is about to save is listed.
Contacts' create and update call `suppressed_emails`; the import pipeline calls it per batch.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.crypto import salted_hmac

from peoplebase.compliance.models import SuppressionEntry
from peoplebase.normalize import InvalidEmail, normalize_email

HASH_SALT = "peoplebase.compliance.suppression"
SUPPRESSED_MESSAGE = (
    "This address was erased at the person's request and is on the suppression list; "
    "an admin can lift the suppression under Settings › Compliance."
)


def canonical_email(email: str) -> str:
    """The form that is hashed: the normalised address, or the trimmed lower-cased text."""
    try:
        return normalize_email(email).value.lower()
    except InvalidEmail:
        return email.strip().lower()


def email_hash(email: str) -> str:
    return salted_hmac(HASH_SALT, canonical_email(email), algorithm="sha256").hexdigest()


def suppressed_emails(emails: Iterable[str]) -> set[str]:
    """The given addresses (as passed in) that are on the active suppression list."""
    # Hashing normalises every address (email-validator), which costs more than the lookup
    # itself; an import asks about a million addresses, usually while the list is empty.
    if not SuppressionEntry.objects.filter(lifted_at__isnull=True).exists():
        return set()
    by_hash: dict[str, list[str]] = {}
    for email in emails:
        if email and email.strip():
            by_hash.setdefault(email_hash(email), []).append(email)
    if not by_hash:
        return set()
    found: set[str] = set()
    hashes = list(by_hash)
    for start in range(0, len(hashes), 500):
        found.update(
            SuppressionEntry.objects.filter(
                email_hash__in=hashes[start : start + 500], lifted_at__isnull=True
            ).values_list("email_hash", flat=True)
        )
    return {email for digest in found for email in by_hash[digest]}


def is_suppressed(email: str) -> bool:
    return bool(suppressed_emails([email]))
