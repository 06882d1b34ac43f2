"""API shapes for personal-data requests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Schema

from peoplebase.api.common import InputSchema


class ErasureIn(InputSchema):
    """What an erasure needs: why, and whether the addresses go on the suppression list."""

    reason: str = Field(..., max_length=2000, description="Why (e.g. the request's reference).")
    suppress: bool = Field(False, description="Block the person's addresses from coming back.")


class ErasureOut(Schema):
    """An erasure log entry: who, when, which contact id, counts per model; never values."""

    id: int
    contact_id: int
    actor_label: str
    erased_at: dt.datetime
    reason: str
    counts: dict[str, Any]
    suppressed: int
    seconds: float


class ErasureListOut(Schema):
    items: list[ErasureOut]


class EmailIn(InputSchema):
    """An address typed in full (the list holds hashes and cannot be searched otherwise)."""

    email: str = Field(..., max_length=320)


class LiftIn(EmailIn):
    reason: str = Field("", max_length=500)


class SuppressionOut(Schema):
    """A suppression: its hash's first characters only, where it came from and its state."""

    id: int
    source: str
    erasure_id: int | None
    created_at: dt.datetime
    created_by_label: str
    is_active: bool
    lifted_at: dt.datetime | None
    lifted_by_label: str
    lift_reason: str


class SuppressionListOut(Schema):
    items: list[SuppressionOut]


class SuppressionCheckOut(Schema):
    email: str
    suppressed: bool


class ErasureJobOut(Schema):
    """A queued or running erasure: its progress; `erasure` is the log entry once done."""

    id: int
    contact_id: int
    status: str
    stage: str
    steps_done: int
    steps_total: int
    percent: int
    error: str
    created_at: dt.datetime
    finished_at: dt.datetime | None
    erasure: ErasureOut | None = Field(None, alias="log")
