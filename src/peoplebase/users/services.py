"""User administration, personal API tokens and workspace settings."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils import timezone

from peoplebase.audit.services import AuditAction, diff, record_change, snapshot
from peoplebase.core.errors import Forbidden, NotFound, ValidationFailed
from peoplebase.core.lookups import parse_id
from peoplebase.core.models import WorkspaceSettings
from peoplebase.core.permissions import ensure_can_administer, ensure_can_view
from peoplebase.normalize import InvalidEmail, normalize_email
from peoplebase.users.models import ApiToken, Role, User, hash_token

USER_FIELDS = ("email", "first_name", "last_name", "role", "is_active")


@dataclass
class IssuedToken:
    """A freshly made token: `secret` is shown once and never stored."""

    token: ApiToken
    secret: str


def generate_password() -> str:
    return secrets.token_urlsafe(12)


def _clean_email(email: str) -> str:
    """A sign-in address; `name@localhost` is allowed for single-machine installs."""
    local, _, domain = str(email or "").strip().rpartition("@")
    if domain.lower() == "localhost" and local:
        try:
            return normalize_email(f"{local}@example.com").value.replace(
                "@example.com", "@localhost"
            )
        except InvalidEmail as exc:
            raise ValidationFailed.single("email", str(exc).replace("example.com", domain)) from exc
    try:
        return normalize_email(email).value
    except InvalidEmail as exc:
        raise ValidationFailed.single("email", str(exc)) from exc


def _check_password(password: str, user: User | None = None) -> None:
    try:
        validate_password(password, user)
    except DjangoValidationError as exc:
        raise ValidationFailed({"password": list(exc.messages)}) from exc


def create_user(
    actor: User | None,
    email: str,
    *,
    role: str = Role.REP,
    password: str | None = None,
    first_name: str = "",
    last_name: str = "",
) -> tuple[User, str | None]:
    """Create a user; returns the generated password when none was given (shown once).

    `actor` None means the command line run by whoever operates the server.
    """
    if actor is not None:
        ensure_can_administer(actor)
    address = _clean_email(email)
    if role not in Role.values:
        raise ValidationFailed.single("role", f"Use one of: {', '.join(Role.values)}.")
    if User.objects.filter(email__iexact=address).exists():
        raise ValidationFailed.single("email", f"A user with email {address} already exists.")
    generated = None
    if not password:
        password = generated = generate_password()
    else:
        _check_password(password)
    with transaction.atomic():
        user = User.objects.create_user(
            address,
            password,
            role=role,
            first_name=first_name.strip()[:150],
            last_name=last_name.strip()[:150],
            is_staff=role == Role.ADMIN,
            is_superuser=role == Role.ADMIN,
        )
        record_change(
            actor, user, AuditAction.CREATE, {"email": [None, address], "role": [None, role]}
        )
    return user, generated


def update_user(actor: User, user: User, data: dict[str, Any]) -> User:
    ensure_can_administer(actor)
    unknown = set(data) - {"first_name", "last_name", "role", "is_active"}
    if unknown:
        raise ValidationFailed({name: ["Unknown field."] for name in unknown})
    nulls = [name for name, value in data.items() if value is None]
    if nulls:
        raise ValidationFailed({name: ["This field may not be empty."] for name in nulls})
    if "is_active" in data and not isinstance(data["is_active"], bool):
        raise ValidationFailed.single("is_active", "Must be true or false.")
    if "role" in data and data["role"] not in Role.values:
        raise ValidationFailed.single("role", f"Use one of: {', '.join(Role.values)}.")
    demoting_self = user.pk == actor.pk and (
        data.get("role", user.role) != Role.ADMIN or data.get("is_active", True) is False
    )
    if (
        demoting_self
        and not User.objects.filter(role=Role.ADMIN, is_active=True).exclude(pk=user.pk).exists()
    ):
        raise Forbidden("You are the last active admin; make someone else admin first.")
    with transaction.atomic():
        before = snapshot(user, USER_FIELDS)
        for name, value in data.items():
            setattr(
                user,
                name,
                value.strip()[:150] if isinstance(value, str) and name != "role" else value,
            )
        user.is_staff = user.is_superuser = user.role == Role.ADMIN
        user.save()
        changes = diff(before, snapshot(user, USER_FIELDS))
        if changes:
            record_change(actor, user, AuditAction.UPDATE, changes)
    return user


def set_password(actor: User, user: User, password: str) -> None:
    if actor.pk != user.pk:
        ensure_can_administer(actor)
    _check_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])


def get_user(actor: User, user_id: Any) -> User:
    ensure_can_view(actor)
    user = User.objects.filter(pk=parse_id(user_id) or -1).first()
    if user is None:
        raise NotFound(f"No user with id {user_id}.")
    return user


def list_users(actor: User, include_inactive: bool = True) -> list[User]:
    ensure_can_view(actor)
    qs = User.objects.order_by("email")
    return list(qs if include_inactive else qs.filter(is_active=True))


def create_token(actor: User, name: str, *, for_user: User | None = None) -> IssuedToken:
    """Issue a personal token; only its hash is kept."""
    ensure_can_view(actor)
    owner = for_user or actor
    if owner.pk != actor.pk:
        ensure_can_administer(actor)
    label = " ".join(str(name or "").split())
    if not label:
        raise ValidationFailed.single("name", "Name the token so you can recognise it later.")
    if len(label) > 100:
        raise ValidationFailed.single("name", "At most 100 characters.")
    secret = ApiToken.generate_secret()
    token = ApiToken.objects.create(
        user=owner, name=label, key_prefix=secret[:10], key_hash=hash_token(secret)
    )
    return IssuedToken(token, secret)


def revoke_token(actor: User, token: ApiToken) -> None:
    if token.user_id != actor.pk:
        ensure_can_administer(actor)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])


def get_token(actor: User, token_id: Any) -> ApiToken:
    ensure_can_view(actor)
    token = ApiToken.objects.filter(pk=_as_int(token_id)).select_related("user").first()
    # Someone else's token is reported as missing, not forbidden, so ids reveal nothing.
    if token is None or (token.user_id != actor.pk and not actor.is_admin):
        raise NotFound(f"No token with id {token_id}.")
    return token


def _as_int(value: Any) -> int:
    return parse_id(value) or -1


def tokens_for(actor: User, user: User | None = None) -> list[ApiToken]:
    owner = user or actor
    if owner.pk != actor.pk:
        ensure_can_administer(actor)
    return list(ApiToken.objects.filter(user=owner))


def user_for_token(secret: str) -> User | None:
    """The active user a token belongs to, or None; marks the token used."""
    if not secret or not secret.startswith("pb_") or len(secret) > 200:
        return None
    token = (
        ApiToken.objects.active().select_related("user").filter(key_hash=hash_token(secret)).first()
    )
    if token is None:
        return None
    now = timezone.now()
    # Writing on every request would serialise API traffic on SQLite; once a minute is plenty.
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def update_workspace_settings(actor: User, data: dict[str, Any]) -> WorkspaceSettings:
    import phonenumbers

    ensure_can_administer(actor)
    workspace = WorkspaceSettings.load()
    errors: dict[str, list[str]] = {}
    if "name" in data:
        name = " ".join(str(data["name"] or "").split())
        if not name or len(name) > 100:
            errors["name"] = ["Give the workspace a name of at most 100 characters."]
        workspace.name = name
    if "default_phone_region" in data:
        region = str(data["default_phone_region"] or "").strip().upper()
        if region and region not in phonenumbers.SUPPORTED_REGIONS:
            errors["default_phone_region"] = [
                f"“{region}” is not a known region code (e.g. US, DE)."
            ]
        workspace.default_phone_region = region
    if errors:
        raise ValidationFailed(errors)
    workspace.save()
    return workspace


def ensure_first_admin(
    email: str = "admin@localhost", password: str | None = None
) -> tuple[User, str] | None:
    """On a fresh install create the first admin and return (user, password); else None."""
    if User.objects.exists():
        return None
    user, generated = create_user(None, email, role=Role.ADMIN, password=password)
    return user, password or generated or ""
