"""The contacts endpoints: CRUD, validation, versions, duplicates, paging and sub-resources."""

from __future__ import annotations

from typing import Any

import pytest

from peoplebase.activities.models import ActivityKind
from peoplebase.activities.services import log_activity
from peoplebase.contacts.models import Contact
from peoplebase.customfields.services import create_definition
from tests.api.conftest import if_match, problem_of

ADA = {
    "full_name": "Ada Lovelace",
    "emails": [{"email": "ADA@Example.com", "kind": "work"}],
    "phones": [{"number": "+1 415 555 0100", "kind": "mobile"}],
    "tags": ["VIP", "Speaker"],
    "job_title": "Analyst",
}


# --- create and read ------------------------------------------------------------------------


def test_create_contact_returns_201_location_and_normalised_record(api_as: Any, alice: Any) -> None:
    response = api_as(alice).post("/contacts", ADA)

    assert response.status_code == 201
    body = response.json()
    assert response["Location"].endswith(f"/api/v1/contacts/{body['id']}")
    assert response["ETag"] == '"1"'
    assert body["first_name"] == "Ada"
    assert body["last_name"] == "Lovelace"
    assert body["email"] == "ada@example.com"
    assert body["emails"][0] == {
        "email": "ada@example.com",
        "original": "ADA@Example.com",
        "kind": "work",
        "is_primary": True,
        "is_bounced": False,
        "is_opted_out": False,
    }
    assert body["phones"][0]["number"] == "+14155550100"
    assert body["phones"][0]["original"] == "+1 415 555 0100"
    assert body["phones"][0]["kind"] == "mobile"
    assert body["phones"][0]["is_valid"] is True
    assert body["tags"] == ["Speaker", "VIP"]
    assert body["owner"] == {"id": alice.pk, "email": alice.email, "name": "Alice Rep"}
    assert body["version"] == 1
    assert body["warnings"] == []
    assert Contact.objects.filter(pk=body["id"], created_by=alice).exists()


def test_create_reports_normalisation_warnings(api_as: Any, alice: Any) -> None:
    response = api_as(alice).post(
        "/contacts", {"full_name": "Odd Number", "phones": [{"number": "12"}]}
    )
    assert response.status_code == 201
    body = response.json()
    assert body["phones"][0]["is_valid"] is False
    assert body["phones"][0]["number"] == "12"
    assert body["warnings"] and "12" in body["warnings"][0]


def test_get_contact_has_etag_matching_version_and_company(
    api_as: Any, alice: Any, make_contact: Any, make_company: Any
) -> None:
    company = make_company(alice, name="Initech")
    contact = make_contact(alice, full_name="Peter Gibbons", company_id=company.pk)

    response = api_as(alice).get(f"/contacts/{contact.pk}")

    assert response.status_code == 200
    assert response["ETag"] == f'"{contact.version}"'
    body = response.json()
    assert body["version"] == contact.version
    assert body["company"] == {"id": company.pk, "name": "Initech"}
    assert body["created_at"].endswith("Z") or "+" in body["created_at"]


def test_read_only_user_can_read_contacts(
    api_as: Any, alice: Any, reader: Any, make_contact: Any
) -> None:
    contact = make_contact(alice)

    assert api_as(reader).get(f"/contacts/{contact.pk}").status_code == 200
    assert api_as(reader).get("/contacts").status_code == 200


def test_missing_contact_is_404_problem(api_as: Any, alice: Any) -> None:
    response = api_as(alice).get("/contacts/424242")

    assert response.status_code == 404
    assert problem_of(response)["status"] == 404


@pytest.mark.parametrize("bad_id", ["abc", "1.5", "-3", "0", "99999999999999999999999"])
def test_non_integer_or_impossible_ids_are_422_not_500(
    api_as: Any, alice: Any, bad_id: str
) -> None:
    response = api_as(alice).get(f"/contacts/{bad_id}")

    assert response.status_code == 422
    assert "contact_id" in problem_of(response)["errors"]


def test_unknown_api_path_is_problem_404(api_as: Any, alice: Any) -> None:
    response = api_as(alice).get("/contacts/1/nonsense")

    assert response.status_code == 404
    assert problem_of(response)["title"] == "Not found"


