"""HTML pages for companies: list, profile, create, edit, archive and delete."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from peoplebase.audit.services import history_for
from peoplebase.companies import services
from peoplebase.companies.forms import CompanyForm, CompanyListForm
from peoplebase.core import permissions
from peoplebase.web.views_helpers import (
    delete_confirmed,
    domain_errors,
    list_with_fallback,
    posted_data,
    save_edit,
    save_new,
    timeline_page,
)

LIST_DEFAULTS = {"q": "", "lifecycle": "", "owner": "", "sort": "name", "cursor": None}
PAGE_SIZE = 50
EMPLOYEE_LIMIT = 200


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
        posted_data(request), actor=request.user, initial={"owner_id": str(request.user.pk)}
    )
    if form.is_bound and form.is_valid():
        company = save_new(request, form, services.create_company)
        if company is not None:
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
        posted_data(request),
        actor=request.user,
        current_owner=company.owner,
        initial=CompanyForm.initial_for(company),
    )
    if form.is_bound and form.is_valid():
        saved = save_edit(request, form, company, services.update_company)
        if saved is not None:
            messages.success(request, f"Company “{saved}” saved.")
            return redirect(saved)
    context = {"title": f"Edit {company.name}", "form": form, "company": company}
    return render(request, "companies/company_form.html", context)


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
        return delete_confirmed(
            request,
            company,
            services.delete_company,
            done=f"Company “{company}” deleted; its contacts were kept.",
            list_url="companies:company_list",
        )
    context = {
        "title": f"Delete {company.name}",
        "company": company,
        "contact_count": company.contacts.count(),
    }
    return render(request, "companies/company_confirm_delete.html", context)
