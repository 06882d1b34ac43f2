"""Users, roles and personal API tokens."""

from __future__ import annotations

import pytest

from peoplebase.core.errors import Forbidden, NotFound, ValidationFailed
from peoplebase.core.models import WorkspaceSettings
from peoplebase.users.models import ApiToken, Role, User
from peoplebase.users.services import (
    create_token,
    create_user,
    ensure_first_admin,
    get_token,
    revoke_token,
    update_user,
    update_workspace_settings,
    user_for_token,
)

pytestmark = pytest.mark.django_db


def test_admin_creates_a_user_with_a_generated_password(admin):
    user, password = create_user(admin, "New.Rep@Example.com", role=Role.REP)
    assert user.email == "new.rep@example.com"
    assert password and user.check_password(password)


def test_user_creation_rules(admin, manager):
    with pytest.raises(Forbidden):
        create_user(manager, "x@example.com")
    with pytest.raises(ValidationFailed):
        create_user(admin, "x@example.com", role="owner")
    with pytest.raises(ValidationFailed):
        create_user(admin, "not-an-email")
    with pytest.raises(ValidationFailed):
        create_user(admin, "ADMIN@example.com")
    with pytest.raises(ValidationFailed) as caught:
        create_user(admin, "y@example.com", password="123")
    assert "password" in caught.value.errors


def test_last_admin_cannot_demote_themselves(admin):
    with pytest.raises(Forbidden):
        update_user(admin, admin, {"role": Role.MANAGER})
    with pytest.raises(Forbidden):
        update_user(admin, admin, {"is_active": False})
    other, _ = create_user(admin, "second@example.com", role=Role.ADMIN)
    update_user(admin, admin, {"role": Role.MANAGER})
    admin.refresh_from_db()
    assert admin.role == Role.MANAGER and not admin.is_staff
    assert other.is_admin


def test_first_admin_is_created_once():
    first = ensure_first_admin("boss@example.com")
    assert first is not None
    user, password = first
    assert user.role == Role.ADMIN and user.check_password(password)
    assert ensure_first_admin("boss@example.com") is None


def test_token_is_stored_hashed_and_shown_once(alice):
    issued = create_token(alice, "laptop")
    assert issued.secret.startswith("pb_")
    stored = ApiToken.objects.get(pk=issued.token.pk)
    assert issued.secret not in (stored.key_hash, stored.key_prefix)
    assert user_for_token(issued.secret) == alice
    assert user_for_token(issued.secret + "x") is None
    assert user_for_token("") is None


def test_revoked_token_and_inactive_user_stop_working(alice):
    issued = create_token(alice, "ci")
    revoke_token(alice, issued.token)
    assert user_for_token(issued.secret) is None
    second = create_token(alice, "ci2")
    User.objects.filter(pk=alice.pk).update(is_active=False)
    assert user_for_token(second.secret) is None


def test_nobody_else_sees_or_revokes_my_token(alice, bob, admin):
    issued = create_token(alice, "mine")
    with pytest.raises(NotFound):
        get_token(bob, issued.token.pk)
    with pytest.raises(Forbidden):
        revoke_token(bob, issued.token)
    assert get_token(admin, issued.token.pk) == issued.token
    with pytest.raises(Forbidden):
        create_token(bob, "for alice", for_user=alice)


def test_token_needs_a_name(alice):
    with pytest.raises(ValidationFailed):
        create_token(alice, "  ")


def test_workspace_phone_region(admin, manager):
    update_workspace_settings(admin, {"default_phone_region": "de"})
    assert WorkspaceSettings.load().phone_region == "DE"
    with pytest.raises(ValidationFailed):
        update_workspace_settings(admin, {"default_phone_region": "XX"})
    with pytest.raises(Forbidden):
        update_workspace_settings(manager, {"name": "Mine"})


def test_localhost_sign_in_addresses_are_allowed_for_users(admin):
    user, _ = create_user(admin, "Ops@LocalHost", role=Role.REP)
    assert user.email == "ops@localhost"
    with pytest.raises(ValidationFailed):
        create_user(admin, "bad name@localhost")
