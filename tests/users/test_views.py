"""Settings pages: users (admins only), personal API tokens (everyone) and the workspace."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from peoplebase.core.models import WorkspaceSettings
from peoplebase.users.models import ApiToken, Role, User
from peoplebase.users.services import create_token, user_for_token

USERS_URL = reverse("users:user_list")
TOKENS_URL = reverse("users:token_list")
WORKSPACE_URL = reverse("users:workspace_settings")
ADMIN_PAGES = ["users:user_list", "users:custom_field_list", "users:workspace_settings"]


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- who may open what ------------------------------------------------------------------------


@pytest.mark.parametrize("page", ADMIN_PAGES)
@pytest.mark.parametrize("who", ["manager", "alice", "reader"])
def test_non_admins_get_403_on_admin_pages(page: str, who: str, request: Any) -> None:
    client = signed_in(request.getfixturevalue(who))

    assert client.get(reverse(page)).status_code == 403
    assert client.post(reverse(page), {"name": "x", "email": "x@example.com"}).status_code == 403


def test_non_admin_may_not_edit_users(alice: Any, bob: Any) -> None:
    response = signed_in(alice).post(
        reverse("users:user_edit", args=[bob.pk]), {"role": "admin", "is_active": "on"}
    )

    assert response.status_code == 403
    bob.refresh_from_db()
    assert bob.role == Role.REP


def test_settings_home_sends_each_role_to_its_first_page(admin: Any, alice: Any) -> None:
    home = reverse("users:settings_home")

    assert signed_in(admin).get(home).url == USERS_URL
    assert signed_in(alice).get(home).url == TOKENS_URL


def test_settings_navigation_shows_admin_sections_only_to_admins(admin: Any, alice: Any) -> None:
    admin_page = signed_in(admin).get(USERS_URL).content.decode()
    rep_page = signed_in(alice).get(TOKENS_URL).content.decode()

    assert 'aria-label="Settings"' in admin_page
    assert reverse("users:custom_field_list") in admin_page
    assert reverse("users:custom_field_list") not in rep_page
    assert TOKENS_URL in rep_page


# --- users ------------------------------------------------------------------------------------


def test_user_list_shows_role_status_and_last_sign_in(admin: Any, alice: Any) -> None:
    response = signed_in(admin).get(USERS_URL)

    html = response.content.decode()
    assert response.status_code == 200
    assert "alice@example.com" in html
    assert "Sales rep" in html
    assert "Never" in html


def test_admin_creates_a_user_and_sees_the_generated_password_once(admin: Any) -> None:
    client = signed_in(admin)

    response = client.post(
        USERS_URL,
        {"email": "New.Person@Example.com", "first_name": "New", "role": "manager"},
    )

    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    password = response.context["password"]
    assert password and password in response.content.decode()
    created = User.objects.get(email="new.person@example.com")
    assert (created.role, created.first_name) == (Role.MANAGER, "New")
    assert created.check_password(password)
    assert password not in client.get(USERS_URL).content.decode()


def test_admin_may_choose_the_password_instead(admin: Any) -> None:
    response = signed_in(admin).post(
        USERS_URL,
        {"email": "chosen@example.com", "role": "rep", "password": "a long enough passphrase"},
        follow=True,
    )

    assert "a long enough passphrase" not in response.content.decode()
    assert "created with the password you chose" in response.content.decode()
    assert User.objects.get(email="chosen@example.com").check_password("a long enough passphrase")


def test_duplicate_email_and_weak_password_are_reported_next_to_fields(
    admin: Any, alice: Any
) -> None:
    response = signed_in(admin).post(
        USERS_URL, {"email": "ALICE@example.com", "role": "rep", "password": "short"}
    )

    assert response.status_code == 200
    assert "already exists" in response.context["form"].errors["email"][0]
    assert User.objects.filter(email__iexact="alice@example.com").count() == 1


def test_admin_changes_a_role_and_deactivates_a_user(admin: Any, bob: Any) -> None:
    response = signed_in(admin).post(
        reverse("users:user_edit", args=[bob.pk]),
        {"first_name": "Robert", "last_name": "Rep", "role": "manager"},
    )

    assert response.url == USERS_URL
    bob.refresh_from_db()
    assert (bob.first_name, bob.role, bob.is_active) == ("Robert", Role.MANAGER, False)


def test_last_admin_cannot_demote_themselves_and_sees_why(admin: Any) -> None:
    response = signed_in(admin).post(
        reverse("users:user_edit", args=[admin.pk]),
        {"first_name": "Ada", "last_name": "Admin", "role": "rep", "is_active": "on"},
    )

    assert response.status_code == 200
    assert "You are the last active admin" in response.content.decode()
    admin.refresh_from_db()
    assert admin.role == Role.ADMIN


def test_editing_a_missing_user_is_404(admin: Any) -> None:
    assert signed_in(admin).get(reverse("users:user_edit", args=[424242])).status_code == 404


# --- API tokens -------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["admin", "alice", "reader"])
def test_every_user_creates_a_token_and_sees_the_secret_once(who: str, request: Any) -> None:
    user = request.getfixturevalue(who)
    client = signed_in(user)

    response = client.post(TOKENS_URL, {"name": "Laptop scripts"})

    assert response.status_code == 200
    secret = response.context["secret"]
    assert secret in response.content.decode()
    assert "Copy this token now" in response.content.decode()
    assert user_for_token(secret) == user
    listing = client.get(TOKENS_URL).content.decode()
    token = ApiToken.objects.get(user=user)
    assert "Laptop scripts" in listing
    assert token.key_prefix in listing
    assert secret not in listing


def test_token_without_a_name_is_refused_next_to_the_field(alice: Any) -> None:
    response = signed_in(alice).post(TOKENS_URL, {"name": "   "})

    assert response.status_code == 200
    assert "name" in response.context["form"].errors
    assert not ApiToken.objects.exists()


def test_user_revokes_their_own_token(alice: Any) -> None:
    issued = create_token(alice, "CI")

    response = signed_in(alice).post(
        reverse("users:token_revoke", args=[issued.token.pk]), follow=True
    )

    assert "Token “CI” revoked" in response.content.decode()
    assert user_for_token(issued.secret) is None
    assert "Revoked" in response.content.decode()


def test_user_cannot_revoke_someone_elses_token(alice: Any, bob: Any) -> None:
    issued = create_token(bob, "Bob's")

    response = signed_in(alice).post(reverse("users:token_revoke", args=[issued.token.pk]))

    assert response.status_code == 404
    assert user_for_token(issued.secret) == bob


def test_token_list_shows_only_ones_own_tokens(alice: Any, bob: Any) -> None:
    create_token(bob, "Bobs integration")

    listing = signed_in(alice).get(TOKENS_URL).content.decode()

    assert "Bobs integration" not in listing
    assert "You have no API tokens yet." in listing


def test_revoke_needs_post(alice: Any) -> None:
    issued = create_token(alice, "CI")

    response = signed_in(alice).get(reverse("users:token_revoke", args=[issued.token.pk]))

    assert response.status_code == 405
    assert user_for_token(issued.secret) == alice


# --- workspace --------------------------------------------------------------------------------


def test_workspace_region_select_names_countries(admin: Any) -> None:
    html = signed_in(admin).get(WORKSPACE_URL).content.decode()

    assert '<option value="DE">Germany (DE)</option>' in html
    assert 'for="id_default_phone_region"' in html


def test_admin_saves_workspace_name_and_default_region(admin: Any) -> None:
    response = signed_in(admin).post(
        WORKSPACE_URL, {"name": "Acme Sales", "default_phone_region": "DE"}, follow=True
    )

    workspace = WorkspaceSettings.load()
    assert (workspace.name, workspace.default_phone_region) == ("Acme Sales", "DE")
    assert "Workspace settings saved." in response.content.decode()
    assert '<option value="DE" selected>' in response.content.decode()


def test_unknown_region_is_refused_next_to_the_field(admin: Any) -> None:
    response = signed_in(admin).post(
        WORKSPACE_URL, {"name": "Acme Sales", "default_phone_region": "ZZ"}
    )

    assert response.status_code == 200
    assert "not a known region" in response.context["form"].errors["default_phone_region"][0]
    assert WorkspaceSettings.load().default_phone_region == ""


def test_any_user_changes_their_own_password(client, reader):
    from tests.conftest import PASSWORD

    client.force_login(reader)
    page = client.get("/settings/password/")
    assert page.status_code == 200
    assert b"<h1>Change password</h1>" in page.content
    wrong = client.post(
        "/settings/password/",
        {
            "old_password": "nope",
            "new_password1": "a fresh long pass 42",
            "new_password2": "a fresh long pass 42",
        },
    )
    assert wrong.status_code == 200
    assert b"aria-invalid" in wrong.content
    done = client.post(
        "/settings/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "a fresh long pass 42",
            "new_password2": "a fresh long pass 42",
        },
        follow=True,
    )
    assert b"Your password was changed." in done.content
    reader.refresh_from_db()
    assert reader.check_password("a fresh long pass 42")
    assert client.get("/contacts/").status_code == 200  # still signed in


def test_password_page_needs_sign_in(client):
    response = client.get("/settings/password/")
    assert response.status_code == 302 and "/login/" in response["Location"]
