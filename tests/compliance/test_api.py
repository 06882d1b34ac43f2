"""The GDPR endpoints: access export, erasure, the log and the suppression list."""

from __future__ import annotations

from typing import Any

import pytest

from peoplebase.compliance.services import suppress_email
from peoplebase.contacts.models import Contact
from tests.api.conftest import problem_of
from tests.compliance.conftest import EMAIL, traces_in_database

pytestmark = pytest.mark.django_db


def test_admin_exports_a_persons_data(api_as: Any, admin: Any, seeded_person: Any) -> None:
    jane = seeded_person["contact"]
    response = api_as(admin).get(f"/gdpr/contacts/{jane.pk}/export")
    assert response.status_code == 200
    document = response.json()
    assert document["metadata"]["contact_id"] == jane.pk
    assert document["summary"]["emails"][0]["email"] == EMAIL.lower()
    assert "activities.Activity.contact" in document["records"]


@pytest.mark.parametrize("who", ["alice", "reader", "manager"])
def test_others_may_not_export_or_erase(
    api_as: Any, who: str, seeded_person: Any, request: pytest.FixtureRequest
) -> None:
    client = api_as(request.getfixturevalue(who))
    jane = seeded_person["contact"]
    assert client.get(f"/gdpr/contacts/{jane.pk}/export").status_code == 403
    response = client.post(f"/gdpr/contacts/{jane.pk}/erase", {"reason": "x"})
    assert response.status_code == 403
    assert problem_of(response)["status"] == 403
    assert client.get("/gdpr/erasures").status_code == 403
    assert Contact.objects.filter(pk=jane.pk).exists()


def test_erase_over_the_api(api_as: Any, admin: Any, seeded_person: Any) -> None:
    client = api_as(admin)
    jane = seeded_person["contact"]
    response = client.post(
        f"/gdpr/contacts/{jane.pk}/erase", {"reason": "ticket 42", "suppress": True}
    )
    assert response.status_code == 202, response.content
    job = response.json()
    assert job["contact_id"] == jane.pk and job["status"] == "done"
    assert job["percent"] == 100 and job["steps_done"] == job["steps_total"] > 10
    followed = client.get(f"/gdpr/erasure-jobs/{job['id']}").json()
    body = followed["erasure"]
    assert body["contact_id"] == jane.pk and body["suppressed"] == 2
    assert body["reason"] == "ticket 42"
    assert traces_in_database([EMAIL]) == []
    listed = client.get("/gdpr/erasures").json()["items"]
    assert [item["id"] for item in listed] == [body["id"]]
    assert client.get(f"/gdpr/contacts/{jane.pk}/export").status_code == 404


def test_erasure_jobs_are_for_data_protection_officers_only(
    api_as: Any, admin: Any, alice: Any, seeded_person: Any
) -> None:
    jane = seeded_person["contact"]
    job = api_as(admin).post(f"/gdpr/contacts/{jane.pk}/erase", {"reason": "r"}).json()
    assert api_as(alice).get(f"/gdpr/erasure-jobs/{job['id']}").status_code == 403
    assert api_as(admin).get("/gdpr/erasure-jobs/999999").status_code == 404


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, None),
        ({"reason": ""}, "reason"),
        ({"reason": 5}, None),
        ({"reason": "x", "extra": 1}, None),
    ],
)
def test_bad_erase_input_is_a_clear_problem(
    api_as: Any, admin: Any, seeded_person: Any, body: dict, field: str | None
) -> None:
    jane = seeded_person["contact"]
    response = api_as(admin).post(f"/gdpr/contacts/{jane.pk}/erase", body)
    assert response.status_code in (400, 422)
    problem = problem_of(response)
    if field:
        assert field in problem["errors"]
    assert Contact.objects.filter(pk=jane.pk).exists()


def test_unknown_contact_is_404(api_as: Any, admin: Any) -> None:
    assert api_as(admin).get("/gdpr/contacts/999999/export").status_code == 404
    response = api_as(admin).post("/gdpr/contacts/999999/erase", {"reason": "x"})
    assert response.status_code == 404


def test_suppressed_address_is_refused_on_api_create_and_update(
    api_as: Any, admin: Any, make_contact: Any
) -> None:
    suppress_email(admin, "gone@example.org")
    client = api_as(admin)
    response = client.post(
        "/contacts", {"full_name": "Back Again", "emails": [{"email": "Gone@Example.org"}]}
    )
    assert response.status_code == 422
    assert "emails.0.email" in problem_of(response)["errors"]
    contact = make_contact(admin, full_name="Someone", emails=["someone@example.org"])
    response = client.patch(
        f"/contacts/{contact.pk}",
        {"emails": [{"email": "someone@example.org"}, {"email": "gone@example.org"}]},
    )
    assert response.status_code == 422
    assert "emails.1.email" in problem_of(response)["errors"]


def test_suppression_endpoints(api_as: Any, admin: Any, manager: Any) -> None:
    client = api_as(admin)
    created = client.post("/gdpr/suppressions", {"email": "a.person@example.org"})
    assert created.status_code == 201
    assert "a.person" not in created.content.decode()
    check = client.post("/gdpr/suppressions/check", {"email": "A.Person@example.org"})
    assert check.json()["suppressed"] is True
    bad = client.post("/gdpr/suppressions", {"email": "not an address"})
    assert bad.status_code == 422 and "email" in problem_of(bad)["errors"]
    # Lifting takes an admin; a manager (even an officer) may not.
    assert (
        api_as(manager)
        .post("/gdpr/suppressions/lift", {"email": "a.person@example.org"})
        .status_code
        == 403
    )
    lifted = client.post(
        "/gdpr/suppressions/lift", {"email": "a.person@example.org", "reason": "consent given"}
    )
    assert lifted.status_code == 200 and lifted.json()["is_active"] is False
    assert lifted.json()["lift_reason"] == "consent given"
    again = client.post("/gdpr/suppressions/lift", {"email": "a.person@example.org"})
    assert again.status_code == 404
    assert len(client.get("/gdpr/suppressions").json()["items"]) == 1


def test_gdpr_operations_are_in_the_openapi_document(api_as: Any, admin: Any) -> None:
    paths = api_as(admin).get("/openapi.json").json()["paths"]
    assert "/api/v1/gdpr/contacts/{contact_id}/erase" in paths
    assert "/api/v1/gdpr/suppressions/lift" in paths
