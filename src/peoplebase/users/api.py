"""REST endpoints for users (everyone reads; admins write) and one's own API tokens."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import Router, Status

from peoplebase.api.common import BODY_PROBLEMS, RecordId, collection, created, problems
from peoplebase.core.errors import NotFound
from peoplebase.users import services
from peoplebase.users.models import User
from peoplebase.users.schemas import (
    TokenCreatedOut,
    TokenIn,
    TokenListOut,
    UserCreatedOut,
    UserCreateIn,
    UserListOut,
    UserOut,
    UserUpdateIn,
)

router = Router(tags=["users"])


@router.get("/me", response={200: UserOut, **problems()}, summary="Who am I")
def me(request: HttpRequest) -> User:
    """The signed-in user (the token's owner)."""
    return request.auth


@router.get("/me/tokens", response={200: TokenListOut, **problems()}, summary="My API tokens")
def list_my_tokens(request: HttpRequest) -> dict:
    """Your personal tokens, revoked ones included; secrets are never shown again."""
    return {"items": services.tokens_for(request.auth)}


@router.post(
    "/me/tokens",
    response={201: TokenCreatedOut, **problems(403, *BODY_PROBLEMS)},
    summary="Create an API token",
)
def create_my_token(request: HttpRequest, payload: TokenIn) -> Status:
    """A new personal token; copy `secret` now, it is shown in this response only."""
    issued = services.create_token(request.auth, payload.name)
    token = issued.token
    token.secret = issued.secret  # type: ignore[attr-defined]
    return Status(201, token)


@router.delete(
    "/me/tokens/{token_id}",
    response={204: None, **problems(404, 422)},
    summary="Revoke an API token",
)
def revoke_my_token(request: HttpRequest, token_id: RecordId) -> Status:
    """Revoke one of your tokens; requests with it get 401 from now on."""
    token = services.get_token(request.auth, token_id)
    # Under /me only one's own tokens exist, even for admins.
    if token.user_id != request.auth.pk:
        raise NotFound(f"No token with id {token_id}.")
    services.revoke_token(request.auth, token)
    return Status(204, None)


@collection(router, "get", response={200: UserListOut, **problems()}, summary="List users")
def list_users(request: HttpRequest) -> dict:
    """Everyone with an account: email, name, role (to pick owners, for example)."""
    return {"items": services.list_users(request.auth)}


@collection(
    router,
    "post",
    response={201: UserCreatedOut, **problems(403, *BODY_PROBLEMS)},
    summary="Create a user",
)
def create_user(request: HttpRequest, payload: UserCreateIn, response: HttpResponse) -> Status:
    """Add a user (admins only). Without a password one is generated and returned once."""
    user, generated = services.create_user(
        request.auth,
        payload.email,
        role=payload.role,
        password=payload.password,
        first_name=payload.first_name,
        last_name=payload.last_name,
    )
    user.generated_password = generated  # type: ignore[attr-defined]
    return created(request, response, user, "user_detail", user_id=user.pk)


@router.get(
    "/{user_id}",
    response={200: UserOut, **problems(404, 422)},
    summary="Get a user",
    url_name="user_detail",
)
def get_user(request: HttpRequest, user_id: RecordId) -> User:
    """One user."""
    return services.get_user(request.auth, user_id)


@router.patch(
    "/{user_id}",
    response={200: UserOut, **problems(403, 404, *BODY_PROBLEMS)},
    summary="Change a user",
)
def update_user(request: HttpRequest, user_id: RecordId, payload: UserUpdateIn) -> User:
    """Change a user's name, role or whether they may sign in (admins only)."""
    user = services.get_user(request.auth, user_id)
    data = payload.model_dump(exclude_unset=True)
    return services.update_user(request.auth, user, data)
