"""Saved views: create, change and resolve them into contact filters (a segment).

Rules: everyone signed in sees their own views plus the shared ones; another user's private
view does not exist for them (NotFound, even for admins). Only the owner, or a manager or
admin for a shared view, may change or delete a view. Read-only users may save private views
(they only store a way of looking) but may not share them with the team.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import QueryDict

from peoplebase.contacts.filtering import LIST_PARAMS, filter_params, parse_filters
from peoplebase.contacts.models import Contact
from peoplebase.contacts.services import (
    CONTACT_SORTS,
    RELEVANCE,
    ContactFilters,
    matching_contacts,
)
from peoplebase.core.errors import ErrorCollector, Forbidden, NotFound, ValidationFailed
from peoplebase.core.lookups import parse_id
from peoplebase.core.permissions import ensure_can_view
from peoplebase.customfields.services import active_definitions
from peoplebase.segments.columns import available_columns
from peoplebase.segments.models import NAME_MAX_LENGTH, SavedView
from peoplebase.users.models import User

VIEW_PARAM = "view"
COLUMNS_PARAM = "columns"
# List parameters a view stores itself; everything else in a query string is a filter.
VIEW_STATE_PARAMS = frozenset({"q", "sort", COLUMNS_PARAM})
FIELDS = frozenset({"name", "is_shared", "q", "filters", "sort", "columns", "position"})
MAX_Q_LENGTH = 200
MAX_COLUMNS = 40
MAX_POSITION = 10_000


class ResolvedView(NamedTuple):
    """What a saved view asks of the contact list."""

    filters: ContactFilters
    sort: str
    columns: list[str]


def visible_views(actor: User) -> QuerySet[SavedView]:
    ensure_can_view(actor)
    return SavedView.objects.filter(Q(owner=actor) | Q(is_shared=True)).select_related("owner")


def list_views(actor: User) -> list[SavedView]:
    """The actor's own views, then the team's shared ones."""
    views = list(visible_views(actor))
    return [v for v in views if v.owner_id == actor.pk] + [
        v for v in views if v.owner_id != actor.pk
    ]


def get_view(actor: User, view_id: Any) -> SavedView:
    view = visible_views(actor).filter(pk=parse_id(view_id) or -1).first()
    if view is None:
        raise NotFound(f"No saved view with id {view_id}.")
    return view


def can_change_view(actor: User | None, view: SavedView) -> bool:
    if actor is None or not actor.is_authenticated or not actor.is_active:
        return False
    if view.owner_id == actor.pk:
        return True
    return view.is_shared and actor.can_edit_all_records


def ensure_can_change_view(actor: User, view: SavedView) -> None:
    if not can_change_view(actor, view):
        raise Forbidden(f"Only its owner or a manager may change the view “{view.name}”.")


def create_view(actor: User, data: Mapping[str, Any]) -> SavedView:
    """Save a view owned by the actor; every part is validated first."""
    ensure_can_view(actor)
    view = SavedView(owner=actor)
    _apply(actor, view, {"name": "", **data})
    view.save()
    return view


def update_view(actor: User, view: SavedView, data: Mapping[str, Any]) -> SavedView:
    """Change the parts of a view given in `data` (absent keys stay as they are)."""
    ensure_can_change_view(actor, view)
    with transaction.atomic():
        _apply(actor, view, data)
        view.save()
    return view


def delete_view(actor: User, view: SavedView) -> None:
    ensure_can_change_view(actor, view)
    view.delete()


def _apply(actor: User, view: SavedView, data: Mapping[str, Any]) -> None:
    errors = ErrorCollector()
    for key in data:
        if key not in FIELDS:
            errors.add(str(key), "Unknown field.")
    if "name" in data:
        view.name = _clean_name(view, data["name"], errors)
    if "is_shared" in data:
        view.is_shared = _clean_shared(actor, data["is_shared"])
    if "q" in data:
        view.q = _clean_q(data["q"], errors)
    if "filters" in data:
        view.filters = _clean_filters(data["filters"], errors)
    if "sort" in data or "q" in data:
        view.sort = _clean_sort(data.get("sort", view.sort), view.q, errors)
    if "columns" in data:
        view.columns = _clean_columns(data["columns"], errors)
    if "position" in data:
        view.position = _clean_position(data["position"], errors)
    errors.raise_if_any()


def _clean_name(view: SavedView, value: Any, errors: ErrorCollector) -> str:
    name = str(value or "").strip()
    if not name:
        errors.add("name", "Give the view a name.")
    elif len(name) > NAME_MAX_LENGTH:
        errors.add("name", f"At most {NAME_MAX_LENGTH} characters.")
    elif "\x00" in name:
        errors.add("name", "Contains a NUL character.")
    else:
        taken = SavedView.objects.filter(owner_id=view.owner_id, name__iexact=name)
        if taken.exclude(pk=view.pk).exists():
            errors.add("name", f"You already have a view called “{name}”.")
    return name


def _clean_shared(actor: User, value: Any) -> bool:
    shared = bool(value)
    if shared and actor.is_read_only:
        raise Forbidden("Read-only users may save private views only, not shared ones.")
    return shared


def _clean_q(value: Any, errors: ErrorCollector) -> str:
    q = str(value or "").strip()
    if len(q) > MAX_Q_LENGTH:
        errors.add("q", f"At most {MAX_Q_LENGTH} characters.")
    elif "\x00" in q:
        errors.add("q", "Contains a NUL character.")
    return q


def _clean_filters(value: Any, errors: ErrorCollector) -> dict[str, str]:
    """The filters in canonical form (`to_params()`), or errors as `filters.<param>`."""
    if not isinstance(value, Mapping):
        errors.add("filters", "Give the filters as an object of parameter: value.")
        return {}
    params: dict[str, Any] = {}
    for name, raw in value.items():
        if name in LIST_PARAMS or name in (VIEW_PARAM, COLUMNS_PARAM):
            errors.add(f"filters.{name}", "Not a filter; it is part of the view itself.")
        elif not isinstance(raw, str | list) or not all(isinstance(v, str) for v in _list(raw)):
            errors.add(f"filters.{name}", "Give a text value (or a list of them).")
        else:
            params[str(name)] = raw
    try:
        return parse_filters(params).to_params()
    except ValidationFailed as exc:
        for name, messages in exc.errors.items():
            for message in messages:
                errors.add(f"filters.{name}", message)
        return {}


def _list(raw: Any) -> list[Any]:
    return raw if isinstance(raw, list) else [raw]


def _clean_sort(value: Any, q: str, errors: ErrorCollector) -> str:
    sort = str(value or "").strip()
    if sort == RELEVANCE and not q:
        errors.add("sort", "Sort by relevance needs search text (q).")
    elif sort and sort != RELEVANCE and sort not in CONTACT_SORTS:
        errors.add("sort", f"Sort by one of: {', '.join([*CONTACT_SORTS, RELEVANCE])}.")
    return sort


def _clean_columns(value: Any, errors: ErrorCollector) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(key, str) for key in value):
        errors.add("columns", "Give a list of column names.")
        return []
    if len(value) > MAX_COLUMNS:
        errors.add("columns", f"At most {MAX_COLUMNS} columns.")
        return []
    available = available_columns(active_definitions())
    for index, key in enumerate(value):
        if key not in available:
            errors.add(f"columns.{index}", f"Unknown column “{key[:60]}”.")
    return list(dict.fromkeys(value))


def _clean_position(value: Any, errors: ErrorCollector) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_POSITION:
        errors.add("position", f"Use a whole number from 0 to {MAX_POSITION}.")
        return 0
    return value


# --- using a view -------------------------------------------------------------------------------


def resolve_view(actor: User, view: SavedView) -> ResolvedView:
    """The view as list arguments; a filter that no longer parses (an archived custom field)
    raises ValidationFailed rather than silently widening the segment."""
    ensure_can_view(actor)
    spec = parse_filters(view.filters)
    available = available_columns(active_definitions())
    columns = [key for key in view.columns if key in available]
    return ResolvedView(ContactFilters(q=view.q, spec=spec), view.sort, columns)


def contacts_in_view(actor: User, view: SavedView) -> QuerySet[Contact]:
    """Every contact the view matches (for bulk actions and exports), in the view's order.

    With search text the set is the search's best matches (bounded, as on the list page)."""
    filters, sort, _columns = resolve_view(actor, view)
    qs = matching_contacts(actor, filters)
    order = CONTACT_SORTS.get(sort or "name")
    if order is None:
        return qs.order_by("pk")
    prefix = "-" if order.descending else ""
    return qs.order_by(f"{prefix}{order.field}", f"{prefix}pk")


