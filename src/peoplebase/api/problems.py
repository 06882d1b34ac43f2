"""Errors as RFC 9457 `application/problem+json`, with field-level messages under `errors`."""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from peoplebase.core.errors import DomainError, DuplicateSuspected, ValidationFailed

PROBLEM_TYPE = "application/problem+json"
logger = logging.getLogger("peoplebase.api")


def problem(
    api: NinjaAPI,
    request: HttpRequest,
    status: int,
    title: str,
    detail: str = "",
    **extra: Any,
) -> HttpResponse:
    body: dict[str, Any] = {"type": "about:blank", "title": title, "status": status}
    if detail:
        body["detail"] = detail
    body.update(extra)
    response = api.create_response(request, body, status=status)
    response["Content-Type"] = PROBLEM_TYPE
    return response


BODY_PARAM_NAMES = {"payload", "data", "filters", "params"}


def _location(loc: list[Any] | tuple[Any, ...]) -> str:
    # ninja prefixes locations with "body"/"query"/"path" and the parameter name; drop those.
    parts = [str(p) for p in loc]
    if parts and parts[0] in {"body", "query", "path", "header", "cookie", "form"}:
        parts = parts[1:]
    if parts and parts[0] in BODY_PARAM_NAMES:
        parts = parts[1:]
    return ".".join(parts) or "__all__"


def _message(error: dict[str, Any], location: str) -> str:
    kind = error.get("type")
    if kind == "extra_forbidden":
        return "Unknown field."
    if location == "__all__" and kind in {"missing", "model_type", "model_attributes_type"}:
        return "Send a JSON object as the request body."
    if kind == "missing":
        return "This field is required."
    return str(error.get("msg", "Invalid value.")).removeprefix("Value error, ")


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def candidate_summary(candidate: Any) -> dict[str, Any]:
    contact = candidate.contact
    return {
        "id": contact.pk,
        "full_name": contact.full_name,
        "email": contact.email,
        "phone": contact.phone,
        "company": str(contact.company) if contact.company_id else None,
        "reasons": candidate.reasons,
    }


def install_error_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(NinjaValidationError)
    def on_schema_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        errors: dict[str, list[str]] = {}
        for error in exc.errors:
            location = _location(error.get("loc", ()))
            errors.setdefault(location, []).append(_message(error, location))
        return problem(
            api, request, 422, "Validation failed", "Some fields are not valid.", errors=errors
        )

    @api.exception_handler(ValidationFailed)
    def on_validation(request: HttpRequest, exc: ValidationFailed) -> HttpResponse:
        return problem(api, request, 422, exc.title, exc.message, errors=exc.errors)

    @api.exception_handler(DuplicateSuspected)
    def on_duplicate(request: HttpRequest, exc: DuplicateSuspected) -> HttpResponse:
        return problem(
            api,
            request,
            409,
            exc.title,
            exc.message + " Send allow_duplicate=true to create it anyway.",
            candidates=[candidate_summary(c) for c in exc.candidates],
        )

    @api.exception_handler(DomainError)
    def on_domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
        return problem(api, request, exc.status, exc.title, exc.message, **exc.extra)

    @api.exception_handler(AuthenticationError)
    def on_auth(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        response = problem(
            api,
            request,
            401,
            "Unauthorized",
            "Send a personal API token: Authorization: Bearer <token>.",
        )
        response["WWW-Authenticate"] = 'Bearer realm="peoplebase"'
        return response

    @api.exception_handler(HttpError)
    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return problem(api, request, exc.status_code, _phrase(exc.status_code), str(exc.message))

    @api.exception_handler(Http404)
    def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return problem(api, request, 404, "Not found", "No such resource.")

    @api.exception_handler(RequestDataTooBig)
    def on_too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        return problem(api, request, 413, "Content too large", "The request body is too large.")

    @api.exception_handler(SuspiciousOperation)
    def on_suspicious(request: HttpRequest, exc: SuspiciousOperation) -> HttpResponse:
        return problem(api, request, 400, "Bad request", "The request could not be read.")

    @api.exception_handler(Exception)
    def on_unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
        logger.exception("Unhandled API error")
        return problem(api, request, 500, "Internal error", "Something went wrong on our side.")
