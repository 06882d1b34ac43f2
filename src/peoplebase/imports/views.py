"""The import wizard: upload → map → defaults and duplicates → preview → run → report."""

from __future__ import annotations

from collections.abc import Callable
from itertools import islice
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from peoplebase.contacts.models import ConsentStatus, ConsentType, ContactStatus
from peoplebase.contacts.views.common import is_htmx
from peoplebase.core.errors import Conflict, ValidationFailed
from peoplebase.core.permissions import can_import
from peoplebase.imports import reports, services
from peoplebase.imports.models import DuplicatePolicy, ImportJob, ImportStatus
from peoplebase.imports.readers import UnreadableFile, open_table
from peoplebase.imports.undo import undo_import
from peoplebase.users.models import User
from peoplebase.web.views_helpers import domain_errors, job_page

SAMPLE_ROWS = 3
REPORT_ROWS = 200


def _errors(request: HttpRequest, error: ValidationFailed) -> None:
    for field, texts in error.errors.items():
        label = field.removeprefix("defaults.").replace("__all__", "")
        messages.error(request, f"{label}: {' '.join(texts)}" if label else " ".join(texts))


@require_http_methods(["GET", "POST"])
@login_required
@domain_errors
def import_start(request: HttpRequest) -> HttpResponse:
    """Past imports, and the upload form."""
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            messages.error(request, "Choose a file to upload.")
        else:
            try:
                job = services.create_import(request.user, upload, upload.name or "upload")
                return redirect("imports:map", job_id=job.pk)
            except ValidationFailed as error:
                _errors(request, error)
    context = {
        "title": "Import contacts",
        "jobs": services.list_imports(request.user),
        "may_import": can_import(request.user),
        "max_mb": services.MAX_UPLOAD_BYTES // (1024 * 1024),
    }
    return render(request, "imports/import_start.html", context)


def _samples(job: ImportJob) -> list[list[str]]:
    """A few values of each column, shown beside its dropdown."""
    try:
        rows = list(islice(open_table(job.stored_path, filename=job.file_name).rows, SAMPLE_ROWS))
    except (UnreadableFile, OSError):
        rows = []
    return [
        [row[i] for row in rows if i < len(row) and row[i].strip()] for i in range(len(job.headers))
    ]


@require_http_methods(["GET", "POST"])
@login_required
@domain_errors
def import_map(request: HttpRequest, job_id: int) -> HttpResponse:
    job = services.get_import(request.user, job_id)
    if request.method == "POST":
        try:
            if request.POST.get("saved_mapping"):
                job = services.apply_saved_mapping(request.user, job, request.POST["saved_mapping"])
                return redirect("imports:map", job_id=job.pk)
            mapping = {str(i): request.POST.get(f"col{i}", "") for i in range(len(job.headers))}
            job = services.set_mapping(request.user, job, mapping)
            if request.POST.get("save_as"):
                services.save_mapping(
                    request.user,
                    job,
                    request.POST["save_as"],
                    shared=request.POST.get("shared") == "on",
                )
            return redirect("imports:options", job_id=job.pk)
        except (ValidationFailed, Conflict) as error:
            if isinstance(error, ValidationFailed):
                _errors(request, error)
            else:
                messages.error(request, error.message)
    columns = [
        {"index": i, "header": h, "target": job.mapping.get(str(i), ""), "samples": s}
        for i, (h, s) in enumerate(zip(job.headers, _samples(job), strict=True))
    ]
    context = {
        "title": f"Map the columns of {job.file_name}",
        "job": job,
        "columns": columns,
        "targets": services.mapping_targets(),
        "saved": services.list_saved_mappings(request.user),
    }
    return render(request, "imports/import_map.html", context)


