"""Company (account) services and the labelled contact–account relations."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from peoplebase.audit.services import AuditAction, diff, record_change, snapshot
from peoplebase.companies.models import AccountRelation, Company, CompanySize, Lifecycle
from peoplebase.core.errors import ErrorCollector, NotFound, PreconditionFailed, ValidationFailed
from peoplebase.core.lookups import check_text, filter_by_owner, parse_id, resolve_owner
from peoplebase.core.pagination import Page, Sort, paginate
from peoplebase.core.permissions import (
    ensure_can_assign_owner,
    ensure_can_create,
    ensure_can_edit,
    ensure_can_view,
)
from peoplebase.normalize import (
    InvalidCountry,
    InvalidUrl,
    fold,
    normalize_country,
    normalize_domain,
    normalize_url,
)
from peoplebase.search.services import index_contacts
from peoplebase.users.models import User

TEXT_FIELDS = {
    "name": 200,
    "industry": 100,
    "phone": 40,
    "description": 5000,
    "street": 200,
    "street2": 200,
    "city": 100,
    "region": 100,
    "postal_code": 20,
}
COMPANY_FIELDS = frozenset(
    {*TEXT_FIELDS, "domain", "website", "size", "lifecycle", "country", "owner_id"}
)
AUDITED = (*TEXT_FIELDS, "domain", "website", "size", "lifecycle", "country", "owner")
COMPANY_SORTS = {
    "name": Sort("name_key"),
    "-name": Sort("name_key", descending=True),
    "created": Sort("created_at"),
    "-created": Sort("created_at", descending=True),
}


def get_company(actor: User | None, company_id: Any) -> Company:
    ensure_can_view(actor)
    company = Company.objects.select_related("owner").filter(pk=parse_id(company_id) or -1).first()
    if company is None:
        raise NotFound(f"No company with id {company_id}.")
    return company


def company_queryset() -> QuerySet[Company]:
    return Company.objects.select_related("owner").annotate(
        contact_count=Count("contacts", filter=Q(contacts__is_archived=False))
    )


def list_companies(
    actor: User,
    *,
    q: str = "",
    lifecycle: str = "",
    owner: str = "",
    archived: bool = False,
    sort: str = "name",
    cursor: str | None = None,
    limit: int = 50,
) -> Page[Company]:
    ensure_can_view(actor)
    if sort not in COMPANY_SORTS:
        raise ValidationFailed.single("sort", f"Sort by one of: {', '.join(COMPANY_SORTS)}.")
    qs = company_queryset().filter(is_archived__is=archived)
    if q:
        qs = qs.filter(Q(name_key__contains=fold(q)) | Q(domain__startswith=q.strip().lower()))
    if lifecycle:
        if lifecycle not in Lifecycle.values:
            raise ValidationFailed.single(
                "lifecycle", f"Use one of: {', '.join(Lifecycle.values)}."
            )
        qs = qs.filter(lifecycle=lifecycle)
    qs = filter_by_owner(qs, actor, owner)
    return paginate(qs, COMPANY_SORTS[sort], cursor, limit)


def _clean(data: dict[str, Any], instance: Company | None) -> dict[str, Any]:
    errors = ErrorCollector()
    for name in data:
        if name not in COMPANY_FIELDS:
            errors.add(name, "Unknown field.")
    cleaned: dict[str, Any] = {}
    for name, limit in TEXT_FIELDS.items():
        if name in data:
            text = check_text(name, str(data[name] or "").strip(), errors)
            if name != "description":
                text = " ".join(text.split())
            if len(text) > limit:
                errors.add(name, f"At most {limit} characters.")
            cleaned[name] = text
    if (instance is None and not cleaned.get("name")) or (
        "name" in cleaned and not cleaned["name"]
    ):
        errors.add("name", "A company needs a name.")
    for name, convert, error in (
        ("domain", normalize_domain, InvalidUrl),
        ("website", normalize_url, InvalidUrl),
        ("country", normalize_country, InvalidCountry),
    ):
        if name in data:
            try:
                cleaned[name] = convert(str(data[name] or ""))
            except error as exc:
                errors.add(name, str(exc))
    derive_domain = cleaned.get("website") and not cleaned.get("domain")
    if derive_domain and not data.get("domain") and not (instance and instance.domain):
        cleaned["domain"] = normalize_domain(cleaned["website"])
    for name, enum in (("size", CompanySize), ("lifecycle", Lifecycle)):
        if name in data:
            value = data[name] or ("" if name == "size" else Lifecycle.LEAD)
            if value and value not in enum.values:
                errors.add(name, f"“{value}” is not one of: {', '.join(enum.values)}.")
            cleaned[name] = value
    if "owner_id" in data:
        cleaned["owner"] = resolve_owner(data["owner_id"], errors)
    errors.raise_if_any()
    return cleaned


def _set(company: Company, cleaned: dict[str, Any]) -> None:
    for name, value in cleaned.items():
        setattr(company, name, value)
    company.name_key = fold(company.name)[:200]


def create_company(actor: User, data: dict[str, Any]) -> Company:
    ensure_can_create(actor, "companies")
    cleaned = _clean(data, None)
    cleaned.setdefault("owner", actor)
    ensure_can_assign_owner(actor, cleaned["owner"])
    with transaction.atomic():
        company = Company()
        _set(company, cleaned)
        company.save()
        values = snapshot(company, AUDITED)
        record_change(
            actor, company, AuditAction.CREATE, {k: [None, v] for k, v in values.items() if v}
        )
    return company


def _lock(company: Company, expected_version: int | None) -> Company:
    locked = (
        Company.objects.select_for_update(of=("self",)).select_related("owner").get(pk=company.pk)
    )
    if expected_version is not None and locked.version != expected_version:
        raise PreconditionFailed(
            f"Someone changed this company since you opened it (now version {locked.version}).",
            current_version=locked.version,
        )
    return locked


def update_company(
    actor: User, company: Company, data: dict[str, Any], *, expected_version: int | None = None
) -> Company:
    ensure_can_edit(actor, company)
    cleaned = _clean(data, company)
    if "owner" in cleaned and cleaned["owner"] != company.owner:
        ensure_can_assign_owner(actor, cleaned["owner"])
    with transaction.atomic():
        company = _lock(company, expected_version)
        ensure_can_edit(actor, company)
        before = snapshot(company, AUDITED)
        _set(company, cleaned)
        changes = diff(before, snapshot(company, AUDITED))
        if changes:
            company.version += 1
            company.save()
            record_change(actor, company, AuditAction.UPDATE, changes)
            if "name" in changes:
                index_contacts(company.contacts.values_list("pk", flat=True))
    return company


def set_company_archived(
    actor: User, company: Company, archived: bool, *, expected_version: int | None = None
) -> Company:
    ensure_can_edit(actor, company)
    with transaction.atomic():
        company = _lock(company, expected_version)
        if company.is_archived != archived:
            company.is_archived = archived
            company.archived_at = timezone.now() if archived else None
            company.version += 1
            company.save()
            action = AuditAction.ARCHIVE if archived else AuditAction.RESTORE
            record_change(actor, company, action, {"is_archived": [not archived, archived]})
    return company


def delete_company(actor: User, company: Company, *, expected_version: int | None = None) -> None:
    """Delete an account; its contacts stay, unlinked, so no person's history is lost."""
    ensure_can_edit(actor, company)
    with transaction.atomic():
        company = _lock(company, expected_version)
        values = snapshot(company, AUDITED)
        record_change(actor, company, AuditAction.DELETE, {k: [v, None] for k, v in values.items()})
        former_contacts = list(company.contacts.values_list("pk", flat=True))
        company.delete()
        index_contacts(former_contacts)


