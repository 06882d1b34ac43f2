"""Shared pieces of the REST API: base schemas, problems, paging, versions, links, record steps."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Annotated, Any, Protocol, TypeVar

from django.http import HttpRequest, HttpResponse
from django.urls import NoReverseMatch, reverse
from ninja import Field, Router, Schema, Status
from ninja.schema import DjangoGetter
from pydantic import ConfigDict, model_validator

from peoplebase.activities.services import timeline
from peoplebase.audit.services import history_for
from peoplebase.core.errors import PreconditionFailed, ValidationFailed
from peoplebase.core.pagination import MAX_LIMIT, Page

if TYPE_CHECKING:
    from peoplebase.activities.schemas import TimelineParams

# Ids beyond a signed 64-bit integer cannot exist; refusing them early keeps databases happy.
MAX_ID = 2**63 - 1
RecordId = Annotated[int, Field(ge=1, le=MAX_ID)]
# Text query parameters are bounded so a giant URL cannot become a giant query.
ShortText = Annotated[str, Field(max_length=200)]

TCallable = TypeVar("TCallable", bound=Callable[..., Any])
TResult = TypeVar("TResult")


class Versioned(Protocol):
    """A record whose `version` rises on every change (contacts, companies, leads)."""

    version: int


TVersioned = TypeVar("TVersioned", bound=Versioned)


# A user id, "me" or "none"; ASCII digits only, since str.isdigit() also accepts "²".
OwnerFilter = Annotated[str, Field(pattern=r"^(|me|none|[0-9]{1,18})$")]
# The owner a write assigns; the rule is the service's, the description is for the docs.
OwnerId = Annotated[
    RecordId | None, Field(description="Reps may only assign themselves or nobody.")
]
# A write body's `version`: the optimistic-locking alternative to an If-Match header.
BodyVersion = Annotated[
    int | None, Field(description="The version you read; same meaning as an `If-Match` header.")
]


def _nul_location(value: Any) -> str | None:
    """The dotted path of the first string (or key) holding a NUL character, if any."""
    # Iterative, so deeply nested JSON cannot exhaust the recursion limit here.
    pending: list[tuple[str, Any]] = [("", value)]
    while pending:
        path, item = pending.pop()
        if isinstance(item, str):
            if "\x00" in item:
                return path or "__all__"
        elif isinstance(item, dict):
            for key, inner in item.items():
                inner_path = f"{path}.{key}" if path else str(key)
                if "\x00" in str(key):
                    return inner_path
                pending.append((inner_path, inner))
        elif isinstance(item, list | tuple):
            for index, inner in enumerate(item):
                pending.append((f"{path}.{index}" if path else str(index), inner))
    return None


class NoNulText(Schema):
    """Refuses NUL characters anywhere in the input: PostgreSQL cannot store them."""

    @model_validator(mode="before")
    @classmethod
    def _refuse_nul(cls, data: Any) -> Any:
        # ninja hands query schemas their values wrapped in a DjangoGetter.
        raw = data._obj if isinstance(data, DjangoGetter) else data
        where = _nul_location(raw) if isinstance(raw, dict) else None
        if where:
            # Not a ValueError, so pydantic lets it through and the field name stays exact.
            raise ValidationFailed.single(where, "Text may not contain NUL (\\u0000) characters.")
        return data


class InputSchema(NoNulText):
    """Base of every request body: unknown keys are refused (422 naming the key)."""

    model_config = ConfigDict(extra="forbid")


class DuplicateCandidateOut(Schema):
    """An existing contact that looks like the one being created, and why."""

    id: int
    full_name: str
    email: str
    phone: str
    company: str | None
    reasons: list[str]


class ProblemOut(Schema):
    """RFC 9457 problem details; `errors` maps dotted field names to messages."""

    type: str = Field("about:blank", examples=["about:blank"])
    title: str = Field(..., examples=["Validation failed"])
    status: int = Field(..., examples=[422])
    detail: str | None = Field(None, examples=["Some fields are not valid."])
    errors: dict[str, list[str]] | None = Field(
        None, examples=[{"emails.0.email": ["“bob@” is not a valid email address."]}]
    )
    current_version: int | None = Field(
        None, description="On 412: the record's version now; fetch it again and retry."
    )
    candidates: list[DuplicateCandidateOut] | None = Field(
        None, description="On 409 for a new contact: the existing contacts it looks like."
    )


PROBLEM_DESCRIPTIONS = {
    400: "The request body is not valid JSON.",
    401: "No valid token or session.",
    403: "Your role may not do this (or the CSRF check failed).",
    404: "No such record.",
    409: "The action clashes with the record's state (or a likely duplicate).",
    412: "`If-Match` (or `version`) is stale: the record changed since you read it.",
    422: "Some input is not valid; see `errors`.",
}


def problems(*codes: int) -> dict[int, type[ProblemOut]]:
    """Response declarations for the problems an endpoint may return (401 always)."""
    return {code: ProblemOut for code in sorted({401, *codes})}


# What any endpoint taking a JSON body may answer besides its own problems.
BODY_PROBLEMS = (400, 422)


def collection(router: Router, method: str, **options: Any) -> Callable[[TCallable], TCallable]:
    """Route a collection endpoint at `` and, hidden from the docs, at `/` as well."""

    def register(view: TCallable) -> TCallable:
        add = getattr(router, method)
        add("", **options)(view)
        alias = {k: v for k, v in options.items() if k not in {"url_name", "operation_id"}}
        add("/", include_in_schema=False, **alias)(view)
        return view

    return register


class UserRef(Schema):
    """A user as other records mention them."""

    id: int
    email: str
    name: str

    @staticmethod
    def resolve_name(obj: Any) -> str:
        return obj.display_name


class CompanyRef(Schema):
    """A company as other records mention it."""

    id: int
    name: str


class ContactRef(Schema):
    """A contact as other records mention it."""

    id: int
    full_name: str
    email: str


class PageParams(NoNulText):
    """Cursor paging: pass a page's `next_cursor` (or `prev_cursor`) back as `cursor`."""

    cursor: str | None = Field(
        None, max_length=1000, description="A `next_cursor` or `prev_cursor` from a page."
    )
    limit: int = Field(50, ge=1, le=MAX_LIMIT, description=f"Items per page (1–{MAX_LIMIT}).")


