"""The leads endpoints, conversion above all."""

from __future__ import annotations

from typing import Any

from peoplebase.activities.models import ActivityKind
from peoplebase.companies.models import Company
from peoplebase.contacts.models import Contact
from peoplebase.leads.models import Lead
from tests.api.conftest import if_match, problem_of


def test_create_lead_normalises_contact_details(api_as: Any, alice: Any) -> None:
    response = api_as(alice).post(
        "/leads",
        {
            "company_name": "Globex",
            "full_name": "Hank Scorpio",
            "email": "Hank@Globex.example",
            "phone": "(415) 555-0123",
        },
    )

    assert response.status_code == 201
    body = response.json()
    assert response["Location"].endswith(f"/api/v1/leads/{body['id']}")
    assert (body["first_name"], body["last_name"]) == ("Hank", "Scorpio")
    assert body["email"] == "hank@globex.example"
    assert body["phone"] == "+14155550123"
    assert body["phone_original"] == "(415) 555-0123"
    assert body["status"] == "new"
    assert body["owner"]["id"] == alice.pk


def test_lead_validation_names_fields(api_as: Any, alice: Any) -> None:
    api = api_as(alice)

    missing = api.post("/leads", {"full_name": "No Company"})
    bad = api.post("/leads", {"company_name": "X", "email": "nope", "status": "converted"})
    unknown = api.post("/leads", {"company_name": "X", "budget": 5})

    assert problem_of(missing)["errors"]["company_name"] == ["This field is required."]
    assert {"email", "status"} <= set(problem_of(bad)["errors"])
    assert problem_of(unknown)["errors"] == {"budget": ["Unknown field."]}


def test_get_and_patch_lead_with_versions(api_as: Any, alice: Any, make_lead: Any) -> None:
    lead = make_lead(alice, source="Webinar")
    api = api_as(alice)

    got = api.get(f"/leads/{lead.pk}")
    changed = api.patch(f"/leads/{lead.pk}", {"status": "working"}, HTTP_IF_MATCH=got["ETag"])
    stale = api.patch(f"/leads/{lead.pk}", {"status": "qualified"}, HTTP_IF_MATCH=got["ETag"])

    assert got.json()["version"] == lead.version
    assert changed.status_code == 200
    assert changed.json()["status"] == "working"
    assert changed.json()["source"] == "Webinar"
    assert stale.status_code == 412
    assert problem_of(stale)["current_version"] == lead.version + 1


def test_rep_cannot_edit_or_delete_someone_elses_lead(
    api_as: Any, alice: Any, bob: Any, make_lead: Any
) -> None:
    lead = make_lead(bob)
    api = api_as(alice)

    assert api.patch(f"/leads/{lead.pk}", {"status": "working"}).status_code == 403
    assert api.delete(f"/leads/{lead.pk}").status_code == 403
    assert api.post(f"/leads/{lead.pk}/convert").status_code == 403
    assert Lead.objects.get(pk=lead.pk).status == "new"


def test_read_only_user_cannot_create_leads(api_as: Any, reader: Any) -> None:
    response = api_as(reader).post("/leads", {"company_name": "Globex"})

    assert response.status_code == 403


def test_delete_lead(api_as: Any, alice: Any, make_lead: Any) -> None:
    lead = make_lead(alice)

    response = api_as(alice).delete(f"/leads/{lead.pk}", **if_match(lead.version))

    assert response.status_code == 204
    assert not Lead.objects.filter(pk=lead.pk).exists()


def test_convert_creates_customer_account_and_contact_keeping_email_and_phone(
    api_as: Any, alice: Any, make_lead: Any
) -> None:
    lead = make_lead(
        alice,
        company_name="Globex",
        full_name="Hank Scorpio",
        email="hank@globex.example",
        phone="+1 415 555 0123",
        job_title="CEO",
        status="qualified",
    )

    response = api_as(alice).post(f"/leads/{lead.pk}/convert", {})

    assert response.status_code == 200
    body = response.json()
    assert body["company_created"] is True and body["contact_created"] is True
    assert body["lead"]["status"] == "converted"
    assert body["company"]["name"] == "Globex"
    assert body["company"]["lifecycle"] == "customer"
    assert body["company"]["domain"] == "globex.example"
    contact = body["contact"]
    assert contact["full_name"] == "Hank Scorpio"
    assert contact["job_title"] == "CEO"
    assert contact["company"]["id"] == body["company"]["id"]
    assert [e["email"] for e in contact["emails"]] == ["hank@globex.example"]
    assert [p["number"] for p in contact["phones"]] == ["+14155550123"]
    assert body["lead"]["converted_company"]["id"] == body["company"]["id"]
    assert body["lead"]["converted_contact"]["id"] == contact["id"]
    timeline = api_as(alice).get(f"/contacts/{contact['id']}/timeline").json()["items"]
    assert [a["kind"] for a in timeline] == [ActivityKind.CONVERTED]
    assert timeline[0]["lead_id"] == lead.pk


