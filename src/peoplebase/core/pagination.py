"""Keyset (cursor) pagination: page 5,000 costs what page 1 costs, unlike OFFSET.

Each page query is a row-value comparison, `(sort_column, id) > (last_value, last_id)`, which
SQLite and PostgreSQL both answer by seeking into an index on (…, sort_column, id), however many
rows share a value. Nullable columns sort their nulls last in both directions; they are paged as
two segments (rows with a value, then rows without, by id) so each query still seeks.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from django.db.models import BooleanField, F, Func, QuerySet, Value

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


class RowValueComparison(Func):
    """`(a, b) > (x, y)`: compares whole rows, so an index on (a, b) is entered at (x, y)."""

    output_field = BooleanField()

    def __init__(self, left: list[Any], operator: str, right: list[Any]) -> None:
        super().__init__(*left, *right)
        self.width = len(left)
        self.operator = operator

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:
        parts, params = [], []
        for expression in self.get_source_expressions():
            sql, expression_params = compiler.compile(expression)
            parts.append(sql)
            params.extend(expression_params)
        left, right = ", ".join(parts[: self.width]), ", ".join(parts[self.width :])
        return f"({left}) {self.operator} ({right})", params


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
        value, pk = _decode_value(payload["v"]), int(payload["i"])
        if isinstance(pk, bool) or not 0 < pk < 2**63:
            raise ValueError("id out of range")
        return value, pk, payload["d"]
    except (ValueError, KeyError, TypeError, json.JSONDecodeError) as exc:
        raise ValidationFailed.single(
            "cursor", "This page link has expired or is not valid; start from the first page."
        ) from exc


def encode_offset_cursor(kind: str, offset: int) -> str:
    """A cursor for ranked lists (search results), which page by position in a bounded set."""
    raw = json.dumps({"s": kind, "o": offset}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_offset_cursor(cursor: str, kind: str) -> int:
    try:
        payload = json.loads(base64.urlsafe_b64decode((cursor + "=" * (-len(cursor) % 4)).encode()))
        offset = payload["o"]
        if payload["s"] != kind or isinstance(offset, bool) or not 0 <= int(offset) < 10**6:
            raise ValueError("not a cursor of this list")
        return int(offset)
    except (ValueError, KeyError, TypeError, json.JSONDecodeError) as exc:
        raise ValidationFailed.single(
            "cursor", "This page link has expired or is not valid; start from the first page."
        ) from exc


@dataclass(frozen=True)
class _Segment:
    """Part of the order that one index-friendly query can walk: rows with or without a value."""

    has_value: bool


def _segments(sort: Sort, backward: bool) -> list[_Segment]:
    if not sort.nullable:
        return [_Segment(has_value=True)]
    ordered = [_Segment(has_value=True), _Segment(has_value=False)]  # nulls last
    return ordered[::-1] if backward else ordered


def _descending(sort: Sort, backward: bool) -> bool:
    return sort.descending != backward


def _segment_query(
    queryset: QuerySet[Any],
    sort: Sort,
    segment: _Segment,
    backward: bool,
    after: tuple[Any, int] | None,
) -> QuerySet[Any]:
    descending = _descending(sort, backward)
    operator = "<" if descending else ">"
    if not segment.has_value:
        qs = queryset.filter(**{f"{sort.field}__isnull": True})
        if after is not None:
            qs = qs.filter(**{f"id__{'lt' if descending else 'gt'}": after[1]})
        return qs.order_by("-id" if descending else "id")
    qs = queryset.filter(**{f"{sort.field}__isnull": False}) if sort.nullable else queryset
    if after is not None:
        model_field = queryset.model._meta.get_field(sort.field)
        qs = qs.filter(
            RowValueComparison(
                [F(sort.field), F("id")],
                operator,
                [Value(after[0], output_field=model_field), Value(after[1])],
            )
        )
    prefix = "-" if descending else ""
    return qs.order_by(f"{prefix}{sort.field}", f"{prefix}id")


def _fetch(
    queryset: QuerySet[Any], sort: Sort, after: tuple[Any, int] | None, backward: bool, count: int
) -> list[Any]:
    """Up to `count` rows in traversal order, starting just past `after`."""
    rows: list[Any] = []
    segments = _segments(sort, backward)
    if after is not None:
        cursor_has_value = after[0] is not None
        start = next(i for i, s in enumerate(segments) if s.has_value == cursor_has_value)
        segments = segments[start:]
    for index, segment in enumerate(segments):
        position = after if index == 0 else None
        query = _segment_query(queryset, sort, segment, backward, position)
        rows += list(query[: count - len(rows)])
        if len(rows) >= count:
            break
    return rows


def ordering(sort: Sort) -> list[Any]:
    """The full display order as ORDER BY terms (nulls last), for callers that need one query."""
    column = F(sort.field)
    if sort.descending:
        first = column.desc(nulls_last=True) if sort.nullable else column.desc()
        return [first, F("id").desc()]
    first = column.asc(nulls_last=True) if sort.nullable else column.asc()
    return [first, F("id").asc()]


def paginate(queryset: QuerySet[Any], sort: Sort, cursor: str | None, limit: int) -> Page[Any]:
    """One page of `queryset` in `sort` order, starting after (or before) `cursor`."""
    limit = max(1, min(limit, MAX_LIMIT))
    backward, after = False, None
    if cursor:
        value, pk, direction = decode_cursor(cursor, sort)
        backward, after = direction == "prev", (value, pk)
    rows = _fetch(queryset, sort, after, backward, limit + 1)
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
