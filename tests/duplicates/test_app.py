"""Scans, the review queue, its API and CLI, and who may use them (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from peoplebase.contacts.models import Contact
from peoplebase.contacts.relations import MERGE_POLICIES, unhandled_relations
from peoplebase.core.errors import Conflict, Forbidden
from peoplebase.duplicates import services
from peoplebase.duplicates.models import (
    DuplicateScan,
    DuplicateSuggestion,
    NotDuplicate,
    SuggestionStatus,
)
from tests.api.conftest import problem_of


@pytest.fixture
def pair(manager: Any, make_contact: Any) -> tuple[Any, Any]:
    a = make_contact(manager, full_name="Robert Jansen", phones=["+1 415 555 0100"])
    b = make_contact(manager, full_name="Bob Jansen", phones=["(415) 555-0100"])
    return a, b


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_scan_suggests_the_pair_with_reasons(manager: Any, pair: Any) -> None:
    scan = services.start_scan(manager)
    assert scan.status == "done" and scan.suggestions == 1
    suggestion = DuplicateSuggestion.objects.get()
    assert (suggestion.contact_a_id, suggestion.contact_b_id) == (pair[0].pk, pair[1].pk)
    assert suggestion.band == "likely"
    assert "same phone +14155550100" in suggestion.reasons


def test_rescan_only_rechecks_changed_contacts_and_keeps_earlier_suggestions(
    manager: Any, pair: Any, make_contact: Any
) -> None:
    services.start_scan(manager)
    c = make_contact(manager, full_name="Ann Lee", emails=["ann@lee.org"])
    make_contact(manager, full_name="Ann Lee", emails=["ann@lee.org"])
    second = services.start_scan(manager)
    assert second.incremental and second.changed == 2
    assert DuplicateSuggestion.objects.count() == 2
    assert DuplicateSuggestion.objects.filter(contact_a=c).exists()


def test_dismissed_pair_is_never_suggested_again(manager: Any, pair: Any) -> None:
    services.start_scan(manager)
    suggestion = DuplicateSuggestion.objects.get()
    services.dismiss_suggestion(manager, suggestion.pk)
    assert NotDuplicate.objects.filter(contact_a=pair[0], contact_b=pair[1]).exists()
    pair[1].job_title = "CTO"
    pair[1].save()
    services.start_scan(manager)
    assert not services.open_suggestions(manager).exists()
    with pytest.raises(Conflict):
        services.skip_suggestion(manager, suggestion.pk)


def test_suggestion_disappears_when_a_contact_is_deleted(manager: Any, pair: Any) -> None:
    services.start_scan(manager)
    Contact.objects.filter(pk=pair[1].pk).delete()
    assert not services.open_suggestions(manager).exists()


def test_read_only_user_may_not_scan(reader: Any, pair: Any) -> None:
    with pytest.raises(Forbidden):
        services.start_scan(reader)


def test_rep_may_not_dismiss_a_pair_with_someone_elses_contact(
    alice: Any, manager: Any, pair: Any
) -> None:
    services.start_scan(manager)
    with pytest.raises(Forbidden):
        services.dismiss_suggestion(alice, DuplicateSuggestion.objects.get().pk)
    assert DuplicateSuggestion.objects.get().status == SuggestionStatus.OPEN


def test_failed_scan_is_recorded_not_lost(manager: Any, pair: Any, monkeypatch: Any) -> None:
    def boom(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "engine_scan", boom)
    scan = services.start_scan(manager)
    assert scan.status == "failed" and "disk full" in scan.error


def test_merge_policies_cover_the_duplicates_relations() -> None:
    assert MERGE_POLICIES["duplicates.DuplicateSuggestion.contact_a"] == "delete"
    assert MERGE_POLICIES["duplicates.NotDuplicate.contact_b"] == "move"
    assert unhandled_relations() == []


def test_on_create_check_skips_pairs_remembered_as_different(manager: Any, pair: Any) -> None:
    from peoplebase.contacts.duplicates import find_duplicate_candidates

    found = find_duplicate_candidates(
        phones=["+14155550100"], full_name="Bob Jansen", exclude_id=pair[1].pk
    )
    assert [c.contact for c in found] == [pair[0]]
    NotDuplicate.objects.create(contact_a=pair[0], contact_b=pair[1])
    assert (
        find_duplicate_candidates(
            phones=["+14155550100"], full_name="Bob Jansen", exclude_id=pair[1].pk
        )
        == []
    )


def test_merge_never_pairs_the_survivor_with_itself(manager: Any, make_contact: Any) -> None:
    from django.db import IntegrityError, transaction

    from peoplebase.merges.services import merge_by_ids, undo_merge

    a = make_contact(manager, full_name="Ann Lee", emails=["ann@lee.org"])
    b = make_contact(manager, full_name="Ann Lee", emails=["ann.lee@work.org"])
    c = make_contact(manager, full_name="Anne Leigh", emails=["anne@leigh.org"])
    NotDuplicate.objects.create(contact_a=a, contact_b=b)  # said different, merged anyway
    NotDuplicate.objects.create(contact_a=b, contact_b=c)
    merge = merge_by_ids(manager, a.pk, [b.pk])
    pairs = set(NotDuplicate.objects.values_list("contact_a_id", "contact_b_id"))
    assert pairs == {(a.pk, c.pk)}  # the decision about c moved; (a, a) was not made
    with pytest.raises(IntegrityError), transaction.atomic():
        NotDuplicate.objects.create(contact_a=a, contact_b=a)
    undo_merge(manager, merge)
    pairs = set(NotDuplicate.objects.values_list("contact_a_id", "contact_b_id"))
    assert pairs == {(a.pk, b.pk), (b.pk, c.pk)}


def test_migration_deletes_existing_self_pairs(manager: Any, pair: Any) -> None:
    from importlib import import_module

    from django.apps import apps
    from django.db import connection

    migration = import_module("peoplebase.duplicates.migrations.0002_no_self_pairs")
    # Recreate what an old merge left behind, with the new constraint out of the way.
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            table = connection.ops.quote_name(NotDuplicate._meta.db_table)
            cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT not_dup_no_self_pair")
        else:
            cursor.execute("PRAGMA ignore_check_constraints = ON")
    try:
        NotDuplicate.objects.create(contact_a=pair[0], contact_b=pair[0])
    finally:
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA ignore_check_constraints = OFF")
    NotDuplicate.objects.create(contact_a=pair[0], contact_b=pair[1])
    migration.delete_self_pairs(apps, None)
    assert list(NotDuplicate.objects.values_list("contact_a_id", "contact_b_id")) == [
        (pair[0].pk, pair[1].pk)
    ]


def test_scan_reads_the_contact_birthday(manager: Any, make_contact: Any) -> None:
    same = [
        make_contact(manager, full_name="Eva Berg", birthday="1980-03-07", city="Oslo"),
        make_contact(manager, full_name="Eva Berg", birthday="1980-03-07", city="Oslo"),
    ]
    make_contact(manager, full_name="Lena Holm", birthday="1975-05-01", emails=["l@holm.se"])
    make_contact(manager, full_name="Lena Holm", birthday="1976-05-01", emails=["l@holm.se"])
    services.start_scan(manager)
    suggestion = DuplicateSuggestion.objects.get()  # Lena's pair: different birthdays
    assert (suggestion.contact_a_id, suggestion.contact_b_id) == (same[0].pk, same[1].pk)
    assert "same birthday" in suggestion.reasons


def test_on_create_check_uses_the_birthday(manager: Any, make_contact: Any) -> None:
    from peoplebase.contacts.services import check_duplicates

    eva = make_contact(manager, full_name="Eva Berg", birthday="1980-03-07", city="Oslo")
    typed = {"full_name": "Eva Berg", "city": "Oslo"}
    same = check_duplicates(manager, {**typed, "birthday": "7 March 1980"})
    assert [c.contact for c in same] == [eva] and "same birthday" in same[0].reasons
    assert check_duplicates(manager, {**typed, "birthday": "1981-03-07"}) == []


def test_skipped_pair_comes_back_after_a_rescan(manager: Any, pair: Any) -> None:
    services.start_scan(manager)
    suggestion = DuplicateSuggestion.objects.get()
    services.skip_suggestion(manager, suggestion.pk)
    assert not services.open_suggestions(manager).exists()
    rescan = services.start_scan(manager)  # incremental: nothing changed
    assert rescan.incremental
    assert list(services.open_suggestions(manager)) == [suggestion]


def test_skipped_pair_that_no_longer_matches_is_dropped(manager: Any, pair: Any) -> None:
    services.start_scan(manager)
    services.skip_suggestion(manager, DuplicateSuggestion.objects.get().pk)
    pair[1].first_name, pair[1].full_name = "Carla", "Carla Jansen"
    pair[1].save()
    services.start_scan(manager)
    assert not DuplicateSuggestion.objects.exists()


# --- API --------------------------------------------------------------------------------------


def test_api_scan_list_and_dismiss(api_as: Any, manager: Any, pair: Any) -> None:
    client = api_as(manager)
    started = client.post("/duplicates/scans", {})
    assert started.status_code == 202 and started.json()["status"] == "done"
    assert client.get(f"/duplicates/scans/{started.json()['id']}").json()["suggestions"] == 1
    page = client.get("/duplicates/suggestions?band=likely").json()
    item = page["items"][0]
    assert item["contact_a"]["id"] == pair[0].pk and page["next_cursor"] is None
    assert item["merge_url"] == (
        f"/contacts/merge/?ids={pair[0].pk}&ids={pair[1].pk}&next=%2Fduplicates%2F"
    )
    dismissed = client.post(f"/duplicates/suggestions/{item['id']}/dismiss", {})
    assert dismissed.status_code == 200 and dismissed.json()["status"] == "dismissed"
    assert client.get("/duplicates/suggestions").json()["items"] == []


def test_api_refuses_read_only_scan_bad_band_and_unknown_ids(
    api_as: Any, reader: Any, manager: Any
) -> None:
    assert problem_of(api_as(reader).post("/duplicates/scans", {}))["status"] == 403
    assert api_as(manager).get("/duplicates/suggestions?band=maybe").status_code == 422
    assert api_as(manager).get("/duplicates/suggestions?cursor=junk").status_code == 422
    assert api_as(manager).post("/duplicates/suggestions/999/skip", {}).status_code == 404
    assert api_as(manager).get("/duplicates/scans/999").status_code == 404


def test_api_pages_suggestions(api_as: Any, manager: Any, make_contact: Any) -> None:
    for i in range(3):
        for _ in range(2):
            make_contact(manager, full_name=f"Person{i} Twin", emails=[f"p{i}@twins.org"])
    services.start_scan(manager)
    first = api_as(manager).get("/duplicates/suggestions?limit=2").json()
    second = api_as(manager).get(f"/duplicates/suggestions?limit=2&cursor={first['next_cursor']}")
    ids = [i["id"] for i in first["items"]] + [i["id"] for i in second.json()["items"]]
    assert len(set(ids)) == 3


# --- CLI --------------------------------------------------------------------------------------


def test_cli_scan_and_list(admin: Any, pair: Any) -> None:
    out = StringIO()
    call_command("duplicates", "scan", "--json", stdout=out)
    assert json.loads(out.getvalue())["suggestions"] == 1
    out = StringIO()
    call_command(
        "duplicates", "list", "--format", "json", "--fields", "full_name,phone", stdout=out
    )
    row = json.loads(out.getvalue())[0]
    assert (row["id_a"], row["id_b"]) == (pair[0].pk, pair[1].pk)
    assert row["b"] == {"full_name": "Bob Jansen", "phone": "+14155550100"}
    out = StringIO()
    call_command("duplicates", "list", "--band", "likely", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("id_a,id_b,a_full_name,a_email")
    assert "likely" in lines[1]


def test_cli_csv_cells_are_neutralised(admin: Any, make_contact: Any) -> None:
    for _ in range(2):
        make_contact(admin, full_name="=HYPERLINK(1) Evil", emails=["evil@x.org"])
    call_command("duplicates", "scan", stdout=StringIO())
    out = StringIO()
    call_command("duplicates", "list", stdout=out)
    assert ",'=HYPERLINK" in out.getvalue()


def test_cli_refuses_unknown_fields(admin: Any) -> None:
    from django.core.management.base import CommandError

    with pytest.raises((CommandError, SystemExit, Exception)) as caught:
        call_command("duplicates", "list", "--fields", "password", stdout=StringIO())
    assert "password" in str(caught.value)


# --- web --------------------------------------------------------------------------------------


def test_queue_page_shows_pair_side_by_side_with_merge_link(manager: Any, pair: Any) -> None:
    services.start_scan(manager)
    response = signed_in(manager).get("/duplicates/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Robert Jansen" in html and "Bob Jansen" in html and "same phone" in html
    assert f"/contacts/merge/?ids={pair[0].pk}&amp;ids={pair[1].pk}" in html


def test_queue_dismiss_and_skip_buttons(manager: Any, pair: Any) -> None:
    services.start_scan(manager)
    suggestion = DuplicateSuggestion.objects.get()
    response = signed_in(manager).post(f"/duplicates/{suggestion.pk}/skip/")
    assert response.status_code == 302
    suggestion.refresh_from_db()
    assert suggestion.status == "skipped"


def test_queue_scan_button_refused_for_read_only(reader: Any) -> None:
    response = signed_in(reader).post("/duplicates/scan/")
    assert response.status_code == 403
    assert not DuplicateScan.objects.exists()
