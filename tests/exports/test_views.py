"""The export panel on the contact list, the Exports page and downloads."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.test import Client
from django.urls import reverse

from peoplebase.exports import services
from peoplebase.exports.models import ContactExport
from tests.conftest import PASSWORD

START = reverse("exports:export_start")
LIST = reverse("exports:export_list")


def signed_in(user: Any, *, csrf: bool = False) -> Client:
    client = Client(enforce_csrf_checks=csrf)
    client.login(email=user.email, password=PASSWORD)
    return client


def rows_of(response: Any) -> list[dict[str, str]]:
    text = b"".join(response.streaming_content).decode("utf-8").lstrip("\ufeff")
    return list(csv.DictReader(io.StringIO(text)))


def test_contact_list_shows_the_export_panel(alice: Any, make_contact: Any) -> None:
    make_contact(alice, full_name="Ann Able")
    html = signed_in(alice).get(reverse("contacts:contact_list")).content.decode()
    assert 'formaction="/exports/contacts/"' in html and 'name="export_format"' in html


def test_export_ticked_contacts(alice: Any, make_contact: Any) -> None:
    ann = make_contact(alice, full_name="Ann Able")
    make_contact(alice, full_name="Ben Baker")
    response = signed_in(alice).post(
        START, {"scope": "selected", "contact_ids": [ann.pk], "export_columns": ["full_name"]}
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert rows_of(response) == [{"full_name": "Ann Able"}]


def test_export_all_matching_the_lists_filters_as_vcard(alice: Any, make_contact: Any) -> None:
    make_contact(alice, full_name="Ann Able", tags=["vip"])
    make_contact(alice, full_name="Ben Baker")
    response = signed_in(alice).post(
        START, {"scope": "all", "filter.tags_any": "vip", "export_format": "vcf"}
    )
    text = b"".join(response.streaming_content).decode()
    assert text.count("BEGIN:VCARD") == 1 and "FN:Ann Able" in text


def test_nothing_ticked_and_bad_choices_go_back_with_a_message(alice: Any) -> None:
    client = signed_in(alice)
    response = client.post(START, {"scope": "selected"}, follow=True)
    assert "Tick some contacts first" in response.content.decode()
    response = client.post(START, {"scope": "all", "export_format": "pdf"}, follow=True)
    assert "Choose csv or vcf" in response.content.decode()


def test_export_needs_csrf_and_sign_in(alice: Any) -> None:
    assert signed_in(alice, csrf=True).post(START, {"scope": "all"}).status_code == 403
    assert Client().post(START, {"scope": "all"}).status_code == 302


def test_large_export_runs_in_background_and_only_its_owner_downloads(
    alice: Any, bob: Any, admin: Any, make_contact: Any, settings: Any
) -> None:
    settings.PEOPLEBASE_EXPORT_STREAM_LIMIT = 1
    make_contact(alice, full_name="<b>Ann</b>")
    make_contact(alice, full_name="Ben Baker")
    response = signed_in(alice).post(START, {"scope": "all"}, follow=True)
    export = ContactExport.objects.get()
    page = response.content.decode()
    assert "in the background" in page and "Download" in page
    download = reverse("exports:export_download", args=[export.pk])
    assert {row["full_name"] for row in rows_of(signed_in(alice).get(download))} == {
        "<b>Ann</b>",
        "Ben Baker",
    }
    assert signed_in(bob).get(download).status_code == 404
    assert f"#{export.pk}" not in signed_in(bob).get(LIST).content.decode()
    assert signed_in(admin).get(download).status_code == 200


def test_exports_page_escapes_errors(alice: Any) -> None:
    ContactExport.objects.create(actor=alice, status="failed", error="<script>x</script>")
    html = signed_in(alice).get(LIST).content.decode()
    assert "<script>x</script>" not in html and "&lt;script&gt;" in html


def test_expired_export_is_not_downloadable(alice: Any, make_contact: Any) -> None:
    import datetime as dt

    from django.utils import timezone

    make_contact(alice, full_name="Ann")
    export = services.start_export(alice, services.parse_export_request(alice, {}))
    ContactExport.objects.filter(pk=export.pk).update(
        expires_at=timezone.now() - dt.timedelta(days=1)
    )
    download = reverse("exports:export_download", args=[export.pk])
    assert signed_in(alice).get(download).status_code == 404
