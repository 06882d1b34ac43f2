"""Choosing what to export, permissions, background exports, expiry and the vCard round trip."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from peoplebase.contacts.models import Contact
from peoplebase.contacts.services import create_contact
from peoplebase.core.errors import Forbidden, NotFound, ValidationFailed
from peoplebase.exports import services
from peoplebase.exports.models import ContactExport, ExportStatus
from peoplebase.imports.mapping import apply_mapping, pop_extras, suggest_mapping
from peoplebase.imports.readers import open_table
from peoplebase.segments.services import create_view


def exported(actor: Any, **query: Any) -> str:
    request = services.parse_export_request(actor, query)
    return "".join(services.stream_export(actor, request))


def names_in(text: str) -> set[str]:
    return {row["full_name"] for row in csv.DictReader(io.StringIO(text))}


def test_filters_narrow_the_export_as_on_the_list(alice: Any, bob: Any, make_contact: Any) -> None:
    make_contact(alice, full_name="Alice One", tags=["vip"])
    make_contact(alice, full_name="Alice Two")
    make_contact(bob, full_name="Bob One", tags=["vip"])
    assert names_in(exported(alice, owner="me")) == {"Alice One", "Alice Two"}
    assert names_in(exported(bob, owner="me")) == {"Bob One"}
    assert names_in(exported(alice, tags_any="vip")) == {"Alice One", "Bob One"}


def test_selection_of_ids_and_search_text(admin: Any, make_contact: Any) -> None:
    first = make_contact(admin, full_name="Zed Quill")
    make_contact(admin, full_name="Amy Stone")
    assert names_in(exported(admin, ids=str(first.pk))) == {"Zed Quill"}
    assert names_in(exported(admin, q="Stone")) == {"Amy Stone"}


def test_saved_view_by_name_and_private_views_of_others_are_not_found(
    alice: Any, bob: Any, make_contact: Any
) -> None:
    make_contact(alice, full_name="Vip Person", tags=["vip"])
    make_contact(alice, full_name="Plain Person")
    create_view(alice, {"name": "VIPs", "filters": {"tags_any": "vip"}})
    assert names_in(exported(alice, view="vips")) == {"Vip Person"}
    with pytest.raises(NotFound):
        exported(bob, view="VIPs")


def test_bad_parameters_are_reported_together(admin: Any) -> None:
    with pytest.raises(ValidationFailed) as caught:
        services.parse_export_request(
            admin, {"format": "pdf", "columns": "full_name,bogus", "status": "nope"}
        )
    assert {"format", "columns", "status"} <= set(caught.value.errors)


def test_inactive_user_cannot_export(alice: Any) -> None:
    alice.is_active = False
    alice.save()
    with pytest.raises(Forbidden):
        services.parse_export_request(alice, {})


def test_background_export_writes_a_file_only_its_owner_or_an_admin_downloads(
    alice: Any, bob: Any, admin: Any, make_contact: Any, settings: Any
) -> None:
    make_contact(alice, full_name="=cmd|' /C calc'!A0")
    make_contact(alice, full_name="Plain")
    request = services.parse_export_request(alice, {"format": "csv", "bom": "1"})
    export = services.start_export(alice, request)
    assert export.status == ExportStatus.DONE and export.row_count == 2 == export.total
    _, path = services.export_file(alice, export.pk)
    assert path.parent == Path(settings.DATA_DIR) / "exports"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("\ufeffid,") and "'=cmd|" in text
    assert services.export_file(admin, export.pk)[1] == path
    with pytest.raises(NotFound):
        services.export_file(bob, export.pk)
    assert list(services.list_exports(bob)) == []
    assert list(services.list_exports(admin)) == [export]


def test_expired_exports_are_deleted(alice: Any, make_contact: Any) -> None:
    make_contact(alice, full_name="Someone")
    export = services.start_export(alice, services.parse_export_request(alice, {}))
    path = Path(export.file_path)
    assert path.is_file()
    assert services.purge_expired_exports(timezone.now() + dt.timedelta(days=30)) == 1
    assert not path.exists()
    assert ContactExport.objects.get(pk=export.pk).status == ExportStatus.EXPIRED
    with pytest.raises(NotFound):
        services.export_file(alice, export.pk)


def test_empty_selection_is_refused_for_a_background_export(alice: Any) -> None:
    with pytest.raises(ValidationFailed, match="nothing to export"):
        services.start_export(alice, services.parse_export_request(alice, {"q": "nobody"}))


def test_vcard_round_trip_into_a_fresh_database_state(
    admin: Any, make_contact: Any, make_company: Any, tmp_path: Path
) -> None:
    company = make_company(admin, name="Acme; Sons")
    people = [
        {
            "first_name": "Zoë",
            "last_name": "O'Brien",
            "emails": [
                {"email": "zoe@acme.example"},
                {"email": "zoe@home.example", "kind": "personal"},
            ],
            "phones": [{"number": "+1 415 555 0100", "kind": "mobile"}],
            "company_id": company.pk,
            "job_title": "Head, Sales",
            "birthday": "--03-07",
            "tags": ["VIP, Gold", "Partner"],  # a comma in a tag: escaped in CATEGORIES
        },
        {
            "first_name": "Ken",
            "last_name": "Tanaka",
            "emails": [{"email": "ken@example.jp"}],
            "birthday": "1980-12-25",
            "job_title": "CTO",
        },
    ]
    for data in people:
        create_contact(admin, data)
    before = {c.full_name: _facts(c) for c in Contact.objects.all()}
    path = tmp_path / "out.vcf"
    path.write_text(exported(admin, format="vcf"), encoding="utf-8", newline="")

    Contact.objects.all().delete()
    table = open_table(path)
    mapping = suggest_mapping(table.headers)
    for row in table.rows:
        data = apply_mapping(row, mapping)
        extras = pop_extras(data)
        if extras.get("company_name"):
            data["company_id"] = company.pk if extras["company_name"] == company.name else None
        create_contact(admin, data, allow_duplicate=True)
    after = {c.full_name: _facts(c) for c in Contact.objects.all()}
    assert after == before


def test_a_vcard_export_imported_through_the_pipeline_gives_the_same_contacts(
    admin: Any, make_company: Any, tmp_path: Path
) -> None:
    from peoplebase.imports import services as imports

    company = make_company(admin, name="Acme; Sons")
    create_contact(
        admin,
        {
            "first_name": "Zoë",
            "last_name": "O'Brien",
            "emails": [{"email": "zoe@acme.example"}, {"email": "zoe@home.example"}],
            "phones": [{"number": "+1 415 555 0100", "kind": "mobile"}],
            "company_id": company.pk,
            "job_title": "Head, Sales",
            "birthday": "--03-07",
            "tags": ["VIP, Gold", "Partner"],
        },
    )
    create_contact(admin, {"full_name": "Ken Tanaka", "birthday": "1980-12-25"})
    before = {c.full_name: _facts(c) for c in Contact.objects.all()}
    path = tmp_path / "out.vcf"
    path.write_text(exported(admin, format="vcf"), encoding="utf-8", newline="")
    Contact.objects.all().delete()

    job = imports.run_import_now(admin, imports.create_import_from_path(admin, path))

    assert (job.created, job.invalid) == (2, 0)
    assert {c.full_name: _facts(c) for c in Contact.objects.all()} == before


def test_a_nameless_contact_exports_a_stand_in_fn_and_reimports_without_a_name(
    admin: Any, make_company: Any, tmp_path: Path
) -> None:
    from peoplebase.imports import services as imports

    company = make_company(admin, name="Acme")
    create_contact(admin, {"emails": [{"email": "info@acme.example"}], "company_id": company.pk})
    before = [_facts(c) for c in Contact.objects.all()]
    text = exported(admin, format="vcf")
    assert "\r\nFN:info@acme.example\r\n" in text  # RFC 6350: FN is never empty
    path = tmp_path / "out.vcf"
    path.write_text(text, encoding="utf-8", newline="")
    Contact.objects.all().delete()

    job = imports.run_import_now(admin, imports.create_import_from_path(admin, path))

    assert (job.created, job.invalid) == (1, 0)
    (contact,) = Contact.objects.all()
    assert contact.full_name == "" and [_facts(contact)] == before


def _facts(contact: Contact) -> dict[str, Any]:
    return {
        "names": (contact.first_name, contact.last_name),
        "emails": sorted(e.email for e in contact.emails.all()),
        "phones": sorted(p.number for p in contact.phones.all()),
        "company": contact.company.name if contact.company_id else "",
        "title": contact.job_title,
        "birthday": contact.birthday,
        "tags": sorted(t.tag.name for t in contact.tag_links.all()),
    }


def _expire(export: Any) -> None:
    ContactExport.objects.filter(pk=export.pk).update(
        expires_at=timezone.now() - dt.timedelta(minutes=1)
    )


def test_a_new_export_deletes_the_files_of_expired_ones(alice: Any, make_contact: Any) -> None:
    make_contact(alice, full_name="Someone")
    old = services.start_export(alice, services.parse_export_request(alice, {}))
    _expire(old)

    new = services.start_export(alice, services.parse_export_request(alice, {}))

    assert not Path(old.file_path).exists()
    assert ContactExport.objects.get(pk=old.pk).status == ExportStatus.EXPIRED
    assert Path(new.file_path).is_file()


def test_housekeeping_deletes_expired_export_files_without_anyone_listing_them(
    alice: Any, make_contact: Any
) -> None:
    from peoplebase.core.housekeeping import run_housekeeping

    make_contact(alice, full_name="Someone")
    export = services.start_export(alice, services.parse_export_request(alice, {}))
    assert run_housekeeping() == {"expired_exports": 0, "restored_indexes": 0}
    _expire(export)

    assert run_housekeeping() == {"expired_exports": 1, "restored_indexes": 0}
    assert not Path(export.file_path).exists()
