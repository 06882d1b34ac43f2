"""REST endpoints for contacts (with their notes, timeline, history and relations) and tags."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Status

from peoplebase.activities import services as activities
from peoplebase.activities.schemas import NoteIn, NoteOut, TimelinePageOut, TimelineParams
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
    prebuilt_response,
    problems,
    timeline_body,
    with_etag,
    write_versioned,
)
from peoplebase.api.problems import candidate_summary
from peoplebase.companies import services as companies
from peoplebase.contacts import filtering, services, tags
from peoplebase.contacts.models import Contact
from peoplebase.contacts.schemas import (
    AccountRelationIn,
    AccountRelationListOut,
    AccountRelationOut,
    ArchiveIn,
    ContactCreateIn,
    ContactFieldsIn,
    ContactListParams,
    ContactOut,
    ContactPageOut,
    ContactUpdateIn,
    ContactWriteOut,
    DuplicateCheckOut,
    JobChangeIn,
    TagIn,
    TagListOut,
    TagOut,
    contact_page_rows,
)
from peoplebase.segments import services as segments

router = Router(tags=["contacts"])
tags_router = Router(tags=["tags"])


def _with_children(contacts: list[Contact]) -> list[Contact]:
    """Emails, phones and tags of a page of contacts, in three queries however long the page."""
    services.attach_children(contacts)
    return contacts


def _filters(request: HttpRequest, params: ContactListParams) -> services.ContactFilters:
    spec = filtering.parse_filters(filtering.filter_params(request.GET))
    return services.ContactFilters(q=params.q, spec=spec)


def _filters_and_sort(
    request: HttpRequest, params: ContactListParams
) -> tuple[services.ContactFilters, str]:
    """The list's filters and sort; `?view=<id>` starts from a saved view's (explicit win)."""
    view, query = segments.open_view(request.auth, request.GET)
    if view is None:
        return _filters(request, params), params.sort
    spec = filtering.parse_filters(segments.list_params(query))
    return services.ContactFilters(q=query.get("q", ""), spec=spec), query.get("sort", "")


def _written(response: HttpResponse, result: services.ContactWriteResult) -> Contact:
    """The written contact, ready for ContactWriteOut, with its new ETag set."""
    contact = result.contact
    contact.warnings = result.warnings  # type: ignore[attr-defined]
    return with_etag(response, contact)


@collection(
    router,
    "get",
    response={200: ContactPageOut, **problems(403, 422)},
    summary="List contacts",
    exclude_unset=True,
)
def list_contacts(
    request: HttpRequest, params: Query[ContactListParams], response: HttpResponse
) -> HttpResponse:
    """Contacts matching every filter, a page at a time (follow `next_cursor`).

    Besides the parameters below, custom fields filter as `cf.<key>` by their type: text, URL
    and email `cf.<key>=value` (equal, case ignored) and `cf.<key>__contains=part`; number and
    date `cf.<key>=v`, `cf.<key>__min=v`, `cf.<key>__max=v`; yes/no `cf.<key>=true|false`;
    single select `cf.<key>=A,B` (any of); multi select `cf.<key>__any=A,B` and
    `cf.<key>__all=A,B`; every type `cf.<key>__empty=true|false`. An unknown parameter, custom
    field or operator, or a bad value, is a 422 naming the parameter.

    `view=<id>` applies a saved view's search, filters and sort (see `/saved-views`); the
    parameters you give as well replace the view's. Another user's private view is a 404.
    """
    filters, sort = _filters_and_sort(request, params)
    page = services.list_contacts(
        request.auth, filters, sort=sort, cursor=params.cursor, limit=params.limit
    )
    extra = {}
    if params.include_count:
        count = services.estimate_contacts(request.auth, filters)
        extra = {"count": count.value, "count_is_estimate": not count.exact}
    _with_children(page.items)
    body = page_body(page, **extra)
    body["items"] = contact_page_rows(page.items, request)
    return prebuilt_response(request, body, response)


@collection(
    router,
    "post",
    response={201: ContactWriteOut, **problems(403, 409, *BODY_PROBLEMS)},
    summary="Create a contact",
)
def create_contact(
    request: HttpRequest,
    payload: ContactCreateIn,
    response: HttpResponse,
    allow_duplicate: bool = False,
) -> Status:
    """Create a contact. A likely duplicate is refused with 409 and its `candidates`, unless
    `allow_duplicate=true` (query parameter or body field)."""
    allow = allow_duplicate or payload.allow_duplicate
    result = services.create_contact(
        request.auth, data_of(payload, drop=["allow_duplicate"]), allow_duplicate=allow
    )
    contact = _written(response, result)
    return created(request, response, contact, "contact_detail", contact_id=contact.pk)


@router.post(
    "/duplicates-check",
    response={200: DuplicateCheckOut, **problems(403, *BODY_PROBLEMS)},
    summary="Find contacts that look like the given data",
)
def check_duplicates(request: HttpRequest, payload: ContactFieldsIn) -> dict:
    """The live duplicate warning: existing contacts with the same email or phone, or a similar
    name at the same company. Nothing is saved; invalid bits of input are ignored."""
    candidates = services.check_duplicates(request.auth, data_of(payload))
    return {"candidates": [candidate_summary(c) for c in candidates]}


@router.get(
    "/{contact_id}",
    response={200: ContactOut, 308: None, **problems(403, 404, 422)},
    summary="Get a contact",
    url_name="contact_detail",
)
def get_contact(request: HttpRequest, contact_id: RecordId, response: HttpResponse) -> Contact:
    """One contact; the `ETag` header (and `version`) identify this state of it. A contact
    merged into another answers 308 with `Location` at the surviving contact."""
    from peoplebase.merges.api import moved_response

    moved = moved_response(request, contact_id)
    if moved is not None:
        return moved  # type: ignore[return-value]
    return with_etag(response, services.get_contact(request.auth, contact_id))


@router.patch(
    "/{contact_id}",
    response={200: ContactWriteOut, **problems(403, 404, 412, *BODY_PROBLEMS)},
    summary="Change a contact",
)
def update_contact(
    request: HttpRequest, contact_id: RecordId, payload: ContactUpdateIn, response: HttpResponse
) -> Contact:
    """Change the fields you send (null or "" clears one); `emails`, `phones` and `tags`
    replace the whole list. Send `If-Match` with the ETag you read to refuse stale writes."""
    contact = services.get_contact(request.auth, contact_id)
    data = data_of(payload, drop=["version"])
    result = write_versioned(
        request, contact, services.update_contact, data, body_version=payload.version
    )
    return _written(response, result)


@router.delete(
    "/{contact_id}",
    response={204: None, **problems(403, 404, 412, 422)},
    summary="Delete a contact",
)
def delete_contact(request: HttpRequest, contact_id: RecordId) -> Status:
    """Delete a contact and its timeline for good (archive it to keep it). Accepts `If-Match`."""
    contact = services.get_contact(request.auth, contact_id)
    write_versioned(request, contact, services.delete_contact)
    return Status(204, None)


def _set_archived(
    request: HttpRequest,
    contact_id: int,
    payload: ArchiveIn | None,
    response: HttpResponse,
    archived: bool,
) -> Contact:
    contact = services.get_contact(request.auth, contact_id)
    body_version = payload.version if payload else None
    contact = write_versioned(
        request, contact, services.set_archived, archived, body_version=body_version
    )
    return with_etag(response, contact)


@router.post(
    "/{contact_id}/archive",
    response={200: ContactOut, **problems(403, 404, 412, *BODY_PROBLEMS)},
    summary="Archive a contact",
)
def archive_contact(
    request: HttpRequest,
    contact_id: RecordId,
    response: HttpResponse,
    payload: ArchiveIn | None = None,
) -> Contact:
    """Hide a contact from lists and duplicate checks; it keeps its history. Accepts `If-Match`."""
    return _with_children([_set_archived(request, contact_id, payload, response, True)])[0]


@router.post(
    "/{contact_id}/restore",
    response={200: ContactOut, **problems(403, 404, 412, *BODY_PROBLEMS)},
    summary="Restore an archived contact",
)
def restore_contact(
    request: HttpRequest,
    contact_id: RecordId,
    response: HttpResponse,
    payload: ArchiveIn | None = None,
) -> Contact:
    """Bring an archived contact back into lists. Accepts `If-Match`."""
    return _with_children([_set_archived(request, contact_id, payload, response, False)])[0]


@router.post(
    "/{contact_id}/job-change",
    response={201: ContactWriteOut, **problems(403, 404, *BODY_PROBLEMS)},
    summary="Record a job change",
)
def change_job(
    request: HttpRequest, contact_id: RecordId, payload: JobChangeIn, response: HttpResponse
) -> Status:
    """Start a new contact at the new company, linked to this one (`previous_contact_id`).
    Personal emails and mobile/home numbers come along; this record keeps its history."""
    contact = services.get_contact(request.auth, contact_id)
    result = services.change_job(request.auth, contact, data_of(payload))
    new_contact = _written(response, result)
    return created(request, response, new_contact, "contact_detail", contact_id=new_contact.pk)


@router.get(
    "/{contact_id}/timeline",
    response={200: TimelinePageOut, **problems(403, 404, 422)},
    summary="A contact's timeline",
)
def contact_timeline(
    request: HttpRequest, contact_id: RecordId, params: Query[TimelineParams]
) -> dict:
    """Notes, emails, calls, meetings and system events, newest first."""
    return timeline_body(request, params, contact=services.get_contact(request.auth, contact_id))


@router.get(
    "/{contact_id}/history",
    response={200: HistoryOut, **problems(403, 404, 422)},
    summary="A contact's field history",
)
def contact_history(request: HttpRequest, contact_id: RecordId, limit: HISTORY_LIMIT = 100) -> dict:
    """Who changed which field, from what to what, newest first."""
    return history_body(services.get_contact(request.auth, contact_id), limit)


@router.post(
    "/{contact_id}/notes",
    response={201: NoteOut, **problems(403, 404, *BODY_PROBLEMS)},
    summary="Add a note to a contact",
)
def add_note(
    request: HttpRequest, contact_id: RecordId, payload: NoteIn, response: HttpResponse
) -> Status:
    """A note on the contact's timeline; change or delete it under `/notes/{id}`."""
    contact = services.get_contact(request.auth, contact_id)
    note = activities.add_note(request.auth, contact, payload.body, payload.occurred_at)
    return created(request, response, note, "note_detail", note_id=note.pk)