def test_trailing_slash_reaches_the_same_collection(api_as: Any, alice: Any) -> None:
    response = api_as(alice).post("/contacts/", {"full_name": "Slash Person"})

    assert response.status_code == 201
    assert api_as(alice).get("/contacts/").json()["items"][0]["full_name"] == "Slash Person"


# --- validation -------------------------------------------------------------------------------


def test_unknown_fields_are_rejected_by_name(api_as: Any, alice: Any) -> None:
    response = api_as(alice).post(
        "/contacts",
        {"full_name": "Ada", "nickname": "A", "emails": [{"email": "a@example.com", "x": 1}]},
    )

    assert response.status_code == 422
    errors = problem_of(response)["errors"]
    assert errors["nickname"] == ["Unknown field."]
    assert errors["emails.0.x"] == ["Unknown field."]
    assert not Contact.objects.exists()


def test_unknown_fields_are_rejected_on_patch_too(
    api_as: Any, alice: Any, make_contact: Any
) -> None:
    contact = make_contact(alice)

    response = api_as(alice).patch(f"/contacts/{contact.pk}", {"favourite_colour": "red"})

    assert response.status_code == 422
    assert "favourite_colour" in problem_of(response)["errors"]


def test_invalid_email_and_phone_are_reported_with_dotted_names(api_as: Any, alice: Any) -> None:
    response = api_as(alice).post(
        "/contacts",
        {
            "full_name": "Broken Input",
            "emails": [{"email": "ok@example.com"}, {"email": "not-an-email"}],
            "phones": [{"number": "call me"}],
        },
    )

    assert response.status_code == 422
    errors = problem_of(response)["errors"]
    assert set(errors) == {"emails.1.email", "phones.0.number"}


def test_wrong_types_are_422_with_field_names(api_as: Any, alice: Any) -> None:
    response = api_as(alice).post(
        "/contacts",
        {"full_name": 12, "lead_score": "lots", "emails": "a@example.com", "tags": "x"},
    )

    assert response.status_code == 422
    errors = problem_of(response)["errors"]
    assert {"full_name", "lead_score", "emails", "tags"} <= set(errors)


def test_out_of_range_lead_score_and_bad_choice_are_422(api_as: Any, alice: Any) -> None:
    response = api_as(alice).post(
        "/contacts", {"full_name": "Ada", "lead_score": 101, "seniority": "emperor"}
    )

    assert response.status_code == 422
    assert {"lead_score", "seniority"} <= set(problem_of(response)["errors"])


def test_invalid_custom_field_value_is_422_under_custom_fields_key(
    api_as: Any, admin: Any, alice: Any
) -> None:
    create_definition(admin, {"label": "Budget", "field_type": "number"})

    response = api_as(alice).post(
        "/contacts", {"full_name": "Ada", "custom_fields": {"budget": "a lot", "nope": 1}}
    )

    assert response.status_code == 422
    errors = problem_of(response)["errors"]
    assert "custom_fields.budget" in errors
    assert "custom_fields.nope" in errors


def test_custom_field_values_are_stored_and_returned(api_as: Any, admin: Any, alice: Any) -> None:
    create_definition(admin, {"label": "Budget", "field_type": "number"})

    response = api_as(alice).post(
        "/contacts", {"full_name": "Ada", "custom_fields": {"budget": "12,500"}}
    )

    assert response.status_code == 201
    assert response.json()["custom_fields"] == {"budget": 12500}


def test_malformed_json_is_a_400_problem(api_as: Any, alice: Any) -> None:
    client = api_as(alice).client

    response = client.post("/api/v1/contacts", "{not json", content_type="application/json")

    assert response.status_code == 400
    assert problem_of(response)["status"] == 400


@pytest.mark.parametrize("body", ["[1, 2]", '"text"', "null", ""])
def test_body_that_is_not_an_object_is_422(api_as: Any, alice: Any, body: str) -> None:
    client = api_as(alice).client

    response = client.post("/api/v1/contacts", body, content_type="application/json")

    assert response.status_code == 422
    assert "__all__" in problem_of(response)["errors"]


def test_contact_needs_a_name_or_email(api_as: Any, alice: Any) -> None:
    response = api_as(alice).post("/contacts", {"job_title": "Ghost"})

    assert response.status_code == 422
    assert "full_name" in problem_of(response)["errors"]


