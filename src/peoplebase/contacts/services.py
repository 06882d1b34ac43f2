"""Contact services: the one write path for the UI, the API, the CLI and background jobs."""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from typing import Any

from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from peoplebase.activities.models import ActivityKind
from peoplebase.activities.services import log_activity
from peoplebase.audit.services import AuditAction, diff, record_change, to_json_value
from peoplebase.companies.models import Company
from peoplebase.compliance.suppression import SUPPRESSED_MESSAGE, suppressed_emails
from peoplebase.contacts.cleaning import (
    SCALAR_FIELDS,
    CleanContact,
    CleanEmail,
    CleanPhone,
    clean_contact_input,
    primary_email,
    primary_number,
)
from peoplebase.contacts.duplicates import DuplicateCandidate, find_duplicate_candidates
from peoplebase.contacts.filtering import ContactFilterSpec, apply_filters, parse_filters
from peoplebase.contacts.models import (
    Contact,
    ContactEmail,
    ContactPhone,
    ContactStatus,
    ContactTag,
    EmailKind,
    PhoneKind,
    Tag,
)
from peoplebase.core.errors import (
    DuplicateSuspected,
    ErrorCollector,
    NotFound,
    PreconditionFailed,
    ValidationFailed,
)
from peoplebase.core.lookups import parse_id, resolve_owner
from peoplebase.core.models import WorkspaceSettings
from peoplebase.core.pagination import (
    MAX_LIMIT as MAX_PAGE,
)
from peoplebase.core.pagination import (
    Page,
    Sort,
    decode_offset_cursor,
    encode_offset_cursor,
    paginate,
)
from peoplebase.core.permissions import (
    ensure_can_assign_owner,
    ensure_can_create,
    ensure_can_edit,
    ensure_can_view,
)
from peoplebase.customfields.services import active_definitions
from peoplebase.normalize import fold, sort_key
from peoplebase.search.services import index_contacts, unindex_contacts
from peoplebase.users.models import User

AUDITED_SCALARS = SCALAR_FIELDS

# Searching returns at most this many best matches; filters and sorts then work inside them.
SEARCH_RESULT_CAP = 1000
RELEVANCE_FIRST_WINDOW = 200
RELEVANCE = "relevance"

CONTACT_SORTS: dict[str, Sort] = {
    "name": Sort("sort_name"),
    "-name": Sort("sort_name", descending=True),
    "email": Sort("email"),
    "-email": Sort("email", descending=True),
    "created": Sort("created_at"),
    "-created": Sort("created_at", descending=True),
    "updated": Sort("updated_at"),
    "-updated": Sort("updated_at", descending=True),
    "score": Sort("lead_score"),
    "-score": Sort("lead_score", descending=True),
    "last_activity": Sort("last_activity_at", nullable=True),
    "-last_activity": Sort("last_activity_at", descending=True, nullable=True),
}


@dataclass
class ContactWriteResult:
    contact: Contact
    warnings: list[str] = field(default_factory=list)


@dataclass
class ContactFilters:
    """Search text plus a parsed filter spec; the older keyword filters still work and win."""

    q: str = ""
    status: str = ""
    owner: str = ""  # a user id, "me" or "none"
    company_id: int | None = None
    tag: str = ""
    consent_status: str = ""
    archived: bool = False
    spec: ContactFilterSpec | None = None

    def resolved_spec(self) -> ContactFilterSpec:
        """`spec` with the keyword filters laid over it (validated like any filter)."""
        base = self.spec or ContactFilterSpec()
        legacy = {
            "status": self.status,
            "owner": self.owner,
            "company_id": self.company_id,
            "tag": self.tag,
            "consent_status": self.consent_status,
            "archived": "true" if self.archived else "",
        }
        params = {name: str(value) for name, value in legacy.items() if value not in ("", None)}
        if not params:
            return base
        legacy_spec = parse_filters(params)
        changed = legacy_spec.to_params()
        return replace(base, **{name: getattr(legacy_spec, name) for name in changed})


def workspace_phone_region() -> str:
    return WorkspaceSettings.load().phone_region