@require_http_methods(["GET", "POST"])
@login_required
@domain_errors
def import_options(request: HttpRequest, job_id: int) -> HttpResponse:
    job = services.get_import(request.user, job_id)
    if request.method == "POST":
        defaults = {
            name: request.POST.get(name, "").strip()
            for name in ("owner", "status", "source", "tags", "consent_status", "consent_type")
        }
        try:
            job = services.set_options(
                request.user,
                job,
                defaults=defaults,
                duplicate_policy=request.POST.get("duplicate_policy", DuplicatePolicy.SKIP),
                match_name_company=request.POST.get("match_name_company") == "on",
                confirm_opted_in=request.POST.get("confirm_opted_in") == "on",
            )
            return redirect("imports:preview", job_id=job.pk)
        except ValidationFailed as error:
            _errors(request, error)
        except Conflict as error:
            messages.error(request, error.message)
    owner = User.objects.filter(pk=job.defaults.get("owner") or -1).first()
    context = {
        "title": "Defaults and duplicates",
        "job": job,
        "owner_email": owner.email if owner else "",
        "tags": ", ".join(job.defaults.get("tags", [])),
        "users": User.objects.filter(is_active=True).order_by("email"),
        "statuses": ContactStatus.choices,
        "consent_statuses": ConsentStatus.choices,
        "consent_types": ConsentType.choices,
        "policies": DuplicatePolicy.choices,
        "opted_in_warning": services.OPTED_IN_WARNING,
    }
    return render(request, "imports/import_options.html", context)


@require_http_methods(["GET", "POST"])
@login_required
@domain_errors
def import_preview(request: HttpRequest, job_id: int) -> HttpResponse:
    job = services.get_import(request.user, job_id)
    if request.method == "POST":
        try:
            services.start_import(request.user, job)
            return redirect("imports:job", job_id=job.pk)
        except (ValidationFailed, Conflict) as error:
            messages.error(request, error.message)
    try:
        preview = services.preview_import(request.user, job)
    except (ValidationFailed, Conflict) as error:
        messages.error(request, error.message)
        return redirect("imports:map", job_id=job.pk)
    context = {"title": "Preview", "job": job, "preview": preview}
    return render(request, "imports/import_preview.html", context)


@require_GET
@login_required
@domain_errors
def import_job(request: HttpRequest, job_id: int) -> HttpResponse:
    """Progress while it runs (htmx polls the partial), the report once it is done."""
    job = services.get_import(request.user, job_id)
    if job.status == ImportStatus.DRAFT:
        return redirect("imports:map", job_id=job.pk)
    context: dict[str, Any] = {"title": f"Import #{job.pk}: {job.file_name}", "job": job}
    if job.is_finished and not is_htmx(request):
        # Created rows are listed only when they carry a warning (an unknown owner).
        context["rows"] = [
            row
            for row in reports.import_rows(request.user, job, limit=REPORT_ROWS)
            if row.outcome != "created" or row.reason
        ]
        context["owner_fallbacks"] = reports.owner_fallbacks(job)
    return job_page(request, "imports/import_job.html", "imports/_progress.html", context)


@require_POST
@login_required
@domain_errors
def import_cancel(request: HttpRequest, job_id: int) -> HttpResponse:
    def cancel(user: User, job: ImportJob) -> str:
        services.cancel_import(user, job)
        return "Cancelled after the current batch; undo removes what it added."

    return _act_on_job(request, job_id, cancel)


@require_POST
@login_required
@domain_errors
def import_undo(request: HttpRequest, job_id: int) -> HttpResponse:
    def undo(user: User, job: ImportJob) -> str:
        report = undo_import(user, job).undo_report
        return (
            f"Undone: {report['deleted']} contacts deleted, {report['restored']} restored, "
            f"{len(report['kept'])} left as they were."
        )

    return _act_on_job(request, job_id, undo)


def _act_on_job(
    request: HttpRequest, job_id: int, action: Callable[[User, ImportJob], str]
) -> HttpResponse:
    """Run a button's action on the job: its message on success, the refusal if refused."""
    job = services.get_import(request.user, job_id)
    try:
        messages.success(request, action(request.user, job))
    except Conflict as error:
        messages.info(request, error.message)
    return redirect("imports:job", job_id=job.pk)


@require_GET
@login_required
@domain_errors
def import_rejected(request: HttpRequest, job_id: int) -> FileResponse:
    job = services.get_import(request.user, job_id)
    path = reports.rejected_rows_path(request.user, job)
    return FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=f"rejected-rows-import-{job.pk}.csv",
        content_type="text/csv; charset=utf-8",
    )