# --- update, versions, delete ---------------------------------------------------------------


def test_patch_changes_only_sent_fields_and_bumps_version(
    api_as: Any, alice: Any, make_contact: Any
) -> None:
    contact = make_contact(alice, full_name="Ada Lovelace", job_title="Analyst", city="London")

    response = api_as(alice).patch(f"/contacts/{contact.pk}", {"job_title": "Countess"})

    assert response.status_code == 200
    body = response.json()
    assert body["job_title"] == "Countess"
    assert body["city"] == "London"
    assert body["version"] == contact.version + 1
    assert response["ETag"] == f'"{contact.version + 1}"'


def test_patch_with_null_or_empty_clears_a_field(
    api_as: Any, alice: Any, make_contact: Any, make_company: Any
) -> None:
    company = make_company(alice)
    contact = make_contact(alice, job_title="Analyst", city="London", company_id=company.pk)

    response = api_as(alice).patch(
        f"/contacts/{contact.pk}", {"job_title": None, "city": "", "company_id": None}
    )

    assert response.status_code == 200
    body = response.json()
    assert (body["job_title"], body["city"], body["company"]) == ("", "", None)


def test_patch_replaces_emails_and_tags(api_as: Any, alice: Any, make_contact: Any) -> None:
    contact = make_contact(alice, emails=[{"email": "old@example.com"}], tags=["a"])

    response = api_as(alice).patch(
        f"/contacts/{contact.pk}",
        {"emails": [{"email": "new@example.com", "kind": "personal"}], "tags": ["b", "c"]},
    )

    body = response.json()
    assert [e["email"] for e in body["emails"]] == ["new@example.com"]
    assert body["email"] == "new@example.com"
    assert body["tags"] == ["b", "c"]


def test_stale_if_match_is_412_with_current_version(
    api_as: Any, alice: Any, make_contact: Any
) -> None:
    contact = make_contact(alice, job_title="Analyst")
    api = api_as(alice)
    etag = api.get(f"/contacts/{contact.pk}")["ETag"]
    assert (
        api.patch(f"/contacts/{contact.pk}", {"city": "Paris"}, HTTP_IF_MATCH=etag).status_code
        == 200
    )

    response = api.patch(f"/contacts/{contact.pk}", {"job_title": "CEO"}, HTTP_IF_MATCH=etag)

    assert response.status_code == 412
    problem = problem_of(response)
    assert problem["current_version"] == contact.version + 1
    contact.refresh_from_db()
    assert contact.job_title == "Analyst"


def test_stale_version_in_body_is_412(api_as: Any, alice: Any, make_contact: Any) -> None:
    contact = make_contact(alice)

    response = api_as(alice).patch(
        f"/contacts/{contact.pk}", {"job_title": "CEO", "version": contact.version + 5}
    )

    assert response.status_code == 412
    assert problem_of(response)["current_version"] == contact.version


def test_matching_version_in_body_is_accepted(api_as: Any, alice: Any, make_contact: Any) -> None:
    contact = make_contact(alice)

    response = api_as(alice).patch(
        f"/contacts/{contact.pk}", {"job_title": "CEO", "version": contact.version}
    )

    assert response.status_code == 200
    assert response.json()["job_title"] == "CEO"


@pytest.mark.parametrize("header", ["*", 'W/"1"', '"1", "7"'])
def test_if_match_accepts_star_weak_and_lists(
    api_as: Any, alice: Any, make_contact: Any, header: str
) -> None:
    contact = make_contact(alice)

    response = api_as(alice).patch(
        f"/contacts/{contact.pk}", {"job_title": "CEO"}, HTTP_IF_MATCH=header
    )

    assert response.status_code == 200


def test_garbage_if_match_never_matches(api_as: Any, alice: Any, make_contact: Any) -> None:
    contact = make_contact(alice)

    response = api_as(alice).patch(
        f"/contacts/{contact.pk}", {"job_title": "CEO"}, HTTP_IF_MATCH='"banana"'
    )

    assert response.status_code == 412


def test_delete_contact_with_matching_if_match(api_as: Any, alice: Any, make_contact: Any) -> None:
    contact = make_contact(alice)

    response = api_as(alice).delete(f"/contacts/{contact.pk}", **if_match(contact.version))

    assert response.status_code == 204
    assert not Contact.objects.filter(pk=contact.pk).exists()


