"""Real export formats go all the way through the pipeline with the suggested mapping."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from peoplebase.contacts.models import Contact
from peoplebase.imports import services
from peoplebase.imports.models import ImportStatus

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.mark.parametrize(
    "name",
    [
        "google_new.csv",
        "google_old.csv",
        "salesforce.csv",
        "linkedin_connections.csv",
        "semicolon_cp1252.csv",
        "utf16_be.txt",
        "contacts.xlsx",
        "vcard21.vcf",
        "vcard30.vcf",
        "vcard40.vcf",
    ],
)
def test_fixture_imports_with_the_suggested_mapping(manager: Any, name: str) -> None:
    job = services.create_import_from_path(manager, FIXTURES / name)
    assert job.mapping, "a mapping is suggested"

    preview = services.preview_import(manager, job)
    job = services.run_import_now(manager, job)

    assert job.status == ImportStatus.DONE
    assert job.created >= 1
    assert job.created == preview.counts["created"] == Contact.objects.count()
    assert job.processed_rows == job.total_rows


@pytest.mark.parametrize(
    ("name", "email", "birthday"),
    [
        ("google_new.csv", "ken@tanaka.example", "--03-07"),
        ("vcard21.vcf", "juergen@example.de", "1975-06-30"),
        ("vcard30.vcf", "jane.private@mail.example", "--03-07"),
        ("vcard40.vcf", "olafur@example.is", "--03-07"),
    ],
)
def test_birthdays_are_stored_with_or_without_a_year(
    manager: Any, name: str, email: str, birthday: str
) -> None:
    job = services.create_import_from_path(manager, FIXTURES / name)

    services.run_import_now(manager, job)

    assert Contact.objects.get(emails__email=email).birthday == birthday


def test_hubspot_owner_column_assigns_the_named_user(manager: Any, alice: Any) -> None:
    job = services.create_import_from_path(manager, FIXTURES / "hubspot.csv")

    job = services.run_import_now(manager, job)

    assert job.created >= 1
    assert Contact.objects.get(email="ada@engine.example").owner == alice


def test_outlook_ambiguous_birthday_is_reported_not_guessed(manager: Any) -> None:
    job = services.run_import_now(
        manager, services.create_import_from_path(manager, FIXTURES / "outlook.csv")
    )

    reasons = [row.reason for row in job.rows.filter(outcome="invalid")]
    assert job.processed_rows == job.total_rows
    assert all("birthday" in reason for reason in reasons)


@pytest.mark.parametrize("name", ["binary.bin", "empty.csv", "not_really.xlsx", "old_excel.xls"])
def test_unreadable_fixture_is_a_clear_error(manager: Any, name: str) -> None:
    with pytest.raises(services.ValidationFailed) as caught:
        services.create_import_from_path(manager, FIXTURES / name)

    assert caught.value.errors["file"][0]


def test_an_apple_vcard_lands_in_every_field_of_the_contact(manager: Any) -> None:
    from peoplebase.activities.models import Activity
    from peoplebase.contacts.services import tag_names

    job = services.create_import_from_path(manager, FIXTURES / "vcard30.vcf")

    services.run_import_now(manager, job)

    jane = Contact.objects.get(emails__email="jane@doe.example")
    assert (jane.first_name, jane.last_name) == ("Jane", "Doe")
    assert jane.job_title == "Partner, Litigation"
    assert jane.company is not None and jane.company.name.startswith("Doe; Partners")
    assert (jane.street, jane.city, jane.region, jane.postal_code, jane.country) == (
        "500 Fifth Ave, Suite 5",  # the extended address kept with the street
        "New York",
        "NY",
        "10110",
        "US",
    )
    assert jane.linkedin_url == "https://www.linkedin.com/in/janedoe"
    assert jane.birthday == "--03-07"
    assert sorted(e.email for e in jane.emails.all()) == [
        "jane.private@mail.example",
        "jane@doe.example",
    ]
    assert sorted(p.number for p in jane.phones.all()) == [
        "+12125550100",
        "+16465550142",
        "+19175550199",
    ]
    assert sorted(tag_names(jane)) == ["Clients", "VIP, Gold"]
    note = Activity.objects.get(contact=jane, kind="note")
    assert note.body.startswith("First line\nSecond line")