class HistoryEntryOut(Schema):
    """One write to a record: who did it, when, and which fields changed (field → [old, new])."""

    id: int
    action: str
    actor: UserRef | None
    actor_label: str
    at: dt.datetime
    changes: dict[str, Any]


class HistoryOut(Schema):
    """A record's field history, newest first."""

    items: list[HistoryEntryOut]


HISTORY_LIMIT = Annotated[int, Field(ge=1, le=500, description="How many entries (1–500).")]


def page_body(page: Page[Any], **extra: Any) -> dict[str, Any]:
    return {
        "items": page.items,
        "next_cursor": page.next_cursor,
        "prev_cursor": page.prev_cursor,
        **extra,
    }


def prebuilt_response(request: HttpRequest, body: Any, response: HttpResponse) -> HttpResponse:
    """`body`, already shaped as the operation's response schema, rendered as ninja would.

    For hot lists only: skips validating the body against the schema (the OpenAPI document
    still comes from the declared schema, and tests compare both outputs).
    """
    from peoplebase.api.router import api

    return api.create_response(request, body, temporal_response=response)


def web_url(obj: Any, context: dict[str, Any] | None) -> str | None:
    """The record's page in the web UI, absolute when the request is known."""
    try:
        path = obj.get_absolute_url()
    except NoReverseMatch:
        return None
    request = (context or {}).get("request")
    return request.build_absolute_uri(path) if request is not None else path


def api_url(request: HttpRequest, url_name: str, **kwargs: Any) -> str:
    return request.build_absolute_uri(reverse(f"api:{url_name}", kwargs=kwargs))


def set_etag(response: HttpResponse, version: int) -> None:
    response["ETag"] = f'"{version}"'


def with_etag(response: HttpResponse, record: TVersioned) -> TVersioned:
    """The record, after naming its version in the response's `ETag` header."""
    set_etag(response, record.version)
    return record


def created(
    request: HttpRequest, response: HttpResponse, record: Any, url_name: str, **kwargs: Any
) -> Status:
    """A 201 answer with the new record, its API address in `Location`."""
    response["Location"] = api_url(request, url_name, **kwargs)
    return Status(201, record)


def _parse_if_match(header: str) -> set[int] | None:
    """Versions named by an If-Match header; None means "*" (any version)."""
    versions: set[int] = set()
    for raw in header.split(","):
        tag = raw.strip().removeprefix("W/").strip('"').strip()
        if tag == "*":
            return None
        if tag.isdigit() and len(tag) < 19:
            versions.add(int(tag))
    return versions


def expected_version(
    request: HttpRequest, current: int, body_version: int | None = None
) -> int | None:
    """The version the client last saw, from `If-Match` or a `version` body field, or None.

    The service compares it with the row it locks, so a change in between still gives 412.
    """
    header = request.headers.get("If-Match")
    from_header: int | None = None
    if header is not None:
        versions = _parse_if_match(header)
        if versions is not None:
            # An unreadable or non-matching tag must still fail, so fall back to an impossible one.
            from_header = current if current in versions else min(versions, default=0)
    if from_header is not None and body_version is not None and from_header != body_version:
        raise PreconditionFailed(
            "If-Match and the body's version disagree; send one of them.",
            current_version=current,
        )
    return from_header if from_header is not None else body_version


def data_of(payload: Schema, *, drop: Iterable[str] = ()) -> dict[str, Any]:
    """The fields the client actually sent, minus protocol-only ones (version, flags)."""
    data = payload.model_dump(exclude_unset=True)
    for name in drop:
        data.pop(name, None)
    return data


def write_versioned(
    request: HttpRequest,
    record: Versioned,
    write: Callable[..., TResult],
    *args: Any,
    body_version: int | None = None,
) -> TResult:
    """Call a service write on `record` as the client, with the version it last saw.

    `write(actor, record, *args, expected_version=…)` is an update, archive or delete service.
    """
    expected = expected_version(request, record.version, body_version)
    return write(request.auth, record, *args, expected_version=expected)


def timeline_body(request: HttpRequest, params: TimelineParams, **record: Any) -> dict[str, Any]:
    """A page of one record's timeline (`contact=`, `company=` or `lead=`), as TimelinePageOut."""
    page = timeline(
        request.auth, kind=params.kind, cursor=params.cursor, limit=params.limit, **record
    )
    return page_body(page)


def history_body(record: Any, limit: int) -> dict[str, Any]:
    """A record's newest field history entries, as HistoryOut."""
    return {"items": history_for(record, limit=limit)}
