"""Template context every page needs: the navigation and the signed-in user's abilities."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from peoplebase.core import permissions

NAVIGATION = (
    ("contacts", "Contacts", "contacts:contact_list"),
    ("companies", "Companies", "companies:company_list"),
    ("leads", "Leads", "leads:lead_list"),
    ("duplicates", "Deduplication", "duplicates:queue"),
    ("exports", "Exports", "exports:export_list"),
    ("merges", "Merges", "merges:merge_list"),
)


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    section = (request.resolver_match.namespace if request.resolver_match else "") or ""
    return {
        "nav_items": NAVIGATION,
        "nav_section": section,
        "user_can_create": permissions.can_create(user),
        "user_is_admin": permissions.can_administer(user),
    }
