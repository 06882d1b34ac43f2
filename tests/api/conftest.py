"""Clients for the REST API tests: each signs in with a fresh personal token."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from peoplebase.users.models import User
from peoplebase.users.services import create_token

API = "/api/v1"


class ApiClient:
    """django's test Client speaking JSON to /api/v1 with a Bearer token."""

    def __init__(self, secret: str | None) -> None:
        extra = {"HTTP_AUTHORIZATION": f"Bearer {secret}"} if secret else {}
        self.client = Client(**extra)

    def get(self, path: str, params: dict[str, Any] | None = None, **headers: Any) -> Any:
        return self.client.get(API + path, params or {}, **headers)

    def post(self, path: str, data: Any = None, **headers: Any) -> Any:
        return self._send("post", path, data, headers)

    def patch(self, path: str, data: Any = None, **headers: Any) -> Any:
        return self._send("patch", path, data, headers)

    def put(self, path: str, data: Any = None, **headers: Any) -> Any:
        return self._send("put", path, data, headers)

    def delete(self, path: str, **headers: Any) -> Any:
        return self.client.delete(API + path, **headers)

    def _send(self, method: str, path: str, data: Any, headers: dict[str, Any]) -> Any:
        body = "" if data is None else json.dumps(data)
        send = getattr(self.client, method)
        return send(API + path, body, content_type="application/json", **headers)


@pytest.fixture
def api_as(db: Any) -> Any:
    """api_as(user) -> ApiClient authenticated with a new token of that user."""

    def make(user: User) -> ApiClient:
        return ApiClient(create_token(user, "tests").secret)

    return make


@pytest.fixture
def anonymous(db: Any) -> ApiClient:
    return ApiClient(None)


def problem_of(response: Any) -> dict[str, Any]:
    """The problem+json body of an error response (asserting its content type)."""
    assert response["Content-Type"] == "application/problem+json", response.content
    return response.json()


def if_match(version: int) -> dict[str, str]:
    return {"HTTP_IF_MATCH": f'"{version}"'}
