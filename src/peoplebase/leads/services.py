"""Lead services, including conversion into a customer account and a real contact."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from peoplebase.activities.models import ActivityKind
from peoplebase.activities.services import log_activity
from peoplebase.audit.services import AuditAction, diff, record_change, snapshot
from peoplebase.companies.models import Company, Lifecycle
from peoplebase.companies.services import create_company, find_matching_company, get_company
from peoplebase.contacts.models import Contact, ContactEmail
from peoplebase.contacts.services import create_contact, get_contact, update_contact
from peoplebase.core.errors import (
    Conflict,
    ErrorCollector,
    NotFound,
    PreconditionFailed,
    ValidationFailed,
)
from peoplebase.core.lookups import check_text, filter_by_owner, parse_id, resolve_owner
from peoplebase.core.pagination import Page, Sort, paginate
from peoplebase.core.permissions import (
    ensure_can_assign_owner,
    ensure_can_create,
    ensure_can_edit,
    ensure_can_view,
)
from peoplebase.leads.models import Lead, LeadStatus
from peoplebase.normalize import (
    InvalidEmail,
    InvalidPhone,
    InvalidUrl,
    normalize_domain,
    normalize_email,
    normalize_phone,
    normalize_url,
    split_or_compose,
)
from peoplebase.users.models import User

TEXT_FIELDS = {
    "company_name": 200,
    "first_name": 100,
    "last_name": 100,
    "full_name": 300,
    "job_title": 150,
    "source": 100,
    "disqualified_reason": 200,
    "notes": 20_000,
}
LEAD_FIELDS = frozenset({*TEXT_FIELDS, "email", "phone", "website", "status", "owner_id"})
AUDITED = (*TEXT_FIELDS, "email", "phone", "website", "status", "owner")
LEAD_SORTS = {
    "-created": Sort("created_at", descending=True),
    "created": Sort("created_at"),
    "company": Sort("company_name"),
}
# Statuses a person may set by hand; "converted" only comes from converting.
SETTABLE_STATUSES = (
    LeadStatus.NEW,
    LeadStatus.WORKING,
    LeadStatus.QUALIFIED,
    LeadStatus.DISQUALIFIED,
)


@dataclass
class ConversionResult:
    lead: Lead
    company: Company
    contact: Contact | None
    company_created: bool
    contact_created: bool


def get_lead(actor: User | None, lead_id: Any) -> Lead:
    ensure_can_view(actor)
    lead = (
        Lead.objects.select_related("owner", "converted_company", "converted_contact")
        .filter(pk=parse_id(lead_id) or -1)
        .first()
    )
    if lead is None:
        raise NotFound(f"No lead with id {lead_id}.")
    return lead


def list_leads(
    actor: User,
    *,
    q: str = "",
    status: str = "",
    owner: str = "",
    sort: str = "-created",
    cursor: str | None = None,
    limit: int = 50,
) -> Page[Lead]:
    ensure_can_view(actor)
    if sort not in LEAD_SORTS:
        raise ValidationFailed.single("sort", f"Sort by one of: {', '.join(LEAD_SORTS)}.")
    qs = Lead.objects.select_related("owner")
    if status:
        if status not in LeadStatus.values:
            raise ValidationFailed.single("status", f"Use one of: {', '.join(LeadStatus.values)}.")
        qs = qs.filter(status=status)
    qs = filter_by_owner(qs, actor, owner)
    if q:
        text = q.strip()
        qs = qs.filter(
            Q(company_name__icontains=text)
            | Q(full_name__icontains=text)
            | Q(email__startswith=text.lower())
        )
    return paginate(qs, LEAD_SORTS[sort], cursor, limit)


def _phone_region() -> str:
    from peoplebase.contacts.services import workspace_phone_region

    return workspace_phone_region()


def _clean(data: dict[str, Any], instance: Lead | None) -> dict[str, Any]:
    errors = ErrorCollector()
    for name in data:
        if name not in LEAD_FIELDS:
            errors.add(name, "Unknown field.")
    cleaned: dict[str, Any] = {}
    for name, limit in TEXT_FIELDS.items():
        if name in data:
            text = check_text(name, str(data[name] or "").strip(), errors)
            if name != "notes":
                text = " ".join(text.split())
            if len(text) > limit:
                errors.add(name, f"At most {limit} characters.")
            cleaned[name] = text
    company_name = cleaned.get("company_name", instance.company_name if instance else "")
    if not company_name:
        errors.add("company_name", "A lead needs a company name.")
    if {"first_name", "last_name", "full_name"} & set(data) or instance is None:
        current = {
            n: getattr(instance, n) if instance else ""
            for n in ("first_name", "last_name", "full_name")
        }
        merged = {**current, **{k: cleaned[k] for k in cleaned if k in current}}
        if ("first_name" in data or "last_name" in data) and "full_name" not in data:
            merged["full_name"] = ""
        first, last, full = split_or_compose(
            merged["first_name"], merged["last_name"], merged["full_name"]
        )
        cleaned.update(first_name=first[:100], last_name=last[:100], full_name=full[:300])
    if "email" in data:
        raw = str(data["email"] or "").strip()
        try:
            cleaned["email"] = normalize_email(raw).value if raw else ""
        except InvalidEmail as exc:
            errors.add("email", str(exc))
    if "phone" in data:
        raw = str(data["phone"] or "").strip()
        cleaned["phone_original"] = raw[:60]
        try:
            cleaned["phone"] = normalize_phone(raw, _phone_region()).value[:40] if raw else ""
        except InvalidPhone as exc:
            errors.add("phone", str(exc))
    if "website" in data:
        try:
            cleaned["website"] = normalize_url(str(data["website"] or ""))
        except InvalidUrl as exc:
            errors.add("website", str(exc))
    if "status" in data:
        status = data["status"] or LeadStatus.NEW
        if status not in SETTABLE_STATUSES:
            errors.add(
                "status",
                f"Set one of: {', '.join(SETTABLE_STATUSES)} (conversion sets “converted”).",
            )
        cleaned["status"] = status
    if "owner_id" in data:
        cleaned["owner"] = resolve_owner(data["owner_id"], errors)
    errors.raise_if_any()
    return cleaned


def create_lead(actor: User, data: dict[str, Any]) -> Lead:
    ensure_can_create(actor, "leads")
    cleaned = _clean(data, None)
    cleaned.setdefault("owner", actor)
    ensure_can_assign_owner(actor, cleaned["owner"])
    with transaction.atomic():
        lead = Lead(**cleaned)
        lead.save()
        values = snapshot(lead, AUDITED)
        record_change(
            actor, lead, AuditAction.CREATE, {k: [None, v] for k, v in values.items() if v}
        )
    return lead


def _lock(lead: Lead, expected_version: int | None) -> Lead:
    locked = Lead.objects.select_for_update(of=("self",)).select_related("owner").get(pk=lead.pk)
    if expected_version is not None and locked.version != expected_version:
        raise PreconditionFailed(
            f"Someone changed this lead since you opened it (now version {locked.version}).",
            current_version=locked.version,
        )
    return locked


def update_lead(
    actor: User, lead: Lead, data: dict[str, Any], *, expected_version: int | None = None
) -> Lead:
    ensure_can_edit(actor, lead)
    if lead.status == LeadStatus.CONVERTED:
        raise Conflict("This lead has been converted; edit its contact and company instead.")
    cleaned = _clean(data, lead)
    if "owner" in cleaned and cleaned["owner"] != lead.owner:
        ensure_can_assign_owner(actor, cleaned["owner"])
    with transaction.atomic():
        lead = _lock(lead, expected_version)
        ensure_can_edit(actor, lead)
        before = snapshot(lead, AUDITED)
        for name, value in cleaned.items():
            setattr(lead, name, value)
        changes = diff(before, snapshot(lead, AUDITED))
        if changes:
            lead.version += 1
            lead.save()
            record_change(actor, lead, AuditAction.UPDATE, changes)
    return lead


def delete_lead(actor: User, lead: Lead, *, expected_version: int | None = None) -> None:
    ensure_can_edit(actor, lead)
    with transaction.atomic():
        lead = _lock(lead, expected_version)
        values = snapshot(lead, AUDITED)
        record_change(actor, lead, AuditAction.DELETE, {k: [v, None] for k, v in values.items()})
        lead.delete()


def conversion_suggestions(lead: Lead) -> dict[str, Any]:
    """Existing records the lead probably is: shown before converting so nothing is doubled."""
    domain = ""
    if lead.website:
        domain = normalize_domain(lead.website)
    elif lead.email and not _is_free_mail(lead.email):
        domain = lead.email.rsplit("@", 1)[-1]
    company = find_matching_company(lead.company_name, domain)
    contact = None
    if lead.email:
        link = ContactEmail.objects.filter(email=lead.email).select_related("contact").first()
        contact = link.contact if link else None
    return {"company": company, "contact": contact}


def convert_lead(
    actor: User,
    lead: Lead,
    *,
    company_id: int | None = None,
    contact_id: int | None = None,
    create_contact_record: bool = True,
    expected_version: int | None = None,
) -> ConversionResult:
    """Turn a qualified lead into a customer account and promote its person to a contact.

    Link an existing account (`company_id`) or create one from the lead; link an existing contact
    (`contact_id`) or create one keeping the lead's email and phone.
    """
    ensure_can_edit(actor, lead)
    ensure_can_create(actor, "companies and contacts")
    if lead.status == LeadStatus.CONVERTED:
        raise Conflict("This lead was already converted.")
    if lead.status != LeadStatus.QUALIFIED:
        raise Conflict(
            f"Only qualified leads can be converted; this one is {lead.get_status_display()}. "
            "Mark it qualified first."
        )
    with transaction.atomic():
        lead = _lock(lead, expected_version)
        company, company_created = _account_for(actor, lead, company_id)
        contact, contact_created = _contact_for(
            actor, lead, company, contact_id, create_contact_record
        )
        lead.status = LeadStatus.CONVERTED
        lead.converted_at = timezone.now()
        lead.converted_company = company
        lead.converted_contact = contact
        lead.version += 1
        lead.save()
        record_change(
            actor,
            lead,
            AuditAction.CONVERT,
            {
                "status": [LeadStatus.QUALIFIED, LeadStatus.CONVERTED],
                "converted_company": [None, {"id": company.pk, "label": str(company)}],
                "converted_contact": [
                    None,
                    {"id": contact.pk, "label": str(contact)} if contact else None,
                ],
            },
        )
        summary = f"Converted from lead “{lead}”" + (" (new account)" if company_created else "")
        log_activity(
            kind=ActivityKind.CONVERTED,
            contact=contact,
            company=company,
            lead=lead,
            actor=actor,
            subject="Converted from lead",
            body=summary + (f"; source: {lead.source}" if lead.source else ""),
            metadata={"lead_id": lead.pk, "company_created": company_created},
        )
    return ConversionResult(lead, company, contact, company_created, contact_created)


def _account_for(actor: User, lead: Lead, company_id: int | None) -> tuple[Company, bool]:
    if company_id:
        company = get_company(actor, company_id)
        if company.lifecycle != Lifecycle.CUSTOMER:
            from peoplebase.companies.services import update_company

            company = update_company(actor, company, {"lifecycle": Lifecycle.CUSTOMER})
        return company, False
    data = {"name": lead.company_name, "lifecycle": Lifecycle.CUSTOMER, "owner_id": lead.owner_id}
    if lead.website:
        data["website"] = lead.website
    elif lead.email and not _is_free_mail(lead.email):
        data["domain"] = lead.email.rsplit("@", 1)[-1]
    return create_company(actor, data), True


FREE_MAIL_DOMAINS = frozenset(
    {
        "gmail.com",
        "googlemail.com",
        "yahoo.com",
        "hotmail.com",
        "outlook.com",
        "live.com",
        "icloud.com",
        "me.com",
        "aol.com",
        "gmx.de",
        "gmx.net",
        "web.de",
        "proton.me",
        "protonmail.com",
        "yandex.ru",
        "mail.ru",
        "qq.com",
        "163.com",
    }
)


def _is_free_mail(email: str) -> bool:
    return email.rsplit("@", 1)[-1] in FREE_MAIL_DOMAINS


def _contact_for(
    actor: User, lead: Lead, company: Company, contact_id: int | None, create: bool
) -> tuple[Contact | None, bool]:
    if contact_id:
        contact = get_contact(actor, contact_id)
        if contact.company_id != company.pk:
            if contact.company_id is None:
                contact = update_contact(actor, contact, {"company_id": company.pk}).contact
            else:
                raise ValidationFailed.single(
                    "contact_id",
                    f"{contact} works at {contact.company}; use a job change to move them.",
                )
        return contact, False
    if not create or not (lead.full_name or lead.email):
        return None, False
    data: dict[str, Any] = {
        "first_name": lead.first_name,
        "last_name": lead.last_name,
        "full_name": lead.full_name,
        "job_title": lead.job_title,
        "source": lead.source or "Lead conversion",
        "company_id": company.pk,
        "owner_id": lead.owner_id,
        "emails": [{"email": lead.email, "kind": "work"}] if lead.email else [],
        "phones": [{"number": lead.phone_original or lead.phone}] if lead.phone else [],
    }
    return create_contact(actor, data, allow_duplicate=True).contact, True
