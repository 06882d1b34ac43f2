"""REST endpoints: start and read duplicate scans, list suggestions, dismiss or skip a pair."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from peoplebase.api.common import BODY_PROBLEMS, InputSchema, RecordId, problems
from peoplebase.core.pagination import decode_offset_cursor, encode_offset_cursor
from peoplebase.duplicates import services
from peoplebase.duplicates.models import DuplicateScan, DuplicateSuggestion

router = Router(tags=["duplicates"])
CURSOR_KIND = "duplicates"


class ScanIn(InputSchema):
    view_id: RecordId | None = Field(
        None, description="Scan only the contacts of this saved view; omit for everyone."
    )


class ScanOut(Schema):
    """A scan and its progress; `incremental` scans re-check only contacts changed since the
    previous scan (`changed`) against everyone."""

    id: int
    status: str
    view_id: int | None
    incremental: bool
    total: int
    changed: int
    processed: int
    candidate_pairs: int
    suggestions: int
    likely_threshold: float | None = Field(
        None, description="The bands the scan used (null before it started)."
    )
    possible_threshold: float | None = None
    error: str
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None


class SideOut(Schema):
    id: int
    full_name: str
    email: str
    phone: str
    company: str | None
    city: str


class SuggestionOut(Schema):
    id: int
    score: float
    band: str
    reasons: list[str]
    cluster: int | None
    status: str
    contact_a: SideOut
    contact_b: SideOut
    merge_url: str = Field(description="The merge page for the pair, returning to the queue.")


def _side(contact: Any) -> dict[str, Any]:
    return {
        "id": contact.pk,
        "full_name": contact.full_name,
        "email": contact.email,
        "phone": contact.phone,
        "company": contact.company.name if contact.company_id else None,
        "city": contact.city,
    }


class SuggestionPage(Schema):
    items: list[SuggestionOut]
    next_cursor: str | None


class SuggestionFilters(Schema):
    band: str = Field("", description="`likely` or `possible`; empty for both.")
    limit: int = Field(50, ge=1, le=200)
    cursor: str = ""


def _out(s: DuplicateSuggestion) -> dict[str, Any]:
    return {
        "id": s.pk,
        "score": s.score,
        "band": s.band,
        "reasons": s.reasons,
        "cluster": s.cluster,
        "status": s.status,
        "contact_a": _side(s.contact_a),
        "contact_b": _side(s.contact_b),
        "merge_url": services.merge_url(s),
    }


@router.post(
    "/scans",
    response={202: ScanOut, **problems(403, 404, *BODY_PROBLEMS)},
    summary="Start a duplicate scan",
)
def start_scan(request: HttpRequest, payload: ScanIn) -> Status:
    """Small workspaces finish before the answer; bigger ones run in the background: poll
    `GET /duplicates/scans/{id}`. Read-only users may not scan."""
    return Status(202, services.start_scan(request.auth, view=payload.view_id))


@router.get("/scans/{scan_id}", response={200: ScanOut, **problems(404, 422)}, summary="Get a scan")
def get_scan(request: HttpRequest, scan_id: RecordId) -> DuplicateScan:
    """A scan's status and progress; poll it until `status` is `done` or `failed`."""
    return services.get_scan(request.auth, scan_id)


@router.get(
    "/suggestions",
    response={200: SuggestionPage, **problems(422)},
    summary="List open duplicate suggestions",
)
def list_suggestions(request: HttpRequest, filters: Query[SuggestionFilters]) -> dict[str, Any]:
    """Open pairs, best score first. Pairs whose contact was merged or deleted are gone."""
    offset = decode_offset_cursor(filters.cursor, CURSOR_KIND) if filters.cursor else 0
    qs = services.open_suggestions(request.auth, filters.band)
    rows = list(qs[offset : offset + filters.limit + 1])
    more = len(rows) > filters.limit
    return {
        "items": [_out(s) for s in rows[: filters.limit]],
        "next_cursor": encode_offset_cursor(CURSOR_KIND, offset + filters.limit) if more else None,
    }


@router.post(
    "/suggestions/{suggestion_id}/dismiss",
    response={200: SuggestionOut, **problems(403, 404, 409, 422)},
    summary="Not a duplicate",
)
def dismiss(request: HttpRequest, suggestion_id: RecordId) -> dict[str, Any]:
    """Remembered: the pair is never suggested again. Needs the right to edit both contacts."""
    return _out(services.dismiss_suggestion(request.auth, suggestion_id))


@router.post(
    "/suggestions/{suggestion_id}/skip",
    response={200: SuggestionOut, **problems(403, 404, 409, 422)},
    summary="Skip a suggestion",
)
def skip(request: HttpRequest, suggestion_id: RecordId) -> dict[str, Any]:
    """Takes the pair out of the queue without deciding."""
    return _out(services.skip_suggestion(request.auth, suggestion_id))


class BandQualityOut(Schema):
    measured_on: str
    likely_precision: float
    likely_recall: float
    likely_f1: float


class DuplicateSettingsOut(Schema):
    """The band thresholds: a pair scoring at least `likely` is a likely duplicate, at least
    `possible` a possible one; lower scores are not suggested."""

    likely: float
    possible: float
    defaults: dict[str, float] = Field(description="The thresholds Peoplebase ships with.")
    default_quality: BandQualityOut = Field(
        description="What bench/duplicates.py measured at the defaults on generated people "
        "(not a measure of this workspace)."
    )


class DuplicateSettingsIn(InputSchema):
    likely: float | None = Field(
        None, description="Likely band from this score up; 0 < possible ≤ likely ≤ 1."
    )
    possible: float | None = Field(
        None, description="Possible band from this score up. Omit a field to keep it."
    )


class DuplicateSettingsChangeOut(DuplicateSettingsOut):
    to_likely: int = Field(description="Open suggestions moved up to the likely band.")
    to_possible: int = Field(description="Open suggestions moved down to the possible band.")
    dropped: int = Field(description="Open suggestions now below `possible`, removed.")
    next_scan_full: bool = Field(
        description="True when `possible` went down: the next scan re-checks everyone."
    )


def _settings_out(settings: Any) -> dict[str, Any]:
    return {**services.settings_summary(settings), "default_quality": services.DEFAULT_BAND_QUALITY}


@router.get(
    "/settings",
    response={200: DuplicateSettingsOut, **problems(403)},
    summary="Get the duplicate band thresholds",
)
def get_settings(request: HttpRequest) -> dict[str, Any]:
    """Everyone signed in may read them; only admins change them."""
    return _settings_out(services.get_duplicate_settings(request.auth))


@router.put(
    "/settings",
    response={200: DuplicateSettingsChangeOut, **problems(403, *BODY_PROBLEMS)},
    summary="Change the duplicate band thresholds",
)
def update_settings(request: HttpRequest, payload: DuplicateSettingsIn) -> dict[str, Any]:
    """Admins only (others 403). Breaking `0 < possible ≤ likely ≤ 1` is 422 naming the field.
    Open suggestions are re-banded by their stored score at once; those below the new
    `possible` are removed. Lowering `possible` makes the next scan a full one, since pairs
    under the old threshold were never kept. The change is written to the audit log."""
    change = services.update_duplicate_settings(
        request.auth, likely=payload.likely, possible=payload.possible
    )
    return {
        **_settings_out(change.settings),
        "to_likely": change.to_likely,
        "to_possible": change.to_possible,
        "dropped": change.dropped,
        "next_scan_full": change.next_scan_full,
    }
