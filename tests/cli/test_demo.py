"""`peoplebase demo`: load once, refuse to overwrite, replace with --reset."""

from __future__ import annotations

from typing import Any

import pytest

from peoplebase.companies.models import Company
from peoplebase.contacts.models import Contact
from peoplebase.leads.models import Lead
from peoplebase.users.models import User

pytestmark = pytest.mark.django_db


def test_demo_loads_a_workspace_and_prints_the_demo_users(run_cli: Any, monkeypatch: Any) -> None:
    monkeypatch.setenv("PEOPLEBASE_DEMO_PASSWORD", "demo pass phrase 42")

    result = run_cli("demo", "--contacts", "40")

    assert result.code == 0, result.err
    assert Contact.objects.count() >= 40
    assert Company.objects.exists()
    assert Lead.objects.exists()
    assert "mia.schroeder@peoplebase.example" in result.out
    assert "PEOPLEBASE_DEMO_PASSWORD" in result.out
    assert "demo pass phrase 42" not in result.out  # a password from the environment stays there
    assert User.objects.get(email="ravi.menon@peoplebase.example").check_password(
        "demo pass phrase 42"
    )


def test_generated_demo_password_is_printed_once(run_cli: Any) -> None:
    result = run_cli("demo", "--contacts", "10")

    line = next(line for line in result.out.splitlines() if line.startswith("Password for"))
    password = line.split(": ", 1)[1].split()[0]
    assert User.objects.get(email="camila.rojas@peoplebase.example").check_password(password)
    assert result.out.count(password) == 1


def test_second_run_is_refused_without_reset(run_cli: Any) -> None:
    run_cli("demo", "--contacts", "10")
    count = Contact.objects.count()

    result = run_cli("demo", "--contacts", "10")

    assert result.code == 1
    assert "--reset" in result.err
    assert result.err.count("\n") == 1
    assert Contact.objects.count() == count


def test_reset_replaces_the_crm_data_and_keeps_users(run_cli: Any, alice: User) -> None:
    run_cli("demo", "--contacts", "10")
    first_ids = set(Contact.objects.values_list("pk", flat=True))

    result = run_cli("demo", "--contacts", "12", "--reset")

    assert result.code == 0, result.err
    assert not first_ids & set(Contact.objects.values_list("pk", flat=True))
    assert "already existed" in result.out  # the demo users from the first run are reused
    assert User.objects.filter(pk=alice.pk).exists()


def test_refuses_when_the_database_already_has_real_contacts(
    run_cli: Any, alice: User, make_contact: Any
) -> None:
    make_contact(alice, full_name="Real Person")

    result = run_cli("demo")

    assert result.code == 1
    assert "already has 1 contact." in result.err
    assert Contact.objects.get().full_name == "Real Person"


def test_contact_count_out_of_range_is_refused(run_cli: Any) -> None:
    result = run_cli("demo", "--contacts", "3")

    assert result.code == 1
    assert "between 10 and" in result.err
    assert not Contact.objects.exists()
