"""POST /contacts/merge, the merges list and detail, undo, and tombstone redirects."""

from __future__ import annotations

import pytest

from peoplebase.contacts.models import Contact
from tests.api.conftest import problem_of

pytestmark = pytest.mark.django_db


def test_merge_with_field_choice_then_undo(api_as, admin, make_contact):
    client = api_as(admin)
    ann = make_contact(admin, full_name="Ann", job_title="CTO", emails=["ann@a.com"])
    dup = make_contact(admin, full_name="Annie", job_title="VP", emails=["annie@b.com"])

    response = client.post(
        "/contacts/merge",
        {"primary_id": ann.pk, "duplicate_ids": [dup.pk], "fields": {"job_title": dup.pk}},
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["primary_id"] == ann.pk and body["duplicate_ids"] == [dup.pk]
    assert body["can_undo"] is True
    assert body["before"][str(dup.pk)]["job_title"] == "VP"
    assert client.get(f"/contacts/{ann.pk}").json()["job_title"] == "VP"
    assert client.get(f"/merges/{body['id']}").json()["id"] == body["id"]
    assert [m["id"] for m in client.get("/merges").json()["items"]] == [body["id"]]

    undone = client.post(f"/merges/{body['id']}/undo")
    assert undone.status_code == 200
    assert undone.json()["undone_at"] is not None
    assert client.get(f"/contacts/{dup.pk}").json()["full_name"] == "Annie"
    again = client.post(f"/merges/{body['id']}/undo")
    assert again.status_code == 409
    assert "already undone" in problem_of(again)["detail"]


def test_merged_id_answers_308_to_the_survivor_along_chains(api_as, admin, make_contact):
    client = api_as(admin)
    a, b, c = (make_contact(admin, full_name=n) for n in ("A", "B", "C"))
    client.post("/contacts/merge", {"primary_id": b.pk, "duplicate_ids": [a.pk]})
    client.post("/contacts/merge", {"primary_id": c.pk, "duplicate_ids": [b.pk]})

    for old in (a, b):
        response = client.get(f"/contacts/{old.pk}")
        assert response.status_code == 308
        assert response["Location"].endswith(f"/api/v1/contacts/{c.pk}")
    assert client.get("/contacts/987654").status_code == 404


@pytest.mark.parametrize(
    ("payload", "status"),
    [
        ({"primary_id": 1, "duplicate_ids": []}, 422),
        ({"primary_id": "x", "duplicate_ids": [2]}, 422),
        ({"duplicate_ids": [2]}, 422),
    ],
)
def test_bad_payloads_are_clear_problems(api_as, admin, payload, status):
    response = api_as(admin).post("/contacts/merge", payload)
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/problem+json")


def test_self_merge_and_unknown_fields_are_422(api_as, admin, make_contact):
    client = api_as(admin)
    ann = make_contact(admin, full_name="Ann")
    dup = make_contact(admin, full_name="Dup")
    assert (
        client.post(
            "/contacts/merge", {"primary_id": ann.pk, "duplicate_ids": [ann.pk]}
        ).status_code
        == 422
    )
    response = client.post(
        "/contacts/merge",
        {"primary_id": ann.pk, "duplicate_ids": [dup.pk], "fields": {"bogus": ann.pk}},
    )
    assert response.status_code == 422
    assert "fields.bogus" in problem_of(response)["errors"]


def test_stale_expected_version_is_412(api_as, admin, make_contact):
    ann = make_contact(admin, full_name="Ann")
    dup = make_contact(admin, full_name="Dup")
    response = api_as(admin).post(
        "/contacts/merge",
        {
            "primary_id": ann.pk,
            "duplicate_ids": [dup.pk],
            "expected_versions": {str(dup.pk): dup.version + 5},
        },
    )
    assert response.status_code == 412
    assert Contact.objects.filter(pk=dup.pk).exists()


def test_reps_and_readers_may_not_merge(api_as, alice, reader, admin, make_contact):
    ann = make_contact(alice, full_name="Ann")
    dup = make_contact(alice, full_name="Dup")
    for user in (alice, reader):
        response = api_as(user).post(
            "/contacts/merge", {"primary_id": ann.pk, "duplicate_ids": [dup.pk]}
        )
        assert response.status_code == 403
    assert Contact.objects.filter(pk=dup.pk).exists()


def test_openapi_documents_the_merge_endpoints(api_as, admin):
    paths = api_as(admin).get("/openapi.json").json()["paths"]
    assert "post" in paths["/api/v1/contacts/merge"]
    assert "post" in paths["/api/v1/merges/{merge_id}/undo"]
    assert "308" in paths["/api/v1/contacts/{contact_id}"]["get"]["responses"]
