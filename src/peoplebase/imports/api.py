"""REST endpoints for imports (upload, set up, preview, run, report, undo) and saved mappings."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import FileResponse, HttpRequest
from ninja import Field, File, Query, Router, Schema, Status
from ninja.files import UploadedFile

from peoplebase.api.common import BODY_PROBLEMS, InputSchema, RecordId, problems
from peoplebase.core.permissions import ensure_can_view
from peoplebase.imports import reports, services
from peoplebase.imports.models import DuplicatePolicy, ImportJob, ImportRow, SavedMapping
from peoplebase.imports.undo import undo_import

router = Router(tags=["imports"])
mappings_router = Router(tags=["imports"])


class ImportOut(Schema):
    """An import job: the file, its settings, progress and counts."""

    id: int
    file_name: str
    format: str
    encoding: str
    headers: list[str]
    notes: list[str]
    mapping: dict[str, str] = Field(description="Column index (as text) → target field.")
    defaults: dict[str, Any]
    duplicate_policy: str
    match_name_company: bool
    status: str
    total_rows: int
    processed_rows: int
    percent: int
    created: int
    updated: int
    skipped: int
    invalid: int
    owner_fallbacks: int = Field(
        description="Rows imported for the default owner because the owner they named is not "
        "an active user (the CLI's warning)."
    )
    has_rejected_file: bool
    timings: dict[str, float]
    error: str
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    undone_at: dt.datetime | None
    undo_report: dict[str, Any]

    @staticmethod
    def resolve_has_rejected_file(job: ImportJob) -> bool:
        return bool(job.rejected_path)

    @staticmethod
    def resolve_owner_fallbacks(job: ImportJob) -> int:
        # Rows are only written by a run: a job still being set up has none to count.
        return reports.owner_fallbacks(job) if job.processed_rows else 0


class MappingIn(InputSchema):
    """Column (header text or 0-based index) → target; "" or "ignore" leaves it out."""

    mapping: dict[str, str] = Field(default_factory=dict)
    saved_mapping: str = Field(
        "",
        description="Apply a saved mapping (id or name) first; `mapping` then changes only "
        "the columns it names.",
    )


class OptionsIn(InputSchema):
    """Defaults for empty fields and the duplicates policy."""

    defaults: dict[str, Any] | None = Field(
        None,
        description="owner (email or id), status, source, tags, consent_status, consent_type.",
    )
    duplicate_policy: DuplicatePolicy | None = None
    match_name_company: bool | None = None
    confirm_opted_in: bool = Field(
        False, description="Must be true to default consent_status to opted_in."
    )


class PreviewRowOut(Schema):
    row_number: int
    outcome: str
    reason: str
    values: dict[str, Any]


class PreviewOut(Schema):
    """The first rows as they will be saved and the counts over the whole file."""

    rows: list[PreviewRowOut]
    counts: dict[str, int]


class ImportRowOut(Schema):
    row_number: int
    outcome: str
    contact_id: int | None
    reason: str
    cells: list[str] | None
    changes: dict[str, Any] | None


class RowsQuery(Schema):
    outcome: str = ""
    after: int = Field(0, ge=0, description="Rows after this row number.")
    limit: int = Field(100, ge=1, le=1000)


class SavedMappingOut(Schema):
    id: int
    name: str
    shared: bool
    owner_email: str
    mapping: dict[str, str]
    defaults: dict[str, Any]

    @staticmethod
    def resolve_owner_email(mapping: SavedMapping) -> str:
        return mapping.owner.email


class SavedMappingIn(InputSchema):
    import_id: RecordId
    name: str = Field(..., max_length=100)
    shared: bool = False


@router.post(
    "",
    response={201: ImportOut, **problems(403, *BODY_PROBLEMS)},
    summary="Upload a file to import",
)
def create(request: HttpRequest, file: File[UploadedFile]) -> Status:
    """Multipart upload (field `file`: CSV, TSV, XLSX or vCard). Nothing is imported yet: the
    answer holds the headers and a suggested mapping. Managers and admins only."""
    return Status(201, services.create_import(request.auth, file, file.name or "upload"))


@router.get("", response={200: list[ImportOut], **problems(403)}, summary="List imports")
def list_imports(request: HttpRequest) -> list[ImportJob]:
    """Your imports, newest first (admins see everyone's)."""
    return services.list_imports(request.auth)


@router.get("/{job_id}", response={200: ImportOut, **problems(404, 422)}, summary="Get an import")
def get(request: HttpRequest, job_id: RecordId) -> ImportJob:
    """Poll this while the import runs: `processed_rows`, `percent` and the counts move."""
    return services.get_import(request.auth, job_id)


@router.put(
    "/{job_id}/mapping",
    response={200: ImportOut, **problems(403, 404, 409, *BODY_PROBLEMS)},
    summary="Set the column mapping",
)
def set_mapping(request: HttpRequest, job_id: RecordId, payload: MappingIn) -> ImportJob:
    """Replaces the mapping (columns not named are ignored). With `saved_mapping`, that
    mapping is applied first and `mapping` then changes only the columns it names, as the
    CLI's `--mapping NAME --map COLUMN=FIELD` does. Targets: see
    `GET /import-mappings/targets`; custom fields as `custom.<key>`."""
    job = services.get_import(request.auth, job_id)
    if payload.saved_mapping:
        job = services.apply_saved_mapping(request.auth, job, payload.saved_mapping)
        if payload.mapping:
            job = services.override_mapping(request.auth, job, payload.mapping)
    elif payload.mapping:
        job = services.set_mapping(request.auth, job, payload.mapping)
    return job


@router.put(
    "/{job_id}/options",
    response={200: ImportOut, **problems(403, 404, 409, *BODY_PROBLEMS)},
    summary="Set defaults and the duplicates policy",
)
def set_options(request: HttpRequest, job_id: RecordId, payload: OptionsIn) -> ImportJob:
    """Default consent type is `imported`; `consent_status: opted_in` needs `confirm_opted_in`."""
    return services.set_options(
        request.auth,
        services.get_import(request.auth, job_id),
        defaults=payload.defaults,
        duplicate_policy=payload.duplicate_policy,
        match_name_company=payload.match_name_company,
        confirm_opted_in=payload.confirm_opted_in,
    )


@router.get(
    "/{job_id}/preview",
    response={200: PreviewOut, **problems(403, 404, 409, 422)},
    summary="Preview an import",
)
def preview(request: HttpRequest, job_id: RecordId) -> services.Preview:
    """Reads the whole file to count; writes nothing."""
    return services.preview_import(request.auth, services.get_import(request.auth, job_id))


@router.post(
    "/{job_id}/run",
    response={202: ImportOut, **problems(403, 404, 409, 422)},
    summary="Run an import in the background",
)
def run(request: HttpRequest, job_id: RecordId) -> Status:
    """Queues the job for the worker; poll `GET /imports/{id}`."""
    job = services.start_import(request.auth, services.get_import(request.auth, job_id))
    return Status(202, job)


@router.post(
    "/{job_id}/cancel",
    response={200: ImportOut, **problems(403, 404, 409, 422)},
    summary="Cancel an import",
)
def cancel(request: HttpRequest, job_id: RecordId) -> ImportJob:
    """Stops after the batch being written; whole batches only, so nothing is half-imported."""
    return services.cancel_import(request.auth, services.get_import(request.auth, job_id))


@router.get(
    "/{job_id}/rows",
    response={200: list[ImportRowOut], **problems(404, 422)},
    summary="Per-row outcomes",
)
def rows(request: HttpRequest, job_id: RecordId, query: Query[RowsQuery]) -> list[ImportRow]:
    """In file order; page with `after` = the last row number you got."""
    job = services.get_import(request.auth, job_id)
    return reports.import_rows(
        request.auth, job, outcome=query.outcome, after=query.after, limit=query.limit
    )


@router.get(
    "/{job_id}/rejected.csv",
    response={200: None, **problems(404, 422)},
    summary="Download the rejected rows",
)
def rejected(request: HttpRequest, job_id: RecordId) -> FileResponse:
    """The original cells of every invalid row plus a `reason` column, ready to fix and
    import again."""
    job = services.get_import(request.auth, job_id)
    path = reports.rejected_rows_path(request.auth, job)
    return FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=f"rejected-rows-import-{job.pk}.csv",
        content_type="text/csv; charset=utf-8",
    )


