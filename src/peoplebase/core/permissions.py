"""Who may do what. Every service calls these, so the UI, API and CLI share one set of rules.

Roles: admins run settings, users and custom fields and edit everything; managers edit all
records; reps read everything and edit records they own or nobody owns; read-only users read.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from peoplebase.core.errors import Forbidden

if TYPE_CHECKING:
    from peoplebase.users.models import User


def _is_active(actor: User | None) -> bool:
    return bool(actor is not None and actor.is_authenticated and actor.is_active)


def can_view(actor: User | None) -> bool:
    return _is_active(actor)


def can_create(actor: User | None) -> bool:
    return _is_active(actor) and not actor.is_read_only  # type: ignore[union-attr]


def can_edit(actor: User | None, record: Any) -> bool:
    """Reps may edit what they own or what nobody owns; managers and admins edit everything."""
    if not can_create(actor):
        return False
    assert actor is not None
    if actor.can_edit_all_records:
        return True
    owner_id = getattr(record, "owner_id", None)
    return owner_id is None or owner_id == actor.pk


def can_administer(actor: User | None) -> bool:
    return _is_active(actor) and actor.is_admin  # type: ignore[union-attr]


def ensure_can_view(actor: User | None) -> None:
    if not can_view(actor):
        raise Forbidden("Sign in to see records.")


def ensure_can_create(actor: User | None, what: str = "records") -> None:
    if not can_create(actor):
        raise Forbidden(f"Your role may not create {what}.")


def ensure_can_edit(actor: User | None, record: Any) -> None:
    if not can_edit(actor, record):
        if actor is not None and getattr(actor, "is_read_only", False):
            raise Forbidden("Read-only users may not change records.")
        raise Forbidden(f"You may not change “{record}”: it belongs to another owner.")


def ensure_can_assign_owner(actor: User | None, owner: Any) -> None:
    """A rep may own a record or leave it unowned; handing it to a teammate takes a manager."""
    if owner is None or actor is None or actor.can_edit_all_records or owner.pk == actor.pk:
        return
    raise Forbidden("Only managers and admins may assign records to someone else.")


def ensure_can_administer(actor: User | None) -> None:
    if not can_administer(actor):
        raise Forbidden("Only admins may change workspace settings, users and custom fields.")


# Personal-data requests (GDPR access and erasure) reveal or destroy everything about a person,
# so they are not part of editing: admins may, and managers an admin has named data protection
# officers (the `compliance.handle_personal_data` permission). Reps and read-only users never.
PERSONAL_DATA_PERMISSION = "compliance.handle_personal_data"


def can_handle_personal_data(actor: User | None) -> bool:
    if not _is_active(actor):
        return False
    assert actor is not None
    if actor.is_admin:
        return True
    return actor.role == "manager" and actor.has_perm(PERSONAL_DATA_PERMISSION)


def ensure_can_handle_personal_data(actor: User | None) -> None:
    if not can_handle_personal_data(actor):
        raise Forbidden(
            "Only admins and data protection officers may export or erase a person's data."
        )


def can_import(actor: User | None) -> bool:
    """Imports create and overwrite many records at once: managers and admins only."""
    return can_create(actor) and actor.can_edit_all_records  # type: ignore[union-attr]


def ensure_can_import(actor: User | None) -> None:
    if not can_import(actor):
        raise Forbidden("Only managers and admins may import contacts.")