def test_convert_into_existing_company_without_a_contact(
    api_as: Any, alice: Any, make_lead: Any, make_company: Any
) -> None:
    company = make_company(alice, name="Existing Globex")
    lead = make_lead(alice, status="qualified", email="x@globex.example")

    response = api_as(alice).post(
        f"/leads/{lead.pk}/convert", {"company_id": company.pk, "create_contact": False}
    )

    body = response.json()
    assert response.status_code == 200
    assert body["company"]["id"] == company.pk
    assert body["company_created"] is False
    assert body["contact"] is None
    assert Company.objects.count() == 1
    assert not Contact.objects.exists()


def test_convert_linking_an_existing_contact(
    api_as: Any, alice: Any, make_lead: Any, make_contact: Any
) -> None:
    contact = make_contact(alice, full_name="Hank Scorpio", emails=[{"email": "hank@g.example"}])
    lead = make_lead(alice, status="qualified", email="hank@g.example")
    api = api_as(alice)

    suggestions = api.get(f"/leads/{lead.pk}/conversion-suggestions").json()
    response = api.post(f"/leads/{lead.pk}/convert", {"contact_id": contact.pk})

    assert suggestions["contact"] == {
        "id": contact.pk,
        "full_name": "Hank Scorpio",
        "email": "hank@g.example",
    }
    assert response.json()["contact"]["id"] == contact.pk
    assert response.json()["contact_created"] is False
    assert Contact.objects.count() == 1


def test_converting_a_lead_that_is_not_qualified_is_409(
    api_as: Any, alice: Any, make_lead: Any
) -> None:
    lead = make_lead(alice, status="working")

    response = api_as(alice).post(f"/leads/{lead.pk}/convert")

    assert response.status_code == 409
    assert "qualified" in problem_of(response)["detail"]
    assert not Company.objects.exists()


def test_converting_twice_is_409_and_converted_lead_is_frozen(
    api_as: Any, alice: Any, make_lead: Any
) -> None:
    lead = make_lead(alice, status="qualified")
    api = api_as(alice)
    assert api.post(f"/leads/{lead.pk}/convert").status_code == 200

    again = api.post(f"/leads/{lead.pk}/convert")
    edit = api.patch(f"/leads/{lead.pk}", {"notes": "late"})

    assert again.status_code == 409
    assert edit.status_code == 409
    assert Company.objects.count() == 1


def test_convert_with_stale_if_match_is_412(api_as: Any, alice: Any, make_lead: Any) -> None:
    lead = make_lead(alice, status="qualified")

    response = api_as(alice).post(f"/leads/{lead.pk}/convert", **if_match(lead.version + 1))

    assert response.status_code == 412
    assert not Company.objects.exists()
    assert Lead.objects.get(pk=lead.pk).status == "qualified"


def test_convert_rejects_unknown_options(api_as: Any, alice: Any, make_lead: Any) -> None:
    lead = make_lead(alice, status="qualified")

    response = api_as(alice).post(f"/leads/{lead.pk}/convert", {"make_deal": True})

    assert response.status_code == 422
    assert problem_of(response)["errors"] == {"make_deal": ["Unknown field."]}


def test_conversion_suggestions_find_matching_company(
    api_as: Any, alice: Any, make_lead: Any, make_company: Any
) -> None:
    company = make_company(alice, name="Globex")
    lead = make_lead(alice, company_name="globex")

    body = api_as(alice).get(f"/leads/{lead.pk}/conversion-suggestions").json()

    assert body == {"company": {"id": company.pk, "name": "Globex"}, "contact": None}


def test_list_leads_filters_and_pages(
    api_as: Any, alice: Any, bob: Any, make_lead: Any, django_assert_max_num_queries: Any
) -> None:
    for i in range(5):
        make_lead(alice, company_name=f"Lead Co {i}")
    qualified = make_lead(bob, company_name="Qualified Inc", status="qualified")
    api = api_as(alice)

    with django_assert_max_num_queries(6):
        first = api.get("/leads", {"limit": 4}).json()
    second = api.get("/leads", {"limit": 4, "cursor": first["next_cursor"]}).json()
    ids = [lead["id"] for lead in first["items"] + second["items"]]

    assert len(ids) == len(set(ids)) == 6
    assert first["items"][0]["id"] == qualified.pk  # newest first
    assert [x["id"] for x in api.get("/leads", {"status": "qualified"}).json()["items"]] == [
        qualified.pk
    ]
    assert len(api.get("/leads", {"owner": "me"}).json()["items"]) == 5
    assert len(api.get("/leads", {"q": "qualified"}).json()["items"]) == 1
    assert api.get("/leads", {"status": "asleep"}).status_code == 422
    assert api.get("/leads", {"sort": "name"}).status_code == 422


def test_lead_history_shows_status_changes(api_as: Any, alice: Any, make_lead: Any) -> None:
    lead = make_lead(alice)
    api = api_as(alice)
    api.patch(f"/leads/{lead.pk}", {"status": "working"})

    items = api.get(f"/leads/{lead.pk}/history").json()["items"]

    assert [i["action"] for i in items] == ["update", "create"]
    assert items[0]["changes"]["status"] == ["new", "working"]