@router.post(
    "/{job_id}/undo",
    response={200: ImportOut, **problems(403, 404, 409, 422)},
    summary="Undo an import",
)
def undo(request: HttpRequest, job_id: RecordId) -> ImportJob:
    """Deletes the contacts it created and restores fields it changed, except where someone
    edited them since (listed in `undo_report.kept`)."""
    return undo_import(request.auth, services.get_import(request.auth, job_id))


@mappings_router.get(
    "/targets", response={200: dict[str, str], **problems(403)}, summary="Mapping targets"
)
def targets(request: HttpRequest) -> dict[str, str]:
    """Every field a column can map to (key → label), custom fields included."""
    ensure_can_view(request.auth)
    return services.mapping_targets()


@mappings_router.get(
    "", response={200: list[SavedMappingOut], **problems(403)}, summary="List saved mappings"
)
def list_mappings(request: HttpRequest) -> list[SavedMapping]:
    """Your own saved mappings and those shared by others."""
    return services.list_saved_mappings(request.auth)


@mappings_router.post(
    "",
    response={201: SavedMappingOut, **problems(403, 404, *BODY_PROBLEMS)},
    summary="Save an import's mapping",
)
def save_mapping(request: HttpRequest, payload: SavedMappingIn) -> Status:
    """Saves the import's mapping (by header text) and defaults under a name."""
    job = services.get_import(request.auth, payload.import_id)
    saved = services.save_mapping(request.auth, job, payload.name, shared=payload.shared)
    return Status(201, saved)


@mappings_router.delete(
    "/{mapping_id}",
    response={204: None, **problems(403, 404, 422)},
    summary="Delete a saved mapping",
)
def delete_mapping(request: HttpRequest, mapping_id: RecordId) -> Status:
    """Only the person who saved it (or an admin) may delete a mapping."""
    services.delete_saved_mapping(
        request.auth, services.get_saved_mapping(request.auth, mapping_id)
    )
    return Status(204, None)
