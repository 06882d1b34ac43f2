"""Settings › Deduplication: the band thresholds and merge rules through service, page, API and
CLI; the rules, bad inputs, re-banding and who may NOT change them (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from peoplebase.audit.models import AuditEntry
from peoplebase.core.errors import Forbidden, ValidationFailed
from peoplebase.duplicates import services
from peoplebase.duplicates.engine.scoring import DEFAULT_THRESHOLDS
from peoplebase.duplicates.models import (
    DuplicateScan,
    DuplicateSettings,
    DuplicateSuggestion,
    SuggestionStatus,
)
from peoplebase.merges.models import MergeSettings
from tests.api.conftest import problem_of


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def queue(manager: Any, make_contact: Any) -> dict[str, DuplicateSuggestion]:
    """Open pairs at 0.9 (likely), 0.5 (likely), 0.4 (possible); a dismissed one at 0.3."""
    people = [make_contact(manager, full_name=f"Person {n}") for n in range(8)]

    def pair(i: int, score: float, band: str, status: str = SuggestionStatus.OPEN) -> Any:
        a, b = people[i], people[i + 1]
        return DuplicateSuggestion.objects.create(
            contact_a=a, contact_b=b, score=score, band=band, status=status, reasons=["test"]
        )

    return {
        "high": pair(0, 0.9, "likely"),
        "mid": pair(2, 0.5, "likely"),
        "low": pair(4, 0.4, "possible"),
        "closed": pair(6, 0.3, "possible", SuggestionStatus.DISMISSED),
    }


def bands() -> dict[str, str]:
    return {s.score: s.band for s in DuplicateSuggestion.objects.filter(status="open")}


# --- service: the rules ----------------------------------------------------------------------


def test_defaults_are_the_engine_defaults(admin: Any) -> None:
    current = services.get_duplicate_settings(admin)
    assert (current.likely_threshold, current.possible_threshold) == (
        DEFAULT_THRESHOLDS.likely,
        DEFAULT_THRESHOLDS.possible,
    )


def test_raising_likely_moves_open_pairs_down_without_a_scan(admin: Any, queue: Any) -> None:
    change = services.update_duplicate_settings(admin, likely="0.6")
    assert bands() == {0.9: "likely", 0.5: "possible", 0.4: "possible"}
    assert (change.to_likely, change.to_possible, change.dropped) == (0, 1, 0)
    assert not DuplicateScan.objects.exists()
    assert DuplicateSettings.load().likely_threshold == 0.6


def test_lowering_likely_moves_possible_pairs_up(admin: Any, queue: Any) -> None:
    change = services.update_duplicate_settings(admin, likely=0.4)
    assert bands() == {0.9: "likely", 0.5: "likely", 0.4: "likely"}
    assert change.to_likely == 1


def test_raising_possible_drops_open_pairs_below_it_and_keeps_decisions(
    admin: Any, queue: Any
) -> None:
    change = services.update_duplicate_settings(admin, possible=0.45)
    assert change.dropped == 1 and not change.next_scan_full
    assert bands() == {0.9: "likely", 0.5: "likely"}
    # A decision is history, not queue: the dismissed pair below the band stays remembered.
    assert DuplicateSuggestion.objects.filter(pk=queue["closed"].pk).exists()


def test_lowering_possible_makes_the_next_scan_full(admin: Any, manager: Any) -> None:
    scan = DuplicateScan.objects.create(actor=manager, status="done")
    DuplicateScan.objects.filter(pk=scan.pk).update(watermark="2026-01-01T00:00:00Z")
    change = services.update_duplicate_settings(admin, possible=0.3)
    assert change.next_scan_full
    assert DuplicateScan.objects.get(pk=scan.pk).watermark is None
    assert services.start_scan(manager).incremental is False


def test_the_change_is_in_the_audit_log(admin: Any, queue: Any) -> None:
    services.update_duplicate_settings(admin, likely=0.6, possible=0.45)
    entry = AuditEntry.objects.filter(action="update").latest("pk")
    assert entry.actor == admin
    assert entry.changes["likely_threshold"] == [0.45, 0.6]
    assert entry.changes["possible_threshold"] == [0.38, 0.45]
    assert entry.changes["open_suggestions"] == {"to_likely": 0, "to_possible": 1, "dropped": 1}


def test_saving_the_same_values_changes_nothing(admin: Any, queue: Any) -> None:
    before = AuditEntry.objects.count()
    change = services.update_duplicate_settings(admin, likely=0.45, possible=0.38)
    assert (change.to_likely, change.to_possible, change.dropped) == (0, 0, 0)
    assert AuditEntry.objects.count() == before


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"likely": "0"}, "likely"),
        ({"likely": "1.01"}, "likely"),
        ({"likely": "-0.5"}, "likely"),
        ({"likely": "abc"}, "likely"),
        ({"likely": "nan"}, "likely"),
        ({"likely": True}, "likely"),
        ({"possible": "0"}, "possible"),
        ({"possible": "inf"}, "possible"),
        ({"possible": "0.5"}, "possible"),  # above the current likely (0.45)
        ({"likely": "0.3"}, "likely"),  # below the current possible (0.38)
        ({"likely": "0.5", "possible": "0.6"}, "possible"),
    ],
)
def test_bad_thresholds_are_refused_naming_the_field(
    admin: Any, queue: Any, values: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationFailed) as caught:
        services.update_duplicate_settings(admin, **values)
    assert list(caught.value.errors) == [field]
    saved = DuplicateSettings.load()
    assert (saved.likely_threshold, saved.possible_threshold) == (0.45, 0.38)
    assert bands() == {0.9: "likely", 0.5: "likely", 0.4: "possible"}


def test_equal_thresholds_and_one_are_allowed(admin: Any) -> None:
    services.update_duplicate_settings(admin, likely="1", possible="1")
    saved = DuplicateSettings.load()
    assert (saved.likely_threshold, saved.possible_threshold) == (1.0, 1.0)


@pytest.mark.parametrize("who", ["manager", "alice", "reader"])
def test_only_admins_change_thresholds(request: Any, queue: Any, who: str) -> None:
    user = request.getfixturevalue(who)
    assert services.get_duplicate_settings(user).likely_threshold == 0.45
    with pytest.raises(Forbidden):
        services.update_duplicate_settings(user, likely=0.9)
    assert DuplicateSettings.load().likely_threshold == 0.45
    assert bands() == {0.9: "likely", 0.5: "likely", 0.4: "possible"}


# --- the page --------------------------------------------------------------------------------


def test_admin_page_shows_inputs_defaults_and_measured_quality(admin: Any) -> None:
    page = signed_in(admin).get("/settings/deduplication/")
    assert page.status_code == 200
    text = page.content.decode()
    assert 'name="likely" value="0.45"' in text and 'name="possible" value="0.38"' in text
    assert str(services.DEFAULT_BAND_QUALITY["likely_precision"]) in text
    assert "not on your contacts" in text
    assert "leave the queue" in text
    assert 'action="/merges/settings/"' in text


def test_admin_saves_bands_on_the_page(admin: Any, queue: Any) -> None:
    response = signed_in(admin).post(
        "/settings/deduplication/", {"likely": "0,6", "possible": "0.45"}, follow=True
    )
    assert b"1 moved to possible, 1 below" in response.content
    assert bands() == {0.9: "likely", 0.5: "possible"}


def test_page_shows_the_field_error_and_saves_nothing(admin: Any) -> None:
    response = signed_in(admin).post(
        "/settings/deduplication/", {"likely": "0.4", "possible": "0.5"}
    )
    assert response.status_code == 422
    assert "may not be above" in response.context["form"].errors["possible"][0]
    assert DuplicateSettings.load().possible_threshold == 0.38


@pytest.mark.parametrize("who", ["manager", "alice", "reader"])
def test_non_admins_get_403_and_no_link(request: Any, who: str) -> None:
    client = signed_in(request.getfixturevalue(who))
    assert client.get("/settings/deduplication/").status_code == 403
    assert client.post("/settings/deduplication/", {"likely": "0.9"}).status_code == 403
    assert DuplicateSettings.load().likely_threshold == 0.45
    assert b"/settings/deduplication/" not in client.get("/settings/tokens/").content


def test_admin_sees_the_link_in_the_settings_menu(admin: Any) -> None:
    assert b'href="/settings/deduplication/"' in signed_in(admin).get("/settings/tokens/").content


def test_merge_settings_form_on_the_page_comes_back_to_it(admin: Any) -> None:
    response = signed_in(admin).post(
        "/merges/settings/",
        {
            "allowed_roles": ["admin"],
            "undo_window_days": "10",
            "next": "/settings/deduplication/",
        },
    )
    assert response.status_code == 302 and response["Location"] == "/settings/deduplication/"
    assert MergeSettings.load().undo_window_days == 10


# --- API -------------------------------------------------------------------------------------


def test_api_reads_and_changes_thresholds(api_as: Any, admin: Any, queue: Any) -> None:
    client = api_as(admin)
    body = client.get("/duplicates/settings").json()
    assert (body["likely"], body["possible"]) == (0.45, 0.38)
    assert body["default_quality"]["likely_recall"] == 0.964
    changed = client.put("/duplicates/settings", {"possible": 0.45})
    assert changed.status_code == 200
    assert changed.json()["dropped"] == 1 and changed.json()["likely"] == 0.45


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"likely": 0}, "likely"),
        ({"likely": 1.5}, "likely"),
        ({"possible": 0.9}, "possible"),
        ({"likely": "high"}, "likely"),
        ({"band": 0.5}, "band"),
    ],
)
def test_api_refuses_bad_thresholds_with_422(
    api_as: Any, admin: Any, body: dict[str, Any], field: str
) -> None:
    problem = problem_of(api_as(admin).put("/duplicates/settings", body))
    assert problem["status"] == 422
    assert any(field in key for key in problem["errors"]), problem
    assert DuplicateSettings.load().likely_threshold == 0.45


@pytest.mark.parametrize("who", ["manager", "alice", "reader"])
def test_api_non_admins_may_read_but_not_change(request: Any, api_as: Any, who: str) -> None:
    client = api_as(request.getfixturevalue(who))
    assert client.get("/duplicates/settings").status_code == 200
    assert problem_of(client.put("/duplicates/settings", {"likely": 0.9}))["status"] == 403
    assert problem_of(client.put("/merges/settings", {"undo_window_days": 1}))["status"] == 403
    assert DuplicateSettings.load().likely_threshold == 0.45
    assert MergeSettings.load().undo_window_days == 30


def test_api_merge_settings(api_as: Any, admin: Any) -> None:
    client = api_as(admin)
    assert client.get("/merges/settings").json() == {
        "allowed_roles": ["admin", "manager"],
        "undo_window_days": 30,
    }
    saved = client.put("/merges/settings", {"allowed_roles": ["rep", "admin"]}).json()
    assert saved == {"allowed_roles": ["admin", "rep"], "undo_window_days": 30}
    bad = problem_of(client.put("/merges/settings", {"undo_window_days": 0}))
    assert bad["status"] == 422 and "undo_window_days" in bad["errors"]
    bad = problem_of(client.put("/merges/settings", {"allowed_roles": ["read_only"]}))
    assert "allowed_roles" in bad["errors"]
    assert MergeSettings.load().allowed_roles == ["admin", "rep"]


def test_openapi_documents_both_settings_endpoints(api_as: Any, admin: Any) -> None:
    paths = api_as(admin).get("/openapi.json").json()["paths"]
    for path in ("/api/v1/duplicates/settings", "/api/v1/merges/settings"):
        assert {"get", "put"} <= set(paths[path]), path
        assert "422" in paths[path]["put"]["responses"]
        assert "403" in paths[path]["put"]["responses"]


# --- CLI -------------------------------------------------------------------------------------


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_cli_prints_and_changes_thresholds(admin: Any, queue: Any) -> None:
    assert "likely   >= 0.45" in run("duplicates", "settings")
    body = json.loads(run("duplicates", "settings", "--likely", "0.6", "--json"))
    assert body["likely"] == 0.6 and body["to_possible"] == 1
    assert DuplicateSettings.load().likely_threshold == 0.6


def test_cli_error_names_the_option(admin: Any) -> None:
    with pytest.raises(CommandError, match=r"--possible: .*may not be above"):
        run("duplicates", "settings", "--possible", "0.9")
    with pytest.raises(CommandError, match="--likely: "):
        run("duplicates", "settings", "--likely", "two")
    assert DuplicateSettings.load().possible_threshold == 0.38


def test_cli_non_admin_may_not_change(admin: Any, manager: Any) -> None:
    assert "possible >= 0.38" in run("duplicates", "settings", "--as", manager.email)
    with pytest.raises(CommandError, match="Only admins"):
        run("duplicates", "settings", "--likely", "0.9", "--as", manager.email)
    with pytest.raises(CommandError, match="Only admins"):
        run("merges", "settings", "--undo-days", "3", "--as", manager.email)
    assert DuplicateSettings.load().likely_threshold == 0.45
    assert MergeSettings.load().undo_window_days == 30


def test_cli_merge_settings(admin: Any) -> None:
    assert "undo window: 30 days" in run("merges", "settings")
    body = json.loads(run("merges", "settings", "--roles", "admin,rep", "--json"))
    assert body == {"allowed_roles": ["admin", "rep"], "undo_window_days": 30}
    with pytest.raises(CommandError, match="--undo-days: "):
        run("merges", "settings", "--undo-days", "0")
    with pytest.raises(CommandError, match="--roles: "):
        run("merges", "settings", "--roles", "owner")
    assert MergeSettings.load().undo_window_days == 30


def test_cli_help_and_one_line_error_from_the_command_line(run_cli: Any, admin: Any) -> None:
    helped = run_cli("duplicates", "settings", "--help")
    assert helped.code == 0
    text = " ".join(helped.out.split())  # argparse wraps lines at the terminal width
    assert "--likely" in text and "0 < possible <= likely <= 1" in text
    assert "settings" in run_cli("merges", "--help").out
    refused = run_cli("duplicates", "settings", "--likely", "2")
    assert refused.code == 1
    assert refused.err.strip().startswith("peoplebase duplicates: --likely: ")
    assert refused.err.count("\n") == 1


def test_queue_shows_the_bands_and_links_settings_for_admins_only(admin: Any, manager: Any) -> None:
    services.update_duplicate_settings(admin, likely=0.55)
    page = signed_in(admin).get("/duplicates/").content.decode()
    assert "Likely from score 0.55, possible from 0.38." in page
    assert 'href="/settings/deduplication/"' in page
    other = signed_in(manager).get("/duplicates/").content.decode()
    assert "Likely from score 0.55" in other and "Change the bands" not in other
