"""The GDPR pages: Export data, the erasure confirmation and Settings › Compliance."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from peoplebase.compliance.models import ErasureJob, ErasureLog
from peoplebase.compliance.services import is_suppressed, suppress_email
from peoplebase.contacts.models import Contact
from tests.compliance.conftest import EMAIL, traces_in_database
from tests.contacts.test_views_form import CREATE_URL, form_data

pytestmark = pytest.mark.django_db


def signed_in(user: Any) -> Client:
    client = Client(enforce_csrf_checks=False)
    client.force_login(user)
    return client


def test_contact_page_shows_gdpr_actions_only_to_those_who_may(
    seeded_person: Any, admin: Any, alice: Any, reader: Any
) -> None:
    jane = seeded_person["contact"]
    page = signed_in(admin).get(jane.get_absolute_url()).content.decode()
    assert "Export data" in page and "Erase personal data" in page
    for user in (alice, reader):
        page = signed_in(user).get(jane.get_absolute_url()).content.decode()
        assert "Export data" not in page and "Erase personal data" not in page


def test_export_data_downloads_json(seeded_person: Any, admin: Any) -> None:
    jane = seeded_person["contact"]
    response = signed_in(admin).get(reverse("compliance:contact_export", args=[jane.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="contact-{jane.pk}-data.json"'
    assert json.loads(response.content)["contact"]["id"] == jane.pk


@pytest.mark.parametrize("who", ["alice", "reader"])
def test_reps_and_readers_get_403_on_gdpr_pages(
    seeded_person: Any, who: str, request: pytest.FixtureRequest
) -> None:
    client = signed_in(request.getfixturevalue(who))
    jane = seeded_person["contact"]
    assert client.get(reverse("compliance:contact_export", args=[jane.pk])).status_code == 403
    erase_url = reverse("compliance:contact_erase", args=[jane.pk])
    response = client.post(erase_url, {"confirm": "Jane Erased", "reason": "x"})
    assert response.status_code == 403
    assert client.get(reverse("compliance:settings")).status_code == 403
    assert Contact.objects.filter(pk=jane.pk).exists()


def test_erasure_needs_the_name_or_email_typed(seeded_person: Any, admin: Any) -> None:
    jane = seeded_person["contact"]
    url = reverse("compliance:contact_erase", args=[jane.pk])
    client = signed_in(admin)
    assert "Erase for good" in client.get(url).content.decode()
    response = client.post(url, {"confirm": "Somebody Else", "reason": "request"})
    assert response.status_code == 200
    assert "not this contact" in response.content.decode()
    response = client.post(url, {"confirm": "jane erased", "reason": ""})
    assert "This field is required" in response.content.decode()
    assert Contact.objects.filter(pk=jane.pk).exists()


def test_erasure_confirmed_by_email_with_suppression(seeded_person: Any, admin: Any) -> None:
    jane = seeded_person["contact"]
    url = reverse("compliance:contact_erase", args=[jane.pk])
    response = signed_in(admin).post(
        url, {"confirm": f" {EMAIL.upper()} ", "reason": "request 9", "suppress": "on"}
    )
    assert response.status_code == 302
    job = ErasureJob.objects.get()
    assert response["Location"] == reverse("compliance:erasure_job", args=[job.pk])
    progress = signed_in(admin).get(response["Location"]).content.decode()
    assert 'id="erasure-status"' in progress and "Done" in progress
    assert f"Erased contact #{jane.pk}" in progress
    assert traces_in_database([EMAIL]) == []
    assert is_suppressed(EMAIL)
    page = signed_in(admin).get(reverse("compliance:settings")).content.decode()
    assert f"#{jane.pk}" in page and "request 9" in page
    assert ErasureLog.objects.count() == 1


def test_suppressed_email_is_refused_by_the_new_contact_form(admin: Any) -> None:
    suppress_email(admin, "gone@example.org")
    response = signed_in(admin).post(
        CREATE_URL, form_data(full_name="Back Again", emails=[{"email": "gone@example.org"}])
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert 'id="id_emails-0-email_error"' in body and "suppression list" in body
    assert not Contact.objects.exists()


def test_settings_page_adds_and_lifts_suppressions(admin: Any, manager: Any) -> None:
    client = signed_in(admin)
    response = client.post(
        reverse("compliance:suppression_add"), {"suppress-email": "x@example.org"}
    )
    assert response.status_code == 302 and is_suppressed("x@example.org")
    response = client.post(reverse("compliance:suppression_add"), {"suppress-email": "nope"})
    assert response.status_code == 422
    response = client.post(
        reverse("compliance:suppression_lift"), {"lift-email": "X@example.org", "lift-reason": "ok"}
    )
    assert response.status_code == 302 and not is_suppressed("x@example.org")
    response = client.post(reverse("compliance:suppression_lift"), {"lift-email": "x@example.org"})
    assert (
        response.status_code == 422 and "not on the suppression list" in response.content.decode()
    )


def test_admin_names_a_manager_data_protection_officer(
    admin: Any, manager: Any, alice: Any
) -> None:
    officer_url = reverse("compliance:officer_set", args=[manager.pk])
    assert signed_in(manager).get(reverse("compliance:settings")).status_code == 403
    assert signed_in(manager).post(officer_url, {"enabled": "1"}).status_code == 403
    assert signed_in(admin).post(officer_url, {"enabled": "1"}).status_code == 302
    page = signed_in(manager).get(reverse("compliance:settings")).content.decode()
    assert "Suppression list" in page and "Lift a suppression" not in page
    # A rep cannot be made an officer.
    signed_in(admin).post(reverse("compliance:officer_set", args=[alice.pk]), {"enabled": "1"})
    assert signed_in(alice).get(reverse("compliance:settings")).status_code == 403


def test_a_stopped_erasure_is_listed_and_can_be_tried_again(
    seeded_person: Any, admin: Any, settings: Any, monkeypatch: Any
) -> None:
    from peoplebase.compliance import erasure

    jane = seeded_person["contact"]

    def broken(*args: Any) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(erasure, "_sweep_step", broken)
    url = reverse("compliance:contact_erase", args=[jane.pk])
    signed_in(admin).post(url, {"confirm": "Jane Erased", "reason": "request 9"})
    job = ErasureJob.objects.get()
    assert job.status == "failed"
    page = signed_in(admin).get(reverse("compliance:settings")).content.decode()
    assert 'id="erasure-jobs"' in page and "disk full" in page
    progress = signed_in(admin).get(reverse("compliance:erasure_job", args=[job.pk]))
    assert "Try again" in progress.content.decode()

    monkeypatch.undo()
    response = signed_in(admin).post(reverse("compliance:erasure_job_resume", args=[job.pk]))
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == "done" and job.identifiers == {}
    assert traces_in_database([EMAIL]) == []
    page = signed_in(admin).get(reverse("compliance:settings")).content.decode()
    assert 'id="erasure-jobs"' not in page


def test_htmx_polls_get_only_the_progress_card(seeded_person: Any, admin: Any) -> None:
    jane = seeded_person["contact"]
    url = reverse("compliance:contact_erase", args=[jane.pk])
    signed_in(admin).post(url, {"confirm": "Jane Erased", "reason": "request"})
    job_url = reverse("compliance:erasure_job", args=[ErasureJob.objects.get().pk])

    card = signed_in(admin).get(job_url, headers={"HX-Request": "true"}).content.decode()

    assert card.lstrip().startswith('<section id="erasure-progress"')
    assert "<html" not in card
