"""The companies (accounts) endpoints."""

from __future__ import annotations

from typing import Any

from peoplebase.companies.models import Company
from tests.api.conftest import if_match, problem_of


def test_create_company_derives_domain_and_sets_location(api_as: Any, alice: Any) -> None:
    response = api_as(alice).post(
        "/companies", {"name": "  Acme   Inc ", "website": "https://www.acme.example/about"}
    )

    assert response.status_code == 201
    body = response.json()
    assert response["Location"].endswith(f"/api/v1/companies/{body['id']}")
    assert body["name"] == "Acme Inc"
    assert body["domain"] == "acme.example"
    assert body["owner"]["id"] == alice.pk
    assert body["lifecycle"] == "lead"
    assert body["contact_count"] == 0
    assert body["version"] == 1


def test_company_needs_a_name(api_as: Any, alice: Any) -> None:
    missing = api_as(alice).post("/companies", {"website": "https://acme.example"})
    blank = api_as(alice).post("/companies", {"name": "   "})

    assert missing.status_code == 422
    assert problem_of(missing)["errors"]["name"] == ["This field is required."]
    assert blank.status_code == 422 and "name" in problem_of(blank)["errors"]


def test_company_rejects_unknown_fields_and_bad_values(api_as: Any, alice: Any) -> None:
    response = api_as(alice).post(
        "/companies", {"name": "Acme", "size": "huge", "lifecycle": "zombie", "ceo": "Wile E."}
    )

    assert response.status_code == 422
    assert problem_of(response)["errors"] == {"ceo": ["Unknown field."]}
    response = api_as(alice).post("/companies", {"name": "Acme", "size": "huge", "country": "Xy"})
    assert {"size", "country"} <= set(problem_of(response)["errors"])


def test_get_company_counts_its_active_contacts_and_sets_etag(
    api_as: Any, alice: Any, make_company: Any, make_contact: Any
) -> None:
    company = make_company(alice)
    make_contact(alice, company_id=company.pk)
    make_contact(alice, full_name="Other", company_id=company.pk)

    response = api_as(alice).get(f"/companies/{company.pk}")

    assert response.status_code == 200
    assert response["ETag"] == f'"{company.version}"'
    assert response.json()["contact_count"] == 2


def test_patch_company_changes_sent_fields_and_honours_if_match(
    api_as: Any, alice: Any, make_company: Any
) -> None:
    company = make_company(alice, industry="Anvils", city="Phoenix")
    api = api_as(alice)

    changed = api.patch(
        f"/companies/{company.pk}", {"industry": "Rockets"}, **if_match(company.version)
    )
    stale = api.patch(f"/companies/{company.pk}", {"city": "Tucson"}, **if_match(company.version))

    assert changed.status_code == 200
    assert changed.json()["industry"] == "Rockets"
    assert changed.json()["city"] == "Phoenix"
    assert changed["ETag"] == f'"{company.version + 1}"'
    assert stale.status_code == 412
    assert problem_of(stale)["current_version"] == company.version + 1


def test_patch_company_can_clear_fields(api_as: Any, alice: Any, make_company: Any) -> None:
    company = make_company(alice, industry="Anvils", size="11-50")

    response = api_as(alice).patch(f"/companies/{company.pk}", {"industry": None, "size": ""})

    assert (response.json()["industry"], response.json()["size"]) == ("", "")


def test_rep_cannot_change_someone_elses_company(
    api_as: Any, alice: Any, bob: Any, make_company: Any
) -> None:
    company = make_company(bob)
    api = api_as(alice)

    assert api.patch(f"/companies/{company.pk}", {"industry": "x"}).status_code == 403
    assert api.delete(f"/companies/{company.pk}").status_code == 403
    assert api.post(f"/companies/{company.pk}/archive").status_code == 403
    assert Company.objects.filter(pk=company.pk, is_archived=False).exists()


def test_rep_can_change_an_unowned_company(
    api_as: Any, alice: Any, bob: Any, make_company: Any
) -> None:
    company = make_company(bob, owner_id=None)

    response = api_as(alice).patch(f"/companies/{company.pk}", {"industry": "Widgets"})

    assert response.status_code == 200


