"""The OpenAPI document and the interactive docs, served without any outside resource."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.test import Client

from tests.api.conftest import API

EXPECTED_PATHS = {
    "/api/v1/contacts": {"get", "post"},
    "/api/v1/contacts/duplicates-check": {"post"},
    "/api/v1/contacts/{contact_id}": {"get", "patch", "delete"},
    "/api/v1/contacts/{contact_id}/archive": {"post"},
    "/api/v1/contacts/{contact_id}/restore": {"post"},
    "/api/v1/contacts/{contact_id}/job-change": {"post"},
    "/api/v1/contacts/{contact_id}/timeline": {"get"},
    "/api/v1/contacts/{contact_id}/history": {"get"},
    "/api/v1/contacts/{contact_id}/notes": {"post"},
    "/api/v1/contacts/{contact_id}/account-relations": {"get", "post"},
    "/api/v1/account-relations/{relation_id}": {"delete"},
    "/api/v1/companies": {"get", "post"},
    "/api/v1/companies/{company_id}": {"get", "patch", "delete"},
    "/api/v1/companies/{company_id}/history": {"get"},
    "/api/v1/leads": {"get", "post"},
    "/api/v1/leads/{lead_id}": {"get", "patch", "delete"},
    "/api/v1/leads/{lead_id}/convert": {"post"},
    "/api/v1/leads/{lead_id}/conversion-suggestions": {"get"},
    "/api/v1/leads/{lead_id}/history": {"get"},
    "/api/v1/tags": {"get", "post"},
    "/api/v1/tags/{tag_id}": {"get", "patch", "delete"},
    "/api/v1/custom-fields": {"get", "post"},
    "/api/v1/custom-fields/{key_or_id}": {"get", "patch", "delete"},
    "/api/v1/notes/{note_id}": {"get", "patch", "delete"},
    "/api/v1/users": {"get", "post"},
    "/api/v1/users/me": {"get"},
    "/api/v1/users/me/tokens": {"get", "post"},
    "/api/v1/users/me/tokens/{token_id}": {"delete"},
    "/api/v1/users/{user_id}": {"get", "patch"},
}


@pytest.fixture
def document(db: Any) -> dict[str, Any]:
    response = Client().get(f"{API}/openapi.json")
    assert response.status_code == 200
    return json.loads(response.content)


def _operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (path, method, operation)
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
    ]


def test_document_is_openapi_3_with_the_expected_paths(document: dict[str, Any]) -> None:
    assert document["openapi"].startswith("3.")
    assert document["info"]["title"] == "Peoplebase API"
    for path, methods in EXPECTED_PATHS.items():
        assert path in document["paths"], path
        assert set(document["paths"][path]) == methods, path
    assert not [p for p in document["paths"] if p.endswith("/")]


def test_every_operation_has_summary_tags_and_problem_responses(document: dict[str, Any]) -> None:
    for path, method, operation in _operations(document):
        where = f"{method.upper()} {path}"
        assert operation.get("summary"), where
        assert operation.get("tags"), where
        assert operation.get("description"), where
        problems = {code: r for code, r in operation["responses"].items() if int(code) >= 400}
        assert "401" in problems, where
        for response in problems.values():
            assert list(response["content"]) == ["application/problem+json"], where


def test_operation_ids_are_unique_and_refs_resolve(document: dict[str, Any]) -> None:
    ids = [operation["operationId"] for _, _, operation in _operations(document)]
    schemas = document["components"]["schemas"]
    refs = re.findall(r'"\$ref": "#/components/schemas/([^"]+)"', json.dumps(document))

    assert len(ids) == len(set(ids))
    assert refs and all(ref in schemas for ref in refs)


def test_both_auth_schemes_are_declared(document: dict[str, Any]) -> None:
    schemes = document["components"]["securitySchemes"]

    assert schemes["TokenAuth"] == {"type": "http", "scheme": "bearer"}
    assert schemes["SessionAuth"]["in"] == "cookie"


def test_versioned_writes_document_if_match_and_reads_document_etag(
    document: dict[str, Any],
) -> None:
    patch = document["paths"]["/api/v1/contacts/{contact_id}"]["patch"]
    get = document["paths"]["/api/v1/contacts/{contact_id}"]["get"]

    assert "If-Match" in [p["name"] for p in patch["parameters"]]
    assert "ETag" in get["responses"]["200"]["headers"]


def test_input_schemas_forbid_unknown_keys(document: dict[str, Any]) -> None:
    schemas = document["components"]["schemas"]
    inputs = [name for name in schemas if name.endswith("In")]

    assert {"ContactCreateIn", "ContactUpdateIn", "CompanyCreateIn", "LeadConvertIn"} <= set(inputs)
    assert all(schemas[name].get("additionalProperties") is False for name in inputs)


def test_docs_page_uses_only_local_assets(db: Any) -> None:
    client = Client()

    page = client.get(f"{API}/docs")

    assert page.status_code == 200
    html = page.content.decode()
    assert "swagger-ui" in html
    assert not re.search(r"(https?:)?//[a-z0-9.-]+\.[a-z]{2,}", html, flags=re.IGNORECASE)
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets and all(asset.startswith("/static/") for asset in assets)
    for asset in assets:
        assert client.get(asset).status_code == 200, asset
    assert '"validatorUrl": null' in html
