"""REST endpoints for companies (accounts) and contacts' ties to other accounts."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Status

from peoplebase.activities.schemas import TimelinePageOut, TimelineParams
from peoplebase.api.common import (
    BODY_PROBLEMS,
    HISTORY_LIMIT,
    HistoryOut,
    RecordId,
    collection,
    created,
    data_of,
    history_body,
    page_body,
    problems,
    timeline_body,
    with_etag,
    write_versioned,
)
from peoplebase.companies import services
from peoplebase.companies.models import Company
from peoplebase.companies.schemas import (
    CompanyCreateIn,
    CompanyListParams,
    CompanyOut,
    CompanyPageOut,
    CompanyUpdateIn,
)

router = Router(tags=["companies"])
account_relations_router = Router(tags=["contacts"])


@collection(
    router,
    "get",
    response={200: CompanyPageOut, **problems(403, 422)},
    summary="List companies",
)
def list_companies(request: HttpRequest, params: Query[CompanyListParams]) -> dict:
    """Companies matching the filters, a page at a time (follow `next_cursor`)."""
    page = services.list_companies(
        request.auth,
        q=params.q,
        lifecycle=params.lifecycle,
        owner=params.owner,
        archived=params.archived,
        sort=params.sort,
        cursor=params.cursor,
        limit=params.limit,
    )
    return page_body(page)


@collection(
    router,
    "post",
    response={201: CompanyOut, **problems(403, *BODY_PROBLEMS)},
    summary="Create a company",
)
def create_company(
    request: HttpRequest, payload: CompanyCreateIn, response: HttpResponse
) -> Status:
    """Create a company; the domain is derived from the website when not given."""
    company = with_etag(response, services.create_company(request.auth, data_of(payload)))
    return created(request, response, company, "company_detail", company_id=company.pk)


@router.get(
    "/{company_id}",
    response={200: CompanyOut, **problems(403, 404, 422)},
    summary="Get a company",
    url_name="company_detail",
)
def get_company(request: HttpRequest, company_id: RecordId, response: HttpResponse) -> Company:
    """One company; the `ETag` header (and `version`) identify this state of it."""
    return with_etag(response, services.get_company(request.auth, company_id))


@router.patch(
    "/{company_id}",
    response={200: CompanyOut, **problems(403, 404, 412, *BODY_PROBLEMS)},
    summary="Change a company",
)
def update_company(
    request: HttpRequest, company_id: RecordId, payload: CompanyUpdateIn, response: HttpResponse
) -> Company:
    """Change the fields you send (null or "" clears one). Accepts `If-Match`."""
    company = services.get_company(request.auth, company_id)
    data = data_of(payload, drop=["version"])
    company = write_versioned(
        request, company, services.update_company, data, body_version=payload.version
    )
    return with_etag(response, company)


@router.delete(
    "/{company_id}",
    response={204: None, **problems(403, 404, 412, 422)},
    summary="Delete a company",
)
def delete_company(request: HttpRequest, company_id: RecordId) -> Status:
    """Delete a company; its contacts stay, without an employer. Accepts `If-Match`."""
    company = services.get_company(request.auth, company_id)
    write_versioned(request, company, services.delete_company)
    return Status(204, None)


def _set_archived(
    request: HttpRequest, company_id: int, response: HttpResponse, archived: bool
) -> Company:
    company = services.get_company(request.auth, company_id)
    company = write_versioned(request, company, services.set_company_archived, archived)
    return with_etag(response, company)


@router.post(
    "/{company_id}/archive",
    response={200: CompanyOut, **problems(403, 404, 412, 422)},
    summary="Archive a company",
)
def archive_company(request: HttpRequest, company_id: RecordId, response: HttpResponse) -> Company:
    """Hide a company from lists; its contacts and history stay. Accepts `If-Match`."""
    return _set_archived(request, company_id, response, True)


@router.post(
    "/{company_id}/restore",
    response={200: CompanyOut, **problems(403, 404, 412, 422)},
    summary="Restore an archived company",
)
def restore_company(request: HttpRequest, company_id: RecordId, response: HttpResponse) -> Company:
    """Bring an archived company back into lists. Accepts `If-Match`."""
    return _set_archived(request, company_id, response, False)


@router.get(
    "/{company_id}/timeline",
    response={200: TimelinePageOut, **problems(403, 404, 422)},
    summary="A company's timeline",
)
def company_timeline(
    request: HttpRequest, company_id: RecordId, params: Query[TimelineParams]
) -> dict:
    """Activities tied to the company, newest first."""
    return timeline_body(request, params, company=services.get_company(request.auth, company_id))


@router.get(
    "/{company_id}/history",
    response={200: HistoryOut, **problems(403, 404, 422)},
    summary="A company's field history",
)
def company_history(request: HttpRequest, company_id: RecordId, limit: HISTORY_LIMIT = 100) -> dict:
    """Who changed which field, from what to what, newest first."""
    return history_body(services.get_company(request.auth, company_id), limit)


@account_relations_router.delete(
    "/{relation_id}",
    response={204: None, **problems(403, 404, 422)},
    summary="Remove a contact's tie to an account",
)
def delete_account_relation(request: HttpRequest, relation_id: RecordId) -> Status:
    """Remove a tie made with `POST /contacts/{id}/account-relations`."""
    relation = services.get_account_relation(request.auth, relation_id)
    services.remove_account_relation(request.auth, relation)
    return Status(204, None)
