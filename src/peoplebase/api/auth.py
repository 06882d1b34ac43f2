"""API authentication: a personal token (Bearer) or the browser session (with CSRF)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja.errors import HttpError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from peoplebase.users.services import user_for_token

CSRF_FAILED = (
    "CSRF check failed: send the csrftoken cookie's value in an X-CSRFToken header, "
    "or use a personal token instead of the browser session."
)


class TokenAuth(HttpBearer):
    """`Authorization: Bearer pb_…`: a personal token made in Settings or by the CLI."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


class SessionAuth(APIKeyCookie):
    """The signed-in browser session; unsafe methods must carry the CSRF token."""

    def __init__(self) -> None:
        self.param_name = settings.SESSION_COOKIE_NAME
        super().__init__(csrf=True)

    def _get_key(self, request: HttpRequest) -> str | None:
        # A request that names a token stands or falls by it, never by a cookie riding along.
        # (Other schemes, e.g. Basic from a proxy in front, leave the session in charge.)
        if request.headers.get("Authorization", "").lower().startswith("bearer"):
            return None
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not user.is_active:
            return None
        exempt = getattr(request, "_ninja_csrf_exempt", False)
        if not exempt and check_csrf(request) is not None:
            raise HttpError(403, CSRF_FAILED)
        return request.COOKIES.get(self.param_name, "")

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        if key is None:
            return None
        return request.user


API_AUTH = [TokenAuth(), SessionAuth()]