def test_delete_with_stale_if_match_keeps_the_contact(
    api_as: Any, alice: Any, make_contact: Any
) -> None:
    contact = make_contact(alice)

    response = api_as(alice).delete(f"/contacts/{contact.pk}", **if_match(contact.version + 1))

    assert response.status_code == 412
    assert Contact.objects.filter(pk=contact.pk).exists()


# --- permissions ----------------------------------------------------------------------------


def test_rep_cannot_edit_someone_elses_contact(
    api_as: Any, alice: Any, bob: Any, make_contact: Any
) -> None:
    contact = make_contact(bob, job_title="Analyst")

    response = api_as(alice).patch(f"/contacts/{contact.pk}", {"job_title": "Hacked"})

    assert response.status_code == 403
    assert problem_of(response)["status"] == 403
    contact.refresh_from_db()
    assert contact.job_title == "Analyst"


def test_rep_cannot_delete_or_archive_someone_elses_contact(
    api_as: Any, alice: Any, bob: Any, make_contact: Any
) -> None:
    contact = make_contact(bob)
    api = api_as(alice)

    assert api.delete(f"/contacts/{contact.pk}").status_code == 403
    assert api.post(f"/contacts/{contact.pk}/archive").status_code == 403
    assert Contact.objects.filter(pk=contact.pk, is_archived=False).exists()


def test_rep_can_edit_an_unowned_contact(
    api_as: Any, alice: Any, bob: Any, make_contact: Any
) -> None:
    contact = make_contact(bob, owner_id=None)

    response = api_as(alice).patch(f"/contacts/{contact.pk}", {"job_title": "Buyer"})

    assert response.status_code == 200
    assert response.json()["job_title"] == "Buyer"


def test_rep_cannot_hand_a_contact_to_a_teammate(
    api_as: Any, alice: Any, bob: Any, make_contact: Any
) -> None:
    contact = make_contact(alice)

    response = api_as(alice).patch(f"/contacts/{contact.pk}", {"owner_id": bob.pk})

    assert response.status_code == 403


def test_manager_can_edit_anyones_contact(
    api_as: Any, manager: Any, bob: Any, make_contact: Any
) -> None:
    contact = make_contact(bob)

    response = api_as(manager).patch(f"/contacts/{contact.pk}", {"job_title": "Lead"})

    assert response.status_code == 200


def test_read_only_user_gets_403_on_every_write(
    api_as: Any, reader: Any, alice: Any, make_contact: Any
) -> None:
    contact = make_contact(alice, owner_id=None)
    api = api_as(reader)

    assert api.post("/contacts", {"full_name": "New"}).status_code == 403
    assert api.patch(f"/contacts/{contact.pk}", {"job_title": "x"}).status_code == 403
    assert api.delete(f"/contacts/{contact.pk}").status_code == 403
    assert api.post(f"/contacts/{contact.pk}/archive").status_code == 403
    assert api.post(f"/contacts/{contact.pk}/notes", {"body": "hi"}).status_code == 403
    assert Contact.objects.count() == 1


# --- duplicates -----------------------------------------------------------------------------


def test_likely_duplicate_is_409_with_candidates(
    api_as: Any, alice: Any, bob: Any, make_contact: Any
) -> None:
    existing = make_contact(bob, full_name="Ada Lovelace", emails=[{"email": "ada@example.com"}])

    response = api_as(alice).post(
        "/contacts", {"full_name": "Ada L.", "emails": [{"email": "Ada@Example.com"}]}
    )

    assert response.status_code == 409
    problem = problem_of(response)
    assert problem["candidates"][0]["id"] == existing.pk
    assert problem["candidates"][0]["reasons"][0] == "same email ada@example.com"
    assert Contact.objects.count() == 1


def test_allow_duplicate_query_parameter_creates_anyway(
    api_as: Any, alice: Any, make_contact: Any
) -> None:
    make_contact(alice, full_name="Ada Lovelace", emails=[{"email": "ada@example.com"}])

    response = api_as(alice).post(
        "/contacts?allow_duplicate=true",
        {"full_name": "Ada", "emails": [{"email": "ada@example.com"}]},
    )
    assert response.status_code == 201
    assert Contact.objects.count() == 2


