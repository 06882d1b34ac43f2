"""API schemas for contacts, tags and account relations."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Schema

from peoplebase.api.common import (
    BodyVersion,
    CompanyRef,
    DuplicateCandidateOut,
    InputSchema,
    OwnerId,
    PageParams,
    RecordId,
    ShortText,
    UserRef,
    web_url,
)
from peoplebase.contacts.models import (
    BuyingRole,
    ConsentStatus,
    ConsentType,
    ContactStatus,
    EmailKind,
    GdprBasis,
    PhoneKind,
    Seniority,
)
from peoplebase.normalize import fold


def _one_of(enum: Any, blank: bool = False) -> str:
    values = ", ".join(f"`{v}`" for v in enum.values)
    return f"One of {values}" + (" (empty clears it)." if blank else ".")


# --- input ------------------------------------------------------------------------------------


class ContactEmailIn(InputSchema):
    """One email address; the list you send replaces the contact's addresses."""

    email: str = Field(..., max_length=320, examples=["ada@example.com"])
    kind: str | None = Field(None, description=_one_of(EmailKind))
    is_primary: bool = False
    is_bounced: bool = False
    is_opted_out: bool = False


class ContactPhoneIn(InputSchema):
    """One phone number, as typed; it is stored as E.164 when it can be read."""

    number: str = Field(..., max_length=60, examples=["+1 415 555 0100"])
    kind: str | None = Field(None, description=_one_of(PhoneKind))
    is_primary: bool = False


class ContactFieldsIn(InputSchema):
    """The writable contact fields; absent fields stay as they are, null or "" clears."""

    first_name: str | None = None
    last_name: str | None = None
    full_name: str | None = Field(
        None, description="Split into first and last name when those are not given."
    )
    job_title: str | None = None
    department: str | None = None
    seniority: str | None = Field(None, description=_one_of(Seniority, blank=True))
    role: str | None = Field(
        None, description="Buying-committee role. " + _one_of(BuyingRole, blank=True)
    )
    status: str | None = Field(None, description=_one_of(ContactStatus))
    birthday: str | None = Field(
        None,
        description='ISO 8601 date ("1980-03-07"), or "--03-07" when the year is unknown.',
        examples=["1980-03-07", "--03-07"],
    )
    lead_score: int | None = Field(None, description="A whole number from 0 to 100.")
    source: str | None = None
    company_id: RecordId | None = None
    owner_id: OwnerId = None
    linkedin_url: str | None = None
    twitter_handle: str | None = None
    street: str | None = None
    street2: str | None = None
    city: str | None = None
    region: str | None = None
    postal_code: str | None = None
    country: str | None = Field(None, description="An ISO 3166 code or a country name.")
    consent_status: str | None = Field(None, description=_one_of(ConsentStatus))
    consent_type: str | None = Field(None, description=_one_of(ConsentType, blank=True))
    consent_date: dt.datetime | None = None
    consent_source: str | None = None
    gdpr_basis: str | None = Field(None, description=_one_of(GdprBasis, blank=True))
    last_contacted_at: dt.datetime | None = None
    emails: list[ContactEmailIn] | None = Field(None, description="Replaces every address.")
    phones: list[ContactPhoneIn] | None = Field(None, description="Replaces every number.")
    tags: list[str] | None = Field(None, description="Tag names; replaces the contact's tags.")
    custom_fields: dict[str, Any] | None = Field(
        None, description="Custom field values by key; merged into the stored values."
    )


class ContactCreateIn(ContactFieldsIn):
    """A new contact: at least a name or an email address."""

    allow_duplicate: bool = Field(
        False, description="Create it even when it looks like an existing contact."
    )


class ContactUpdateIn(ContactFieldsIn):
    """Only the fields you send change."""

    version: BodyVersion = None


class JobChangeIn(InputSchema):
    """The person moved to another company: a new contact there continues their story."""

    company_id: RecordId = Field(..., description="The new employer.")
    job_title: str | None = None
    department: str | None = None
    seniority: str | None = None
    role: str | None = None
    emails: list[ContactEmailIn] | None = Field(
        None, description="New work addresses; personal ones come along by themselves."
    )
    phones: list[ContactPhoneIn] | None = Field(
        None, description="New work numbers; mobile and home numbers come along."
    )
    custom_fields: dict[str, Any] | None = None


class ArchiveIn(InputSchema):
    """Optional body of archive and restore."""

    version: int | None = None


