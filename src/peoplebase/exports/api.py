"""REST endpoints: stream an export of contacts, or run a large one in the background."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.http import FileResponse, HttpRequest, StreamingHttpResponse
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from peoplebase.api.common import BODY_PROBLEMS, InputSchema, RecordId, ShortText, problems
from peoplebase.core.errors import Conflict, ValidationFailed
from peoplebase.exports import services
from peoplebase.exports.models import ContactExport

router = Router(tags=["exports"])

EXPORT_DOC = {
    "responses": {
        "200": {
            "description": "The export, streamed.",
            "content": {
                "text/csv": {"schema": {"type": "string"}},
                "text/vcard": {"schema": {"type": "string"}},
            },
        }
    }
}


class ExportParams(Schema):
    """What to export and how; contact filters (as on GET /contacts) narrow the selection."""

    format: ShortText = Field("csv", description="`csv` (default) or `vcf` (vCard 4.0).")
    view: ShortText = Field("", description="A saved view's id or name; explicit filters win.")
    # Longer than ShortText: every column with custom fields, and up to MAX_IDS ids.
    columns: str = Field(
        "",
        max_length=4_000,
        description="CSV columns, comma-separated (default: the usual set and custom fields).",
    )
    bom: bool = Field(False, description="Start the CSV with a byte-order mark, for Excel.")
    ids: str = Field(
        "",
        max_length=services.MAX_IDS * 21,  # 20 digits and a comma each
        description=f"Only these contact ids, comma-separated (at most {services.MAX_IDS:,}).",
    )
    q: ShortText = Field("", description="Search text, as on the contact list.")


class ExportIn(InputSchema):
    """A background export: the same choices as the streaming endpoint, as a JSON body."""

    format: str = Field("csv", description="`csv` or `vcf`.")
    view: str = Field("", max_length=200, description="A saved view's id or name.")
    columns: list[str] = Field(default_factory=list, description="CSV column keys.")
    bom: bool = False
    ids: list[RecordId] | None = Field(None, description="Only these contacts.")
    q: str = Field("", max_length=200)
    filters: dict[str, str] = Field(
        default_factory=dict,
        description='Filter parameters of GET /contacts, e.g. {"tags_any": "vip"}.',
    )


class ExportOut(Schema):
    """An export and its progress; download it from `download_url` once `status` is done."""

    id: int
    format: str
    status: str
    total: int
    row_count: int
    columns: list[str]
    selection: dict[str, Any]
    error: str
    created_at: dt.datetime
    finished_at: dt.datetime | None
    expires_at: dt.datetime | None
    download_url: str | None

    @staticmethod
    def resolve_download_url(export: ContactExport) -> str | None:
        return f"/api/v1/exports/{export.pk}/download" if export.status == "done" else None


def _stamp() -> str:
    return timezone.localtime().strftime("%Y%m%d-%H%M%S")


@router.get(
    "/contacts",
    response={200: None, **problems(404, 409, 422)},
    summary="Export contacts (streamed)",
    openapi_extra=EXPORT_DOC,
)
def export_contacts(request: HttpRequest, params: Query[ExportParams]) -> StreamingHttpResponse:
    """Streams CSV or vCard 4.0 of the contacts matching the filters, a saved view or ids,
    as the contact list would show them to you. CSV cells that a spreadsheet would run as a
    formula are prefixed with `'`. More than 5,000 contacts answer 409: use `POST /exports`."""
    export = services.parse_export_request(request.auth, request.GET)
    if services.count_selected(request.auth, export) > services.stream_limit():
        raise Conflict(
            f"More than {services.stream_limit():,} contacts: start a background export with "
            "POST /api/v1/exports instead."
        )
    response = StreamingHttpResponse(
        services.stream_export(request.auth, export), content_type=export.content_type
    )
    response["Content-Disposition"] = f'attachment; filename="{export.filename(_stamp())}"'
    return response


@router.post(
    "",
    response={202: ExportOut, **problems(404, *BODY_PROBLEMS)},
    summary="Start a background export",
)
def start_export(request: HttpRequest, payload: ExportIn) -> Status:
    """Writes the file in the background; poll `GET /exports/{id}`, then download it.
    Files are deleted after the configured number of days."""
    query: dict[str, Any] = {**payload.filters, "format": payload.format, "bom": payload.bom}
    query.update(view=payload.view, q=payload.q, columns=",".join(payload.columns))
    if payload.ids is not None:
        if not payload.ids:  # left out means every match; an empty selection is not that
            raise ValidationFailed.single(
                "ids", "Give at least one contact id, or leave ids out to export every match."
            )
        query["ids"] = ",".join(str(i) for i in payload.ids)
    export = services.start_export(request.auth, services.parse_export_request(request.auth, query))
    return Status(202, export)


@router.get("", response={200: list[ExportOut], **problems()}, summary="List your exports")
def list_exports(request: HttpRequest) -> list[ContactExport]:
    """Your exports, newest first (an admin sees everyone's)."""
    return list(services.list_exports(request.auth)[:100])


@router.get(
    "/{export_id}", response={200: ExportOut, **problems(404, 422)}, summary="Get an export"
)
def get_export(request: HttpRequest, export_id: RecordId) -> ContactExport:
    """Only the person who started the export, or an admin, sees it."""
    return services.get_export(request.auth, export_id)


@router.get(
    "/{export_id}/download",
    response={200: None, **problems(404, 409, 422)},
    summary="Download a finished export",
    openapi_extra=EXPORT_DOC,
)
def download_export(request: HttpRequest, export_id: RecordId) -> FileResponse:
    """The export's file, for the person who started it or an admin."""
    export, path = services.export_file(request.auth, export_id)
    return FileResponse(
        Path(path).open("rb"),
        as_attachment=True,
        filename=export.filename,
        content_type=services.FORMATS[export.format],
    )