def test_emails_and_phones_must_be_objects(api_as: Any, alice: Any) -> None:
    response = api_as(alice).post(
        "/contacts", {"full_name": "Ada", "emails": ["ada@example.com"], "phones": ["+1 415"]}
    )

    assert response.status_code == 422
    assert {"emails.0", "phones.0"} <= set(problem_of(response)["errors"])


def test_allow_duplicate_body_field_creates_anyway(
    api_as: Any, alice: Any, make_contact: Any
) -> None:
    make_contact(alice, full_name="Ada Lovelace", emails=[{"email": "ada@example.com"}])

    response = api_as(alice).post(
        "/contacts",
        {"full_name": "Ada", "emails": [{"email": "ada@example.com"}], "allow_duplicate": True},
    )

    assert response.status_code == 201


def test_duplicates_check_lists_candidates_without_saving(
    api_as: Any, alice: Any, make_contact: Any
) -> None:
    existing = make_contact(alice, full_name="Grace Hopper", phones=[{"number": "+1 415 555 0199"}])

    response = api_as(alice).post(
        "/contacts/duplicates-check", {"phones": [{"number": "(415) 555-0199"}]}
    )

    assert response.status_code == 200
    candidates = response.json()["candidates"]
    assert [c["id"] for c in candidates] == [existing.pk]
    assert Contact.objects.count() == 1


def test_duplicates_check_with_nothing_similar_is_empty(api_as: Any, alice: Any) -> None:
    response = api_as(alice).post("/contacts/duplicates-check", {"full_name": "Nobody Known"})

    assert response.json() == {"candidates": []}


# --- lists and paging -----------------------------------------------------------------------


def test_cursor_pagination_walks_every_page_without_repeats(
    api_as: Any, alice: Any, make_contact: Any
) -> None:
    made = {make_contact(alice, full_name=f"Person {i:02d}").pk for i in range(7)}
    api = api_as(alice)

    seen: list[int] = []
    cursor = None
    pages = 0
    while True:
        params = {"limit": 3, **({"cursor": cursor} if cursor else {})}
        body = api.get("/contacts", params).json()
        seen += [item["id"] for item in body["items"]]
        pages += 1
        cursor = body["next_cursor"]
        if not cursor:
            break

    assert pages == 3
    assert len(seen) == len(set(seen)) == 7
    assert set(seen) == made
    assert body["prev_cursor"]
    back = api.get("/contacts", {"limit": 3, "cursor": body["prev_cursor"]}).json()
    assert [i["id"] for i in back["items"]] == seen[3:6]


def test_invalid_cursor_is_422(api_as: Any, alice: Any) -> None:
    response = api_as(alice).get("/contacts", {"cursor": "not-a-cursor"})

    assert response.status_code == 422
    assert "cursor" in problem_of(response)["errors"]


def test_cursor_from_another_sort_is_422(api_as: Any, alice: Any, make_contact: Any) -> None:
    for i in range(3):
        make_contact(alice, full_name=f"P {i}")
    api = api_as(alice)
    cursor = api.get("/contacts", {"limit": 1, "sort": "-created"}).json()["next_cursor"]

    response = api.get("/contacts", {"limit": 1, "sort": "name", "cursor": cursor})

    assert response.status_code == 422


@pytest.mark.parametrize("limit", ["0", "201", "-1", "many", "99999999999999999999999"])
def test_limit_outside_1_to_200_is_422(api_as: Any, alice: Any, limit: str) -> None:
    response = api_as(alice).get("/contacts", {"limit": limit})

    assert response.status_code == 422
    assert "limit" in problem_of(response)["errors"]


def test_unknown_sort_is_422(api_as: Any, alice: Any) -> None:
    response = api_as(alice).get("/contacts", {"sort": "shoe_size"})

    assert response.status_code == 422
    assert "sort" in problem_of(response)["errors"]


