"""Helpers shared by the contact views: domain errors to pages, safe redirects back."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme

from peoplebase.core.errors import Forbidden, NotFound
from peoplebase.web.views_helpers import error_page

View = Callable[..., HttpResponse]


def domain_errors(view: View) -> View:
    """Render NotFound and Forbidden from a service as the 404 and 403 pages."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except (NotFound, Forbidden) as exc:
            return error_page(request, exc)

    return wrapper


def safe_next(request: HttpRequest, default: str) -> str:
    """The `next` URL from the form or query when it points at this site, else `default`."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return candidate if candidate and allowed else default


def redirect_back(request: HttpRequest, default: str) -> HttpResponse:
    return redirect(safe_next(request, default))


def is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))
