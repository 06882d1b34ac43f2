"""The contact list's items are built from rows, not validated through ContactOut: same output."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import RequestFactory
from django.utils import timezone
from ninja.responses import NinjaJSONEncoder

from peoplebase.contacts.schemas import ContactOut, contact_page_rows
from peoplebase.contacts.services import attach_children, contact_queryset, set_archived
from peoplebase.customfields.services import create_definition

pytestmark = pytest.mark.django_db


def as_json(data: Any) -> Any:
    """What the API's renderer makes of `data`, read back."""
    return json.loads(json.dumps(data, cls=NinjaJSONEncoder))


def old_serialisation(contacts: list[Any], request: Any) -> list[Any]:
    """How django-ninja serialised list items before: ContactOut over each model instance."""
    context = {"request": request}
    return [ContactOut.model_validate(c, context=context).model_dump() for c in contacts]


@pytest.fixture
def varied_contacts(admin: Any, alice: Any, make_contact: Any, make_company: Any) -> list[Any]:
    """Contacts with several emails and phones, tags, custom fields, a company, owners, dates."""
    create_definition(admin, {"label": "Tier", "field_type": "single_select", "options": ["Gold"]})
    create_definition(admin, {"label": "Seats", "field_type": "number"})
    create_definition(admin, {"label": "Langs", "field_type": "multi_select", "options": ["EN"]})
    acme = make_company(admin, name="Acme Inc")
    full = make_contact(
        alice,
        first_name="José",
        last_name="Núñez",
        job_title="CTO",
        company_id=acme.pk,
        birthday="--03-07",
        lead_score=72,
        country="DE",
        consent_status="opted_in",
        consent_type="explicit",
        consent_date="2024-05-01T10:11:12.345678+00:00",
        emails=[
            {"email": "jose@acme.io", "kind": "work"},
            {"email": "Jose@Home.example", "kind": "personal", "is_primary": True},
        ],
        phones=[
            {"number": "+49 30 1234567", "kind": "work"},
            {"number": "0151 2345678", "kind": "mobile", "is_primary": True},
            {"number": "555 12"},
        ],
        tags=["VIP", "alpha", "Émigré"],
        custom_fields={"tier": "Gold", "seats": 12.5, "langs": ["EN"]},
    )
    bare = make_contact(admin, full_name="Plain Person", owner_id=None)
    archived = make_contact(alice, full_name="Old Hand", emails=[{"email": "old@example.com"}])
    set_archived(alice, archived, True)
    contacted = make_contact(admin, full_name="Busy Bee", last_contacted_at=timezone.now())
    return [full, bare, archived, contacted]


def test_rows_equal_contact_out_for_each_contact(varied_contacts: list[Any]) -> None:
    request = RequestFactory().get("/api/v1/contacts")
    ids = [c.pk for c in varied_contacts]
    contacts = list(contact_queryset().filter(pk__in=ids).order_by("pk"))
    attach_children(contacts)

    rows = contact_page_rows(contacts, request)

    assert as_json(rows) == as_json(old_serialisation(contacts, request))
    assert [list(row) for row in rows] == [list(ContactOut.model_fields)] * len(rows)
    full = rows[0]
    assert full["emails"][0]["email"] == "jose@home.example"  # primary first
    assert len(full["phones"]) == 3 and full["tags"] == ["alpha", "Émigré", "VIP"]
    assert full["custom_fields"] == {"tier": "Gold", "seats": 12.5, "langs": ["EN"]}
    assert full["company"]["name"] == "Acme Inc" and full["owner"]["name"] == "Alice Rep"
    assert full["birthday"] == "--03-07" and full["url"].startswith("http://testserver/contacts/")
    assert rows[1]["owner"] is None and rows[1]["company"] is None


def test_api_list_answers_what_contact_out_would(
    varied_contacts: list[Any], api_as: Any, manager: Any
) -> None:
    response = api_as(manager).get("/contacts", {"archived": "any", "sort": "created"})
    assert response.status_code == 200
    body = response.json()
    request = RequestFactory().get("/api/v1/contacts")
    contacts = list(contact_queryset().filter(pk__in=[c.pk for c in varied_contacts]))
    contacts.sort(key=lambda contact: (contact.created_at, contact.pk))
    attach_children(contacts)
    assert body["items"] == as_json(old_serialisation(contacts, request))
    assert set(body) == {"items", "next_cursor", "prev_cursor"}  # no count unless asked


def test_api_list_with_search_and_count(
    varied_contacts: list[Any], api_as: Any, manager: Any
) -> None:
    response = api_as(manager).get("/contacts", {"q": "jose", "include_count": "true"})
    assert response.status_code == 200
    body = response.json()
    assert [item["id"] for item in body["items"]] == [varied_contacts[0].pk]
    assert body["count"] == 1 and body["count_is_estimate"] is False
    detail = api_as(manager).get(f"/contacts/{varied_contacts[0].pk}").json()
    # The single-record endpoint still serialises through ContactOut: same fields, same values
    # (it lists children in their own order).
    item = body["items"][0]
    assert set(item) == set(detail)
    for name in set(item) - {"emails", "phones"}:
        assert item[name] == detail[name], name
    assert sorted(map(str, item["emails"])) == sorted(map(str, detail["emails"]))