def test_list_filters_by_status_owner_company_tag_and_query(
    api_as: Any, alice: Any, bob: Any, make_contact: Any, make_company: Any
) -> None:
    acme = make_company(alice, name="Acme")
    ada = make_contact(alice, full_name="Ada Lovelace", company_id=acme.pk, tags=["vip"])
    grace = make_contact(bob, full_name="Grace Hopper", status="inactive")
    make_contact(bob, full_name="Alan Turing", consent_status="opted_in")
    api = api_as(alice)

    def ids(**params: Any) -> list[int]:
        return [item["id"] for item in api.get("/contacts", params).json()["items"]]

    assert ids(status="inactive") == [grace.pk]
    assert ids(owner="me") == [ada.pk]
    assert ids(owner=str(bob.pk), q="grace") == [grace.pk]
    assert ids(company_id=acme.pk) == [ada.pk]
    assert ids(tag="VIP") == [ada.pk]
    assert ids(q="lovel") == [ada.pk]
    assert len(ids(consent_status="opted_in")) == 1


def test_list_rejects_bad_filter_values(api_as: Any, alice: Any) -> None:
    api = api_as(alice)

    assert api.get("/contacts", {"status": "sleeping"}).status_code == 422
    assert api.get("/contacts", {"owner": "someone"}).status_code == 422
    assert api.get("/contacts", {"company_id": "x"}).status_code == 422
    assert api.get("/contacts", {"archived": "perhaps"}).status_code == 422


def test_archived_contacts_are_listed_only_when_asked(
    api_as: Any, alice: Any, make_contact: Any
) -> None:
    contact = make_contact(alice, full_name="Old Friend")
    api = api_as(alice)
    assert api.post(f"/contacts/{contact.pk}/archive").json()["is_archived"] is True

    assert api.get("/contacts").json()["items"] == []
    archived = api.get("/contacts", {"archived": "true"}).json()["items"]
    assert [c["id"] for c in archived] == [contact.pk]


def test_count_only_when_asked(api_as: Any, alice: Any, make_contact: Any) -> None:
    for i in range(3):
        make_contact(alice, full_name=f"P {i}")
    api = api_as(alice)

    plain = api.get("/contacts", {"limit": 1}).json()
    counted = api.get("/contacts", {"limit": 1, "include_count": "true"}).json()

    assert "count" not in plain and "count_is_estimate" not in plain
    assert counted["count"] == 3
    assert counted["count_is_estimate"] is False
    assert len(counted["items"]) == 1


def test_large_counts_are_estimates(
    api_as: Any, alice: Any, monkeypatch: Any, make_contact: Any
) -> None:
    from peoplebase.contacts import services

    monkeypatch.setattr(services, "EXACT_COUNT_LIMIT", 2)
    for i in range(4):
        make_contact(alice, full_name=f"P {i}")

    body = api_as(alice).get("/contacts", {"include_count": "true"}).json()

    assert body["count_is_estimate"] is True
    assert body["count"] >= 3


def test_contact_list_query_count_does_not_grow_with_the_page(
    api_as: Any,
    alice: Any,
    make_contact: Any,
    make_company: Any,
    django_assert_max_num_queries: Any,
) -> None:
    company = make_company(alice)
    for i in range(20):
        make_contact(
            alice,
            full_name=f"Person {i}",
            company_id=company.pk,
            emails=[{"email": f"p{i}@example.com"}],
            phones=[{"number": f"+1 415 555 01{i:02d}"}],
            tags=["a", "b"],
        )
    api = api_as(alice)

    with django_assert_max_num_queries(8):
        body = api.get("/contacts", {"limit": 20}).json()

    assert len(body["items"]) == 20
    assert all(item["tags"] == ["a", "b"] and item["emails"] for item in body["items"])


# --- archive, job change, timeline, history, relations ----------------------------------------


def test_archive_and_restore_honour_if_match(api_as: Any, alice: Any, make_contact: Any) -> None:
    contact = make_contact(alice)
    api = api_as(alice)

    stale = api.post(f"/contacts/{contact.pk}/archive", **if_match(contact.version + 3))
    archived = api.post(f"/contacts/{contact.pk}/archive", **if_match(contact.version))
    restored = api.post(f"/contacts/{contact.pk}/restore", {"version": contact.version + 1})

    assert stale.status_code == 412
    assert archived.status_code == 200 and archived.json()["is_archived"] is True
    assert restored.status_code == 200 and restored.json()["is_archived"] is False
    assert restored["ETag"] == f'"{contact.version + 2}"'


