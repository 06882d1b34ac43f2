"""REST endpoints for notes (added under `POST /contacts/{id}/notes`)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Status

from peoplebase.activities import services
from peoplebase.activities.models import Activity
from peoplebase.activities.schemas import NoteOut, NoteUpdateIn
from peoplebase.api.common import BODY_PROBLEMS, RecordId, problems

router = Router(tags=["notes"])


@router.get(
    "/{note_id}",
    response={200: NoteOut, **problems(403, 404, 422)},
    summary="Get a note",
    url_name="note_detail",
)
def get_note(request: HttpRequest, note_id: RecordId) -> Activity:
    """One note and its author."""
    return services.get_note(request.auth, note_id)


@router.patch(
    "/{note_id}",
    response={200: NoteOut, **problems(403, 404, *BODY_PROBLEMS)},
    summary="Change a note",
)
def update_note(request: HttpRequest, note_id: RecordId, payload: NoteUpdateIn) -> Activity:
    """Replace a note's text (its author, or a manager or admin)."""
    note = services.get_note(request.auth, note_id)
    return services.update_note(request.auth, note, payload.body)


@router.delete(
    "/{note_id}",
    response={204: None, **problems(403, 404, 422)},
    summary="Delete a note",
)
def delete_note(request: HttpRequest, note_id: RecordId) -> Status:
    """Delete a note (its author, or a manager or admin)."""
    services.delete_note(request.auth, services.get_note(request.auth, note_id))
    return Status(204, None)
