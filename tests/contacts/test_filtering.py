"""The contact filter language: parsing, every filter, custom fields by type, round trips."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from peoplebase.activities.models import Activity
from peoplebase.contacts.filtering import (
    ContactFilterSpec,
    CustomFieldCondition,
    RelativeAge,
    parse_filters,
    parse_filters_leniently,
    resolve_date_bound,
)
from peoplebase.contacts.models import Contact
from peoplebase.contacts.services import (
    ContactFilters,
    count_contacts,
    list_contacts,
    set_archived,
)
from peoplebase.core.errors import ValidationFailed
from peoplebase.customfields.services import create_definition

pytestmark = pytest.mark.django_db


def ids(actor: Any, params: dict[str, Any]) -> set[int]:
    page = list_contacts(actor, parse_filters(params), limit=200)
    return {contact.pk for contact in page.items}


def pks(*contacts: Any) -> set[int]:
    return {contact.pk for contact in contacts}


def errors_of(params: dict[str, Any]) -> dict[str, list[str]]:
    with pytest.raises(ValidationFailed) as caught:
        parse_filters(params)
    return caught.value.errors


def set_dates(contact: Any, **stamps: Any) -> None:
    Contact.objects.filter(pk=contact.pk).update(**stamps)


def days_ago(days: int) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=days)


# --- parsing ------------------------------------------------------------------------------------


def test_empty_parameters_mean_live_contacts_only():
    assert parse_filters({}) == ContactFilterSpec()
    assert parse_filters({"status": "", "owner": "  "}) == ContactFilterSpec()
    assert ContactFilterSpec().to_params() == {}


def test_every_filter_parses_into_typed_fields(admin):
    create_definition(admin, {"label": "Budget", "field_type": "number"})
    spec = parse_filters(
        {
            "status": "active,Inactive",
            "company": "12",
            "owner": "me",
            "tags_any": "VIP, vip ,Partner",
            "tags_all": "a",
            "tags_none": "b",
            "lead_score_min": "10",
            "lead_score_max": "90",
            "consent_status": "opted_in",
            "gdpr_basis": "consent,contract",
            "country": "Germany",
            "role": "champion",
            "source": "Webinar",
            "seniority": "vp",
            "created_after": "2024-01-01",
            "created_before": "2024-02-01T12:00:00+00:00",
            "last_activity_before": "90d",
            "last_contacted_after": "6m",
            "has_activity": "yes",
            "has_email": "true",
            "has_phone": "false",
            "archived": "any",
            "cf.budget__min": "1,000",
        }
    )
    assert spec.status == ("active", "inactive")
    assert spec.company == 12
    assert spec.owner == "me"
    assert spec.tags_any == ("VIP", "Partner")
    assert spec.lead_score_min == 10 and spec.lead_score_max == 90
    assert spec.gdpr_basis == ("consent", "contract")
    assert spec.country == "DE"
    assert spec.created_after == dt.date(2024, 1, 1)
    assert spec.created_before == dt.datetime(2024, 2, 1, 12, tzinfo=dt.UTC)
    assert spec.last_activity_before == RelativeAge(90, "d")
    assert spec.last_contacted_after == RelativeAge(6, "m")
    assert (spec.has_activity, spec.has_email, spec.has_phone) == (True, True, False)
    assert spec.archived is None
    assert spec.custom == (CustomFieldCondition("budget", "number", "min", (1000,)),)
    assert parse_filters(spec.to_params()) == spec


def test_round_trip_keeps_every_custom_field_operator(admin):
    for label, kind, options in [
        ("Notes", "text", []),
        ("Budget", "number", []),
        ("Renewal", "date", []),
        ("Trial", "boolean", []),
        ("Plan", "single_select", ["Free", "Pro"]),
        ("Langs", "multi_select", ["EN", "DE", "FR"]),
    ]:
        create_definition(admin, {"label": label, "field_type": kind, "options": options})
    params = {
        "cf.notes": "Hello",
        "cf.notes__contains": "ell",
        "cf.budget": "5",
        "cf.budget__max": "2.5",
        "cf.renewal__min": "2024-03-01",
        "cf.trial": "no",
        "cf.plan": "pro,FREE",
        "cf.langs__any": "en,de",
        "cf.langs__all": "fr",
        "cf.notes__empty": "false",
        "owner": "none",
        "company": "none",
        "archived": "true",
        "last_activity_before": "2024-05-06T07:08:09",
    }
    spec = parse_filters(params)
    assert parse_filters(spec.to_params()) == spec
    plan = next(c for c in spec.custom if c.key == "plan")
    assert plan.values == ("Pro", "Free")
    assert spec.to_params()["cf.trial"] == "false"


def test_repeated_keys_add_up_for_lists_and_are_refused_for_single_values():
    from django.http import QueryDict

    spec = parse_filters(QueryDict("status=active&status=bounced&tags_any=a&tag=b"))
    assert spec.status == ("active", "bounced")
    assert spec.tags_any == ("a", "b")
    assert "owner" in errors_of({"owner": ["me", "none"]})
    assert parse_filters({"owner": ["me", "me"]}).owner == "me"


def test_old_parameter_names_still_work():
    spec = parse_filters({"tag": "VIP", "company_id": "7"})
    assert spec.tags_any == ("VIP",)
    assert spec.company == 7


@pytest.mark.parametrize(
    ("param", "value"),
    [
        ("status", "sleeping"),
        ("status", "active,sleeping"),
        ("company", "acme"),
        ("company", "-1"),
        ("owner", "somebody"),
        ("owner", "²"),
        ("tags_any", "x" * 51),
        ("lead_score_min", "-1"),
        ("lead_score_max", "101"),
        ("lead_score_min", "ten"),
        ("consent_status", "maybe"),
        ("gdpr_basis", "vibes"),
        ("country", "Atlantis"),
        ("role", "boss"),
        ("seniority", "ancient"),
        ("source", "a\x00b"),
        ("source", "x" * 501),
        ("created_after", "yesterday"),
        ("created_before", "2024-13-01"),
        ("last_contacted_after", "0d"),
        ("last_contacted_before", "200y"),
        ("last_activity_after", "90x"),
        ("last_activity_before", "soon"),
        ("has_activity", "maybe"),
        ("has_email", "2"),
        ("has_phone", "perhaps"),
        ("archived", "perhaps"),
        ("shoe_size", "42"),
        ("q", "ann"),
    ],
)
def test_bad_values_are_reported_under_their_parameter(param, value):
    errors = errors_of({param: value})
    assert list(errors) == [param]
    assert errors[param][0]


def test_unknown_filter_says_so():
    assert errors_of({"colour": "red"}) == {"colour": ["Unknown filter."]}


def test_all_bad_parameters_are_reported_at_once():
    errors = errors_of({"status": "x", "owner": "y", "lead_score_min": "z", "ok": "1"})
    assert set(errors) == {"status", "owner", "lead_score_min", "ok"}


def test_score_range_must_not_be_upside_down():
    assert "lead_score_max" in errors_of({"lead_score_min": "50", "lead_score_max": "20"})


def test_lenient_parse_keeps_the_good_filters_and_reports_the_bad():
    spec, errors = parse_filters_leniently({"status": "inactive", "owner": "everyone"})
    assert spec.status == ("inactive",)
    assert spec.owner is None
    assert list(errors) == ["owner"]


def test_custom_field_errors_name_the_parameter(admin):
    create_definition(admin, {"label": "Budget", "field_type": "number"})
    create_definition(admin, {"label": "Plan", "field_type": "single_select", "options": ["A"]})
    create_definition(admin, {"label": "Langs", "field_type": "multi_select", "options": ["EN"]})
    create_definition(admin, {"label": "Trial", "field_type": "boolean"})
    errors = errors_of(
        {
            "cf.nothing": "1",
            "cf.budget__contains": "1",
            "cf.budget__min": "lots",
            "cf.plan": "B",
            "cf.plan__any": "A",
            "cf.langs": "EN",
            "cf.langs__all": "XX",
            "cf.trial": "sometimes",
            "cf.trial__min": "1",
            "cf.budget__empty": "maybe",
        }
    )
    assert set(errors) == {
        "cf.nothing",
        "cf.budget__contains",
        "cf.budget__min",
        "cf.plan",
        "cf.plan__any",
        "cf.langs",
        "cf.langs__all",
        "cf.trial",
        "cf.trial__min",
        "cf.budget__empty",
    }
    assert "There is no custom field" in errors["cf.nothing"][0]
    assert "cf.budget__min" in errors["cf.budget__contains"][0]


def test_relative_ages_count_back_from_now():
    now = dt.datetime(2024, 3, 31, 12, tzinfo=dt.UTC)
    assert resolve_date_bound(RelativeAge(90, "d"), now) == now - dt.timedelta(days=90)
    assert resolve_date_bound(RelativeAge(2, "w"), now) == now - dt.timedelta(weeks=2)
    assert resolve_date_bound(RelativeAge(1, "m"), now) == dt.datetime(
        2024, 2, 29, 12, tzinfo=dt.UTC
    )
    assert resolve_date_bound(RelativeAge(1, "y"), now) == dt.datetime(
        2023, 3, 31, 12, tzinfo=dt.UTC
    )
    assert resolve_date_bound(RelativeAge(15, "m"), now) == dt.datetime(
        2022, 12, 31, 12, tzinfo=dt.UTC
    )


# --- applying: scalar filters -----------------------------------------------------------------


def test_status_one_or_several(alice, make_contact):
    active = make_contact(alice, full_name="A", status="active")
    inactive = make_contact(alice, full_name="B", status="inactive")
    bounced = make_contact(alice, full_name="C", status="bounced")
    assert ids(alice, {"status": "inactive"}) == pks(inactive)
    assert ids(alice, {"status": "inactive,bounced"}) == pks(inactive, bounced)
    assert ids(alice, {}) == pks(active, inactive, bounced)


def test_company_by_id_or_none(alice, make_contact, make_company):
    acme = make_company(alice, name="Acme")
    other = make_company(alice, name="Other")
    at_acme = make_contact(alice, full_name="A", company_id=acme.pk)
    make_contact(alice, full_name="B", company_id=other.pk)
    nowhere = make_contact(alice, full_name="C")
    assert ids(alice, {"company": str(acme.pk)}) == pks(at_acme)
    assert ids(alice, {"company": "none"}) == pks(nowhere)


def test_owner_me_none_and_id(alice, bob, make_contact):
    mine = make_contact(alice, full_name="A")
    theirs = make_contact(bob, full_name="B")
    nobody = make_contact(alice, full_name="C", owner_id=None)
    assert ids(alice, {"owner": "me"}) == pks(mine)
    assert ids(bob, {"owner": "me"}) == pks(theirs)
    assert ids(alice, {"owner": "none"}) == pks(nobody)
    assert ids(alice, {"owner": str(bob.pk)}) == pks(theirs)


def test_tags_any_all_none_without_duplicate_rows(alice, make_contact):
    both = make_contact(alice, full_name="Both", tags=["VIP", "Partner"])
    vip = make_contact(alice, full_name="Vip", tags=["VIP"])
    assert ids(alice, {"tags_any": "VIP"}) == pks(both, vip)
    partner = make_contact(alice, full_name="Partner", tags=["Partner", "Other"])
    plain = make_contact(alice, full_name="Plain")
    page = list_contacts(alice, parse_filters({"tags_any": "vip,partner,other"}))
    assert [c.pk for c in page.items].count(both.pk) == 1
    assert len(page.items) == 3
    assert count_contacts(alice, parse_filters({"tags_any": "vip,partner"})) == 3
    assert ids(alice, {"tags_all": "VIP,partner"}) == pks(both)
    assert ids(alice, {"tags_none": "vip"}) == pks(partner, plain)
    assert ids(alice, {"tags_any": "partner", "tags_none": "other"}) == pks(both)
    assert ids(alice, {"tags_any": "never-used"}) == set()


def test_lead_score_range_is_inclusive(alice, make_contact):
    low = make_contact(alice, full_name="L", lead_score=10)
    mid = make_contact(alice, full_name="M", lead_score=50)
    high = make_contact(alice, full_name="H", lead_score=90)
    assert ids(alice, {"lead_score_min": "50"}) == pks(mid, high)
    assert ids(alice, {"lead_score_max": "50"}) == pks(low, mid)
    assert ids(alice, {"lead_score_min": "11", "lead_score_max": "90"}) == pks(mid, high)


def test_consent_gdpr_country_role_source_seniority(alice, make_contact):
    match = make_contact(
        alice,
        full_name="Match",
        consent_status="opted_in",
        gdpr_basis="consent",
        country="de",
        role="champion",
        source="Webinar",
        seniority="vp",
    )
    other = make_contact(
        alice,
        full_name="Other",
        consent_status="opted_out",
        gdpr_basis="contract",
        country="France",
        role="blocker",
        source="Web",
        seniority="entry",
    )
    assert ids(alice, {"consent_status": "opted_in"}) == pks(match)
    assert ids(alice, {"gdpr_basis": "consent"}) == pks(match)
    assert ids(alice, {"gdpr_basis": "consent,contract"}) == pks(match, other)
    assert ids(alice, {"country": "Germany"}) == pks(match)
    assert ids(alice, {"country": "fr"}) == pks(other)
    assert ids(alice, {"role": "champion"}) == pks(match)
    assert ids(alice, {"source": "webinar"}) == pks(match)
    assert ids(alice, {"source": "web"}) == pks(other)
    assert ids(alice, {"seniority": "vp"}) == pks(match)


def test_has_email_and_has_phone(alice, make_contact):
    with_both = make_contact(
        alice, full_name="Both", emails=["a@example.com"], phones=["+1 415 555 0100"]
    )
    bare = make_contact(alice, full_name="Bare")
    assert ids(alice, {"has_email": "true"}) == pks(with_both)
    assert ids(alice, {"has_email": "false"}) == pks(bare)
    assert ids(alice, {"has_phone": "yes"}) == pks(with_both)
    assert ids(alice, {"has_phone": "no"}) == pks(bare)


def test_archived_false_true_and_any(alice, make_contact):
    live = make_contact(alice, full_name="Live")
    gone = make_contact(alice, full_name="Gone")
    set_archived(alice, gone, True)
    assert ids(alice, {}) == pks(live)
    assert ids(alice, {"archived": "true"}) == pks(gone)
    assert ids(alice, {"archived": "any"}) == pks(live, gone)


# --- applying: dates ----------------------------------------------------------------------------


def test_created_range_absolute_and_relative(alice, make_contact):
    old = make_contact(alice, full_name="Old")
    recent = make_contact(alice, full_name="Recent")
    january = make_contact(alice, full_name="January")
    set_dates(old, created_at=days_ago(400))
    set_dates(recent, created_at=days_ago(3))
    set_dates(january, created_at=dt.datetime(2020, 1, 15, tzinfo=dt.UTC))
    assert ids(alice, {"created_after": "30d"}) == pks(recent)
    assert ids(alice, {"created_before": "1y"}) == pks(old, january)
    assert ids(alice, {"created_after": "2020-01-01", "created_before": "2020-02-01"}) == pks(
        january
    )
    assert ids(alice, {"created_after": "2020-01-15T00:00:00+00:00", "created_before": "12w"}) == (
        pks(old, january)
    )


def test_last_activity_before_includes_contacts_never_active(alice, make_contact):
    stale = make_contact(alice, full_name="Stale")
    fresh = make_contact(alice, full_name="Fresh")
    never = make_contact(alice, full_name="Never")
    set_dates(stale, last_activity_at=days_ago(120))
    set_dates(fresh, last_activity_at=days_ago(5))
    assert ids(alice, {"last_activity_before": "90d"}) == pks(stale, never)
    assert ids(alice, {"last_activity_after": "90d"}) == pks(fresh)
    assert ids(alice, {"has_activity": "false"}) == pks(never)
    assert ids(alice, {"has_activity": "true"}) == pks(stale, fresh)
    assert ids(alice, {"last_activity_before": "90d", "has_activity": "true"}) == pks(stale)


def test_last_contacted_before_includes_contacts_never_contacted(alice, make_contact):
    long_ago = make_contact(alice, full_name="Long ago")
    lately = make_contact(alice, full_name="Lately")
    never = make_contact(alice, full_name="Never")
    set_dates(long_ago, last_contacted_at=days_ago(200))
    set_dates(lately, last_contacted_at=days_ago(1))
    assert ids(alice, {"last_contacted_before": "6m"}) == pks(long_ago, never)
    assert ids(alice, {"last_contacted_after": "1w"}) == pks(lately)


def test_logged_activity_counts_as_activity(alice, make_contact):
    from peoplebase.activities.services import add_note

    noted = make_contact(alice, full_name="Noted")
    make_contact(alice, full_name="Quiet")
    add_note(alice, noted, "Called about renewal")
    assert Activity.objects.filter(contact=noted).exists()
    assert ids(alice, {"has_activity": "true"}) == pks(noted)
    assert ids(alice, {"last_activity_after": "1d"}) == pks(noted)


# --- applying: custom fields ------------------------------------------------------------------


@pytest.fixture
def fields(admin):
    specs = [
        ("Notes", "text", []),
        ("Website", "url", []),
        ("Budget", "number", []),
        ("Renewal", "date", []),
        ("Trial", "boolean", []),
        ("Plan", "single_select", ["Free", "Pro", "Enterprise"]),
        ("Langs", "multi_select", ["EN", "DE", "Ré", 'Say "hi"']),
    ]
    for label, kind, options in specs:
        create_definition(admin, {"label": label, "field_type": kind, "options": options})


def test_text_fields_equal_and_contain_ignoring_case(alice, make_contact, fields):
    hello = make_contact(alice, full_name="A", custom_fields={"notes": "Hello World"})
    make_contact(alice, full_name="B", custom_fields={"notes": "Goodbye"})
    site = make_contact(alice, full_name="C", custom_fields={"website": "https://acme.io"})
    assert ids(alice, {"cf.notes": "hello world"}) == pks(hello)
    assert ids(alice, {"cf.notes": "hello"}) == set()
    assert ids(alice, {"cf.notes__contains": "WORLD"}) == pks(hello)
    assert ids(alice, {"cf.website__contains": "acme"}) == pks(site)


def test_number_fields_compare_numerically(alice, make_contact, fields):
    nine = make_contact(alice, full_name="Nine", custom_fields={"budget": 9})
    ten = make_contact(alice, full_name="Ten", custom_fields={"budget": 10})
    big = make_contact(alice, full_name="Big", custom_fields={"budget": 100.5})
    make_contact(alice, full_name="None")
    assert ids(alice, {"cf.budget__min": "10"}) == pks(ten, big)
    assert ids(alice, {"cf.budget__max": "10"}) == pks(nine, ten)
    assert ids(alice, {"cf.budget__min": "9.5", "cf.budget__max": "100"}) == pks(ten)
    assert ids(alice, {"cf.budget": "10"}) == pks(ten)
    assert ids(alice, {"cf.budget": "100.5"}) == pks(big)


def test_date_fields_compare_as_dates(alice, make_contact, fields):
    march = make_contact(alice, full_name="March", custom_fields={"renewal": "2024-03-09"})
    november = make_contact(alice, full_name="Nov", custom_fields={"renewal": "2024-11-20"})
    assert ids(alice, {"cf.renewal__min": "2024-03-10"}) == pks(november)
    assert ids(alice, {"cf.renewal__max": "2024-03-09"}) == pks(march)
    assert ids(alice, {"cf.renewal": "2024-11-20"}) == pks(november)


def test_boolean_fields(alice, make_contact, fields):
    yes = make_contact(alice, full_name="Yes", custom_fields={"trial": True})
    no = make_contact(alice, full_name="No", custom_fields={"trial": False})
    make_contact(alice, full_name="Unset")
    assert ids(alice, {"cf.trial": "true"}) == pks(yes)
    assert ids(alice, {"cf.trial": "false"}) == pks(no)


def test_single_select_in(alice, make_contact, fields):
    free = make_contact(alice, full_name="Free", custom_fields={"plan": "Free"})
    pro = make_contact(alice, full_name="Pro", custom_fields={"plan": "Pro"})
    make_contact(alice, full_name="Ent", custom_fields={"plan": "Enterprise"})
    assert ids(alice, {"cf.plan": "pro"}) == pks(pro)
    assert ids(alice, {"cf.plan": "Free,Pro"}) == pks(free, pro)


def test_multi_select_any_and_all(alice, make_contact, fields):
    en_de = make_contact(alice, full_name="EnDe", custom_fields={"langs": ["EN", "DE"]})
    de = make_contact(alice, full_name="De", custom_fields={"langs": ["DE"]})
    accent = make_contact(alice, full_name="Re", custom_fields={"langs": ["Ré", 'Say "hi"']})
    make_contact(alice, full_name="None")
    assert ids(alice, {"cf.langs__any": "EN"}) == pks(en_de)
    assert ids(alice, {"cf.langs__any": "en,de"}) == pks(en_de, de)
    assert ids(alice, {"cf.langs__all": "EN,DE"}) == pks(en_de)
    assert ids(alice, {"cf.langs__any": "ré"}) == pks(accent)
    assert ids(alice, {"cf.langs__all": 'Ré,Say "hi"'}) == pks(accent)


def test_empty_and_filled_custom_fields(alice, make_contact, fields):
    filled = make_contact(alice, full_name="Filled", custom_fields={"budget": 0})
    empty = make_contact(alice, full_name="Empty")
    assert ids(alice, {"cf.budget__empty": "true"}) == pks(empty)
    assert ids(alice, {"cf.budget__empty": "false"}) == pks(filled)


def test_filters_combine_with_and(alice, bob, make_contact, fields):
    target = make_contact(
        alice,
        full_name="Target",
        status="active",
        tags=["VIP"],
        lead_score=80,
        custom_fields={"plan": "Pro"},
    )
    make_contact(alice, full_name="Wrong plan", tags=["VIP"], lead_score=80)
    make_contact(bob, full_name="Wrong owner", tags=["VIP"], lead_score=80)
    make_contact(alice, full_name="Low", tags=["VIP"], lead_score=10, custom_fields={"plan": "Pro"})
    params = {"owner": "me", "tags_any": "vip", "lead_score_min": "50", "cf.plan": "Pro"}
    assert ids(alice, params) == pks(target)


# --- ContactFilters, the older entry point -------------------------------------------------


def test_keyword_filters_are_laid_over_the_spec(alice, bob, make_contact):
    mine = make_contact(alice, full_name="Mine", status="inactive")
    make_contact(bob, full_name="Bobs", status="inactive")
    spec = parse_filters({"status": "inactive"})
    filters = ContactFilters(spec=spec, owner="me")
    assert [c.pk for c in list_contacts(alice, filters).items] == [mine.pk]
    assert filters.resolved_spec() == ContactFilterSpec(status=("inactive",), owner="me")


def test_keyword_filter_errors_keep_their_names(alice):
    with pytest.raises(ValidationFailed) as caught:
        list_contacts(alice, ContactFilters(company_id=0, tag="x" * 60))
    assert set(caught.value.errors) == {"company_id", "tag"}


def test_readers_may_filter_but_anonymous_callers_may_not(reader, alice, make_contact):
    from peoplebase.core.errors import Forbidden

    make_contact(alice, full_name="Seen", status="inactive")
    assert len(list_contacts(reader, parse_filters({"status": "inactive"})).items) == 1
    with pytest.raises(Forbidden):
        list_contacts(None, parse_filters({"status": "inactive"}))  # type: ignore[arg-type]


# --- the list page's filter panel -------------------------------------------------------------


def test_panel_filters_survive_paging_without_bad_values(alice, make_contact, monkeypatch):
    import re

    from django.test import Client
    from django.urls import reverse

    monkeypatch.setattr("peoplebase.contacts.views.listing.PAGE_SIZE", 2)
    for i in range(3):
        make_contact(alice, full_name=f"Vip {i}", tags=["VIP"], lead_score=60)
    make_contact(alice, full_name="Plain", lead_score=60)
    client = Client()
    client.force_login(alice)
    url = reverse("contacts:contact_list")
    response = client.get(url, {"tags_any": "vip", "lead_score_min": "50", "owner": "everyone"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Use a user id, “me” or “none”." in body
    assert 'aria-invalid="true"' in body
    assert '<details class="more-filters" open>' in body
    next_link = re.search(r'<a href="\?([^"]*)" rel="next">', body)
    assert next_link is not None
    query = next_link.group(1).replace("&amp;", "&")
    assert "tags_any=vip" in query and "lead_score_min=50" in query
    assert "owner" not in query
    second = client.get(f"{url}?{query}").content.decode()
    assert "Vip 2" in second and "Plain" not in second


def test_panel_reports_unknown_custom_fields_instead_of_failing(alice, make_contact):
    from django.test import Client
    from django.urls import reverse

    make_contact(alice, full_name="Still Listed")
    client = Client()
    client.force_login(alice)
    response = client.get(reverse("contacts:contact_list"), {"cf.nothing": "1"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "cf.nothing: There is no custom field" in body
    assert "Still Listed" in body


def test_panel_offers_custom_fields_by_type(alice, fields):
    from django.test import Client
    from django.urls import reverse

    client = Client()
    client.force_login(alice)
    body = client.get(reverse("contacts:contact_list")).content.decode()
    for name in ("cf.budget__min", "cf.renewal__max", "cf.trial", "cf.plan", "cf.langs__any"):
        assert f'name="{name}"' in body
    assert 'name="cf.notes__contains"' in body