def contact_queryset() -> QuerySet[Contact]:
    return Contact.objects.select_related("company", "owner")


# What list pages (web, API, CLI) show of a contact's company and owner. Loading their whole
# rows (addresses, timestamps, the owner's password hash) built and parsed three times the
# columns a page needs.
LIST_RELATED_FIELDS = (
    "company__id",
    "company__name",
    "owner__id",
    "owner__email",
    "owner__first_name",
    "owner__last_name",
)


def _for_list(queryset: QuerySet[Contact]) -> QuerySet[Contact]:
    """`queryset` loading every contact column but only the listed company and owner ones."""
    contact_fields = [field.name for field in Contact._meta.concrete_fields]
    return queryset.only(*contact_fields, *LIST_RELATED_FIELDS)


def get_contact(actor: User | None, contact_id: Any) -> Contact:
    ensure_can_view(actor)
    contact = contact_queryset().filter(pk=parse_id(contact_id) or -1).first()
    if contact is None:
        raise NotFound(f"No contact with id {contact_id}.")
    return contact


def _filtered(actor: User, filters: ContactFilters | ContactFilterSpec) -> QuerySet[Contact]:
    if isinstance(filters, ContactFilterSpec):
        filters = ContactFilters(spec=filters)
    qs = apply_filters(contact_queryset(), filters.resolved_spec(), actor)
    if filters.q.strip():
        qs = qs.filter(pk__in=search_ids(filters.q))
    return qs


def matching_contacts(
    actor: User, filters: ContactFilters | ContactFilterSpec | None = None
) -> QuerySet[Contact]:
    """Every contact matching `filters` (unordered), for bulk jobs and segments."""
    ensure_can_view(actor)
    return _filtered(actor, filters or ContactFilters())


def search_ids(q: str, limit: int = SEARCH_RESULT_CAP, *, archived: bool = True) -> list[int]:
    """The best matches for `q`, best first; filters then narrow this bounded set."""
    from peoplebase.search.services import search_contacts

    return [hit.contact_id for hit in search_contacts(q, limit=limit, archived=archived)]


def _relevance_window(filters: ContactFilters, offset: int, limit: int) -> int:
    """How many ranked matches a relevance page needs.

    The first pages of a search without other filters come from the best 200: fetching and
    ranking 1,000 candidates cost 30 ms of the request at 1M contacts and nobody reads them on
    page one. Filters may discard most candidates, and later pages go deeper, so both rank up to
    SEARCH_RESULT_CAP (moving from 200 to 1,000 re-ranks, and an item may shift across that
    page boundary).
    """
    if offset + limit < RELEVANCE_FIRST_WINDOW and not filters.resolved_spec().to_params():
        return RELEVANCE_FIRST_WINDOW
    return SEARCH_RESULT_CAP


def list_contacts(
    actor: User,
    filters: ContactFilters | ContactFilterSpec | None = None,
    *,
    sort: str = "",
    cursor: str | None = None,
    limit: int = 50,
) -> Page[Contact]:
    """A page of contacts; with search text and no explicit sort, best matches come first."""
    ensure_can_view(actor)
    if isinstance(filters, ContactFilterSpec):
        filters = ContactFilters(spec=filters)
    filters = filters or ContactFilters()
    searching = bool(filters.q.strip())
    sort = sort or (RELEVANCE if searching else "name")
    if sort == RELEVANCE:
        if not searching:
            raise ValidationFailed.single("sort", "Sort by relevance needs search text (q).")
        return _relevance_page(actor, filters, cursor, limit)
    if sort not in CONTACT_SORTS:
        choices = ", ".join([*CONTACT_SORTS, RELEVANCE])
        raise ValidationFailed.single("sort", f"Sort by one of: {choices}.")
    return paginate(_for_list(_filtered(actor, filters)), CONTACT_SORTS[sort], cursor, limit)


