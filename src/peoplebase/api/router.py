"""The REST API: one NinjaAPI at /api/v1, each domain app contributing a router."""

from __future__ import annotations

from ninja import NinjaAPI

from peoplebase import __version__
from peoplebase.api.auth import API_AUTH
from peoplebase.api.problems import install_error_handlers

api = NinjaAPI(
    title="Peoplebase API",
    version=__version__,
    description=(
        "Contacts, companies, leads, tags, custom fields and notes. Authenticate with a personal "
        "token (`Authorization: Bearer pb_…`, made under Settings › API tokens or with "
        "`peoplebase createuser … --api-token`) or a signed-in browser session. Errors are "
        "`application/problem+json`; stale updates are refused with 412 when `If-Match` "
        "does not match the record's `ETag`."
    ),
    auth=API_AUTH,
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)
install_error_handlers(api)


def _register_routers() -> None:
    from peoplebase.activities.api import router as notes_router
    from peoplebase.companies.api import router as companies_router
    from peoplebase.contacts.api import router as contacts_router
    from peoplebase.contacts.api import tags_router
    from peoplebase.customfields.api import router as custom_fields_router
    from peoplebase.leads.api import router as leads_router
    from peoplebase.users.api import router as users_router

    api.add_router("/contacts", contacts_router)
    api.add_router("/companies", companies_router)
    api.add_router("/leads", leads_router)
    api.add_router("/tags", tags_router)
    api.add_router("/custom-fields", custom_fields_router)
    api.add_router("/notes", notes_router)
    api.add_router("/users", users_router)


_register_routers()