def test_job_change_creates_a_linked_contact_at_the_new_company(
    api_as: Any, alice: Any, make_contact: Any, make_company: Any
) -> None:
    old, new = make_company(alice, name="Old Co"), make_company(alice, name="New Co")
    contact = make_contact(
        alice,
        full_name="Ada Lovelace",
        company_id=old.pk,
        emails=[{"email": "ada@old.example"}, {"email": "ada@home.example", "kind": "personal"}],
    )

    response = api_as(alice).post(
        f"/contacts/{contact.pk}/job-change",
        {"company_id": new.pk, "job_title": "CTO", "emails": [{"email": "ada@new.example"}]},
    )

    assert response.status_code == 201
    body = response.json()
    assert response["Location"].endswith(f"/contacts/{body['id']}")
    assert body["company"]["id"] == new.pk
    assert body["previous_contact_id"] == contact.pk
    assert {e["email"] for e in body["emails"]} == {"ada@new.example", "ada@home.example"}
    contact.refresh_from_db()
    assert contact.status == "inactive"


def test_job_change_to_the_same_company_is_422(
    api_as: Any, alice: Any, make_contact: Any, make_company: Any
) -> None:
    company = make_company(alice)
    contact = make_contact(alice, company_id=company.pk)

    response = api_as(alice).post(f"/contacts/{contact.pk}/job-change", {"company_id": company.pk})

    assert response.status_code == 422
    assert "company_id" in problem_of(response)["errors"]


def test_job_change_needs_a_company(api_as: Any, alice: Any, make_contact: Any) -> None:
    contact = make_contact(alice)

    response = api_as(alice).post(f"/contacts/{contact.pk}/job-change", {"job_title": "CTO"})

    assert response.status_code == 422
    assert problem_of(response)["errors"]["company_id"] == ["This field is required."]


def test_timeline_filters_by_kind_and_pages(api_as: Any, alice: Any, make_contact: Any) -> None:
    contact = make_contact(alice)
    for i in range(3):
        log_activity(kind=ActivityKind.CALL, contact=contact, subject=f"Call {i}")
    log_activity(kind=ActivityKind.MEETING, contact=contact, subject="Lunch")
    api = api_as(alice)

    calls = api.get(f"/contacts/{contact.pk}/timeline", {"kind": "call", "limit": 2}).json()
    rest = api.get(
        f"/contacts/{contact.pk}/timeline", {"kind": "call", "cursor": calls["next_cursor"]}
    ).json()
    everything = api.get(f"/contacts/{contact.pk}/timeline").json()

    assert [a["kind"] for a in calls["items"] + rest["items"]] == ["call"] * 3
    assert rest["next_cursor"] is None
    assert len(everything["items"]) == 4
    assert api.get(f"/contacts/{contact.pk}/timeline", {"kind": "nap"}).status_code == 422


def test_history_shows_field_changes_newest_first(
    api_as: Any, alice: Any, make_contact: Any
) -> None:
    contact = make_contact(alice, job_title="Analyst")
    api = api_as(alice)
    api.patch(f"/contacts/{contact.pk}", {"job_title": "CTO"})

    items = api.get(f"/contacts/{contact.pk}/history").json()["items"]

    assert [i["action"] for i in items] == ["update", "create"]
    assert items[0]["changes"]["job_title"] == ["Analyst", "CTO"]
    assert items[0]["actor"]["email"] == alice.email


def test_account_relations_can_be_added_listed_and_removed(
    api_as: Any, alice: Any, make_contact: Any, make_company: Any
) -> None:
    contact = make_contact(alice)
    board = make_company(alice, name="Board Co")
    api = api_as(alice)

    created = api.post(
        f"/contacts/{contact.pk}/account-relations", {"company_id": board.pk, "role": "Advisor"}
    )
    listed = api.get(f"/contacts/{contact.pk}/account-relations").json()["items"]
    removed = api.delete(f"/account-relations/{created.json()['id']}")

    assert created.status_code == 201
    assert listed == [
        {
            "id": created.json()["id"],
            "contact_id": contact.pk,
            "company": {"id": board.pk, "name": "Board Co"},
            "role": "Advisor",
            "created_at": listed[0]["created_at"],
        }
    ]
    assert removed.status_code == 204
    assert api.get(f"/contacts/{contact.pk}/account-relations").json()["items"] == []