@router.get(
    "/{contact_id}/account-relations",
    response={200: AccountRelationListOut, **problems(403, 404, 422)},
    summary="A contact's other accounts",
)
def list_account_relations(request: HttpRequest, contact_id: RecordId) -> dict:
    """Accounts the contact is tied to besides the employer (advisor, board member…)."""
    contact = services.get_contact(request.auth, contact_id)
    return {"items": companies.account_relations_for(request.auth, contact)}


@router.post(
    "/{contact_id}/account-relations",
    response={201: AccountRelationOut, **problems(403, 404, *BODY_PROBLEMS)},
    summary="Tie a contact to another account",
)
def add_account_relation(
    request: HttpRequest, contact_id: RecordId, payload: AccountRelationIn
) -> Status:
    """Add a labelled tie; remove it with `DELETE /account-relations/{id}`."""
    contact = services.get_contact(request.auth, contact_id)
    company = companies.get_company(request.auth, payload.company_id)
    relation = companies.add_account_relation(request.auth, contact, company, payload.role)
    return Status(201, relation)


# --- tags ---------------------------------------------------------------------------------------


@collection(tags_router, "get", response={200: TagListOut, **problems(403)}, summary="List tags")
def list_tags(request: HttpRequest) -> dict:
    """Every tag, with how many contacts carry it."""
    return {"items": tags.list_tags(request.auth)}