class AccountRelationIn(InputSchema):
    """A labelled tie to an account other than the employer (advisor, board member…)."""

    company_id: RecordId
    role: str = Field(..., max_length=100, examples=["Board member"])


class TagIn(InputSchema):
    """A tag's name (unique regardless of case)."""

    name: str = Field(..., max_length=50)


_DATE_HELP = (
    "An ISO date (`2024-01-31`), date and time, or an age such as `90d`, `12w`, `6m`, `1y` "
    "(that long ago)."
)


def _filter(description: str) -> Any:
    return Field("", description=description)


class ContactListParams(PageParams):
    """Search, filters and order of the contact list (filters combine with AND)."""

    q: ShortText = Field("", description="Name starts/contains, or email prefix.")
    status: ShortText = _filter("One or more, comma-separated: " + _one_of(ContactStatus))
    company: ShortText = _filter("A company id, or `none` for contacts without a company.")
    owner: ShortText = _filter("A user id, `me` or `none`.")
    tags_any: ShortText = _filter("Comma-separated tag names; contacts with at least one.")
    tags_all: ShortText = _filter("Comma-separated tag names; contacts with every one.")
    tags_none: ShortText = _filter("Comma-separated tag names; contacts with none of them.")
    lead_score_min: ShortText = _filter("Lowest lead score, 0–100 (inclusive).")
    lead_score_max: ShortText = _filter("Highest lead score, 0–100 (inclusive).")
    consent_status: ShortText = _filter("One or more, comma-separated: " + _one_of(ConsentStatus))
    gdpr_basis: ShortText = _filter("One or more, comma-separated: " + _one_of(GdprBasis))
    country: ShortText = _filter("An ISO code (`DE`) or a country name (`Germany`).")
    role: ShortText = _filter("Buying role; one or more, comma-separated: " + _one_of(BuyingRole))
    source: ShortText = _filter("Exact source, case ignored.")
    seniority: ShortText = _filter("One or more, comma-separated: " + _one_of(Seniority))
    created_after: ShortText = _filter(f"Created on or after. {_DATE_HELP}")
    created_before: ShortText = _filter(f"Created before. {_DATE_HELP}")
    last_contacted_after: ShortText = _filter(f"Last contacted on or after. {_DATE_HELP}")
    last_contacted_before: ShortText = _filter(
        f"Last contacted before; includes contacts never contacted. {_DATE_HELP}"
    )
    last_activity_after: ShortText = _filter(f"Last activity on or after. {_DATE_HELP}")
    last_activity_before: ShortText = _filter(
        "Last activity before; includes contacts with no activity at all "
        f"(`90d`: no activity in the last 90 days). {_DATE_HELP}"
    )
    has_activity: ShortText = _filter("`true` or `false`: any activity logged at all.")
    has_email: ShortText = _filter("`true` or `false`.")
    has_phone: ShortText = _filter("`true` or `false`.")
    archived: ShortText = _filter("`false` (default): live contacts; `true`: archived; `any`.")
    company_id: ShortText = _filter("Deprecated name of `company`.")
    tag: ShortText = _filter("Deprecated name of `tags_any`.")
    sort: ShortText = Field(
        "",
        description="name, -name, email, -email, created, -created, updated, -updated, "
        "score, -score, last_activity, -last_activity, or relevance (best search matches "
        "first; needs q). Default: relevance when q is given, else name.",
    )
    include_count: bool = Field(
        False, description="Add `count`: exact up to 1,000, beyond an estimate (see below)."
    )


# --- output -----------------------------------------------------------------------------------


class ContactEmailOut(Schema):
    email: str
    original: str
    kind: str
    is_primary: bool
    is_bounced: bool
    is_opted_out: bool


class ContactPhoneOut(Schema):
    number: str = Field(..., description="E.164 when it could be read, else as typed.")
    original: str
    kind: str
    is_primary: bool
    is_valid: bool


