"""API schemas for companies (accounts)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Schema

from peoplebase.api.common import (
    BodyVersion,
    InputSchema,
    OwnerFilter,
    OwnerId,
    PageParams,
    ShortText,
    UserRef,
    web_url,
)
from peoplebase.companies.models import CompanySize, Lifecycle

SIZES = ", ".join(f"`{v}`" for v in CompanySize.values)
LIFECYCLES = ", ".join(f"`{v}`" for v in Lifecycle.values)


class CompanyFieldsIn(InputSchema):
    """The writable company fields; absent fields stay as they are, null or "" clears."""

    name: str | None = None
    domain: str | None = Field(None, description="Derived from `website` when not given.")
    website: str | None = None
    industry: str | None = None
    size: str | None = Field(None, description=f"One of {SIZES} (empty clears it).")
    phone: str | None = None
    description: str | None = None
    lifecycle: str | None = Field(None, description=f"One of {LIFECYCLES}.")
    street: str | None = None
    street2: str | None = None
    city: str | None = None
    region: str | None = None
    postal_code: str | None = None
    country: str | None = Field(None, description="An ISO 3166 code or a country name.")
    owner_id: OwnerId = None


class CompanyCreateIn(CompanyFieldsIn):
    """A new company; `name` is required."""

    name: str = Field(..., examples=["Acme Inc"])


class CompanyUpdateIn(CompanyFieldsIn):
    """Only the fields you send change."""

    version: BodyVersion = None


class CompanyListParams(PageParams):
    """Filters and order of the company list."""

    q: ShortText = Field("", description="Name contains, or domain prefix.")
    lifecycle: ShortText = Field("", description=f"One of {LIFECYCLES}.")
    owner: OwnerFilter = Field("", description="A user id, `me` or `none`.")
    archived: bool = False
    sort: ShortText = Field("name", description="name, -name, created, -created")


class CompanyOut(Schema):
    """A company (account)."""

    id: int
    name: str
    domain: str
    website: str
    industry: str
    size: str
    phone: str
    description: str
    lifecycle: str
    owner: UserRef | None
    street: str
    street2: str
    city: str
    region: str
    postal_code: str
    country: str
    is_archived: bool
    archived_at: dt.datetime | None
    contact_count: int = Field(..., description="Active contacts employed here.")
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime
    url: str | None = Field(..., description="The company's page in the web UI.")

    @staticmethod
    def resolve_contact_count(obj: Any) -> int:
        count = getattr(obj, "contact_count", None)
        return count if count is not None else obj.contacts.filter(is_archived=False).count()

    @staticmethod
    def resolve_url(obj: Any, context: Any) -> str | None:
        return web_url(obj, context)


class CompanyPageOut(Schema):
    items: list[CompanyOut]
    next_cursor: str | None
    prev_cursor: str | None
