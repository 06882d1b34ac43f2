"""GET /api/v1/contacts takes the filter language as query parameters; bad ones are 422."""

from __future__ import annotations

from typing import Any

import pytest

from peoplebase.contacts.models import Contact
from peoplebase.customfields.services import create_definition
from tests.api.conftest import problem_of

pytestmark = pytest.mark.django_db


def listed(api: Any, params: dict[str, Any]) -> set[int]:
    response = api.get("/contacts", params)
    assert response.status_code == 200, response.content
    return {item["id"] for item in response.json()["items"]}


def test_filters_narrow_the_list_and_combine(api_as, alice, bob, make_contact, admin):
    create_definition(admin, {"label": "Plan", "field_type": "single_select", "options": ["Pro"]})
    create_definition(admin, {"label": "Langs", "field_type": "multi_select", "options": ["EN"]})
    target = make_contact(
        alice,
        full_name="Target",
        tags=["VIP"],
        lead_score=70,
        custom_fields={"plan": "Pro", "langs": ["EN"]},
    )
    make_contact(alice, full_name="Other", tags=["VIP"], lead_score=20)
    make_contact(bob, full_name="Bobs", custom_fields={"plan": "Pro"})
    api = api_as(alice)
    assert listed(api, {"tags_any": "vip", "lead_score_min": "50"}) == {target.pk}
    assert listed(api, {"cf.plan": "pro", "owner": "me"}) == {target.pk}
    assert listed(api, {"cf.langs__all": "EN"}) == {target.pk}
    assert listed(api, {"status": "active,inactive", "tags_none": "vip"}) == {
        c.pk for c in Contact.objects.filter(full_name="Bobs")
    }


def test_repeated_status_parameters_add_up(api_as, alice, make_contact):
    gone = make_contact(alice, full_name="Gone", status="inactive")
    bounced = make_contact(alice, full_name="Bounced", status="bounced")
    make_contact(alice, full_name="Here")
    response = api_as(alice).get("/contacts?status=inactive&status=bounced")
    assert {item["id"] for item in response.json()["items"]} == {gone.pk, bounced.pk}


def test_last_activity_before_lists_never_active_contacts(api_as, alice, make_contact):
    never = make_contact(alice, full_name="Never")
    assert listed(api_as(alice), {"last_activity_before": "90d"}) == {never.pk}


def test_count_respects_the_filters(api_as, alice, make_contact):
    make_contact(alice, full_name="A", tags=["x", "y"])
    make_contact(alice, full_name="B")
    body = api_as(alice).get("/contacts", {"tags_any": "x,y", "include_count": "true"}).json()
    assert body["count"] == 1


@pytest.mark.parametrize(
    ("param", "value"),
    [
        ("status", "sleeping"),
        ("company", "acme"),
        ("owner", "someone"),
        ("lead_score_min", "500"),
        ("country", "Atlantis"),
        ("created_after", "last tuesday"),
        ("last_activity_before", "90 days"),
        ("has_email", "maybe"),
        ("archived", "perhaps"),
        ("cf.nothing", "1"),
        ("colour", "red"),
    ],
)
def test_bad_filter_is_422_naming_the_parameter(api_as, alice, param, value):
    response = api_as(alice).get("/contacts", {param: value})
    assert response.status_code == 422
    assert list(problem_of(response)["errors"]) == [param]


def test_operator_that_does_not_fit_the_field_type_is_422(api_as, alice, admin):
    create_definition(admin, {"label": "Budget", "field_type": "number"})
    response = api_as(alice).get("/contacts", {"cf.budget__contains": "1", "cf.budget__min": "x"})
    assert response.status_code == 422
    assert set(problem_of(response)["errors"]) == {"cf.budget__contains", "cf.budget__min"}


def test_list_parameters_are_not_mistaken_for_filters(api_as, alice, make_contact):
    make_contact(alice, full_name="Ann")
    params = {"q": "ann", "sort": "-created", "limit": "5", "include_count": "true"}
    response = api_as(alice).get("/contacts", params)
    assert response.status_code == 200
    assert response.json()["count"] == 1


def test_anonymous_callers_cannot_filter(anonymous):
    assert anonymous.get("/contacts", {"status": "active"}).status_code == 401


def test_every_filter_parameter_is_documented(api_as, alice):
    from peoplebase.contacts.filtering import FILTER_PARAMS

    schema = api_as(alice).get("/openapi.json").json()
    operation = schema["paths"]["/api/v1/contacts"]["get"]
    documented = {p["name"]: p for p in operation["parameters"]}
    for name in FILTER_PARAMS:
        assert documented[name].get("description"), name
    assert "cf.<key>__min" in operation["description"]
