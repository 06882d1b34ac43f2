"""Bands that hold while the workspace and its thresholds change: each scan records the
thresholds it used, re-bands the queue when they changed under it, and a lower "possible"
than the last scan used makes the next scan a full one."""

from __future__ import annotations

from typing import Any

import pytest

from peoplebase.duplicates import services
from peoplebase.duplicates.engine.scoring import DEFAULT_THRESHOLDS
from peoplebase.duplicates.models import DuplicateScan, DuplicateSettings, DuplicateSuggestion


@pytest.fixture
def pair(manager: Any, make_contact: Any) -> tuple[Any, Any]:
    a = make_contact(manager, full_name="Robert Jansen", phones=["+1 415 555 0100"])
    b = make_contact(manager, full_name="Bob Jansen", phones=["(415) 555-0100"])
    return a, b


def _changing_thresholds_mid_scan(monkeypatch: Any, admin: Any, **change: float) -> None:
    """The next scan's engine run is followed by an admin's change of the bands, as if it
    had been saved while the scan was running (after the scan read the thresholds)."""
    real_scan = services.engine_scan

    def scan_then_change(*args: Any, **kwargs: Any) -> Any:
        result = real_scan(*args, **kwargs)
        services.update_duplicate_settings(admin, **change)
        monkeypatch.setattr(services, "engine_scan", real_scan)
        return result

    monkeypatch.setattr(services, "engine_scan", scan_then_change)


def test_scan_records_the_thresholds_it_used(
    admin: Any, manager: Any, pair: Any, api_as: Any
) -> None:
    services.update_duplicate_settings(admin, likely=0.7, possible=0.3)
    scan = services.start_scan(manager)
    assert (scan.likely_threshold, scan.possible_threshold) == (0.7, 0.3)
    shown = api_as(manager).get(f"/duplicates/scans/{scan.pk}").json()
    assert (shown["likely_threshold"], shown["possible_threshold"]) == (0.7, 0.3)
    suggestion = DuplicateSuggestion.objects.get()
    assert suggestion.band == ("likely" if suggestion.score >= 0.7 else "possible")


def test_thresholds_changed_during_a_scan_reband_its_pairs_at_the_end(
    admin: Any, manager: Any, pair: Any, monkeypatch: Any
) -> None:
    services.start_scan(manager)
    score = DuplicateSuggestion.objects.get().score
    assert DuplicateSuggestion.objects.get().band == "likely"
    DuplicateSuggestion.objects.all().delete()  # the next scan stores the pair afresh
    DuplicateScan.objects.all().delete()
    # "likely" is raised above the pair's score after the scan banded it, before it stored it.
    _changing_thresholds_mid_scan(monkeypatch, admin, likely=min(1.0, score + 0.01))
    scan = services.start_scan(manager)
    assert scan.likely_threshold == DEFAULT_THRESHOLDS.likely  # what it used, not what is now
    suggestion = DuplicateSuggestion.objects.get()
    assert suggestion.score == score < DuplicateSettings.load().likely_threshold
    assert suggestion.band == "possible"  # by the thresholds in force, not the scan's


def test_possible_lowered_during_a_scan_makes_the_next_scan_full(
    admin: Any, manager: Any, pair: Any, monkeypatch: Any
) -> None:
    services.update_duplicate_settings(admin, possible=0.42)
    _changing_thresholds_mid_scan(monkeypatch, admin, possible=0.3)
    first = services.start_scan(manager)
    # Lowering cleared the watermarks of finished scans, but this one was still running: it
    # keeps its watermark and records the higher cut-off it used.
    assert first.watermark is not None and first.possible_threshold == 0.42
    second = services.start_scan(manager)
    assert second.incremental is False and second.possible_threshold == 0.3
    # Raising "possible" drops stored pairs at once: the scan after it may stay incremental.
    services.update_duplicate_settings(admin, possible=0.35)
    assert services.start_scan(manager).incremental is True