def test_rep_cannot_change_relations_of_someone_elses_contact(
    api_as: Any, alice: Any, bob: Any, make_contact: Any, make_company: Any
) -> None:
    contact = make_contact(bob)
    company = make_company(bob)
    relation = api_as(bob).post(
        f"/contacts/{contact.pk}/account-relations", {"company_id": company.pk, "role": "Advisor"}
    )

    api = api_as(alice)
    added = api.post(
        f"/contacts/{contact.pk}/account-relations", {"company_id": company.pk, "role": "Board"}
    )
    removed = api.delete(f"/account-relations/{relation.json()['id']}")

    assert (added.status_code, removed.status_code) == (403, 403)


def test_account_relation_needs_role_and_existing_company(
    api_as: Any, alice: Any, make_contact: Any, make_company: Any
) -> None:
    contact = make_contact(alice)
    company = make_company(alice)
    api = api_as(alice)

    blank = api.post(
        f"/contacts/{contact.pk}/account-relations", {"company_id": company.pk, "role": "  "}
    )
    missing = api.post(
        f"/contacts/{contact.pk}/account-relations", {"company_id": 987654, "role": "Advisor"}
    )

    assert blank.status_code == 422 and "role" in problem_of(blank)["errors"]
    assert missing.status_code == 404
    assert api.delete("/account-relations/987654").status_code == 404


# --- hostile input never becomes a 500 ------------------------------------------------------


def test_nul_characters_are_refused_by_field_name(api_as: Any, alice: Any) -> None:
    api = api_as(alice)

    in_body = api.post("/contacts", {"full_name": "Ada", "emails": [{"email": "a\x00@x.io"}]})
    in_query = api.get("/contacts", {"q": "a\x00b"})

    assert in_body.status_code == 422
    assert list(problem_of(in_body)["errors"]) == ["emails.0.email"]
    assert in_query.status_code == 422
    assert list(problem_of(in_query)["errors"]) == ["q"]


@pytest.mark.parametrize("owner", ["²", "someone", "1" * 30])
def test_owner_filter_takes_only_ascii_ids_me_or_none(api_as: Any, alice: Any, owner: str) -> None:
    response = api_as(alice).get("/contacts", {"owner": owner})

    assert response.status_code == 422
    assert "owner" in problem_of(response)["errors"]


def test_oversized_body_is_413(api_as: Any, alice: Any) -> None:
    response = api_as(alice).post("/contacts", {"full_name": "x" * 3_000_000})

    assert response.status_code == 413
    assert problem_of(response)["status"] == 413


def test_form_encoded_body_is_a_400_problem(api_as: Any, alice: Any) -> None:
    client = api_as(alice).client

    response = client.post(
        "/api/v1/contacts", "full_name=Ada", content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 400


def test_out_of_range_ids_in_bodies_are_422(api_as: Any, alice: Any) -> None:
    response = api_as(alice).post("/contacts", {"full_name": "Ada", "company_id": 10**30})

    assert response.status_code == 422
    assert "company_id" in problem_of(response)["errors"]


def test_unknown_company_or_owner_id_is_422(api_as: Any, alice: Any) -> None:
    response = api_as(alice).post(
        "/contacts", {"full_name": "Ada", "company_id": 424242, "owner_id": 424242}
    )

    assert response.status_code == 422
    assert {"company_id", "owner_id"} <= set(problem_of(response)["errors"])


def test_dates_accept_iso_dates_and_refuse_words(api_as: Any, alice: Any) -> None:
    api = api_as(alice)

    good = api.post("/contacts", {"full_name": "Ada", "consent_date": "2024-01-31"})
    bad = api.post("/contacts", {"full_name": "Ada", "consent_date": "yesterday"})

    assert good.status_code == 201
    assert good.json()["consent_date"].startswith("2024-01-31T00:00:00")
    assert bad.status_code == 422 and "consent_date" in problem_of(bad)["errors"]


def test_records_link_to_their_web_pages(
    api_as: Any, alice: Any, make_contact: Any, make_company: Any, make_lead: Any
) -> None:
    contact, company, lead = make_contact(alice), make_company(alice), make_lead(alice)
    api = api_as(alice)

    for path, record in (
        (f"/contacts/{contact.pk}", contact),
        (f"/companies/{company.pk}", company),
        (f"/leads/{lead.pk}", lead),
    ):
        assert api.get(path).json()["url"] == "http://testserver" + record.get_absolute_url()