@collection(
    tags_router,
    "post",
    response={201: TagOut, **problems(403, *BODY_PROBLEMS)},
    summary="Create a tag",
)
def create_tag(request: HttpRequest, payload: TagIn, response: HttpResponse) -> Status:
    """A new, unused tag (tags also appear when a contact is given a new name)."""
    tag = tags.create_tag(request.auth, payload.name)
    return created(request, response, tag, "tag_detail", tag_id=tag.pk)


@tags_router.get(
    "/{tag_id}",
    response={200: TagOut, **problems(403, 404, 422)},
    summary="Get a tag",
    url_name="tag_detail",
)
def get_tag(request: HttpRequest, tag_id: RecordId) -> object:
    """One tag and how many contacts carry it."""
    return tags.get_tag(request.auth, tag_id)


@tags_router.patch(
    "/{tag_id}",
    response={200: TagOut, **problems(403, 404, *BODY_PROBLEMS)},
    summary="Rename a tag",
)
def rename_tag(request: HttpRequest, tag_id: RecordId, payload: TagIn) -> object:
    """Rename a tag on every contact (managers and admins)."""
    tag = tags.get_tag(request.auth, tag_id)
    return tags.rename_tag(request.auth, tag, payload.name)


@tags_router.delete(
    "/{tag_id}",
    response={204: None, **problems(403, 404, 422)},
    summary="Delete a tag",
)
def delete_tag(request: HttpRequest, tag_id: RecordId) -> Status:
    """Remove a tag from every contact (managers and admins)."""
    tags.delete_tag(request.auth, tags.get_tag(request.auth, tag_id))
    return Status(204, None)
