"""REST endpoints: start a bulk job over contacts, read it, cancel it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from peoplebase.api.common import BODY_PROBLEMS, InputSchema, RecordId, problems
from peoplebase.bulk.models import BulkAction, BulkJob
from peoplebase.bulk.services import cancel_bulk_job, get_bulk_job, start_bulk_job

contacts_bulk_router = Router(tags=["bulk"])
jobs_router = Router(tags=["bulk"])


class BulkJobIn(InputSchema):
    """An action over explicit `contact_ids`, or over everything matching `q` and `filters`."""

    action: BulkAction
    params: dict[str, Any] = Field(
        default_factory=dict,
        description=(
            "add_tags/remove_tags: {tags: [names]}; assign_owner: {owner_id: id or null}; "
            "set_status: {status}; others: {}."
        ),
    )
    contact_ids: list[RecordId] | None = Field(
        None, description="Explicit selection (at most 10,000); wins over q and filters."
    )
    q: str = Field("", max_length=200, description="Search text, as on the contact list.")
    filters: dict[str, str] = Field(
        default_factory=dict,
        description='Filter parameters of GET /contacts (e.g. {"tags_any": "vip"}).',
    )
    confirm: bool = Field(False, description="Must be true for delete.")


class BulkJobOut(Schema):
    """A bulk job and its progress; `skip_reasons` maps why → how many."""

    id: int
    action: str
    params: dict[str, Any]
    status: str
    total: int
    processed: int
    changed: int
    skipped: int
    skip_reasons: dict[str, int]
    error: str
    has_download: bool
    contact_ids: list[int] | None
    q: str
    filters: dict[str, Any]
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None

    @staticmethod
    def resolve_has_download(job: BulkJob) -> bool:
        return bool(job.result_file) and job.status == "done"


@contacts_bulk_router.post(
    "",
    response={202: BulkJobOut, **problems(403, *BODY_PROBLEMS)},
    summary="Start a bulk action over contacts",
)
def start_job(request: HttpRequest, payload: BulkJobIn) -> Status:
    """Small selections (≤ 200) finish before the answer; bigger ones run in the background:
    poll `GET /bulk-jobs/{id}`. Contacts you may not edit are skipped and counted."""
    job = start_bulk_job(
        request.auth,
        payload.action,
        payload.params,
        contact_ids=payload.contact_ids,
        q=payload.q,
        filters=payload.filters,
        confirm=payload.confirm,
    )
    return Status(202, job)


@jobs_router.get(
    "/{job_id}",
    response={200: BulkJobOut, **problems(404, 422)},
    summary="Get a bulk job",
)
def get_job(request: HttpRequest, job_id: RecordId) -> BulkJob:
    """Only the person who started the job, or an admin, sees it."""
    return get_bulk_job(request.auth, job_id)


@jobs_router.post(
    "/{job_id}/cancel",
    response={200: BulkJobOut, **problems(404, 409, 422)},
    summary="Cancel a bulk job",
)
def cancel_job(request: HttpRequest, job_id: RecordId) -> BulkJob:
    """Stops before the next batch; contacts already changed stay changed."""
    return cancel_bulk_job(request.auth, get_bulk_job(request.auth, job_id))
