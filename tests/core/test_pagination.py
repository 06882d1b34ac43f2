"""Keyset pagination: every row exactly once, both directions, any sort, nulls included."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from peoplebase.contacts.models import Contact
from peoplebase.core.errors import ValidationFailed
from peoplebase.core.pagination import Sort, ordering, paginate

pytestmark = pytest.mark.django_db

SORTS = [
    Sort("sort_name"),
    Sort("sort_name", descending=True),
    Sort("lead_score"),
    Sort("lead_score", descending=True),
    Sort("last_activity_at", nullable=True),
    Sort("last_activity_at", descending=True, nullable=True),
]


def seed(scores: list[int], with_activity: list[bool]) -> None:
    base = timezone.now()
    Contact.objects.all().delete()
    Contact.objects.bulk_create(
        Contact(
            full_name=f"Person {i % 5}",
            sort_name=f"person {i % 5}",
            lead_score=score,
            last_activity_at=base - dt.timedelta(days=score) if active else None,
        )
        for i, (score, active) in enumerate(zip(scores, with_activity, strict=False))
    )


def walk_forward(sort: Sort, limit: int) -> list[int]:
    seen, cursor = [], None
    while True:
        page = paginate(Contact.objects.all(), sort, cursor, limit)
        seen += [c.pk for c in page.items]
        if not page.next_cursor:
            return seen
        cursor = page.next_cursor


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=st.lists(st.tuples(st.integers(0, 4), st.booleans()), min_size=0, max_size=25),
    limit=st.integers(1, 7),
    sort=st.sampled_from(SORTS),
)
def test_walking_forward_visits_every_row_once_in_order(rows, limit, sort):
    seed([r[0] for r in rows], [r[1] for r in rows])
    seen = walk_forward(sort, limit)
    assert seen == list(Contact.objects.order_by(*ordering(sort)).values_list("pk", flat=True))


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=st.lists(st.tuples(st.integers(0, 3), st.booleans()), min_size=1, max_size=20),
    limit=st.integers(1, 5),
    sort=st.sampled_from(SORTS),
)
def test_prev_link_returns_the_previous_page(rows, limit, sort):
    seed([r[0] for r in rows], [r[1] for r in rows])
    pages, cursor = [], None
    while True:
        page = paginate(Contact.objects.all(), sort, cursor, limit)
        pages.append(page)
        if not page.next_cursor:
            break
        cursor = page.next_cursor
    for earlier, later in itertools.pairwise(pages):
        back = paginate(Contact.objects.all(), sort, later.prev_cursor, limit)
        assert [c.pk for c in back.items] == [c.pk for c in earlier.items]
    assert pages[0].prev_cursor is None


@pytest.mark.parametrize("cursor", ["garbage", "eyJzIjoieCJ9", "e30"])
def test_bad_cursor_is_a_validation_error(cursor):
    with pytest.raises(ValidationFailed) as caught:
        paginate(Contact.objects.all(), Sort("sort_name"), cursor, 10)
    assert "cursor" in caught.value.errors


def test_cursor_from_another_sort_is_refused():
    seed([1, 2, 3], [True, True, True])
    page = paginate(Contact.objects.all(), Sort("sort_name"), None, 1)
    with pytest.raises(ValidationFailed):
        paginate(Contact.objects.all(), Sort("lead_score"), page.next_cursor, 1)
