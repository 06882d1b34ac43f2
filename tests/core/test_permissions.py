"""The role matrix, checked once in the services for every surface."""

from __future__ import annotations

import pytest

from peoplebase.core import permissions
from peoplebase.core.errors import Forbidden

pytestmark = pytest.mark.django_db


class Record:
    def __init__(self, owner_id):
        self.owner_id = owner_id

    def __str__(self) -> str:
        return "record"


def test_role_matrix(admin, manager, alice, bob, reader):
    own, other, unowned = Record(alice.pk), Record(bob.pk), Record(None)
    assert all(permissions.can_edit(u, r) for u in (admin, manager) for r in (own, other, unowned))
    assert permissions.can_edit(alice, own) and permissions.can_edit(alice, unowned)
    assert not permissions.can_edit(alice, other)
    assert not any(permissions.can_edit(reader, r) for r in (own, other, unowned))
    assert [permissions.can_create(u) for u in (admin, manager, alice, reader)] == [
        True,
        True,
        True,
        False,
    ]
    assert [permissions.can_administer(u) for u in (admin, manager, alice, reader)] == [
        True,
        False,
        False,
        False,
    ]
    assert all(permissions.can_view(u) for u in (admin, manager, alice, bob, reader))


def test_inactive_users_can_do_nothing(alice):
    alice.is_active = False
    assert not permissions.can_view(alice)
    assert not permissions.can_edit(alice, Record(alice.pk))
    with pytest.raises(Forbidden):
        permissions.ensure_can_view(alice)


def test_anonymous_can_do_nothing():
    from django.contrib.auth.models import AnonymousUser

    assert not permissions.can_view(AnonymousUser())
    assert not permissions.can_view(None)
    with pytest.raises(Forbidden):
        permissions.ensure_can_create(None)


def test_rep_may_own_or_leave_unowned_but_not_assign(alice, bob, manager):
    permissions.ensure_can_assign_owner(alice, alice)
    permissions.ensure_can_assign_owner(alice, None)
    with pytest.raises(Forbidden):
        permissions.ensure_can_assign_owner(alice, bob)
    permissions.ensure_can_assign_owner(manager, bob)
