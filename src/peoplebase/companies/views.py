"""HTML pages for companies: list, profile, create, edit, archive and delete."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from peoplebase.activities.services import timeline
from peoplebase.audit.services import history_for
from peoplebase.companies import services
from peoplebase.companies.forms import CompanyForm, CompanyListForm
from peoplebase.core import permissions
from peoplebase.core.errors import (
    Forbidden,
    NotFound,
    PreconditionFailed,
    ValidationFailed,
)
from peoplebase.core.pagination import Page
from peoplebase.web.views_helpers import error_page, errors_to_form

LIST_DEFAULTS = {"q": "", "lifecycle": "", "owner": "", "sort": "name", "cursor": None}
PAGE_SIZE = 50
EMPLOYEE_LIMIT = 200
TIMELINE_LIMIT = 25


def domain_errors(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Turn a service's NotFound / Forbidden into the 404 / 403 page."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except (NotFound, Forbidden) as error:
            return error_page(request, error)

    return wrapper


def list_with_fallback(
    request: HttpRequest, fetch: Callable[..., Page[Any]], params: dict[str, Any], defaults: dict
) -> Page[Any]:
    """Fetch a list page; a bad parameter is reported once and replaced by its default."""
    for _ in range(len(params) + 1):
        try:
            return fetch(**params)
        except ValidationFailed as error:
            for name, problems in error.errors.items():
                messages.warning(request, problems[0])
                params[name] = defaults.get(name, "")
            if not set(error.errors) & set(params):
                break
    return fetch(**defaults)


def timeline_page(request: HttpRequest, **owner: Any) -> Page[Any]:
    """The record's newest timeline entries, from `tl_cursor` when one is given."""
    params = {"cursor": request.GET.get("tl_cursor") or None}
    return list_with_fallback(
        request,
        lambda **p: timeline(request.user, limit=TIMELINE_LIMIT, **owner, **p),
        params,
        {"cursor": None},
    )


@login_required
@domain_errors
def company_list(request: HttpRequest) -> HttpResponse:
    params = {name: request.GET.get(name) or default for name, default in LIST_DEFAULTS.items()}
    archived = request.GET.get("archived") in ("1", "on", "true")
    page = list_with_fallback(
        request,
        lambda **p: services.list_companies(request.user, archived=archived, limit=PAGE_SIZE, **p),
        params,
        LIST_DEFAULTS,
    )
    context = {
        "title": "Archived companies" if archived else "Companies",
        "page": page,
        "filters": CompanyListForm(initial=params, actor=request.user),
        "sort": params["sort"],
        "filtered": any(request.GET.get(n) for n in ("q", "lifecycle", "owner")),
        "archived": archived,
    }
    return render(request, "companies/company_list.html", context)


@login_required
@domain_errors
def company_detail(request: HttpRequest, company_id: int) -> HttpResponse:
    company = services.get_company(request.user, company_id)
    employees = company.contacts.filter(is_archived=False).order_by("sort_name", "id")
    shown = list(employees[:EMPLOYEE_LIMIT])
    relations = company.contact_relations.select_related("contact").order_by(
        "contact__sort_name", "role"
    )
    events = timeline_page(request, company=company)
    # The company timeline names each event's contact.
    prefetch_related_objects(events.items, "contact")
    context = {
        "title": company.name,
        "company": company,
        "employees": shown,
        "employee_count": len(shown) if len(shown) < EMPLOYEE_LIMIT else employees.count(),
        "employee_limit": EMPLOYEE_LIMIT,
        "relations": list(relations),
        "timeline": events,
        "timeline_return": company.get_absolute_url(),
        "history": history_for(company),
        "can_edit": permissions.can_edit(request.user, company),
    }
    return render(request, "companies/company_detail.html", context)


@login_required
@domain_errors
@require_http_methods(["GET", "POST"])
def company_create(request: HttpRequest) -> HttpResponse:
    permissions.ensure_can_create(request.user, "companies")
    form = CompanyForm(
        request.POST if request.method == "POST" else None,
        actor=request.user,
        initial={"owner_id": str(request.user.pk)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            company = services.create_company(request.user, form.service_data())
        except ValidationFailed as error:
            errors_to_form(form, error)
        else:
            messages.success(request, f"Company “{company}” created.")
            return redirect(company)
    context = {"title": "New company", "form": form, "company": None}
    return render(request, "companies/company_form.html", context)


@login_required
@domain_errors
@require_http_methods(["GET", "POST"])
def company_edit(request: HttpRequest, company_id: int) -> HttpResponse:
    company = services.get_company(request.user, company_id)
    permissions.ensure_can_edit(request.user, company)
    form = CompanyForm(
        request.POST if request.method == "POST" else None,
        actor=request.user,
        current_owner=company.owner,
        initial=CompanyForm.initial_for(company),
    )
    if request.method == "POST" and form.is_valid():
        try:
            company = services.update_company(
                request.user,
                company,
                form.service_data(),
                expected_version=form.cleaned_data["version"],
            )
        except ValidationFailed as error:
            errors_to_form(form, error)
        except PreconditionFailed as error:
            form.add_error(None, stale_message(error))
        else:
            messages.success(request, f"Company “{company}” saved.")
            return redirect(company)
    context = {"title": f"Edit {company.name}", "form": form, "company": company}
    return render(request, "companies/company_form.html", context)


def stale_message(error: PreconditionFailed) -> str:
    return (
        f"{error.message} Your changes were not saved: open the record again in a new tab "
        "to see what changed, then re-apply them here."
    )


@login_required
@domain_errors
@require_POST
def company_archive(request: HttpRequest, company_id: int) -> HttpResponse:
    return _set_archived(request, company_id, archived=True)


@login_required
@domain_errors
@require_POST
def company_restore(request: HttpRequest, company_id: int) -> HttpResponse:
    return _set_archived(request, company_id, archived=False)


def _set_archived(request: HttpRequest, company_id: int, *, archived: bool) -> HttpResponse:
    company = services.get_company(request.user, company_id)
    company = services.set_company_archived(request.user, company, archived)
    verb = "archived" if archived else "restored"
    messages.success(request, f"Company “{company}” {verb}.")
    return redirect(company)


@login_required
@domain_errors
@require_http_methods(["GET", "POST"])
def company_delete(request: HttpRequest, company_id: int) -> HttpResponse:
    company = services.get_company(request.user, company_id)
    permissions.ensure_can_edit(request.user, company)
    if request.method == "POST":
        try:
            services.delete_company(
                request.user, company, expected_version=_int_or_none(request.POST.get("version"))
            )
        except PreconditionFailed as error:
            messages.error(request, error.message)
            return redirect(company)
        messages.success(request, f"Company “{company}” deleted; its contacts were kept.")
        return redirect("companies:company_list")
    context = {
        "title": f"Delete {company.name}",
        "company": company,
        "contact_count": company.contacts.count(),
    }
    return render(request, "companies/company_confirm_delete.html", context)


def _int_or_none(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
