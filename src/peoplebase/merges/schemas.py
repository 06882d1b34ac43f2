"""API shapes for merges."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Schema

from peoplebase.api.common import InputSchema, RecordId


class MergeIn(InputSchema):
    """Which contact survives, which are merged into it, and whose value each field keeps."""

    primary_id: RecordId = Field(description="The contact that survives.")
    duplicate_ids: list[RecordId] = Field(
        min_length=1, max_length=50, description="Contacts merged into the primary (1–50)."
    )
    fields: dict[str, RecordId] = Field(
        default_factory=dict,
        description="Field name (or `custom_fields.<key>`) → id of the contact whose value "
        "survives. Unnamed fields keep the primary's value, or the first non-empty one.",
    )
    expected_versions: dict[str, int] | None = Field(
        None, description="Contact id → the `version` you read; a stale one is refused with 412."
    )


class MergeOut(Schema):
    """A merge, with every contact's values before it and the rows moved per relation."""

    id: int
    primary_id: int = Field(description="The surviving contact's id at the time of the merge.")
    survivor_id: int | None = Field(
        description="Where the record lives now (differs when the primary was merged again)."
    )
    duplicate_ids: list[int]
    field_choices: dict[str, int]
    actor: str
    created_at: dt.datetime
    undone_at: dt.datetime | None
    undo_until: dt.datetime
    can_undo: bool
    moved: dict[str, int] = Field(description="Relation → how many rows moved to the primary.")
    before: dict[str, dict[str, Any]] = Field(description="Contact id → its values before.")


class MergePageOut(Schema):
    items: list[MergeOut]
    next_cursor: str | None
    prev_cursor: str | None
