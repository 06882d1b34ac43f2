"""REST endpoints: merge contacts, list merges, undo one."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Field, Query, Router, Schema, Status

from peoplebase.api.common import (
    BODY_PROBLEMS,
    InputSchema,
    PageParams,
    RecordId,
    collection,
    problems,
)
from peoplebase.merges import services
from peoplebase.merges.schemas import MergeIn, MergeOut, MergePageOut

contact_merge_router = Router(tags=["merges"])
router = Router(tags=["merges"])


def moved_response(request: HttpRequest, contact_id: int) -> HttpResponse | None:
    """308 to the surviving contact when `contact_id` was merged away (None otherwise)."""
    from peoplebase.contacts.models import Contact

    if Contact.objects.filter(pk=contact_id).exists():
        return None
    survivor = services.resolve_tombstone(contact_id)
    if survivor is None:
        return None
    location = request.build_absolute_uri(
        reverse("api:contact_detail", kwargs={"contact_id": survivor.pk})
    )
    body = {"detail": f"Contact {contact_id} was merged into {survivor.pk}.", "id": survivor.pk}
    moved = HttpResponse(json.dumps(body), status=308, content_type="application/json")
    moved["Location"] = location
    return moved


@collection(
    contact_merge_router,
    "post",
    response={201: MergeOut, **problems(403, 404, 409, 412, *BODY_PROBLEMS)},
    summary="Merge contacts",
)
def merge_contacts(request: HttpRequest, payload: MergeIn, response: HttpResponse) -> Status:
    """Merge `duplicate_ids` into `primary_id` in one transaction: emails, phones and tags are
    unioned, consent keeps the most restrictive value, every related row moves to the primary,
    and each duplicate's id becomes a tombstone that redirects to the primary. Undo with
    `POST /merges/{id}/undo` within the workspace's undo window."""
    versions = {int(k): v for k, v in (payload.expected_versions or {}).items() if k.isdigit()}
    merge = services.merge_by_ids(
        request.auth, payload.primary_id, payload.duplicate_ids, payload.fields, versions
    )
    response["Location"] = request.build_absolute_uri(f"/api/v1/merges/{merge.pk}")
    return Status(201, services.merge_summary(merge))


class MergeListParams(PageParams):
    contact_id: RecordId | None = None


@collection(
    router, "get", response={200: MergePageOut, **problems(403, 422)}, summary="List merges"
)
def list_merges(request: HttpRequest, params: Query[MergeListParams]) -> dict[str, Any]:
    """Merges, newest first; `contact_id` keeps those whose survivor is that contact."""
    page = services.list_merges(
        request.auth, contact_id=params.contact_id, cursor=params.cursor, limit=params.limit
    )
    return {
        "items": [services.merge_summary(m) for m in page.items],
        "next_cursor": page.next_cursor,
        "prev_cursor": page.prev_cursor,
    }


class MergeSettingsOut(Schema):
    allowed_roles: list[str] = Field(
        description="Roles that may merge (they also need edit rights on every contact)."
    )
    undo_window_days: int = Field(description="How long a merge can be undone.")


class MergeSettingsIn(InputSchema):
    allowed_roles: list[str] | None = Field(
        None, description="Among `admin`, `manager`, `rep`. Omit a field to keep it."
    )
    undo_window_days: int | None = Field(None, description="Whole days from 1 to 3650.")


# Declared before `/{merge_id}` so that "settings" is never read as a merge id.
@router.get(
    "/settings",
    response={200: MergeSettingsOut, **problems(403)},
    summary="Get the merge settings",
)
def get_merge_settings(request: HttpRequest) -> dict[str, Any]:
    """Who may merge and for how long a merge can be undone; everyone signed in may read it."""
    return services.merge_settings_summary(services.get_merge_settings(request.auth))


@router.put(
    "/settings",
    response={200: MergeSettingsOut, **problems(403, *BODY_PROBLEMS)},
    summary="Change the merge settings",
)
def update_merge_settings(request: HttpRequest, payload: MergeSettingsIn) -> dict[str, Any]:
    """Admins only (others 403); bad values are 422 naming the field. Audited."""
    saved = services.update_merge_settings(
        request.auth, payload.allowed_roles, payload.undo_window_days
    )
    return services.merge_settings_summary(saved)


@router.get(
    "/{merge_id}",
    response={200: MergeOut, **problems(403, 404, 422)},
    summary="Get a merge",
    url_name="merge_detail",
)
def get_merge(request: HttpRequest, merge_id: RecordId) -> dict[str, Any]:
    """One merge with the values every contact had before it."""
    return services.merge_summary(services.get_merge(request.auth, merge_id))


@router.post(
    "/{merge_id}/undo",
    response={200: MergeOut, **problems(403, 404, 409, 422)},
    summary="Undo a merge",
)
def undo_merge(request: HttpRequest, merge_id: RecordId) -> dict[str, Any]:
    """Bring the merged contacts back with their ids, values and rows. The primary's fields
    return to their old values unless edited since the merge (those keep the newer value).
    409 when already undone, past the undo window, or the primary was merged again."""
    merge = services.get_merge(request.auth, merge_id)
    return services.merge_summary(services.undo_merge(request.auth, merge))
