"""API schemas for saved views."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema

from peoplebase.api.common import InputSchema, UserRef

FILTERS_HELP = (
    "Filter parameters of the contact list (docs/filters.md), e.g. "
    '`{"status": "active", "tags_any": "vip"}`; stored in canonical form.'
)
COLUMNS_HELP = (
    "List columns: name, email, phone, company, job_title, owner, status, lead_score, "
    "consent_status, country, source, tags, last_activity, created, or `cf.<key>` for an "
    "active custom field. Empty: the default columns."
)


class SavedViewIn(InputSchema):
    """A new saved view of the contact list (private unless `is_shared`)."""

    name: str = Field(..., examples=["Hot leads in Germany"])
    is_shared: bool = Field(False, description="Visible to the whole team (not for read-only).")
    q: str = Field("", description="Search text.")
    filters: dict[str, str | list[str]] = Field(default_factory=dict, description=FILTERS_HELP)
    sort: str = Field("", description="A contact list sort key; empty for the default.")
    columns: list[str] = Field(default_factory=list, description=COLUMNS_HELP)
    position: int = Field(0, description="Order in the sidebar (0–10000).")


class SavedViewUpdateIn(InputSchema):
    """Only the fields you send change."""

    name: str = None  # type: ignore[assignment]
    is_shared: bool = None  # type: ignore[assignment]
    q: str = None  # type: ignore[assignment]
    filters: dict[str, str | list[str]] = Field(None, description=FILTERS_HELP)
    sort: str = None  # type: ignore[assignment]
    columns: list[str] = Field(None, description=COLUMNS_HELP)
    position: int = None  # type: ignore[assignment]


class SavedViewOut(Schema):
    """A saved view; open it with `GET /api/v1/contacts?view={id}`."""

    id: int
    name: str
    owner: UserRef
    is_shared: bool
    q: str
    filters: dict[str, str]
    sort: str
    columns: list[str]
    position: int
    created_at: dt.datetime
    updated_at: dt.datetime


class SavedViewListOut(Schema):
    items: list[SavedViewOut]
