"""REST endpoints for GDPR requests: access export, erasure and the suppression list."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from peoplebase.api.common import BODY_PROBLEMS, RecordId, problems
from peoplebase.compliance import services
from peoplebase.compliance.models import ErasureJob, ErasureLog, SuppressionEntry
from peoplebase.compliance.schemas import (
    EmailIn,
    ErasureIn,
    ErasureJobOut,
    ErasureListOut,
    LiftIn,
    SuppressionCheckOut,
    SuppressionListOut,
    SuppressionOut,
)
from peoplebase.core.permissions import ensure_can_handle_personal_data

router = Router(tags=["gdpr"])


@router.get(
    "/contacts/{contact_id}/export",
    response={200: dict[str, Any], **problems(403, 404, 422)},
    summary="Export a person's data (right of access)",
)
def export_contact_data(request: HttpRequest, contact_id: RecordId) -> dict[str, Any]:
    """Everything held about the contact as one JSON document: the record, a summary with
    custom-field labels and consent history, and every related record (timeline, field history,
    account relations, later models) field by field. Admins and data protection officers only;
    each export is logged."""
    contact = services.get_contact_for_request(request.auth, contact_id)
    return services.build_access_document(request.auth, contact)


@router.post(
    "/contacts/{contact_id}/erase",
    response={202: ErasureJobOut, **problems(403, 404, 409, *BODY_PROBLEMS)},
    summary="Erase a person's data (right to erasure)",
)
def erase_contact_data(request: HttpRequest, contact_id: RecordId, payload: ErasureIn) -> Status:
    """Queue the erasure: delete the contact and scrub their email addresses and phone numbers
    from every table and from files kept under the data directory. Refusals come at once: 409
    when another contact carries the same address, 422 for a missing reason. The answer (202)
    is the job; poll `GET /gdpr/erasure-jobs/{id}` until `status` is `done`, when `erasure`
    holds the log entry. With `suppress`, the addresses are blocked from coming back. Cannot
    be undone."""
    contact = services.get_contact_for_request(request.auth, contact_id)
    job = services.request_erasure(
        request.auth, contact, reason=payload.reason, suppress=payload.suppress
    )
    return Status(202, job)


@router.get(
    "/erasure-jobs/{job_id}",
    response={200: ErasureJobOut, **problems(403, 404)},
    summary="Follow an erasure",
)
def get_erasure_job(request: HttpRequest, job_id: RecordId) -> ErasureJob:
    """An erasure's progress: steps done of all, the current stage, and the log once done."""
    return services.get_erasure_job(request.auth, job_id)


@router.get("/erasures", response={200: ErasureListOut, **problems(403)}, summary="List erasures")
def list_erasures(request: HttpRequest) -> dict[str, list[ErasureLog]]:
    """The erasure log, newest first (the last 200)."""
    return {"items": services.list_erasures(request.auth)}


@router.get(
    "/suppressions",
    response={200: SuppressionListOut, **problems(403)},
    summary="List suppressions",
)
def list_suppressions(request: HttpRequest) -> dict[str, Any]:
    """Suppression entries, newest first; addresses are stored as keyed hashes only."""
    return {"items": list(services.list_suppressions(request.auth))}


@router.post(
    "/suppressions",
    response={201: SuppressionOut, **problems(403, *BODY_PROBLEMS)},
    summary="Suppress an address",
)
def add_suppression(request: HttpRequest, payload: EmailIn) -> Status:
    """Block an address from being saved on contacts or imported (idempotent)."""
    return Status(201, services.suppress_email(request.auth, payload.email))


@router.post(
    "/suppressions/check",
    response={200: SuppressionCheckOut, **problems(403, *BODY_PROBLEMS)},
    summary="Check an address",
)
def check_suppression(request: HttpRequest, payload: EmailIn) -> dict[str, Any]:
    """Whether an address is on the active suppression list."""
    ensure_can_handle_personal_data(request.auth)
    return {"email": payload.email, "suppressed": services.is_suppressed(payload.email)}


@router.post(
    "/suppressions/lift",
    response={200: SuppressionOut, **problems(403, 404, *BODY_PROBLEMS)},
    summary="Lift a suppression",
)
def lift_suppression(request: HttpRequest, payload: LiftIn) -> SuppressionEntry:
    """Admins only: type the address again to lift its suppression; who and why is kept."""
    return services.lift_suppression(request.auth, payload.email, payload.reason)