def _relevance_page(
    actor: User, filters: ContactFilters, cursor: str | None, limit: int
) -> Page[Contact]:
    """Search results in rank order, paged by position inside the bounded result set."""
    limit = max(1, min(limit, MAX_PAGE))
    offset = decode_offset_cursor(cursor, RELEVANCE) if cursor else 0
    window_size = _relevance_window(filters, offset, limit)
    plain = replace(filters, q="")
    if plain.resolved_spec().is_filtering:
        ranked = search_ids(filters.q, window_size)
        allowed = set(_filtered(actor, plain).filter(pk__in=ranked).values_list("pk", flat=True))
        ordered = [pk for pk in ranked if pk in allowed]
    else:
        # Live contacts only, the default: the search's own check against the contacts table
        # drops the archived ones, which saves reading the candidates a second time.
        ordered = search_ids(filters.q, window_size, archived=False)
    window = ordered[offset : offset + limit]
    rows = _for_list(contact_queryset()).in_bulk(window)
    page: Page[Contact] = Page(items=[rows[pk] for pk in window if pk in rows])
    if offset + limit < len(ordered):
        page.next_cursor = encode_offset_cursor(RELEVANCE, offset + limit)
    if offset > 0:
        page.prev_cursor = encode_offset_cursor(RELEVANCE, max(0, offset - limit))
    return page


EMAIL_OUT_FIELDS = ("email", "original", "kind", "is_primary", "is_bounced", "is_opted_out")
PHONE_OUT_FIELDS = ("number", "original", "kind", "is_primary", "is_valid")


def attach_children(contacts: list[Contact]) -> None:
    """Set `email_rows`, `phone_rows` (plain dicts, primary first) and `tag_names` on each.

    Plain rows instead of prefetched model instances: a page of 50 contacts carries about 200
    child rows, and building model instances for them cost more than the page's own query.
    """
    by_id = {contact.pk: contact for contact in contacts}
    for contact in contacts:
        contact.email_rows, contact.phone_rows = [], []  # type: ignore[attr-defined]
    if not by_id:
        return
    ids = list(by_id)
    emails = ContactEmail.objects.filter(contact_id__in=ids).order_by("-is_primary", "id")
    for row in emails.values("contact_id", *EMAIL_OUT_FIELDS):
        by_id[row.pop("contact_id")].email_rows.append(row)  # type: ignore[attr-defined]
    phones = ContactPhone.objects.filter(contact_id__in=ids).order_by("-is_primary", "id")
    for row in phones.values("contact_id", *PHONE_OUT_FIELDS):
        by_id[row.pop("contact_id")].phone_rows.append(row)  # type: ignore[attr-defined]
    attach_tag_names(contacts)


def attach_tag_names(contacts: list[Contact]) -> None:
    """Set `tag_names` (sorted as people read them) on each contact, in one query."""
    by_id = {contact.pk: contact for contact in contacts}
    for contact in contacts:
        contact.tag_names = []  # type: ignore[attr-defined]
    links = ContactTag.objects.filter(contact_id__in=list(by_id)).values_list(
        "contact_id", "tag__name"
    )
    for contact_id, name in links if by_id else ():
        by_id[contact_id].tag_names.append(name)  # type: ignore[attr-defined]
    for contact in contacts:
        contact.tag_names.sort(key=fold)  # type: ignore[attr-defined]


@dataclass(frozen=True)
class ContactCount:
    """How many contacts match: exact, or an estimate shown as "about N"."""

    value: int
    exact: bool


# Up to this many matches are counted exactly (the count stops there, so it stays cheap).
EXACT_COUNT_LIMIT = 1_000
# PostgreSQL's planner estimate is used without counting when it is this far above the limit.
PLANNER_TRUSTED_ABOVE = 10 * EXACT_COUNT_LIMIT
SAMPLE_WINDOWS = 8
SAMPLE_WIDTH = 2_000


