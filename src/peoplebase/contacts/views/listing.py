"""The contact list: filters, sortable columns and keyset pages."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from peoplebase.contacts.forms import ContactFilterForm, tag_name_options
from peoplebase.contacts.services import (
    CONTACT_SORTS,
    ContactFilters,
    count_contacts,
    list_contacts,
)
from peoplebase.core.errors import ValidationFailed
from peoplebase.core.pagination import Page
from peoplebase.web.views_helpers import domain_errors

PAGE_SIZE = 50
COUNT_CAP = 10_000
DEFAULT_SORT = "name"
FILTER_KEYS = ("q", "status", "owner", "tag", "consent_status")


def _filters(values: dict[str, Any]) -> ContactFilters:
    return ContactFilters(
        q=values.get("q") or "",
        status=values.get("status") or "",
        owner=values.get("owner") or "",
        tag=values.get("tag") or "",
        consent_status=values.get("consent_status") or "",
        archived=bool(values.get("archived")),
    )


def _sort(request: HttpRequest) -> str:
    sort = request.GET.get("sort") or DEFAULT_SORT
    if sort not in CONTACT_SORTS:
        messages.error(request, f"Cannot sort by “{sort}”; sorted by name instead.")
        return DEFAULT_SORT
    return sort


def _page(request: HttpRequest, filters: ContactFilters, sort: str) -> Page[Any]:
    cursor = request.GET.get("cursor") or None
    try:
        return list_contacts(request.user, filters, sort=sort, cursor=cursor, limit=PAGE_SIZE)
    except ValidationFailed as exc:
        # A stale page link or a filter the form let through: say so and show page one.
        messages.warning(request, exc.message)
        for name in exc.errors:
            if name in FILTER_KEYS:
                setattr(filters, name, "")
        return list_contacts(request.user, filters, sort=sort, cursor=None, limit=PAGE_SIZE)


@require_GET
@login_required
@domain_errors
def contact_list(request: HttpRequest) -> HttpResponse:
    form = ContactFilterForm(request.GET, actor=request.user)
    filters = _filters(form.valid_values())
    if form.errors:
        messages.error(request, "Some filters were not understood and are ignored; see below.")
    sort = _sort(request)
    page = _page(request, filters, sort)
    prefetch_related_objects(page.items, "tag_links__tag")
    filtered = any(getattr(filters, key) for key in FILTER_KEYS)
    context = {
        "title": "Archived contacts" if filters.archived else "Contacts",
        "form": form,
        "page": page,
        "sort": sort,
        "default_sort": DEFAULT_SORT,
        "total": count_contacts(request.user, filters, cap=COUNT_CAP),
        "count_cap": COUNT_CAP,
        "filtered": filtered,
        "tag_options": tag_name_options(),
    }
    return render(request, "contacts/contact_list.html", context)