def find_matching_company(name: str, domain: str = "") -> Company | None:
    """An existing account with the same domain, else the same folded name."""
    if domain:
        match = Company.objects.filter(domain=domain, is_archived=False).first()
        if match:
            return match
    key = fold(name)
    return Company.objects.filter(name_key=key, is_archived=False).first() if key else None


# --- relations beyond the employer ------------------------------------------------------------


def add_account_relation(actor: User, contact: Any, company: Company, role: str) -> AccountRelation:
    ensure_can_edit(actor, contact)
    role = " ".join(str(role or "").split())
    if not role:
        raise ValidationFailed.single("role", "Say how the contact relates to the account.")
    if len(role) > 100:
        raise ValidationFailed.single("role", "At most 100 characters.")
    if company.pk == contact.company_id:
        raise ValidationFailed.single(
            "company_id", "That is the contact's employer already; pick another account."
        )
    with transaction.atomic():
        relation, created = AccountRelation.objects.get_or_create(
            contact=contact, company=company, role=role
        )
        if created:
            record_change(
                actor,
                contact,
                AuditAction.UPDATE,
                {"account_relations": [None, f"{role} at {company}"]},
            )
    return relation


def remove_account_relation(actor: User, relation: AccountRelation) -> None:
    ensure_can_edit(actor, relation.contact)
    with transaction.atomic():
        record_change(
            actor,
            relation.contact,
            AuditAction.UPDATE,
            {"account_relations": [f"{relation.role} at {relation.company}", None]},
        )
        relation.delete()


def get_account_relation(actor: User, relation_id: Any) -> AccountRelation:
    ensure_can_view(actor)
    relation = (
        AccountRelation.objects.select_related("contact", "company")
        .filter(pk=parse_id(relation_id) or -1)
        .first()
    )
    if relation is None:
        raise NotFound(f"No account relation with id {relation_id}.")
    return relation


def account_relations_for(actor: User, contact: Any) -> list[AccountRelation]:
    """A contact's labelled ties to accounts other than the employer (added for the REST API)."""
    ensure_can_view(actor)
    return list(contact.account_relations.select_related("company").order_by("role", "id"))
