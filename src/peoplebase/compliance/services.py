"""Personal-data requests: who may make them, the suppression list, and the logs.

The two big operations live in their own modules, `access.build_access_document` and
`erasure.erase_contact` (with its background form in `jobs`); they are re-exported here so
surfaces import one place.
"""

from __future__ import annotations

from django.contrib.auth.models import Permission
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from peoplebase.compliance.access import build_access_document
from peoplebase.compliance.erasure import erase_contact
from peoplebase.compliance.jobs import (
    get_erasure_job,
    request_erasure,
    resume_erasure,
    unfinished_erasure_jobs,
)
from peoplebase.compliance.models import ErasureLog, SuppressionEntry, SuppressionSource
from peoplebase.compliance.suppression import email_hash, is_suppressed, suppressed_emails
from peoplebase.contacts.models import Contact
from peoplebase.core.errors import NotFound, ValidationFailed
from peoplebase.core.lookups import parse_id
from peoplebase.core.permissions import (
    PERSONAL_DATA_PERMISSION,
    ensure_can_administer,
    ensure_can_handle_personal_data,
)
from peoplebase.normalize import InvalidEmail, normalize_email
from peoplebase.users.models import Role, User

__all__ = [
    "build_access_document",
    "erase_contact",
    "get_contact_for_request",
    "get_erasure_job",
    "is_suppressed",
    "lift_suppression",
    "list_erasures",
    "list_suppressions",
    "request_erasure",
    "resume_erasure",
    "set_data_protection_officer",
    "suppress_email",
    "suppressed_emails",
    "unfinished_erasure_jobs",
]


def get_contact_for_request(actor: User | None, contact_id: object) -> Contact:
    """The contact a personal-data request is about; the permission is checked first."""
    ensure_can_handle_personal_data(actor)
    pk = parse_id(contact_id)
    contact = Contact.objects.filter(pk=pk).first() if pk else None
    if contact is None:
        raise NotFound(f"No contact with id {contact_id}.")
    return contact


def list_erasures(actor: User | None, limit: int = 200) -> list[ErasureLog]:
    ensure_can_handle_personal_data(actor)
    return list(ErasureLog.objects.select_related("actor")[:limit])


def list_suppressions(actor: User | None, limit: int = 200) -> QuerySet[SuppressionEntry]:
    ensure_can_handle_personal_data(actor)
    return SuppressionEntry.objects.select_related("erasure")[:limit]


def _clean_email(email: object) -> str:
    try:
        return normalize_email(str(email or "")).value
    except InvalidEmail as exc:
        raise ValidationFailed.single("email", str(exc)) from exc


def suppress_email(actor: User | None, email: object) -> SuppressionEntry:
    """Put an address on the suppression list by hand (e.g. a person who asked not to be kept)."""
    ensure_can_handle_personal_data(actor)
    digest = email_hash(_clean_email(email))
    with transaction.atomic():
        existing = SuppressionEntry.objects.filter(email_hash=digest, lifted_at__isnull=True)
        if entry := existing.first():
            return entry
        return SuppressionEntry.objects.create(
            email_hash=digest,
            source=SuppressionSource.MANUAL,
            created_by=actor if getattr(actor, "pk", None) else None,
            created_by_label=getattr(actor, "email", "") or "",
        )


def lift_suppression(actor: User | None, email: object, reason: str = "") -> SuppressionEntry:
    """Admins only, and only with the address typed again: the list cannot be read back."""
    if actor is not None:
        ensure_can_administer(actor)
    digest = email_hash(_clean_email(email))
    with transaction.atomic():
        entry = (
            SuppressionEntry.objects.select_for_update()
            .filter(email_hash=digest, lifted_at__isnull=True)
            .first()
        )
        if entry is None:
            raise NotFound("That address is not on the suppression list.")
        entry.lifted_at = timezone.now()
        entry.lifted_by = actor if getattr(actor, "pk", None) else None
        entry.lifted_by_label = getattr(actor, "email", "") or "operator"
        entry.lift_reason = str(reason or "").strip()[:500]
        entry.save(update_fields=["lifted_at", "lifted_by", "lifted_by_label", "lift_reason"])
    return entry


def set_data_protection_officer(actor: User | None, user: User, enabled: bool) -> User:
    """Let a manager handle access and erasure requests (admins always may)."""
    ensure_can_administer(actor)
    if enabled and user.role != Role.MANAGER:
        raise ValidationFailed.single(
            "user", "Only managers can be data protection officers (admins already are)."
        )
    app_label, codename = PERSONAL_DATA_PERMISSION.split(".")
    permission = Permission.objects.get(content_type__app_label=app_label, codename=codename)
    if enabled:
        user.user_permissions.add(permission)
    else:
        user.user_permissions.remove(permission)
    return User.objects.get(pk=user.pk)  # a fresh object: the permission cache is per instance


def data_protection_officers() -> QuerySet[User]:
    app_label, codename = PERSONAL_DATA_PERMISSION.split(".")
    return User.objects.filter(
        role=Role.MANAGER,
        user_permissions__content_type__app_label=app_label,
        user_permissions__codename=codename,
    )
