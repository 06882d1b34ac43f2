"""API schemas for timeline entries and notes."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Schema

from peoplebase.activities.models import ActivityKind
from peoplebase.api.common import InputSchema, PageParams, ShortText, UserRef


class TimelineParams(PageParams):
    """Filter a timeline by kind of entry."""

    kind: ShortText = Field(
        "", description="One of " + ", ".join(f"`{v}`" for v in ActivityKind.values) + "."
    )


class ActivityOut(Schema):
    """One timeline entry: a note, an email, a call, a meeting or a system event."""

    id: int
    kind: str
    subject: str
    body: str
    occurred_at: dt.datetime
    actor: UserRef | None
    contact_id: int | None
    company_id: int | None
    lead_id: int | None
    is_system: bool
    metadata: dict[str, Any]
    created_at: dt.datetime
    updated_at: dt.datetime


class TimelinePageOut(Schema):
    items: list[ActivityOut]
    next_cursor: str | None
    prev_cursor: str | None


class NoteIn(InputSchema):
    """A note on a contact's timeline."""

    body: str = Field(..., examples=["Called about the renewal; wants a quote by Friday."])
    occurred_at: dt.datetime | None = Field(None, description="Defaults to now; not in the future.")


class NoteUpdateIn(InputSchema):
    """A note's new text."""

    body: str


class NoteOut(Schema):
    """A note, with its author."""

    id: int
    contact_id: int | None
    body: str
    occurred_at: dt.datetime
    author: UserRef | None = Field(..., alias="actor")
    created_at: dt.datetime
    updated_at: dt.datetime