class ContactOut(Schema):
    """A contact with everything on its record."""

    id: int
    first_name: str
    last_name: str
    full_name: str
    email: str = Field(..., description="The primary email address.")
    phone: str = Field(..., description="The primary phone number.")
    emails: list[ContactEmailOut]
    phones: list[ContactPhoneOut]
    tags: list[str]
    company: CompanyRef | None
    owner: UserRef | None
    job_title: str
    department: str
    seniority: str
    role: str
    status: str
    lead_score: int
    source: str
    linkedin_url: str
    twitter_handle: str
    birthday: str = Field(
        ..., description='"1980-03-07", "--03-07" when the year is unknown, "" when not known.'
    )
    street: str
    street2: str
    city: str
    region: str
    postal_code: str
    country: str
    consent_status: str
    consent_type: str
    consent_date: dt.datetime | None
    consent_source: str
    gdpr_basis: str
    last_contacted_at: dt.datetime | None
    last_activity_at: dt.datetime | None
    is_archived: bool
    archived_at: dt.datetime | None
    previous_contact_id: int | None = Field(
        ..., description="After a job change: the record at the earlier employer."
    )
    created_by_id: int | None
    custom_fields: dict[str, Any]
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime
    url: str | None = Field(..., description="The contact's page in the web UI.")

    # Pages load children as plain rows (services.attach_children); single records may not.
    @staticmethod
    def resolve_emails(obj: Any) -> list[Any]:
        rows = getattr(obj, "email_rows", None)
        return rows if rows is not None else list(obj.emails.all())

    @staticmethod
    def resolve_phones(obj: Any) -> list[Any]:
        rows = getattr(obj, "phone_rows", None)
        return rows if rows is not None else list(obj.phones.all())

    @staticmethod
    def resolve_tags(obj: Any) -> list[str]:
        names = getattr(obj, "tag_names", None)
        if names is not None:
            return names
        return sorted((link.tag.name for link in obj.tag_links.all()), key=fold)

    @staticmethod
    def resolve_url(obj: Any, context: Any) -> str | None:
        return web_url(obj, context)


def _company_ref(contact: Any) -> dict[str, Any] | None:
    company = contact.company
    return None if company is None else {"id": company.pk, "name": company.name}


def _owner_ref(contact: Any) -> dict[str, Any] | None:
    owner = contact.owner
    if owner is None:
        return None
    return {"id": owner.pk, "email": owner.email, "name": owner.display_name}


# ContactOut fields that are not plain attributes of the contact, and how a page row gets them.
_ROW_FIELDS: dict[str, Any] = {
    "emails": lambda contact, request: [
        {name: row[name] for name in ContactEmailOut.model_fields} for row in contact.email_rows
    ],
    "phones": lambda contact, request: [
        {name: row[name] for name in ContactPhoneOut.model_fields} for row in contact.phone_rows
    ],
    "tags": lambda contact, request: list(contact.tag_names),
    "company": lambda contact, request: _company_ref(contact),
    "owner": lambda contact, request: _owner_ref(contact),
    "url": lambda contact, request: web_url(contact, {"request": request}),
}


def contact_page_rows(contacts: list[Any], request: Any) -> list[dict[str, Any]]:
    """A page of contacts as ContactOut dicts, built directly from the loaded rows.

    The contacts come with their children attached (`services.attach_children`). Validating
    each through ContactOut reads every field via django-ninja's getter and pydantic: 7 ms for
    50 contacts, more than the page's queries. The keys follow ContactOut's fields, so a field
    added there appears here too; tests check the output against ContactOut's own.
    """
    fields = list(ContactOut.model_fields)
    rows = []
    for contact in contacts:
        row = {}
        for name in fields:
            special = _ROW_FIELDS.get(name)
            row[name] = special(contact, request) if special else getattr(contact, name)
        rows.append(row)
    return rows


class ContactWriteOut(ContactOut):
    """A contact just written, with notes on how its input was cleaned."""

    warnings: list[str] = Field(
        default_factory=list, description="E.g. a phone number that could not be read."
    )


class ContactPageOut(Schema):
    items: list[ContactOut]
    next_cursor: str | None
    prev_cursor: str | None
    count: int | None = Field(None, description="Only with `include_count=true`.")
    count_is_estimate: bool | None = Field(
        None,
        description="Only with `include_count=true`: `count` is exact up to 1,000 matches and "
        "an estimate (two significant figures) beyond.",
    )


class DuplicateCheckOut(Schema):
    candidates: list[DuplicateCandidateOut]


class AccountRelationOut(Schema):
    id: int
    contact_id: int
    company: CompanyRef
    role: str
    created_at: dt.datetime


class AccountRelationListOut(Schema):
    items: list[AccountRelationOut]


class TagOut(Schema):
    id: int
    name: str
    contact_count: int
    created_at: dt.datetime

    @staticmethod
    def resolve_contact_count(obj: Any) -> int:
        count = getattr(obj, "contact_count", None)
        return count if count is not None else obj.contact_links.count()


class TagListOut(Schema):
    items: list[TagOut]
