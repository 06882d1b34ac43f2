"""Saved views on the contact list: the sidebar and column chooser context, save/update/delete."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from peoplebase.core.errors import ValidationFailed
from peoplebase.customfields.models import CustomFieldDefinition
from peoplebase.segments import services
from peoplebase.segments.columns import available_columns, columns_for
from peoplebase.segments.models import SavedView
from peoplebase.web.views_helpers import domain_errors


def list_context(
    request: HttpRequest,
    definitions: dict[str, CustomFieldDefinition],
    current: SavedView | None,
    link_query: QueryDict,
    sort: str,
) -> dict[str, Any]:
    """Sidebar, chooser and column context for the contact list.

    Also puts the open view and chosen columns into `link_query`, so sort and page links keep
    them (and the sort itself, which would otherwise fall back to the view's)."""
    chosen = services.requested_columns(request.GET)
    columns = columns_for(chosen, definitions)
    if chosen:
        link_query[services.COLUMNS_PARAM] = ",".join(column.key for column in columns)
    if current is not None:
        link_query[services.VIEW_PARAM] = str(current.pk)
        link_query["sort"] = sort
    views = services.list_views(request.user)
    keys = {column.key for column in columns}
    return {
        "own_views": [view for view in views if view.owner_id == request.user.pk],
        "shared_views": [view for view in views if view.owner_id != request.user.pk],
        "current_view": current,
        "can_change_view": current is not None and services.can_change_view(request.user, current),
        "can_share_views": not request.user.is_read_only,
        "columns": [column for column in columns if column.key != "name"],
        "column_choices": [
            (column, column.key in keys) for column in available_columns(definitions).values()
        ],
        "chosen_columns": ",".join(chosen),
        "view_state": link_query.urlencode(),
        "chooser_state": [
            (name, value)
            for name, values in link_query.lists()
            if name not in (services.COLUMNS_PARAM, "cursor")
            for value in values
        ],
    }


def _state_data(request: HttpRequest) -> dict[str, Any]:
    """The q, filters, sort and columns the list page posted back as its `state`."""
    state = QueryDict(request.POST.get("state", ""))
    return {
        "q": state.get("q", ""),
        "sort": state.get("sort", ""),
        "columns": services.requested_columns(state),
        "filters": services.list_params(state),
    }


def _report(request: HttpRequest, error: ValidationFailed) -> None:
    for name, texts in error.errors.items():
        label = "" if name == "__all__" else f"{name}: "
        messages.error(request, f"View not saved. {label}{' '.join(texts)}")


def _open(view: SavedView) -> HttpResponse:
    return redirect(f"{reverse('contacts:contact_list')}?view={view.pk}")


def _back(request: HttpRequest) -> HttpResponse:
    state = request.POST.get("state", "")
    return redirect(reverse("contacts:contact_list") + (f"?{state}" if state else ""))


@require_POST
@login_required
@domain_errors
def view_create(request: HttpRequest) -> HttpResponse:
    data = {
        "name": request.POST.get("name", ""),
        "is_shared": request.POST.get("is_shared") == "on",
        **_state_data(request),
    }
    try:
        view = services.create_view(request.user, data)
    except ValidationFailed as error:
        _report(request, error)
        return _back(request)
    messages.success(request, f"Saved the view “{view.name}”.")
    return _open(view)


@require_POST
@login_required
@domain_errors
def view_update(request: HttpRequest, view_id: int) -> HttpResponse:
    view = services.get_view(request.user, view_id)
    try:
        services.update_view(request.user, view, _state_data(request))
    except ValidationFailed as error:
        _report(request, error)
        return _back(request)
    messages.success(request, f"Updated the view “{view.name}”.")
    return _open(view)


@require_POST
@login_required
@domain_errors
def view_delete(request: HttpRequest, view_id: int) -> HttpResponse:
    view = services.get_view(request.user, view_id)
    services.delete_view(request.user, view)
    messages.success(request, f"Deleted the view “{view.name}”.")
    return redirect("contacts:contact_list")