def estimate_contacts(
    actor: User, filters: ContactFilters | ContactFilterSpec | None = None
) -> ContactCount:
    """Exact when few match; otherwise an estimate that costs the same at any size."""
    ensure_can_view(actor)
    filters = filters or ContactFilters()
    if isinstance(filters, ContactFilterSpec):
        filters = ContactFilters(spec=filters)
    resolved = filters.resolved_spec()
    queryset = _filtered(actor, filters)
    estimate = _planner_estimate(queryset) if connection.vendor == "postgresql" else None
    if estimate is not None and estimate > PLANNER_TRUSTED_ABOVE:
        # Far above the exact limit by the statistics: counting even 1,001 matches would read
        # them (70 ms for a two-filter list at 1M), and the answer would be "about N" anyway.
        return ContactCount(round_estimate(estimate), exact=False)
    exact = queryset.order_by()[: EXACT_COUNT_LIMIT + 1].count()
    if exact <= EXACT_COUNT_LIMIT:
        return ContactCount(exact, exact=True)
    if estimate is None:
        row_by_row = resolved.owner is not None
        estimate = _sampled_estimate(queryset, row_by_row=row_by_row)
    return ContactCount(round_estimate(max(estimate, EXACT_COUNT_LIMIT + 1)), exact=False)


def _planner_estimate(queryset: QuerySet[Contact]) -> int | None:
    try:
        plan = json.loads(queryset.order_by().explain(format="json"))
        return int(plan[0]["Plan"]["Plan Rows"])
    except (ValueError, KeyError, IndexError, TypeError):
        return None


