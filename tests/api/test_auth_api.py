"""Signing in to the API (tokens, sessions with CSRF), users and personal tokens."""

from __future__ import annotations

import secrets
from typing import Any

import pytest
from django.test import Client

from peoplebase.users.models import ApiToken, Role, User
from peoplebase.users.services import create_token, revoke_token
from tests.api.conftest import API, ApiClient, problem_of


def _session_client(user: User) -> tuple[Client, str]:
    """A browser-like client signed in as `user` that enforces CSRF, and its CSRF token."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    csrf = secrets.token_hex(16)
    client.cookies["csrftoken"] = csrf
    return client, csrf


# --- tokens -------------------------------------------------------------------------------------


def test_token_signs_the_request_in(api_as: Any, alice: User) -> None:
    response = api_as(alice).get("/users/me")

    assert response.status_code == 200
    assert response.json() == {
        "id": alice.pk,
        "email": "alice@example.com",
        "first_name": "Alice",
        "last_name": "Rep",
        "name": "Alice Rep",
        "role": "rep",
        "is_active": True,
    }


def test_no_token_is_401_problem_with_www_authenticate(anonymous: ApiClient) -> None:
    response = anonymous.get("/contacts")

    assert response.status_code == 401
    assert problem_of(response)["status"] == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("secret", ["pb_not-a-real-token", "garbage", "pb_" + "x" * 300])
def test_bad_token_is_401(db: Any, secret: str) -> None:
    response = ApiClient(secret).get("/contacts")

    assert response.status_code == 401
    assert problem_of(response)["title"] == "Unauthorized"


def test_revoked_token_is_401(alice: User) -> None:
    issued = create_token(alice, "laptop")
    client = ApiClient(issued.secret)
    assert client.get("/users/me").status_code == 200

    revoke_token(alice, issued.token)

    assert client.get("/users/me").status_code == 401


def test_token_of_a_deactivated_user_is_401(alice: User) -> None:
    client = ApiClient(create_token(alice, "laptop").secret)
    alice.is_active = False
    alice.save()

    assert client.get("/users/me").status_code == 401


def test_writes_without_a_token_are_401_not_csrf_errors(anonymous: ApiClient) -> None:
    response = anonymous.post("/contacts", {"full_name": "Ada"})

    assert response.status_code == 401


def test_docs_and_openapi_need_no_sign_in(anonymous: ApiClient) -> None:
    assert anonymous.get("/openapi.json").status_code == 200
    assert anonymous.get("/docs").status_code == 200


# --- browser session ----------------------------------------------------------------------------


def test_session_reads_without_csrf(alice: User) -> None:
    client, _ = _session_client(alice)

    response = client.get(f"{API}/users/me")

    assert response.status_code == 200
    assert response.json()["email"] == alice.email


def test_session_write_without_csrf_token_is_refused(alice: User) -> None:
    client, _ = _session_client(alice)

    response = client.post(f"{API}/contacts", {"full_name": "Ada"}, content_type="application/json")

    assert response.status_code == 403
    assert "CSRF" in problem_of(response)["detail"]


def test_session_write_with_csrf_token_succeeds(alice: User) -> None:
    client, csrf = _session_client(alice)

    response = client.post(
        f"{API}/contacts",
        {"full_name": "Ada"},
        content_type="application/json",
        HTTP_X_CSRFTOKEN=csrf,
    )

    assert response.status_code == 201


def test_bad_token_is_not_rescued_by_a_session_cookie(alice: User) -> None:
    client, _ = _session_client(alice)

    response = client.get(f"{API}/users/me", HTTP_AUTHORIZATION="Bearer pb_wrong")

    assert response.status_code == 401


def test_session_still_works_behind_a_proxy_sending_basic_auth(alice: User) -> None:
    client, _ = _session_client(alice)

    response = client.get(f"{API}/users/me", HTTP_AUTHORIZATION="Basic dXNlcjpwYXNz")

    assert response.status_code == 200


def test_token_requests_need_no_csrf(alice: User) -> None:
    client = Client(enforce_csrf_checks=True, HTTP_AUTHORIZATION=f"Bearer {_secret(alice)}")

    response = client.post(f"{API}/contacts", {"full_name": "Ada"}, content_type="application/json")

    assert response.status_code == 201


def _secret(user: User) -> str:
    return create_token(user, "tests").secret


# --- personal tokens ----------------------------------------------------------------------------


def test_new_token_secret_is_shown_once_and_works(api_as: Any, alice: User) -> None:
    api = api_as(alice)

    created = api.post("/users/me/tokens", {"name": "Zapier"})
    listed = api.get("/users/me/tokens").json()["items"]

    assert created.status_code == 201
    secret = created.json()["secret"]
    assert secret.startswith("pb_")
    assert created.json()["key_prefix"] == secret[:10]
    assert all("secret" not in token for token in listed)
    assert "Zapier" in [token["name"] for token in listed]
    assert ApiClient(secret).get("/users/me").json()["id"] == alice.pk


def test_token_needs_a_name(api_as: Any, alice: User) -> None:
    api = api_as(alice)

    assert api.post("/users/me/tokens", {"name": "  "}).status_code == 422
    assert api.post("/users/me/tokens", {}).status_code == 422
    assert api.post("/users/me/tokens", {"name": "x", "scope": "all"}).status_code == 422


def test_revoking_a_token_makes_it_401(api_as: Any, alice: User) -> None:
    issued = create_token(alice, "old laptop")
    api = api_as(alice)

    response = api.delete(f"/users/me/tokens/{issued.token.pk}")

    assert response.status_code == 204
    assert ApiClient(issued.secret).get("/users/me").status_code == 401
    listed = {t["id"]: t for t in api.get("/users/me/tokens").json()["items"]}
    assert listed[issued.token.pk]["is_active"] is False


@pytest.mark.parametrize("owner_fixture", ["bob", "admin"])
def test_nobody_revokes_another_users_token_under_me(
    request: Any, api_as: Any, alice: User, admin: User, owner_fixture: str
) -> None:
    victim = request.getfixturevalue(owner_fixture)
    issued = create_token(victim, "theirs")
    actor = admin if owner_fixture == "bob" else alice

    response = api_as(actor).delete(f"/users/me/tokens/{issued.token.pk}")

    assert response.status_code == 404
    assert ApiToken.objects.get(pk=issued.token.pk).revoked_at is None


# --- users --------------------------------------------------------------------------------------


def test_any_signed_in_user_lists_users(
    api_as: Any, reader: User, alice: User, admin: User
) -> None:
    items = api_as(reader).get("/users").json()["items"]

    assert {u["email"] for u in items} == {reader.email, alice.email, admin.email}
    assert {"id", "email", "name", "role"} <= set(items[0])
    assert all("password" not in u for u in items)


def test_admin_creates_a_user_and_sees_the_generated_password_once(
    api_as: Any, admin: User
) -> None:
    response = api_as(admin).post("/users", {"email": "New@Example.com", "role": "manager"})

    assert response.status_code == 201
    body = response.json()
    assert body["email"] == "new@example.com"
    assert body["role"] == "manager"
    assert body["generated_password"]
    assert User.objects.get(pk=body["id"]).check_password(body["generated_password"])
    again = api_as(admin).get(f"/users/{body['id']}").json()
    assert "generated_password" not in again


def test_non_admins_cannot_create_or_change_users(api_as: Any, manager: User, alice: User) -> None:
    api = api_as(manager)

    assert api.post("/users", {"email": "x@example.com"}).status_code == 403
    assert api.patch(f"/users/{alice.pk}", {"role": "admin"}).status_code == 403
    alice.refresh_from_db()
    assert alice.role == Role.REP


def test_admin_changes_a_users_role_and_deactivates_them(
    api_as: Any, admin: User, alice: User
) -> None:
    response = api_as(admin).patch(f"/users/{alice.pk}", {"role": "manager", "is_active": False})

    assert response.status_code == 200
    assert (response.json()["role"], response.json()["is_active"]) == ("manager", False)


def test_user_update_refuses_nulls_unknown_fields_and_bad_roles(
    api_as: Any, admin: User, alice: User
) -> None:
    api = api_as(admin)

    nulls = api.patch(f"/users/{alice.pk}", {"first_name": None, "is_active": None})
    unknown = api.patch(f"/users/{alice.pk}", {"email": "evil@example.com"})
    role = api.patch(f"/users/{alice.pk}", {"role": "emperor"})

    assert nulls.status_code == 422
    assert {"first_name", "is_active"} <= set(problem_of(nulls)["errors"])
    assert unknown.status_code == 422 and "email" in problem_of(unknown)["errors"]
    assert role.status_code == 422 and "role" in problem_of(role)["errors"]


def test_duplicate_or_invalid_user_email_is_422(api_as: Any, admin: User, alice: User) -> None:
    api = api_as(admin)

    assert api.post("/users", {"email": alice.email}).status_code == 422
    assert api.post("/users", {"email": "not an email"}).status_code == 422


def test_last_admin_cannot_demote_themselves(api_as: Any, admin: User) -> None:
    response = api_as(admin).patch(f"/users/{admin.pk}", {"role": "rep"})

    assert response.status_code == 403
