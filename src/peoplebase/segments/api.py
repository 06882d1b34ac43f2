"""REST endpoints for saved views of the contact list."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import Router, Status

from peoplebase.api.common import BODY_PROBLEMS, RecordId, collection, created, data_of, problems
from peoplebase.segments import services
from peoplebase.segments.models import SavedView
from peoplebase.segments.schemas import (
    SavedViewIn,
    SavedViewListOut,
    SavedViewOut,
    SavedViewUpdateIn,
)

router = Router(tags=["saved views"])


@collection(
    router, "get", response={200: SavedViewListOut, **problems(403)}, summary="List saved views"
)
def list_saved_views(request: HttpRequest) -> dict:
    """Your own views, then the ones teammates shared."""
    return {"items": services.list_views(request.auth)}


@collection(
    router,
    "post",
    response={201: SavedViewOut, **problems(403, *BODY_PROBLEMS)},
    summary="Save a view",
)
def create_saved_view(request: HttpRequest, payload: SavedViewIn, response: HttpResponse) -> Status:
    """Save search text, filters, sort and columns under a name unique among your views."""
    view = services.create_view(request.auth, data_of(payload))
    return created(request, response, view, "saved_view_detail", view_id=view.pk)


@router.get(
    "/{view_id}",
    response={200: SavedViewOut, **problems(403, 404, 422)},
    summary="Get a saved view",
    url_name="saved_view_detail",
)
def get_saved_view(request: HttpRequest, view_id: RecordId) -> SavedView:
    """One of your views or a shared one (another user's private view is a 404)."""
    return services.get_view(request.auth, view_id)


@router.patch(
    "/{view_id}",
    response={200: SavedViewOut, **problems(403, 404, *BODY_PROBLEMS)},
    summary="Change a saved view",
)
def update_saved_view(
    request: HttpRequest, view_id: RecordId, payload: SavedViewUpdateIn
) -> SavedView:
    """Change the parts you send (the owner, or a manager or admin for a shared view)."""
    view = services.get_view(request.auth, view_id)
    return services.update_view(request.auth, view, data_of(payload))


@router.delete(
    "/{view_id}",
    response={204: None, **problems(403, 404, 422)},
    summary="Delete a saved view",
)
def delete_saved_view(request: HttpRequest, view_id: RecordId) -> Status:
    """Delete a view (the owner, or a manager or admin for a shared view)."""
    services.delete_view(request.auth, services.get_view(request.auth, view_id))
    return Status(204, None)