def view_query(view: SavedView, query: QueryDict) -> QueryDict:
    """The list parameters of `view` with those given explicitly in `query` laid on top.

    A parameter present in `query`, even blank, replaces the view's: a submitted filter panel
    that clears a filter clears it."""
    merged = QueryDict(mutable=True)
    stored: dict[str, Any] = {**view.filters, "q": view.q, "sort": view.sort}
    if view.columns:
        stored[COLUMNS_PARAM] = ",".join(view.columns)
    for name, value in stored.items():
        if value:
            merged[name] = value
    for name in query:
        merged.setlist(name, query.getlist(name))
    merged[VIEW_PARAM] = str(view.pk)
    return merged


def open_view(actor: User, query: QueryDict) -> tuple[SavedView | None, QueryDict]:
    """The view named by `?view=` (NotFound if not visible) and the merged list parameters."""
    if VIEW_PARAM not in query:
        return None, query
    view = get_view(actor, query.get(VIEW_PARAM, ""))
    return view, view_query(view, query)


def list_params(query: QueryDict) -> dict[str, list[str]]:
    """The filter parameters of a list query, without the view's own parameters."""
    params = filter_params(query)
    for name in (VIEW_PARAM, COLUMNS_PARAM):
        params.pop(name, None)
    return params


def requested_columns(query: QueryDict) -> list[str]:
    """Column keys from `columns=a,b` or repeated `columns=` parameters."""
    keys = [part.strip() for raw in query.getlist(COLUMNS_PARAM) for part in raw.split(",")]
    return [key for key in keys if key]
