"""API schemas for custom field definitions."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema

from peoplebase.api.common import InputSchema
from peoplebase.customfields.models import FieldType

TYPES = ", ".join(f"`{v}`" for v in FieldType.values)


class CustomFieldCreateIn(InputSchema):
    """A new contact field; its `key` names the value in every contact's `custom_fields`."""

    label: str = Field(..., max_length=100, examples=["Budget"])
    key: str | None = Field(
        None,
        max_length=50,
        description="Lower-case letters, digits and _; from the label if not given.",
    )
    field_type: str = Field(..., description=f"One of {TYPES}.")
    required: bool = False
    options: list[str] = Field(
        default_factory=list, description="The choices of a single or multi select."
    )
    help_text: str = Field("", max_length=200)
    position: int = Field(0, ge=0, le=100_000)


class CustomFieldUpdateIn(InputSchema):
    """Only the fields you send change; a field's key and type are fixed once made."""

    # Not nullable: null would not mean anything here, and sent fields are all applied.
    label: str = Field(None, max_length=100)
    key: str = Field(None, description="Must stay the same.")
    field_type: str = Field(None, description="Must stay the same.")
    required: bool = None  # type: ignore[assignment]
    options: list[str] = None  # type: ignore[assignment]
    help_text: str = Field(None, max_length=200)
    position: int = Field(None, ge=0, le=100_000)


class CustomFieldOut(Schema):
    """A custom field definition."""

    id: int
    key: str
    label: str
    field_type: str
    required: bool
    options: list[str]
    help_text: str
    position: int
    is_archived: bool
    created_at: dt.datetime
    updated_at: dt.datetime


class CustomFieldListOut(Schema):
    items: list[CustomFieldOut]
