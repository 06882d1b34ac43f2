"""API schemas for leads and their conversion."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Schema

from peoplebase.api.common import (
    BodyVersion,
    CompanyRef,
    ContactRef,
    InputSchema,
    OwnerFilter,
    OwnerId,
    PageParams,
    RecordId,
    ShortText,
    UserRef,
    web_url,
)
from peoplebase.companies.schemas import CompanyOut
from peoplebase.contacts.schemas import ContactOut
from peoplebase.leads.models import LeadStatus
from peoplebase.leads.services import SETTABLE_STATUSES

STATUSES = ", ".join(f"`{v}`" for v in LeadStatus.values)
SETTABLE = ", ".join(f"`{v}`" for v in SETTABLE_STATUSES)


class LeadFieldsIn(InputSchema):
    """The writable lead fields; absent fields stay as they are, null or "" clears."""

    company_name: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    full_name: str | None = Field(None, description="Split into first and last name.")
    email: str | None = None
    phone: str | None = None
    job_title: str | None = None
    website: str | None = None
    source: str | None = None
    status: str | None = Field(None, description=f"One of {SETTABLE} (conversion sets the rest).")
    disqualified_reason: str | None = None
    notes: str | None = None
    owner_id: OwnerId = None


class LeadCreateIn(LeadFieldsIn):
    """A new lead; `company_name` is required."""

    company_name: str = Field(..., examples=["Globex"])


class LeadUpdateIn(LeadFieldsIn):
    """Only the fields you send change."""

    version: BodyVersion = None


class LeadConvertIn(InputSchema):
    """How to convert: link existing records or let new ones be made from the lead."""

    company_id: RecordId | None = Field(
        None, description="An existing account to convert into; else one is created."
    )
    contact_id: RecordId | None = Field(
        None, description="An existing contact the lead's person is; else one is created."
    )
    create_contact: bool = Field(
        True, description="Make a contact from the lead's person when no contact_id is given."
    )
    version: BodyVersion = None


class LeadListParams(PageParams):
    """Filters and order of the lead list."""

    q: ShortText = Field("", description="Company or person name contains, or email prefix.")
    status: ShortText = Field("", description=f"One of {STATUSES}.")
    owner: OwnerFilter = Field("", description="A user id, `me` or `none`.")
    sort: ShortText = Field("-created", description="-created, created, company")


class LeadOut(Schema):
    """A lead."""

    id: int
    company_name: str
    first_name: str
    last_name: str
    full_name: str
    email: str
    phone: str
    phone_original: str
    job_title: str
    website: str
    source: str
    status: str
    disqualified_reason: str
    notes: str
    owner: UserRef | None
    converted_at: dt.datetime | None
    converted_company: CompanyRef | None
    converted_contact: ContactRef | None
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime
    url: str | None = Field(..., description="The lead's page in the web UI.")

    @staticmethod
    def resolve_url(obj: Any, context: Any) -> str | None:
        return web_url(obj, context)


class LeadPageOut(Schema):
    items: list[LeadOut]
    next_cursor: str | None
    prev_cursor: str | None


class ConversionOut(Schema):
    """What converting made or linked."""

    lead: LeadOut
    company: CompanyOut
    contact: ContactOut | None
    company_created: bool
    contact_created: bool


class ConversionSuggestionsOut(Schema):
    """Existing records the lead probably is, to link instead of creating doubles."""

    company: CompanyRef | None
    contact: ContactRef | None
