"""Export pages: export from the contact list, the Exports page, downloads."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from peoplebase.contacts.views.common import safe_next
from peoplebase.core.errors import Conflict, ValidationFailed
from peoplebase.core.management.commands._base import describe_error
from peoplebase.exports import services
from peoplebase.web.views_helpers import domain_errors

FILTER_PREFIX = "filter."


def _query(request: HttpRequest) -> dict[str, Any]:
    """The posted export: the bulk bar's selection plus the export panel's choices."""
    post = request.POST
    query: dict[str, Any] = {
        "format": post.get("export_format", "csv"),
        "columns": post.getlist("export_columns"),
        "bom": post.get("export_bom", ""),
    }
    if post.get("scope") == "all":
        query["q"] = post.get("q", "")
        for name in post:
            if name.startswith(FILTER_PREFIX):
                query[name.removeprefix(FILTER_PREFIX)] = post.getlist(name)
    else:
        query["ids"] = ",".join(post.getlist("contact_ids")) or "none"
    return query


@require_POST
@login_required
@domain_errors
def export_start(request: HttpRequest) -> HttpResponse:
    """Small exports download at once; bigger ones become a background export."""
    back = safe_next(request, reverse("contacts:contact_list"))
    query = _query(request)
    if query.get("ids") == "none":
        messages.error(request, "Tick some contacts first, or choose “all matching”.")
        return redirect(back)
    try:
        export = services.parse_export_request(request.user, query)
        total = services.count_selected(request.user, export)
        if total > services.stream_limit():
            job = services.start_export(request.user, export)
            messages.success(
                request, f"Exporting {total:,} contacts in the background (export #{job.pk})."
            )
            return redirect("exports:export_list")
    except ValidationFailed as exc:
        messages.error(request, describe_error(exc))
        return redirect(back)
    response = StreamingHttpResponse(
        services.stream_export(request.user, export), content_type=export.content_type
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    response["Content-Disposition"] = f'attachment; filename="{export.filename(stamp)}"'
    return response


@require_GET
@login_required
@domain_errors
def export_list(request: HttpRequest) -> HttpResponse:
    exports = list(services.list_exports(request.user)[:100])
    return render(
        request,
        "exports/export_list.html",
        {
            "title": "Exports",
            "exports": exports,
            "refresh": any(not export.is_finished for export in exports),
            "limit": f"{services.stream_limit():,}",
        },
    )


@require_GET
@login_required
@domain_errors
def export_download(request: HttpRequest, export_id: int) -> HttpResponse:
    try:
        export, path = services.export_file(request.user, export_id)
    except Conflict as exc:
        messages.error(request, exc.message)
        return redirect("exports:export_list")
    return FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=export.filename,
        content_type=services.FORMATS[export.format],
    )
