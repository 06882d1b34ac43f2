"""The REST API: one NinjaAPI at /api/v1, each domain app contributing a router."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import NinjaAPI, Router, Swagger

from peoplebase import __version__
from peoplebase.api.auth import API_AUTH
from peoplebase.api.common import PROBLEM_DESCRIPTIONS
from peoplebase.api.problems import PROBLEM_TYPE, install_error_handlers
from peoplebase.core.errors import NotFound


class PeoplebaseAPI(NinjaAPI):
    """NinjaAPI whose OpenAPI document types error bodies as `application/problem+json`."""

    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(*args, **kwargs)
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                responses = operation.get("responses", {})
                _mark_problem_responses(responses)
                _document_versions(operation, responses)
        return schema


def _mark_problem_responses(responses: dict[Any, Any]) -> None:
    for code, response in responses.items():
        if int(code) < 400:
            continue
        response["description"] = PROBLEM_DESCRIPTIONS.get(int(code), response["description"])
        content = response.get("content", {})
        if "application/json" in content:
            content[PROBLEM_TYPE] = content.pop("application/json")


IF_MATCH_PARAMETER = {
    "in": "header",
    "name": "If-Match",
    "required": False,
    "description": 'The `ETag` you read (e.g. `"3"`); a stale one is refused with 412.',
    "schema": {"type": "string"},
}
ETAG_HEADER = {
    "description": 'The record\'s version as an entity tag, e.g. `"3"`.',
    "schema": {"type": "string"},
}
VERSIONED_SCHEMAS = ("ContactOut", "ContactWriteOut", "CompanyOut", "LeadOut", "ConversionOut")


def _document_versions(operation: dict[str, Any], responses: dict[Any, Any]) -> None:
    """Name the If-Match request header and the ETag response header where they apply."""
    if "412" in responses or 412 in responses:
        operation.setdefault("parameters", []).append(IF_MATCH_PARAMETER)
    for code in ("200", "201", 200, 201):
        ref = (
            responses.get(code, {})
            .get("content", {})
            .get("application/json", {})
            .get("schema", {})
            .get("$ref", "")
        )
        if ref.rsplit("/", 1)[-1] in VERSIONED_SCHEMAS:
            responses[code].setdefault("headers", {})["ETag"] = ETAG_HEADER


api = PeoplebaseAPI(
    title="Peoplebase API",
    version=__version__,
    description=(
        "Contacts, companies, leads, tags, custom fields and notes. Authenticate with a personal "
        "token (`Authorization: Bearer pb_…`, made under Settings › API tokens, with "
        "`POST /api/v1/users/me/tokens` or `peoplebase createuser … --api-token`) or a signed-in "
        "browser session (send `X-CSRFToken` on writes). Errors are `application/problem+json` "
        "with field messages under `errors`; stale updates are refused with 412 when `If-Match` "
        "does not match the record's `ETag`. Lists are cursor-paged: follow `next_cursor`."
    ),
    auth=API_AUTH,
    urls_namespace="api",
    docs=Swagger(settings={"validatorUrl": None, "persistAuthorization": False}),
    docs_url="/docs",
    openapi_url="/openapi.json",
)
install_error_handlers(api)

fallback_router = Router()


@fallback_router.api_operation(
    ["GET", "POST", "PUT", "PATCH", "DELETE"],
    "/{path:unknown}",
    auth=None,
    include_in_schema=False,
)
def unknown_endpoint(request: HttpRequest, unknown: str) -> None:
    raise NotFound(f"No API endpoint at /api/v1/{unknown}; see /api/v1/docs.")


def _register_routers() -> None:
    from peoplebase.activities.api import router as notes_router
    from peoplebase.bulk.api import contacts_bulk_router, jobs_router
    from peoplebase.companies.api import account_relations_router
    from peoplebase.companies.api import router as companies_router
    from peoplebase.compliance.api import router as gdpr_router
    from peoplebase.contacts.api import router as contacts_router
    from peoplebase.contacts.api import tags_router
    from peoplebase.customfields.api import router as custom_fields_router
    from peoplebase.duplicates.api import router as duplicates_router
    from peoplebase.exports.api import router as exports_router
    from peoplebase.imports.api import mappings_router as import_mappings_router
    from peoplebase.imports.api import router as imports_router
    from peoplebase.leads.api import router as leads_router
    from peoplebase.merges.api import contact_merge_router
    from peoplebase.merges.api import router as merges_router
    from peoplebase.segments.api import router as saved_views_router
    from peoplebase.users.api import router as users_router

    api.add_router("/contacts/bulk", contacts_bulk_router)
    api.add_router("/bulk-jobs", jobs_router)
    api.add_router("/contacts/merge", contact_merge_router)
    api.add_router("/contacts", contacts_router)
    api.add_router("/account-relations", account_relations_router)
    api.add_router("/companies", companies_router)
    api.add_router("/leads", leads_router)
    api.add_router("/tags", tags_router)
    api.add_router("/custom-fields", custom_fields_router)
    api.add_router("/notes", notes_router)
    api.add_router("/users", users_router)
    api.add_router("/saved-views", saved_views_router)
    api.add_router("/imports", imports_router)
    api.add_router("/import-mappings", import_mappings_router)
    api.add_router("/duplicates", duplicates_router)
    api.add_router("/exports", exports_router)
    api.add_router("/gdpr", gdpr_router)
    api.add_router("/merges", merges_router)
    # Last, so it only answers paths no router claimed: a problem+json 404, not an HTML page.
    api.add_router("", fallback_router)


_register_routers()
