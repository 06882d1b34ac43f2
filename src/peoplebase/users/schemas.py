"""API schemas for users and personal API tokens."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Schema

from peoplebase.api.common import InputSchema
from peoplebase.users.models import Role

ROLES = ", ".join(f"`{v}`" for v in Role.values)


class UserOut(Schema):
    """A user: who they are and what their role lets them do."""

    id: int
    email: str
    first_name: str
    last_name: str
    name: str
    role: str = Field(..., description=f"One of {ROLES}.")
    is_active: bool

    @staticmethod
    def resolve_name(obj: Any) -> str:
        return obj.display_name


class UserListOut(Schema):
    items: list[UserOut]


class UserCreatedOut(UserOut):
    """A new user; `generated_password` is shown this once when no password was given."""

    generated_password: str | None = None


class UserCreateIn(InputSchema):
    """A new user (admins only); without a password one is generated and returned once."""

    email: str = Field(..., max_length=254)
    role: str = Field("rep", description=f"One of {ROLES}.")
    password: str | None = Field(None, max_length=200)
    first_name: str = Field("", max_length=150)
    last_name: str = Field("", max_length=150)


class UserUpdateIn(InputSchema):
    """Only the fields you send change (admins only)."""

    # Not nullable: a user always has a (maybe empty) name, a role and an active flag.
    first_name: str = Field(None, max_length=150)
    last_name: str = Field(None, max_length=150)
    role: str = Field(None, description=f"One of {ROLES}.")
    is_active: bool = Field(None, description="False stops them signing in.")


class TokenIn(InputSchema):
    """A name to recognise the token by later."""

    name: str = Field(..., max_length=100, examples=["Zapier sync"])


class TokenOut(Schema):
    """A personal API token; its secret is never shown again after creation."""

    id: int
    name: str
    key_prefix: str = Field(..., description="The secret's first characters, to tell tokens apart.")
    created_at: dt.datetime
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None
    is_active: bool


class TokenCreatedOut(TokenOut):
    """A new token; `secret` is shown in this response only."""

    secret: str = Field(..., description="Send as `Authorization: Bearer <secret>`.")


class TokenListOut(Schema):
    items: list[TokenOut]
