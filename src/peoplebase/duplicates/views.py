"""The review queue (CRM › Deduplication): suggested pairs side by side, with their actions;
and Settings › Deduplication, where admins set the bands and the merge rules."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from peoplebase.core.errors import Conflict, ValidationFailed
from peoplebase.core.permissions import can_create, ensure_can_administer
from peoplebase.duplicates import services
from peoplebase.duplicates.forms import BandSettingsForm
from peoplebase.duplicates.models import Band, DuplicateScan
from peoplebase.merges import services as merge_services
from peoplebase.users.models import Role
from peoplebase.web.views_helpers import domain_errors, errors_to_form, posted_data

PAGE_SIZE = 25
# What the two columns compare, label first.
SIDE_FIELDS = (
    ("Name", "full_name"),
    ("Email", "email"),
    ("Phone", "phone"),
    ("Job title", "job_title"),
    ("City", "city"),
    ("Postal code", "postal_code"),
)


def _rows(suggestion: object) -> list[tuple[str, str, str]]:
    a, b = suggestion.contact_a, suggestion.contact_b  # type: ignore[attr-defined]
    rows = [(label, getattr(a, name) or "", getattr(b, name) or "") for label, name in SIDE_FIELDS]
    rows.insert(
        3,
        ("Company", a.company.name if a.company_id else "", b.company.name if b.company_id else ""),
    )
    return rows


@require_GET
@login_required
@domain_errors
def queue(request: HttpRequest) -> HttpResponse:
    band = request.GET.get("band", "")
    if band not in Band.values:
        band = ""
    page = Paginator(services.open_suggestions(request.user, band), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    items = [(s, _rows(s), services.merge_url(s)) for s in page.object_list]
    return render(
        request,
        "duplicates/queue.html",
        {
            "title": "Deduplication",
            "page": page,
            "items": items,
            "band": band,
            "bands": Band.choices,
            "last_scan": DuplicateScan.objects.first(),
            "can_scan": can_create(request.user),
            "thresholds": services.thresholds(),
        },
    )


@require_POST
@login_required
@domain_errors
def scan(request: HttpRequest) -> HttpResponse:
    try:
        started = services.start_scan(request.user)
    except ValidationFailed as error:
        messages.error(request, error.message)
        return redirect("duplicates:queue")
    if started.is_finished:
        messages.success(request, f"Scan done: {started.suggestions} pairs to review.")
    else:
        messages.info(request, "The scan runs in the background; refresh in a moment.")
    return redirect("duplicates:queue")


def _decide(request: HttpRequest, suggestion_id: int, action: str) -> HttpResponse:
    try:
        if action == "dismiss":
            services.dismiss_suggestion(request.user, suggestion_id)
            messages.success(request, "Marked as not a duplicate; it will not be suggested again.")
        else:
            services.skip_suggestion(request.user, suggestion_id)
            messages.info(request, "Skipped.")
    except Conflict as error:
        messages.error(request, error.message)
    return redirect(f"/duplicates/?band={request.POST.get('band', '')}")


@require_POST
@login_required
@domain_errors
def dismiss(request: HttpRequest, suggestion_id: int) -> HttpResponse:
    return _decide(request, suggestion_id, "dismiss")


@require_POST
@login_required
@domain_errors
def skip(request: HttpRequest, suggestion_id: int) -> HttpResponse:
    return _decide(request, suggestion_id, "skip")


@login_required
@domain_errors
@require_http_methods(["GET", "POST"])
def settings_page(request: HttpRequest) -> HttpResponse:
    """Settings › Deduplication: admins only, like the other workspace settings."""
    ensure_can_administer(request.user)
    current = services.get_duplicate_settings(request.user)
    initial = {
        "likely": f"{current.likely_threshold:g}",
        "possible": f"{current.possible_threshold:g}",
    }
    form = BandSettingsForm(posted_data(request), initial=initial)
    if form.is_bound and form.is_valid():
        try:
            change = services.update_duplicate_settings(request.user, **form.cleaned_data)
        except ValidationFailed as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _change_message(change))
            return redirect("duplicates:settings")
    return render(
        request,
        "duplicates/settings.html",
        {
            "title": "Deduplication settings",
            "settings_section": "deduplication",
            "form": form,
            "current": current,
            "defaults": services.DEFAULT_THRESHOLDS,
            "quality": services.DEFAULT_BAND_QUALITY,
            "merge_settings": merge_services.get_merge_settings(request.user),
            "roles": [(r.value, r.label) for r in Role if r != Role.READ_ONLY],
        },
        status=422 if form.errors else 200,
    )


def _change_message(change: services.ThresholdChange) -> str:
    parts = [
        f"Bands saved: likely from {change.settings.likely_threshold:g}, "
        f"possible from {change.settings.possible_threshold:g}."
    ]
    moved = [
        f"{change.to_likely} moved to likely" if change.to_likely else "",
        f"{change.to_possible} moved to possible" if change.to_possible else "",
        f"{change.dropped} below “possible” left the queue" if change.dropped else "",
    ]
    if any(moved):
        parts.append("Open pairs: " + ", ".join(m for m in moved if m) + ".")
    if change.next_scan_full:
        parts.append("The next scan re-checks everyone, to find pairs in the wider band.")
    return " ".join(parts)
