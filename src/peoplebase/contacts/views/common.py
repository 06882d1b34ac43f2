"""Helpers shared by the contact views: safe redirects back and htmx detection."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme


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
