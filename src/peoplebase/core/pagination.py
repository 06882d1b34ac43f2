"""Keyset (cursor) pagination: page 5,000 costs what page 1 costs, unlike OFFSET."""

from __future__ import annotations

import base64
import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from django.db.models import F, Q, QuerySet

from peoplebase.core.errors import ValidationFailed

T = TypeVar("T")
MAX_LIMIT = 200


@dataclass(frozen=True)
class Sort:
    """One sortable column; `id` always breaks ties so the order is total."""

    field: str
    descending: bool = False
    nullable: bool = False


@dataclass
class Page(Generic[T]):
    items: list[T]
    next_cursor: str | None = None
    prev_cursor: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def _encode_value(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return {"dt": value.isoformat()}
    if isinstance(value, dt.date):
        return {"d": value.isoformat()}
    return value


def _decode_value(raw: Any) -> Any:
    if isinstance(raw, dict) and "dt" in raw:
        return dt.datetime.fromisoformat(raw["dt"])
    if isinstance(raw, dict) and "d" in raw:
        return dt.date.fromisoformat(raw["d"])
    if raw is None or isinstance(raw, str | int | float):
        return raw
    raise ValueError("unsupported cursor value")


def encode_cursor(sort: Sort, obj: Any, direction: str) -> str:
    payload = {"s": sort.field, "v": _encode_value(getattr(obj, sort.field)), "i": obj.pk}
    payload["d"] = direction
    raw = json.dumps(payload, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, sort: Sort) -> tuple[Any, int, str]:
    """Return (value, id, direction) or raise ValidationFailed naming the cursor."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        payload = json.loads(base64.urlsafe_b64decode(padded.encode()))
        if payload["s"] != sort.field or payload["d"] not in ("next", "prev"):
            raise ValueError("cursor belongs to another sort order")
        return _decode_value(payload["v"]), int(payload["i"]), payload["d"]
    except (ValueError, KeyError, TypeError, json.JSONDecodeError) as exc:
        raise ValidationFailed.single(
            "cursor", "This page link has expired or is not valid; start from the first page."
        ) from exc


def _after_condition(sort: Sort, value: Any, pk: int, backward: bool) -> Q:
    ascending = sort.descending == backward
    op = "gt" if ascending else "lt"
    if value is None:
        same_null = Q(**{f"{sort.field}__isnull": True, f"id__{op}": pk})
        # Nulls sort last, so walking backward from a null row reaches every non-null row.
        return (Q(**{f"{sort.field}__isnull": False}) | same_null) if backward else same_null
    # "a >= v AND (a > v OR id > k)" rather than "a > v OR (a = v AND id > k)": the leading
    # range lets SQLite and PostgreSQL seek into the index instead of scanning from its start.
    condition = Q(**{f"{sort.field}__{op}e": value}) & (
        Q(**{f"{sort.field}__{op}": value}) | Q(**{f"id__{op}": pk})
    )
    if sort.nullable and not backward:
        condition |= Q(**{f"{sort.field}__isnull": True})
    return condition


def _ordering(sort: Sort, backward: bool) -> list[Any]:
    descending = sort.descending != backward
    column = F(sort.field)
    id_column = F("id")
    if descending:
        nulls = {"nulls_first": True} if backward else {"nulls_last": True}
        return [column.desc(**nulls) if sort.nullable else column.desc(), id_column.desc()]
    nulls = {"nulls_first": True} if backward else {"nulls_last": True}
    return [column.asc(**nulls) if sort.nullable else column.asc(), id_column.asc()]


def paginate(queryset: QuerySet[Any], sort: Sort, cursor: str | None, limit: int) -> Page[Any]:
    """One page of `queryset` in `sort` order, starting after (or before) `cursor`."""
    limit = max(1, min(limit, MAX_LIMIT))
    backward = False
    if cursor:
        value, pk, direction = decode_cursor(cursor, sort)
        backward = direction == "prev"
        queryset = queryset.filter(_after_condition(sort, value, pk, backward))
    rows = list(queryset.order_by(*_ordering(sort, backward))[: limit + 1])
    has_more = len(rows) > limit
    rows = rows[:limit]
    if backward:
        rows.reverse()
    page: Page[Any] = Page(items=rows)
    if rows:
        more_after = has_more if not backward else True
        more_before = bool(cursor) if not backward else has_more
        if more_after:
            page.next_cursor = encode_cursor(sort, rows[-1], "next")
        if more_before:
            page.prev_cursor = encode_cursor(sort, rows[0], "prev")
    return page
