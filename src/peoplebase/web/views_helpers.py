"""Small helpers shared by the HTML views: domain errors to forms, pages and messages."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render

from peoplebase.activities.services import timeline
from peoplebase.core.errors import (
    Conflict,
    DomainError,
    Forbidden,
    NotFound,
    PreconditionFailed,
    ValidationFailed,
)
from peoplebase.core.pagination import Page

TIMELINE_LIMIT = 25

View = Callable[..., HttpResponse]
TRecord = TypeVar("TRecord")


def errors_to_form(
    form: forms.Form, error: ValidationFailed, field_map: dict[str, str] | None = None
) -> None:
    """Attach service field errors to the matching form fields (or the form itself)."""
    mapping = field_map or {}
    for name, texts in error.errors.items():
        target = mapping.get(name, name)
        if target not in form.fields:
            head = name.split(".")[0]
            target = mapping.get(head, head)
        for message in texts:
            form.add_error(
                target if target in form.fields else None,
                message if target in form.fields else f"{name}: {message}",
            )


def error_page(request: HttpRequest, error: DomainError) -> HttpResponse:
    return render(
        request,
        "web/error.html",
        {"title": error.title, "message": error.message},
        status=error.status,
    )


def domain_errors(view: View) -> View:
    """Render NotFound and Forbidden from a service as the 404 and 403 pages."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except (NotFound, Forbidden) as error:
            return error_page(request, error)

    return wrapper


def job_page(
    request: HttpRequest, page: str, progress: str, context: dict[str, Any]
) -> HttpResponse:
    """A background job's page, or only its progress card when htmx polls for it."""
    polled = bool(getattr(request, "htmx", False))
    return render(request, progress if polled else page, context)


def posted_data(request: HttpRequest) -> QueryDict | None:
    """The POST data to bind a form to, or None on GET (an unbound form)."""
    return request.POST if request.method == "POST" else None


def posted_version(request: HttpRequest) -> int | None:
    """The record version a form posted back, or None when it is missing or not a number."""
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return None


def stale_message(error: PreconditionFailed) -> str:
    return (
        f"{error.message} Your changes were not saved: open the record again in a new tab "
        "to see what changed, then re-apply them here."
    )


def list_with_fallback(
    request: HttpRequest, fetch: Callable[..., Page[Any]], params: dict[str, Any], defaults: dict
) -> Page[Any]:
    """Fetch a list page; a bad parameter is reported once and replaced by its default."""
    for _ in range(len(params) + 1):
        try:
            return fetch(**params)
        except ValidationFailed as error:
            for name, problems in error.errors.items():
                messages.warning(request, problems[0])
                params[name] = defaults.get(name, "")
            if not set(error.errors) & set(params):
                break
    return fetch(**defaults)


def timeline_page(request: HttpRequest, **record: Any) -> Page[Any]:
    """The record's newest timeline entries, from `tl_cursor` when one is given."""
    params = {"cursor": request.GET.get("tl_cursor") or None}
    return list_with_fallback(
        request,
        lambda **p: timeline(request.user, limit=TIMELINE_LIMIT, **record, **p),
        params,
        {"cursor": None},
    )


def save_new(request: HttpRequest, form: Any, create: Callable[..., TRecord]) -> TRecord | None:
    """Create a record from a valid form; None when the service refused the input (see form)."""
    try:
        return create(request.user, form.service_data())
    except ValidationFailed as error:
        errors_to_form(form, error)
    return None


def save_edit(
    request: HttpRequest, form: Any, record: TRecord, update: Callable[..., TRecord]
) -> TRecord | None:
    """Save a valid edit form with the version it was opened at; None (see form) when refused."""
    try:
        return update(
            request.user,
            record,
            form.service_data(),
            expected_version=form.cleaned_data["version"],
        )
    except ValidationFailed as error:
        errors_to_form(form, error)
    except PreconditionFailed as error:
        form.add_error(None, stale_message(error))
    except Conflict as error:
        form.add_error(None, error.message)
    return None


def delete_confirmed(
    request: HttpRequest,
    record: Any,
    delete: Callable[..., None],
    *,
    done: str,
    list_url: str,
    stale: str = "",
) -> HttpResponse:
    """Delete `record` as of the version its confirmation page showed, then go to the list.

    When the record changed meanwhile, go back to it with `stale` (or the service's message).
    """
    try:
        delete(request.user, record, expected_version=posted_version(request))
    except PreconditionFailed as error:
        messages.error(request, stale or error.message)
        return redirect(record)
    messages.success(request, done)
    return redirect(list_url)
