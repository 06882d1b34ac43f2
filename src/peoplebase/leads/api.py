"""REST endpoints for leads, including conversion into an account and a contact."""

from __future__ import annotations

from django.db.models import prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Status

from peoplebase.api.common import (
    BODY_PROBLEMS,
    HISTORY_LIMIT,
    HistoryOut,
    RecordId,
    collection,
    created,
    data_of,
    expected_version,
    history_body,
    page_body,
    problems,
    set_etag,
    with_etag,
    write_versioned,
)
from peoplebase.leads import services
from peoplebase.leads.models import Lead
from peoplebase.leads.schemas import (
    ConversionOut,
    ConversionSuggestionsOut,
    LeadConvertIn,
    LeadCreateIn,
    LeadListParams,
    LeadOut,
    LeadPageOut,
    LeadUpdateIn,
)

router = Router(tags=["leads"])


@collection(router, "get", response={200: LeadPageOut, **problems(403, 422)}, summary="List leads")
def list_leads(request: HttpRequest, params: Query[LeadListParams]) -> dict:
    """Leads matching the filters, newest first by default (follow `next_cursor`)."""
    page = services.list_leads(
        request.auth,
        q=params.q,
        status=params.status,
        owner=params.owner,
        sort=params.sort,
        cursor=params.cursor,
        limit=params.limit,
    )
    prefetch_related_objects(page.items, "converted_company", "converted_contact")
    return page_body(page)


@collection(
    router,
    "post",
    response={201: LeadOut, **problems(403, *BODY_PROBLEMS)},
    summary="Create a lead",
)
def create_lead(request: HttpRequest, payload: LeadCreateIn, response: HttpResponse) -> Status:
    """Create a lead; email and phone are normalised, the person's name split."""
    lead = with_etag(response, services.create_lead(request.auth, data_of(payload)))
    return created(request, response, lead, "lead_detail", lead_id=lead.pk)


@router.get(
    "/{lead_id}",
    response={200: LeadOut, **problems(403, 404, 422)},
    summary="Get a lead",
    url_name="lead_detail",
)
def get_lead(request: HttpRequest, lead_id: RecordId, response: HttpResponse) -> Lead:
    """One lead; the `ETag` header (and `version`) identify this state of it."""
    return with_etag(response, services.get_lead(request.auth, lead_id))


@router.patch(
    "/{lead_id}",
    response={200: LeadOut, **problems(403, 404, 409, 412, *BODY_PROBLEMS)},
    summary="Change a lead",
)
def update_lead(
    request: HttpRequest, lead_id: RecordId, payload: LeadUpdateIn, response: HttpResponse
) -> Lead:
    """Change the fields you send (null or "" clears one). Converted leads cannot change (409).
    Accepts `If-Match`."""
    lead = services.get_lead(request.auth, lead_id)
    data = data_of(payload, drop=["version"])
    lead = write_versioned(request, lead, services.update_lead, data, body_version=payload.version)
    return with_etag(response, lead)


@router.delete(
    "/{lead_id}",
    response={204: None, **problems(403, 404, 412, 422)},
    summary="Delete a lead",
)
def delete_lead(request: HttpRequest, lead_id: RecordId) -> Status:
    """Delete a lead for good. Accepts `If-Match`."""
    lead = services.get_lead(request.auth, lead_id)
    write_versioned(request, lead, services.delete_lead)
    return Status(204, None)


@router.get(
    "/{lead_id}/conversion-suggestions",
    response={200: ConversionSuggestionsOut, **problems(403, 404, 422)},
    summary="Records a lead probably is",
)
def conversion_suggestions(request: HttpRequest, lead_id: RecordId) -> dict:
    """An existing account (same name or email domain) and contact (same email) to link when
    converting, so nothing is created twice."""
    return services.conversion_suggestions(services.get_lead(request.auth, lead_id))


@router.post(
    "/{lead_id}/convert",
    response={200: ConversionOut, **problems(403, 404, 409, 412, *BODY_PROBLEMS)},
    summary="Convert a qualified lead",
)
def convert_lead(
    request: HttpRequest,
    lead_id: RecordId,
    response: HttpResponse,
    payload: LeadConvertIn | None = None,
) -> dict:
    """Turn a qualified lead into a customer account and a contact (keeping its email and
    phone), or link existing ones. Other statuses get 409. Accepts `If-Match`."""
    options = payload or LeadConvertIn()
    lead = services.get_lead(request.auth, lead_id)
    result = services.convert_lead(
        request.auth,
        lead,
        company_id=options.company_id,
        contact_id=options.contact_id,
        create_contact_record=options.create_contact,
        expected_version=expected_version(request, lead.version, options.version),
    )
    if result.contact is not None:
        prefetch_related_objects([result.contact], "emails", "phones", "tag_links__tag")
    set_etag(response, result.lead.version)
    return {
        "lead": result.lead,
        "company": result.company,
        "contact": result.contact,
        "company_created": result.company_created,
        "contact_created": result.contact_created,
    }


@router.get(
    "/{lead_id}/history",
    response={200: HistoryOut, **problems(403, 404, 422)},
    summary="A lead's field history",
)
def lead_history(request: HttpRequest, lead_id: RecordId, limit: HISTORY_LIMIT = 100) -> dict:
    """Who changed which field, from what to what, newest first."""
    return history_body(services.get_lead(request.auth, lead_id), limit)
