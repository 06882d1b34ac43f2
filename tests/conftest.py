"""The cast every test module uses, and small factories.

admin and manager may edit everything; alice and bob are reps (each edits own and unowned
records); reader is read-only. Tests name who may NOT do a thing as often as who may.
"""

from __future__ import annotations

from typing import Any

import pytest

from peoplebase.users.models import Role, User

PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


DATABASE_FIXTURES = frozenset({"db", "transactional_db", "live_server"})


@pytest.fixture(autouse=True)
def _empty_search_index(request: pytest.FixtureRequest) -> None:
    """Every database test starts with an empty search index, before its own transaction.

    The index's tables are raw SQL, which the flush after a transactional test leaves behind:
    an import in a later test then met another test's row for one of its new contacts' ids
    and failed (seen once on PostgreSQL in CI). Emptied here, once, rather than in each test
    directory that happened to meet it."""
    if request.node.get_closest_marker("django_db") is None and not (
        DATABASE_FIXTURES & set(request.fixturenames)
    ):
        return
    request.getfixturevalue("django_db_setup")  # the test database, never the real one
    from django.db import connection

    from peoplebase.search.engines import NAME_TOKENS, current_engine

    with request.getfixturevalue("django_db_blocker").unblock(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {current_engine().table}")  # noqa: S608
        if connection.vendor == "postgresql":
            cursor.execute(f"DELETE FROM {NAME_TOKENS}")  # noqa: S608


def _user(email: str, role: str, first: str, last: str) -> User:
    return User.objects.create_user(
        email, PASSWORD, role=role, first_name=first, last_name=last, is_staff=role == Role.ADMIN
    )


@pytest.fixture
def admin(db: Any) -> User:
    return _user("admin@example.com", Role.ADMIN, "Ada", "Admin")


@pytest.fixture
def manager(db: Any) -> User:
    return _user("manager@example.com", Role.MANAGER, "Mona", "Manager")


@pytest.fixture
def alice(db: Any) -> User:
    return _user("alice@example.com", Role.REP, "Alice", "Rep")


@pytest.fixture
def bob(db: Any) -> User:
    return _user("bob@example.com", Role.REP, "Bob", "Rep")


@pytest.fixture
def reader(db: Any) -> User:
    return _user("reader@example.com", Role.READ_ONLY, "Rita", "Reader")


@pytest.fixture
def make_contact(db: Any) -> Any:
    """make_contact(actor, **fields) -> Contact, through the real service (duplicates allowed)."""
    from peoplebase.contacts.services import create_contact

    def make(actor: User, **data: Any) -> Any:
        data.setdefault("full_name", "Test Person")
        return create_contact(actor, data, allow_duplicate=True).contact

    return make


@pytest.fixture
def make_company(db: Any) -> Any:
    from peoplebase.companies.services import create_company

    def make(actor: User, **data: Any) -> Any:
        data.setdefault("name", "Acme Inc")
        return create_company(actor, data)

    return make


@pytest.fixture
def make_lead(db: Any) -> Any:
    from peoplebase.leads.services import create_lead

    def make(actor: User, **data: Any) -> Any:
        data.setdefault("company_name", "Lead Co")
        data.setdefault("full_name", "Lee Lead")
        return create_lead(actor, data)

    return make
