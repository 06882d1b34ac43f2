"""GDPR pages: the contact's "Export data" download, the erasure confirmation, and
Settings › Compliance (erasure log, suppression list, data protection officers)."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from peoplebase.compliance import services
from peoplebase.compliance.forms import EmailForm, ErasureForm, LiftForm
from peoplebase.core import permissions
from peoplebase.core.errors import Conflict, NotFound, ValidationFailed
from peoplebase.users.models import Role, User
from peoplebase.web.views_helpers import domain_errors, errors_to_form, job_page, posted_data


@login_required
@never_cache
@domain_errors
@require_GET
def contact_export(request: HttpRequest, contact_id: int) -> HttpResponse:
    contact = services.get_contact_for_request(request.user, contact_id)
    document = services.build_access_document(request.user, contact)
    response = HttpResponse(
        json.dumps(document, ensure_ascii=False, indent=2), content_type="application/json"
    )
    response["Content-Disposition"] = f'attachment; filename="contact-{contact.pk}-data.json"'
    return response


@login_required
@never_cache
@domain_errors
@require_http_methods(["GET", "POST"])
def contact_erase(request: HttpRequest, contact_id: int) -> HttpResponse:
    contact = services.get_contact_for_request(request.user, contact_id)
    form = ErasureForm(posted_data(request), contact=contact)
    if form.is_bound and form.is_valid():
        try:
            # Queued for the worker: a long history or a large workspace must not time out.
            job = services.request_erasure(
                request.user,
                contact,
                reason=form.cleaned_data["reason"],
                suppress=form.cleaned_data["suppress"],
            )
        except ValidationFailed as error:
            errors_to_form(form, error)
        except Conflict as error:
            form.add_error(None, error.message)
        else:
            return redirect("compliance:erasure_job", job_id=job.pk)
    return render(
        request,
        "compliance/contact_erase.html",
        {"contact": contact, "form": form, "emails": list(contact.emails.all())},
    )


@login_required
@never_cache
@domain_errors
@require_GET
def compliance_settings(request: HttpRequest) -> HttpResponse:
    return _settings_page(request)


def _settings_page(
    request: HttpRequest,
    suppress_form: EmailForm | None = None,
    lift_form: LiftForm | None = None,
    status: int = 200,
) -> HttpResponse:
    erasures = services.list_erasures(request.user)
    is_admin = permissions.can_administer(request.user)
    context = {
        "settings_section": "compliance",
        "erasures": erasures,
        "erasure_jobs": services.unfinished_erasure_jobs(request.user),
        "suppressions": services.list_suppressions(request.user),
        "suppress_form": suppress_form or EmailForm(prefix="suppress"),
        "lift_form": lift_form or LiftForm(prefix="lift"),
        "can_lift": is_admin,
        "managers": User.objects.filter(role=Role.MANAGER, is_active=True) if is_admin else [],
        "officer_ids": set(services.data_protection_officers().values_list("pk", flat=True)),
    }
    return render(request, "compliance/settings.html", context, status=status)


@login_required
@domain_errors
@require_POST
def suppression_add(request: HttpRequest) -> HttpResponse:
    form = EmailForm(request.POST, prefix="suppress")
    if form.is_valid():
        try:
            services.suppress_email(request.user, form.cleaned_data["email"])
        except ValidationFailed as error:
            errors_to_form(form, error)
        else:
            messages.success(request, "The address is on the suppression list.")
            return redirect("compliance:settings")
    return _settings_page(request, suppress_form=form, status=422)


@login_required
@domain_errors
@require_POST
def suppression_lift(request: HttpRequest) -> HttpResponse:
    form = LiftForm(request.POST, prefix="lift")
    if form.is_valid():
        try:
            services.lift_suppression(
                request.user, form.cleaned_data["email"], form.cleaned_data["reason"]
            )
        except ValidationFailed as error:
            errors_to_form(form, error)
        except NotFound as error:
            form.add_error("email", error.message)
        else:
            messages.success(request, "Lifted the suppression.")
            return redirect("compliance:settings")
    return _settings_page(request, lift_form=form, status=422)


@login_required
@domain_errors
@require_POST
def officer_set(request: HttpRequest, user_id: int) -> HttpResponse:
    permissions.ensure_can_administer(request.user)
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        raise NotFound("No such user.")
    enabled = request.POST.get("enabled") == "1"
    try:
        services.set_data_protection_officer(request.user, user, enabled)
    except ValidationFailed as error:
        messages.error(request, error.message)
    else:
        verb = "may now" if enabled else "may no longer"
        messages.success(request, f"{user} {verb} handle access and erasure requests.")
    return redirect("compliance:settings")


@login_required
@never_cache
@domain_errors
@require_GET
def erasure_job(request: HttpRequest, job_id: int) -> HttpResponse:
    """An erasure's progress (htmx polls the card) and, once done, its outcome."""
    job = services.get_erasure_job(request.user, job_id)
    return job_page(
        request, "compliance/erasure_job.html", "compliance/_erasure_progress.html", {"job": job}
    )


@login_required
@domain_errors
@require_POST
def erasure_job_resume(request: HttpRequest, job_id: int) -> HttpResponse:
    job = services.resume_erasure(request.user, services.get_erasure_job(request.user, job_id))
    return redirect("compliance:erasure_job", job_id=job.pk)
