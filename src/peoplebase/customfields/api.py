"""REST endpoints for custom field definitions (anyone reads; admins write)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import Path, Router, Status

from peoplebase.api.common import BODY_PROBLEMS, collection, created, data_of, problems
from peoplebase.customfields import services
from peoplebase.customfields.models import CustomFieldDefinition
from peoplebase.customfields.schemas import (
    CustomFieldCreateIn,
    CustomFieldListOut,
    CustomFieldOut,
    CustomFieldUpdateIn,
)

router = Router(tags=["custom fields"])

KEY_OR_ID = Path(
    ..., max_length=50, pattern=r"^[a-z0-9_]+$", description="The field's key or numeric id."
)


@collection(
    router,
    "get",
    response={200: CustomFieldListOut, **problems(422)},
    summary="List custom fields",
)
def list_custom_fields(request: HttpRequest, include_archived: bool = False) -> dict:
    """The contact fields admins defined, in form order."""
    return {"items": services.list_definitions(include_archived=include_archived)}


@collection(
    router,
    "post",
    response={201: CustomFieldOut, **problems(403, *BODY_PROBLEMS)},
    summary="Define a custom field",
)
def create_custom_field(
    request: HttpRequest, payload: CustomFieldCreateIn, response: HttpResponse
) -> Status:
    """Add a contact field (admins only)."""
    definition = services.create_definition(request.auth, data_of(payload))
    return created(request, response, definition, "custom_field_detail", key_or_id=definition.key)


@router.get(
    "/{key_or_id}",
    response={200: CustomFieldOut, **problems(404, 422)},
    summary="Get a custom field",
    url_name="custom_field_detail",
)
def get_custom_field(request: HttpRequest, key_or_id: str = KEY_OR_ID) -> CustomFieldDefinition:
    """One custom field definition, by key or id."""
    return services.get_definition(key_or_id)


@router.patch(
    "/{key_or_id}",
    response={200: CustomFieldOut, **problems(403, 404, *BODY_PROBLEMS)},
    summary="Change a custom field",
)
def update_custom_field(
    request: HttpRequest, payload: CustomFieldUpdateIn, key_or_id: str = KEY_OR_ID
) -> CustomFieldDefinition:
    """Change a field's label, options, help text, order or whether it is required (admins)."""
    definition = services.get_definition(key_or_id)
    return services.update_definition(request.auth, definition, data_of(payload))


@router.delete(
    "/{key_or_id}",
    response={204: None, **problems(403, 404, 422)},
    summary="Archive a custom field",
)
def archive_custom_field(request: HttpRequest, key_or_id: str = KEY_OR_ID) -> Status:
    """Hide a field from forms and validation; stored values are kept (admins only)."""
    services.archive_definition(request.auth, services.get_definition(key_or_id))
    return Status(204, None)
