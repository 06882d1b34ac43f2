"""Small helpers shared by the HTML views: domain errors to forms and responses."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from peoplebase.core.errors import DomainError, ValidationFailed


def errors_to_form(
    form: forms.Form, error: ValidationFailed, field_map: dict[str, str] | None = None
) -> None:
    """Attach service field errors to the matching form fields (or the form itself)."""
    mapping = field_map or {}
    for name, messages in error.errors.items():
        target = mapping.get(name, name)
        if target not in form.fields:
            head = name.split(".")[0]
            target = mapping.get(head, head)
        for message in messages:
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


def page_params(request: HttpRequest) -> dict[str, Any]:
    return {"cursor": request.GET.get("cursor") or None}
