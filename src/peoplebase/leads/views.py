"""HTML pages for leads: list, profile, create, edit, status changes, delete and conversion."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from peoplebase.audit.services import history_for
from peoplebase.core import permissions
from peoplebase.core.errors import Conflict, PreconditionFailed, ValidationFailed
from peoplebase.leads import services
from peoplebase.leads.forms import ConvertForm, DisqualifyForm, LeadForm, LeadListForm
from peoplebase.leads.models import Lead, LeadStatus
from peoplebase.web.views_helpers import (
    delete_confirmed,
    domain_errors,
    errors_to_form,
    list_with_fallback,
    posted_data,
    posted_version,
    save_edit,
    save_new,
    timeline_page,
)

LIST_DEFAULTS = {"q": "", "status": "", "owner": "", "sort": "-created", "cursor": None}
PAGE_SIZE = 50
STATUS_TABS = [("", "All"), *LeadStatus.choices]


@login_required
@domain_errors
def lead_list(request: HttpRequest) -> HttpResponse:
    params = {name: request.GET.get(name) or default for name, default in LIST_DEFAULTS.items()}
    page = list_with_fallback(
        request,
        lambda **p: services.list_leads(request.user, limit=PAGE_SIZE, **p),
        params,
        LIST_DEFAULTS,
    )
    context = {
        "title": "Leads",
        "page": page,
        "status": params["status"],
        "status_tabs": STATUS_TABS,
        "filters": LeadListForm(initial=params, actor=request.user),
        "filtered": any(request.GET.get(n) for n in ("q", "status", "owner")),
    }
    return render(request, "leads/lead_list.html", context)


def conversion_blocker(user: Any, lead: Lead) -> str:
    """Why the Convert action is not offered, or "" when it is."""
    if lead.status == LeadStatus.CONVERTED:
        return "This lead has already been converted."
    if lead.status != LeadStatus.QUALIFIED:
        return (
            f"Only qualified leads can be converted; this one is {lead.get_status_display()}. "
            "Mark it qualified first."
        )
    if not permissions.can_create(user):
        return "Your role may not convert leads."
    if not permissions.can_edit(user, lead):
        return "You may not convert this lead: it belongs to another owner."
    return ""


@login_required
@domain_errors
def lead_detail(request: HttpRequest, lead_id: int) -> HttpResponse:
    lead = services.get_lead(request.user, lead_id)
    can_edit = permissions.can_edit(request.user, lead)
    context = {
        "title": str(lead),
        "lead": lead,
        "can_edit": can_edit,
        "is_converted": lead.status == LeadStatus.CONVERTED,
        "conversion_blocker": conversion_blocker(request.user, lead),
        "disqualify_form": DisqualifyForm(
            initial={"disqualified_reason": lead.disqualified_reason}
        ),
        "timeline": timeline_page(request, lead=lead),
        "timeline_return": lead.get_absolute_url(),
        "history": history_for(lead),
    }
    return render(request, "leads/lead_detail.html", context)


@login_required
@domain_errors
@require_http_methods(["GET", "POST"])
def lead_create(request: HttpRequest) -> HttpResponse:
    permissions.ensure_can_create(request.user, "leads")
    form = LeadForm(
        posted_data(request), actor=request.user, initial={"owner_id": str(request.user.pk)}
    )
    if form.is_bound and form.is_valid():
        lead = save_new(request, form, services.create_lead)
        if lead is not None:
            messages.success(request, f"Lead “{lead}” created.")
            return redirect(lead)
    return render(request, "leads/lead_form.html", {"title": "New lead", "form": form})


@login_required
@domain_errors
@require_http_methods(["GET", "POST"])
def lead_edit(request: HttpRequest, lead_id: int) -> HttpResponse:
    lead = services.get_lead(request.user, lead_id)
    permissions.ensure_can_edit(request.user, lead)
    if lead.status == LeadStatus.CONVERTED:
        messages.info(
            request, "This lead has been converted; edit its contact and company instead."
        )
        return redirect(lead)
    form = LeadForm(
        posted_data(request),
        actor=request.user,
        current_owner=lead.owner,
        initial=LeadForm.initial_for(lead),
    )
    if form.is_bound and form.is_valid():
        saved = save_edit(request, form, lead, services.update_lead)
        if saved is not None:
            messages.success(request, f"Lead “{saved}” saved.")
            return redirect(saved)
    context = {"title": f"Edit {lead}", "form": form, "lead": lead}
    return render(request, "leads/lead_form.html", context)


@login_required
@domain_errors
@require_POST
def lead_set_status(request: HttpRequest, lead_id: int) -> HttpResponse:
    """Mark a lead qualified, working or new, or disqualify it with a reason."""
    lead = services.get_lead(request.user, lead_id)
    status = request.POST.get("status", "")
    data = {"status": status}
    if status == LeadStatus.DISQUALIFIED:
        data["disqualified_reason"] = request.POST.get("disqualified_reason", "")
    try:
        lead = services.update_lead(
            request.user, lead, data, expected_version=posted_version(request)
        )
    except ValidationFailed as error:
        for problems in error.errors.values():
            messages.error(request, problems[0])
    except (PreconditionFailed, Conflict) as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Lead marked {lead.get_status_display().lower()}.")
    return redirect(lead)


@login_required
@domain_errors
@require_http_methods(["GET", "POST"])
def lead_delete(request: HttpRequest, lead_id: int) -> HttpResponse:
    lead = services.get_lead(request.user, lead_id)
    permissions.ensure_can_edit(request.user, lead)
    if request.method == "POST":
        return delete_confirmed(
            request,
            lead,
            services.delete_lead,
            done=f"Lead “{lead}” deleted.",
            list_url="leads:lead_list",
        )
    context = {"title": f"Delete lead {lead}", "lead": lead}
    return render(request, "leads/lead_confirm_delete.html", context)


@login_required
@domain_errors
@require_http_methods(["GET", "POST"])
def lead_convert(request: HttpRequest, lead_id: int) -> HttpResponse:
    lead = services.get_lead(request.user, lead_id)
    blocker = conversion_blocker(request.user, lead)
    if blocker and request.method == "GET":
        messages.warning(request, blocker)
        return redirect(lead)
    suggestions = services.conversion_suggestions(lead)
    form = ConvertForm(posted_data(request), lead=lead, suggestions=suggestions)
    if form.is_bound and form.is_valid():
        try:
            result = services.convert_lead(request.user, lead, **form.service_arguments())
        except ValidationFailed as error:
            errors_to_form(form, error, {"company_id": "company", "contact_id": "contact"})
        except (Conflict, PreconditionFailed) as error:
            messages.error(request, error.message)
            return redirect(lead)
        else:
            messages.success(request, conversion_summary(result))
            return redirect(result.contact or result.company)
    context = {
        "title": f"Convert lead {lead}",
        "lead": lead,
        "form": form,
        "suggestions": suggestions,
    }
    return render(request, "leads/lead_convert.html", context)


def conversion_summary(result: services.ConversionResult) -> str:
    account = f"account “{result.company}” {'created' if result.company_created else 'linked'}"
    if result.contact is None:
        return f"Lead converted: {account}; no contact was added."
    verb = "created" if result.contact_created else "linked"
    return f"Lead converted: {account} and contact “{result.contact}” {verb}."