def test_read_only_user_cannot_write_companies(
    api_as: Any, reader: Any, alice: Any, make_company: Any
) -> None:
    company = make_company(alice, owner_id=None)
    api = api_as(reader)

    assert api.get(f"/companies/{company.pk}").status_code == 200
    assert api.post("/companies", {"name": "Nope"}).status_code == 403
    assert api.patch(f"/companies/{company.pk}", {"industry": "x"}).status_code == 403


def test_delete_company_keeps_its_contacts(
    api_as: Any, alice: Any, make_company: Any, make_contact: Any
) -> None:
    company = make_company(alice)
    contact = make_contact(alice, company_id=company.pk)

    response = api_as(alice).delete(f"/companies/{company.pk}")

    assert response.status_code == 204
    contact.refresh_from_db()
    assert contact.company_id is None
    assert api_as(alice).get(f"/companies/{company.pk}").status_code == 404


def test_stale_delete_is_412(api_as: Any, alice: Any, make_company: Any) -> None:
    company = make_company(alice)

    response = api_as(alice).delete(f"/companies/{company.pk}", HTTP_IF_MATCH='"99"')

    assert response.status_code == 412
    assert Company.objects.filter(pk=company.pk).exists()


def test_archive_and_restore_company(api_as: Any, alice: Any, make_company: Any) -> None:
    company = make_company(alice, name="Dormant")
    api = api_as(alice)

    stale = api.post(f"/companies/{company.pk}/archive", **if_match(company.version + 1))
    archived = api.post(f"/companies/{company.pk}/archive", **if_match(company.version))
    hidden = api.get("/companies").json()["items"]
    shown = api.get("/companies", {"archived": "true"}).json()["items"]
    restored = api.post(f"/companies/{company.pk}/restore")

    assert stale.status_code == 412
    assert archived.json()["is_archived"] is True
    assert hidden == []
    assert [c["id"] for c in shown] == [company.pk]
    assert restored.json()["is_archived"] is False


def test_list_companies_filters_and_pages(
    api_as: Any, alice: Any, bob: Any, make_company: Any
) -> None:
    made = [make_company(alice, name=f"Company {i}") for i in range(5)]
    customer = make_company(bob, name="Big Customer", lifecycle="customer")
    api = api_as(alice)

    first = api.get("/companies", {"limit": 4}).json()
    second = api.get("/companies", {"limit": 4, "cursor": first["next_cursor"]}).json()
    ids = [c["id"] for c in first["items"] + second["items"]]

    assert len(ids) == len(set(ids)) == 6
    assert second["next_cursor"] is None
    assert [c["id"] for c in api.get("/companies", {"lifecycle": "customer"}).json()["items"]] == [
        customer.pk
    ]
    assert len(api.get("/companies", {"owner": "me"}).json()["items"]) == len(made)
    assert [c["name"] for c in api.get("/companies", {"q": "big"}).json()["items"]] == [
        "Big Customer"
    ]
    assert api.get("/companies", {"lifecycle": "zombie"}).status_code == 422
    assert api.get("/companies", {"sort": "size"}).status_code == 422
    assert api.get("/companies", {"cursor": "zzz"}).status_code == 422


def test_company_list_query_count_is_constant(
    api_as: Any, alice: Any, make_company: Any, django_assert_max_num_queries: Any
) -> None:
    for i in range(15):
        make_company(alice, name=f"Company {i}")
    api = api_as(alice)

    with django_assert_max_num_queries(5):
        body = api.get("/companies").json()

    assert len(body["items"]) == 15


def test_company_history_records_changes(api_as: Any, alice: Any, make_company: Any) -> None:
    company = make_company(alice, industry="Anvils")
    api = api_as(alice)
    api.patch(f"/companies/{company.pk}", {"industry": "Rockets"})

    items = api.get(f"/companies/{company.pk}/history").json()["items"]

    assert items[0]["action"] == "update"
    assert items[0]["changes"]["industry"] == ["Anvils", "Rockets"]
    assert api.get(f"/companies/{company.pk}/history", {"limit": 0}).status_code == 422


def test_company_timeline_lists_its_activities(
    api_as: Any, alice: Any, make_company: Any, make_contact: Any
) -> None:
    company = make_company(alice)
    contact = make_contact(alice, company_id=company.pk)
    api_as(alice).post(f"/contacts/{contact.pk}/notes", {"body": "Met the team"})

    items = api_as(alice).get(f"/companies/{company.pk}/timeline").json()["items"]

    assert [(a["kind"], a["body"]) for a in items] == [("note", "Met the team")]
