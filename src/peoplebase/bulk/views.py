"""Bulk action pages: start a job from the contact list, follow it, cancel it, download it."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from peoplebase.bulk.models import BulkAction
from peoplebase.bulk.services import (
    SYNC_LIMIT,
    cancel_bulk_job,
    export_path_for,
    get_bulk_job,
    start_bulk_job,
)
from peoplebase.contacts.views.common import safe_next
from peoplebase.core.errors import Conflict, ValidationFailed
from peoplebase.web.views_helpers import domain_errors, job_page

FILTER_PREFIX = "filter."


def _selection(request: HttpRequest) -> dict[str, Any]:
    """The posted selection: ticked ids, or the list's search and filters ("all matching")."""
    if request.POST.get("scope") == "all":
        filters = {
            name.removeprefix(FILTER_PREFIX): request.POST.getlist(name)
            for name in request.POST
            if name.startswith(FILTER_PREFIX)
        }
        return {"q": request.POST.get("q", ""), "filters": filters}
    return {"contact_ids": request.POST.getlist("contact_ids")}


def _params(request: HttpRequest, action: str) -> dict[str, Any]:
    if action in (BulkAction.ADD_TAGS, BulkAction.REMOVE_TAGS):
        return {"tags": request.POST.get("tag", "")}
    if action == BulkAction.ASSIGN_OWNER:
        return {"owner_id": request.POST.get("owner_id", "")}
    if action == BulkAction.SET_STATUS:
        return {"status": request.POST.get("status", "")}
    return {}


@require_POST
@login_required
@domain_errors
def bulk_start(request: HttpRequest) -> HttpResponse:
    back = safe_next(request, reverse("contacts:contact_list"))
    action = request.POST.get("action", "")
    selection = _selection(request)
    if selection.get("contact_ids") == []:
        messages.error(request, "Tick some contacts first, or choose “all matching”.")
        return redirect(back)
    confirmed = request.POST.get("confirm") == "yes"
    if action == BulkAction.DELETE and not confirmed:
        return _confirm_delete(request, back)
    try:
        job = start_bulk_job(
            request.user, action, _params(request, action), confirm=confirmed, **selection
        )
    except ValidationFailed as error:
        for field, texts in error.errors.items():
            messages.error(request, f"{field.removeprefix('params.')}: {' '.join(texts)}")
        return redirect(back)
    return redirect("bulk:job", job_id=job.pk)


def _confirm_delete(request: HttpRequest, back: str) -> HttpResponse:
    scope_all = request.POST.get("scope") == "all"
    context = {
        "title": "Delete contacts?",
        "posted": [
            (name, value)
            for name in request.POST
            if name not in ("csrfmiddlewaretoken", "confirm")
            for value in request.POST.getlist(name)
        ],
        "count": None if scope_all else len(request.POST.getlist("contact_ids")),
        "back": back,
    }
    return render(request, "bulk/confirm_delete.html", context)


@require_GET
@login_required
@domain_errors
def bulk_job(request: HttpRequest, job_id: int) -> HttpResponse:
    job = get_bulk_job(request.user, job_id)
    context = {"title": f"Bulk action: {job.get_action_display()}", "job": job}
    context["sync_limit"] = SYNC_LIMIT
    return job_page(request, "bulk/job_detail.html", "bulk/_progress.html", context)


@require_POST
@login_required
@domain_errors
def bulk_cancel(request: HttpRequest, job_id: int) -> HttpResponse:
    job = get_bulk_job(request.user, job_id)
    try:
        cancel_bulk_job(request.user, job)
        messages.success(request, "Cancelled: contacts already changed stay changed.")
    except Conflict as error:
        messages.info(request, error.message)
    return redirect("bulk:job", job_id=job.pk)


@require_GET
@login_required
@domain_errors
def bulk_download(request: HttpRequest, job_id: int) -> FileResponse:
    job = get_bulk_job(request.user, job_id)
    path = export_path_for(request.user, job)
    return FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=f"contacts-export-{job.pk}.csv",
        content_type="text/csv; charset=utf-8",
    )