def _sampled_estimate(queryset: QuerySet[Contact], *, row_by_row: bool = False) -> int:
    """Share of matches in evenly spread id windows, scaled to the whole id range.

    One query over the windows (SQLite walks them by rowid, or by an index ending in id such as
    status's). With `row_by_row` each row is tested with a correlated EXISTS instead: for an owner
    filter SQLite would otherwise walk the owner's index over the whole table (75,000 rows a
    rep at 1M); the correlated test costs about 2 µs a row, so it is kept for that case only.
    """
    ids = Contact.objects.values_list("id", flat=True)
    # Two single-ended lookups: SQLite's min/max shortcut does not apply to MIN and MAX together.
    low, high = ids.order_by("id").first() or 0, ids.order_by("-id").first() or 0
    span = high - low + 1
    width = min(SAMPLE_WIDTH, span)
    step = max(1, (span - width) // max(1, SAMPLE_WINDOWS - 1))
    starts = sorted({low + index * step for index in range(SAMPLE_WINDOWS)})
    windows = Q()
    for start in starts:
        windows |= Q(id__range=(start, start + width - 1))
    if row_by_row:
        matching = queryset.order_by().filter(pk=OuterRef("pk"))
        matched = Contact.objects.filter(windows).filter(Exists(matching)).count()
    else:
        matched = queryset.order_by().filter(windows).count()
    sampled = len(starts) * width
    return round(matched / sampled * span) if sampled else 0


def round_estimate(value: int) -> int:
    """Two significant figures: an estimate should not look more precise than it is."""
    if value < 100:
        return value
    magnitude = 10 ** (len(str(value)) - 2)
    return round(value / magnitude) * magnitude


def count_contacts(
    actor: User, filters: ContactFilters | ContactFilterSpec | None = None, cap: int = 10_000
) -> int:
    """Exact count up to `cap`; beyond it the caller shows "cap+" (exact counts get slow)."""
    ensure_can_view(actor)
    return _filtered(actor, filters or ContactFilters())[: cap + 1].count()


# --- writes -------------------------------------------------------------------------------


def _audit_state(contact: Contact) -> dict[str, Any]:
    state = {name: to_json_value(getattr(contact, name)) for name in AUDITED_SCALARS}
    state["company"] = str(contact.company) if contact.company_id else None
    state["owner"] = contact.owner.email if contact.owner_id else None
    state["emails"] = [e.email for e in contact.emails.all()]
    state["phones"] = [p.number for p in contact.phones.all()]
    state["tags"] = sorted(t.tag.name for t in contact.tag_links.select_related("tag"))
    # One history row per custom field, so a change reads "Budget: 10 → 20", not a whole dict.
    for key, value in contact.custom_fields.items():
        state[f"custom_fields.{key}"] = to_json_value(value)
    return state


def _resolve_relations(actor: User, data: dict[str, Any], errors: ErrorCollector) -> dict:
    resolved: dict[str, Any] = {}
    if "company_id" in data:
        company_id = data["company_id"]
        if company_id in (None, ""):
            resolved["company"] = None
        else:
            company = Company.objects.filter(pk=_as_int(company_id)).first()
            if company is None:
                errors.add("company_id", f"No company with id {company_id}.")
            resolved["company"] = company
    if "owner_id" in data:
        resolved["owner"] = resolve_owner(data["owner_id"], errors)
    return resolved


def _as_int(value: Any) -> int:
    return parse_id(value) or -1


def _apply(contact: Contact, clean: CleanContact, relations: dict[str, Any]) -> None:
    for name, value in clean.scalars.items():
        setattr(contact, name, value)
    for name, value in relations.items():
        setattr(contact, name, value)
    if clean.custom_fields is not None:
        contact.custom_fields = clean.custom_fields
    contact.sort_name = sort_key(contact.first_name, contact.last_name, contact.full_name)
    if clean.emails is not None:
        contact.email = primary_email(clean.emails)
    if clean.phones is not None:
        contact.phone = primary_number(clean.phones)


def _save_emails(contact: Contact, emails: list[CleanEmail] | None) -> None:
    if emails is None:
        return
    contact.emails.exclude(email__in=[e.email for e in emails]).delete()
    existing = {e.email: e for e in contact.emails.all()}
    for item in emails:
        row = existing.get(item.email) or ContactEmail(contact=contact, email=item.email)
        row.original, row.kind, row.is_primary = item.original, item.kind, item.is_primary
        row.is_bounced, row.is_opted_out = item.is_bounced, item.is_opted_out
        row.save()


def _save_phones(contact: Contact, phones: list[CleanPhone] | None) -> None:
    if phones is None:
        return
    contact.phones.all().delete()
    ContactPhone.objects.bulk_create(
        ContactPhone(
            contact=contact,
            number=p.number,
            original=p.original,
            kind=p.kind,
            is_primary=p.is_primary,
            is_valid=p.is_valid,
        )
        for p in phones
    )


def get_or_create_tags(names: list[str]) -> list[Tag]:
    tags = []
    for name in names:
        tag, _ = Tag.objects.get_or_create(name_key=fold(name)[:50], defaults={"name": name})
        tags.append(tag)
    return tags


def _save_tags(contact: Contact, names: list[str] | None) -> None:
    if names is None:
        return
    tags = get_or_create_tags(names)
    contact.tag_links.exclude(tag__in=tags).delete()
    have = set(contact.tag_links.values_list("tag_id", flat=True))
    ContactTag.objects.bulk_create(
        ContactTag(contact=contact, tag=t) for t in tags if t.pk not in have
    )


def _check_identity(clean: CleanContact, instance: Contact | None, errors: ErrorCollector) -> None:
    has_name = bool(clean.scalars.get("full_name", instance.full_name if instance else ""))
    has_email = (
        bool(clean.emails) if clean.emails is not None else bool(instance and instance.email)
    )
    if not has_name and not has_email:
        errors.add("full_name", "Give at least a name or an email address.")


def _check_suppression(
    clean: CleanContact, instance: Contact | None, errors: ErrorCollector
) -> None:
    """Refuse addresses erased at a person's request (GDPR suppression list)."""
    if not clean.emails:
        return
    # Addresses the contact already carries stay editable; only new ones are checked.
    kept = set(instance.emails.values_list("email", flat=True)) if instance else set()
    blocked = suppressed_emails(e.email for e in clean.emails if e.email not in kept)
    for index, item in enumerate(clean.emails):
        if item.email in blocked:
            errors.add(f"emails.{index}.email", SUPPRESSED_MESSAGE)


def duplicate_candidates_for(
    clean: CleanContact, company: Company | None, exclude_id: int | None = None
) -> list[DuplicateCandidate]:
    return find_duplicate_candidates(
        emails=[e.email for e in clean.emails or []],
        phones=[p.number for p in clean.phones or [] if p.is_valid],
        full_name=" ".join(
            p for p in (clean.scalars.get("first_name"), clean.scalars.get("last_name")) if p
        )
        or clean.scalars.get("full_name", ""),
        company_id=company.pk if company else None,
        company_name=company.name if company else None,
        birthday=clean.scalars.get("birthday") or "",
        exclude_id=exclude_id,
    )


def check_duplicates(actor: User, data: dict[str, Any]) -> list[DuplicateCandidate]:
    """The live warning while someone types a new contact; invalid bits of input are ignored."""
    ensure_can_view(actor)
    errors = ErrorCollector()
    safe = {k: v for k, v in data.items() if k != "custom_fields"}
    clean = clean_contact_input(
        {**safe, "custom_fields": {}}, instance=None, region=workspace_phone_region(), errors=errors
    )
    company = _resolve_relations(actor, {"company_id": data.get("company_id")}, errors).get(
        "company"
    )
    return duplicate_candidates_for(clean, company)


def create_contact(
    actor: User, data: dict[str, Any], *, allow_duplicate: bool = False
) -> ContactWriteResult:
    """Create a contact; raise DuplicateSuspected unless `allow_duplicate` when it looks known."""
    ensure_can_create(actor, "contacts")
    errors = ErrorCollector()
    clean = clean_contact_input(data, instance=None, region=workspace_phone_region(), errors=errors)
    relations = _resolve_relations(actor, data, errors)
    _check_identity(clean, None, errors)
    _check_suppression(clean, None, errors)
    errors.raise_if_any()
    relations.setdefault("owner", actor)
    ensure_can_assign_owner(actor, relations["owner"])
    if not allow_duplicate:
        candidates = duplicate_candidates_for(clean, relations.get("company"))
        if candidates:
            raise DuplicateSuspected(candidates)
    with transaction.atomic():
        contact = Contact(created_by=actor)
        _apply(contact, clean, relations)
        contact.save()
        _save_emails(contact, clean.emails or [])
        _save_phones(contact, clean.phones or [])
        _save_tags(contact, clean.tags or [])
        index_contacts([contact.pk])
        state = _audit_state(contact)
        record_change(
            actor,
            contact,
            AuditAction.CREATE,
            {k: [None, v] for k, v in state.items() if v not in (None, "", [], {}, 0)},
        )
    return ContactWriteResult(contact, clean.warnings)


def _lock(contact: Contact, expected_version: int | None) -> Contact:
    locked = contact_queryset().select_for_update(of=("self",)).get(pk=contact.pk)
    if expected_version is not None and locked.version != expected_version:
        raise PreconditionFailed(
            f"Someone changed this contact since you opened it (now version {locked.version}, "
            f"you had {expected_version}). Reload and apply your change again.",
            current_version=locked.version,
        )
    return locked


def update_contact(
    actor: User, contact: Contact, data: dict[str, Any], *, expected_version: int | None = None
) -> ContactWriteResult:
    """Change the fields present in `data`; lists (emails, phones, tags) replace the old set."""
    ensure_can_edit(actor, contact)
    errors = ErrorCollector()
    clean = clean_contact_input(
        data, instance=contact, region=workspace_phone_region(), errors=errors
    )
    relations = _resolve_relations(actor, data, errors)
    _check_identity(clean, contact, errors)
    _check_suppression(clean, contact, errors)
    errors.raise_if_any()
    if "owner" in relations and relations["owner"] != contact.owner:
        ensure_can_assign_owner(actor, relations["owner"])
    with transaction.atomic():
        contact = _lock(contact, expected_version)
        ensure_can_edit(actor, contact)
        before = _audit_state(contact)
        _apply(contact, clean, relations)
        _save_emails(contact, clean.emails)
        _save_phones(contact, clean.phones)
        _save_tags(contact, clean.tags)
        changes = diff(before, _audit_state(contact))
        if changes:
            contact.version += 1
            contact.save()
            record_change(actor, contact, AuditAction.UPDATE, changes)
            index_contacts([contact.pk])
    return ContactWriteResult(contact, clean.warnings)


def set_archived(
    actor: User, contact: Contact, archived: bool, *, expected_version: int | None = None
) -> Contact:
    ensure_can_edit(actor, contact)
    with transaction.atomic():
        contact = _lock(contact, expected_version)
        if contact.is_archived == archived:
            return contact
        contact.is_archived = archived
        contact.archived_at = timezone.now() if archived else None
        contact.version += 1
        contact.save(update_fields=["is_archived", "archived_at", "version", "updated_at"])
        action = AuditAction.ARCHIVE if archived else AuditAction.RESTORE
        record_change(actor, contact, action, {"is_archived": [not archived, archived]})
    return contact


def delete_contact(actor: User, contact: Contact, *, expected_version: int | None = None) -> None:
    """Delete a contact and its timeline; the audit log keeps what it held."""
    ensure_can_edit(actor, contact)
    with transaction.atomic():
        contact = _lock(contact, expected_version)
        state = _audit_state(contact)
        record_change(actor, contact, AuditAction.DELETE, {k: [v, None] for k, v in state.items()})
        unindex_contacts([contact.pk])
        contact.delete()


def add_tags(actor: User, contact: Contact, names: list[str]) -> Contact:
    current = [link.tag.name for link in contact.tag_links.select_related("tag")]
    return update_contact(actor, contact, {"tags": current + list(names)}).contact


def remove_tags(actor: User, contact: Contact, names: list[str]) -> Contact:
    drop = {fold(n) for n in names}
    current = [link.tag.name for link in contact.tag_links.select_related("tag")]
    return update_contact(
        actor, contact, {"tags": [n for n in current if fold(n) not in drop]}
    ).contact


def tag_names(contact: Contact) -> list[str]:
    return sorted((link.tag.name for link in contact.tag_links.select_related("tag")), key=fold)


# --- job change -------------------------------------------------------------------------------

CARRIED_OVER = (
    "first_name",
    "last_name",
    "full_name",
    "linkedin_url",
    "twitter_handle",
    "country",
    "birthday",
)


def change_job(actor: User, contact: Contact, data: dict[str, Any]) -> ContactWriteResult:
    """Start a new contact at the new employer, linked to the old one, whose history stays put.

    `data` holds the new record's company_id plus any fields of the new role (job title, work
    email, phones). Personal emails and mobile/home phones come along; work ones stay behind.
    """
    contact = get_contact(actor, contact.pk)  # carry over what is stored, not a stale copy
    ensure_can_edit(actor, contact)
    if not data.get("company_id"):
        raise ValidationFailed.single("company_id", "Choose the contact's new company.")
    if _as_int(data["company_id"]) == contact.company_id:
        raise ValidationFailed.single("company_id", "That is the contact's current company.")
    carried: dict[str, Any] = {name: getattr(contact, name) for name in CARRIED_OVER}
    carried["emails"] = data.get("emails") or []
    carried["emails"] = carried["emails"] + [
        {"email": e.email, "kind": e.kind, "is_opted_out": e.is_opted_out, "is_primary": False}
        for e in contact.emails.filter(kind=EmailKind.PERSONAL)
    ]
    carried["phones"] = (data.get("phones") or []) + [
        {"number": p.number, "kind": p.kind}
        for p in contact.phones.filter(kind__in=[PhoneKind.MOBILE, PhoneKind.HOME])
    ]
    carried["tags"] = tag_names(contact)
    live = active_definitions()
    kept = {key: value for key, value in contact.custom_fields.items() if key in live}
    carried["custom_fields"] = {**kept, **(data.get("custom_fields") or {})}
    carried["owner_id"] = contact.owner_id
    skip = ("emails", "phones", "custom_fields")
    new_data = {**carried, **{k: v for k, v in data.items() if k not in skip}}
    with transaction.atomic():
        result = create_contact(actor, new_data, allow_duplicate=True)
        new = result.contact
        new.previous_contact = contact
        new.save(update_fields=["previous_contact"])
        old_company = str(contact.company) if contact.company_id else "no company"
        if contact.status == ContactStatus.ACTIVE:
            update_contact(actor, contact, {"status": ContactStatus.INACTIVE})
        summary = f"Moved from {old_company} to {new.company}."
        for record, link in ((contact, new), (new, contact)):
            log_activity(
                kind=ActivityKind.JOB_CHANGED,
                contact=record,
                company=record.company,
                actor=actor,
                subject="Job change",
                body=summary,
                metadata={"linked_contact_id": link.pk},
            )
    return result
