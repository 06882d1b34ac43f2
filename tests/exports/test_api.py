"""The exports API: streamed CSV/vCard, problems for bad input, background jobs and downloads."""

from __future__ import annotations

import csv
import io
from typing import Any

from tests.api.conftest import problem_of


def body_of(response: Any) -> str:
    return b"".join(response.streaming_content).decode("utf-8")


def test_stream_csv_with_filters_and_columns(api_as: Any, alice: Any, bob: Any, make_contact):
    make_contact(alice, full_name="Alice Own", job_title="=1+1")
    make_contact(bob, full_name="Bob Own")
    response = api_as(alice).get(
        "/exports/contacts", {"owner": "me", "columns": "full_name,job_title", "bom": "true"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith('attachment; filename="contacts-')
    text = body_of(response)
    assert text.startswith("\ufeff")
    assert list(csv.DictReader(io.StringIO(text.lstrip("\ufeff")))) == [
        {"full_name": "Alice Own", "job_title": "'=1+1"}
    ]


def test_stream_vcard(api_as: Any, admin: Any, make_contact: Any) -> None:
    make_contact(admin, full_name="Ann Lee", emails=["ann@example.com"])
    response = api_as(admin).get("/exports/contacts", {"format": "vcf"})
    assert response["Content-Type"].startswith("text/vcard")
    text = body_of(response)
    assert text.startswith("BEGIN:VCARD\r\nVERSION:4.0\r\n") and "EMAIL" in text


def test_bad_parameters_are_problems_not_errors(api_as: Any, admin: Any) -> None:
    response = api_as(admin).get("/exports/contacts", {"format": "pdf", "columns": "nope"})
    assert response.status_code == 422
    assert {"format", "columns"} <= set(problem_of(response)["errors"])
    response = api_as(admin).get("/exports/contacts", {"view": "No such view"})
    assert response.status_code == 404


def test_large_selections_must_use_a_background_export(
    api_as: Any, admin: Any, make_contact: Any, settings: Any
) -> None:
    settings.PEOPLEBASE_EXPORT_STREAM_LIMIT = 1
    make_contact(admin, full_name="One")
    make_contact(admin, full_name="Two")
    response = api_as(admin).get("/exports/contacts")
    assert response.status_code == 409
    assert "POST /api/v1/exports" in problem_of(response)["detail"]


def test_background_export_status_and_download_only_for_owner_or_admin(
    api_as: Any, alice: Any, bob: Any, admin: Any, reader: Any, make_contact: Any
) -> None:
    make_contact(alice, full_name="Ann Lee", tags=["vip"])
    make_contact(alice, full_name="Not Exported")
    started = api_as(reader).post(
        "/exports", {"format": "csv", "filters": {"tags_any": "vip"}, "columns": ["full_name"]}
    )
    assert started.status_code == 202, started.content
    export = started.json()
    assert export["status"] == "done" and export["row_count"] == 1
    assert export["download_url"] == f"/api/v1/exports/{export['id']}/download"
    download = api_as(reader).get(f"/exports/{export['id']}/download")
    assert download.status_code == 200
    assert b"".join(download.streaming_content).decode() == "full_name\r\nAnn Lee\r\n"
    assert api_as(admin).get(f"/exports/{export['id']}/download").status_code == 200
    assert api_as(bob).get(f"/exports/{export['id']}/download").status_code == 404
    assert api_as(bob).get(f"/exports/{export['id']}").status_code == 404
    assert [e["id"] for e in api_as(reader).get("/exports").json()] == [export["id"]]
    assert api_as(bob).get("/exports").json() == []


def test_background_export_refuses_unknown_body_keys(api_as: Any, admin: Any) -> None:
    response = api_as(admin).post("/exports", {"format": "csv", "surprise": 1})
    assert response.status_code == 422


def test_exports_are_in_the_openapi_document(api_as: Any, admin: Any) -> None:
    paths = api_as(admin).get("/openapi.json").json()["paths"]
    assert {
        "/api/v1/exports/contacts",
        "/api/v1/exports",
        "/api/v1/exports/{export_id}/download",
    } <= set(paths)


def test_background_export_of_an_empty_selection_is_refused_not_everything(
    api_as: Any, admin: Any, make_contact: Any
) -> None:
    make_contact(admin, full_name="Ann Lee")

    response = api_as(admin).post("/exports", {"format": "csv", "ids": []})

    assert response.status_code == 422
    assert "ids" in problem_of(response)["errors"]
    assert api_as(admin).get("/exports").json() == []


def test_stream_a_selection_of_many_ids(api_as: Any, admin: Any, make_contact: Any) -> None:
    # The service takes up to 10,000 ids; the query parameter used to stop at 200 characters.
    contacts = [make_contact(admin, full_name=f"Person {i}") for i in range(60)]
    missing = [9_000_000_000 + i for i in range(30)]  # ids of no contact are simply not found
    chosen = [c.pk for c in contacts[:50]] + missing

    response = api_as(admin).get(
        "/exports/contacts", {"ids": ",".join(map(str, chosen)), "columns": "id"}
    )

    assert response.status_code == 200, response.content
    rows = list(csv.DictReader(io.StringIO(body_of(response))))
    assert [int(row["id"]) for row in rows] == [c.pk for c in contacts[:50]]


def test_a_nul_character_in_the_search_or_a_filter_is_a_422(api_as: Any, admin: Any) -> None:
    # On PostgreSQL it reached the query and failed with a 500.
    for params in ({"q": "a\x00b"}, {"tags_any": "a\x00b"}):
        response = api_as(admin).get("/exports/contacts", params)
        assert response.status_code == 422, params
        assert list(problem_of(response)["errors"]) == list(params)
