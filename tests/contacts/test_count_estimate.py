"""Counts are exact when few match and estimates, cheap at any size, beyond."""

from __future__ import annotations

import pytest
from django.db import connection

from peoplebase.contacts import services
from peoplebase.contacts.filtering import parse_filters
from peoplebase.contacts.models import Contact
from peoplebase.contacts.services import (
    ContactFilters,
    _sampled_estimate,
    estimate_contacts,
    round_estimate,
)

pytestmark = pytest.mark.django_db


def seed(count: int, inactive_every: int) -> None:
    Contact.objects.bulk_create(
        Contact(
            full_name=f"P {i}",
            sort_name=f"p {i}",
            status="inactive" if i % inactive_every == 0 else "active",
        )
        for i in range(count)
    )


def test_small_counts_are_exact(alice):
    seed(30, inactive_every=3)
    count = estimate_contacts(alice, ContactFilters(spec=parse_filters({"status": "inactive"})))
    assert (count.value, count.exact) == (10, True)


def test_beyond_the_limit_the_count_is_an_estimate(alice, monkeypatch):
    monkeypatch.setattr(services, "EXACT_COUNT_LIMIT", 20)
    seed(400, inactive_every=4)
    count = estimate_contacts(alice, ContactFilters(spec=parse_filters({"status": "inactive"})))
    assert count.exact is False
    assert count.value > 20


@pytest.mark.parametrize("row_by_row", [False, True])
def test_id_window_sample_tracks_the_share_of_matches(alice, monkeypatch, row_by_row):
    monkeypatch.setattr(services, "SAMPLE_WIDTH", 50)
    seed(2000, inactive_every=4)
    inactive = services._filtered(alice, ContactFilters(spec=parse_filters({"status": "inactive"})))
    assert 400 <= _sampled_estimate(inactive, row_by_row=row_by_row) <= 600  # exactly 500 match


def test_both_ways_of_sampling_count_the_same_rows(alice, monkeypatch):
    monkeypatch.setattr(services, "SAMPLE_WIDTH", 40)
    seed(1500, inactive_every=3)
    inactive = services._filtered(alice, ContactFilters(spec=parse_filters({"status": "inactive"})))
    assert _sampled_estimate(inactive) == _sampled_estimate(inactive, row_by_row=True)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="planner estimates are PostgreSQL's")
def test_postgres_uses_the_planner_estimate(alice, monkeypatch):
    monkeypatch.setattr(services, "EXACT_COUNT_LIMIT", 5)
    monkeypatch.setattr(services, "_sampled_estimate", lambda qs: pytest.fail("sampled"))
    seed(50, inactive_every=2)
    assert estimate_contacts(alice).exact is False


@pytest.mark.parametrize(
    ("value", "rounded"),
    [
        (7, 7),
        (99, 99),
        (512_345, 510_000),
        (1_049, 1_000),
        (99_600, 100_000),
        (1_000_000, 1_000_000),
    ],
)
def test_estimates_keep_two_significant_figures(value, rounded):
    assert round_estimate(value) == rounded


@pytest.mark.skipif(connection.vendor != "postgresql", reason="planner estimates are PostgreSQL's")
def test_postgres_trusts_a_planner_estimate_far_above_the_limit(alice, monkeypatch):
    seed(30, inactive_every=3)
    monkeypatch.setattr(services, "_planner_estimate", lambda qs: 123_456)
    count = estimate_contacts(alice, ContactFilters(spec=parse_filters({"status": "inactive"})))
    assert (count.value, count.exact) == (120_000, False)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="planner estimates are PostgreSQL's")
def test_postgres_counts_exactly_when_the_planner_expects_few(alice, monkeypatch):
    seed(30, inactive_every=3)
    monkeypatch.setattr(services, "_planner_estimate", lambda qs: 4_000)
    count = estimate_contacts(alice, ContactFilters(spec=parse_filters({"status": "inactive"})))
    assert (count.value, count.exact) == (10, True)
