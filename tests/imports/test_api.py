"""The imports API: upload, mapping, options, preview, run, rows, rejected CSV, undo, refusals."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from peoplebase.contacts.models import Contact
from peoplebase.imports.models import ImportJob
from peoplebase.imports.services import run_import
from tests.api.conftest import API, problem_of
from tests.imports.conftest import HEADER, csv_bytes

ROWS = [
    HEADER,
    ["Ann", "Lee", "ann@example.com", "+1 212 555 0100", "Acme", "CTO"],
    ["Bad", "Row", "nope", "", "", ""],
]


def _upload(api: Any, content: bytes, name: str = "people.csv") -> Any:
    return api.client.post(API + "/imports", {"file": SimpleUploadedFile(name, content)})


def test_upload_set_up_preview_run_and_report(api_as: Any, manager: Any) -> None:
    api = api_as(manager)
    created = _upload(api, csv_bytes(ROWS))
    assert created.status_code == 201, created.content
    job = created.json()
    assert job["headers"] == HEADER and job["total_rows"] == 2
    assert job["mapping"]["2"] == "emails"

    api.client.put(
        f"{API}/imports/{job['id']}/mapping",
        '{"mapping": {"First Name": "first_name", "Last Name": "last_name", "Email": "emails"}}',
        content_type="application/json",
    )
    options = api.client.put(
        f"{API}/imports/{job['id']}/options",
        '{"defaults": {"tags": ["api"]}, "duplicate_policy": "fill"}',
        content_type="application/json",
    )
    assert options.json()["duplicate_policy"] == "fill"
    preview = api.get(f"/imports/{job['id']}/preview").json()
    assert preview["counts"] == {"created": 1, "updated": 0, "skipped": 0, "invalid": 1}
    assert preview["rows"][0]["values"]["emails"] == ["ann@example.com"]

    started = api.post(f"/imports/{job['id']}/run")
    assert started.status_code == 202
    run_import(job["id"])  # what the worker does

    done = api.get(f"/imports/{job['id']}").json()
    assert (done["status"], done["created"], done["invalid"]) == ("done", 1, 1)
    assert Contact.objects.get().phone == ""  # phone column no longer mapped
    rows = api.get(f"/imports/{job['id']}/rows", {"outcome": "invalid"}).json()
    assert rows[0]["row_number"] == 2 and rows[0]["cells"][2] == "nope"
    download = api.get(f"/imports/{job['id']}/rejected.csv")
    assert download.status_code == 200
    assert b"reason" in b"".join(download.streaming_content)

    undone = api.post(f"/imports/{job['id']}/undo").json()
    assert undone["undo_report"]["deleted"] == 1
    assert not Contact.objects.exists()


def test_unreadable_upload_is_a_422_not_a_500(api_as: Any, manager: Any) -> None:
    response = _upload(api_as(manager), b"\x00\x01\x02\xff" * 100, "junk.csv")

    assert response.status_code == 422
    assert "file" in problem_of(response)["errors"]
    assert not ImportJob.objects.exists()


def test_empty_upload_is_refused(api_as: Any, manager: Any) -> None:
    response = _upload(api_as(manager), b"", "empty.csv")

    assert response.status_code == 422


def test_read_only_user_and_rep_may_not_import(api_as: Any, reader: Any, alice: Any) -> None:
    assert _upload(api_as(reader), csv_bytes(ROWS)).status_code == 403
    assert _upload(api_as(alice), csv_bytes(ROWS)).status_code == 403


def test_someone_elses_import_is_not_found(api_as: Any, manager: Any, admin: Any) -> None:
    job = _upload(api_as(admin), csv_bytes(ROWS)).json()

    assert api_as(manager).get(f"/imports/{job['id']}").status_code == 404


def test_opted_in_default_needs_confirmation(api_as: Any, manager: Any) -> None:
    api = api_as(manager)
    job = _upload(api, csv_bytes(ROWS)).json()
    url = f"{API}/imports/{job['id']}/options"
    body = '{"defaults": {"consent_status": "opted_in"}%s}'

    refused = api.client.put(url, body % "", content_type="application/json")
    accepted = api.client.put(
        url, body % ', "confirm_opted_in": true', content_type="application/json"
    )

    assert refused.status_code == 422
    assert "Opted In" in problem_of(refused)["errors"]["defaults.consent_status"][0]
    assert accepted.json()["defaults"]["consent_status"] == "opted_in"


def test_saved_mappings_and_targets(api_as: Any, manager: Any) -> None:
    api = api_as(manager)
    job = _upload(api, csv_bytes(ROWS)).json()

    saved = api.post("/import-mappings", {"import_id": job["id"], "name": "CRM export"})
    listed = api.get("/import-mappings").json()
    targets = api.get("/import-mappings/targets").json()

    assert saved.status_code == 201
    assert listed[0]["mapping"]["Email"] == "emails"
    assert "emails" in targets


def test_endpoints_are_in_the_openapi_document(api_as: Any, manager: Any) -> None:
    paths = api_as(manager).get("/openapi.json").json()["paths"]

    for path in ("/api/v1/imports", "/api/v1/imports/{job_id}/undo", "/api/v1/import-mappings"):
        assert path in paths


def test_report_counts_rows_given_to_the_default_owner_like_the_cli(
    api_as: Any, manager: Any, alice: Any
) -> None:
    api = api_as(manager)
    rows = [
        ["Name", "Email", "Owner"],
        ["Owned", "owned@example.com", alice.email],
        ["Orphan", "orphan@example.com", "nobody@example.com"],
    ]
    job = _upload(api, csv_bytes(rows)).json()
    assert job["owner_fallbacks"] == 0  # nothing has run yet
    api.client.put(
        f"{API}/imports/{job['id']}/mapping",
        '{"mapping": {"Name": "full_name", "Email": "emails", "Owner": "owner_email"}}',
        content_type="application/json",
    )
    api.post(f"/imports/{job['id']}/run")
    run_import(job["id"])

    done = api.get(f"/imports/{job['id']}").json()
    assert (done["created"], done["owner_fallbacks"]) == (2, 1)
    assert [j["owner_fallbacks"] for j in api.get("/imports").json()] == [1]


def test_opted_in_from_a_saved_mapping_still_needs_confirmation(
    api_as: Any, manager: Any, admin: Any
) -> None:
    # An admin confirmed Opted In for their file and shared the mapping with its defaults.
    admin_api = api_as(admin)
    theirs = _upload(admin_api, csv_bytes(ROWS)).json()
    admin_api.client.put(
        f"{API}/imports/{theirs['id']}/options",
        '{"defaults": {"consent_status": "opted_in"}, "confirm_opted_in": true}',
        content_type="application/json",
    )
    admin_api.post(
        "/import-mappings", {"import_id": theirs["id"], "name": "Opt-ins", "shared": True}
    )
    api = api_as(manager)
    job = _upload(api, csv_bytes(ROWS)).json()
    applied = api.client.put(
        f"{API}/imports/{job['id']}/mapping",
        '{"saved_mapping": "Opt-ins"}',
        content_type="application/json",
    )
    assert applied.json()["defaults"]["consent_status"] == "opted_in"

    refused = api.post(f"/imports/{job['id']}/run")

    assert refused.status_code == 422
    assert "Opted In" in problem_of(refused)["errors"]["defaults.consent_status"][0]
    assert ImportJob.objects.get(pk=job["id"]).status == "draft"
    api.client.put(
        f"{API}/imports/{job['id']}/options",
        '{"defaults": {"consent_status": "opted_in"}, "confirm_opted_in": true}',
        content_type="application/json",
    )
    assert api.post(f"/imports/{job['id']}/run").status_code == 202


def test_a_bad_default_tag_is_reported_on_defaults_tags(api_as: Any, manager: Any) -> None:
    api = api_as(manager)
    job = _upload(api, csv_bytes(ROWS)).json()

    refused = api.client.put(
        f"{API}/imports/{job['id']}/options",
        '{"defaults": {"tags": ["%s"]}}' % ("x" * 60),
        content_type="application/json",
    )

    assert refused.status_code == 422
    assert list(problem_of(refused)["errors"]) == ["defaults.tags"]


def test_saved_mapping_then_request_mapping_overrides_by_column_like_the_cli(
    api_as: Any, manager: Any
) -> None:
    api = api_as(manager)
    first = _upload(api, csv_bytes(ROWS)).json()
    api.client.put(
        f"{API}/imports/{first['id']}/mapping",
        '{"mapping": {"First Name": "first_name", "Email": "emails", "Phone": "phones", '
        '"Job Title": "note"}}',
        content_type="application/json",
    )
    api.post("/import-mappings", {"import_id": first["id"], "name": "CRM"})
    job = _upload(api, csv_bytes(ROWS)).json()

    # Like `peoplebase import --mapping CRM --map "Last Name=first_name" --map Phone=ignore`:
    # the saved mapping first, then only the named columns change; a single-value field
    # given another column leaves the one it had.
    applied = api.client.put(
        f"{API}/imports/{job['id']}/mapping",
        '{"saved_mapping": "CRM", "mapping": {"Last Name": "first_name", "Phone": "ignore"}}',
        content_type="application/json",
    )

    assert applied.status_code == 200, applied.content
    assert applied.json()["mapping"] == {"1": "first_name", "2": "emails", "5": "note"}
    # Without a saved mapping the request's mapping still replaces the whole mapping.
    replaced = api.client.put(
        f"{API}/imports/{job['id']}/mapping",
        '{"mapping": {"Email": "emails"}}',
        content_type="application/json",
    )
    assert replaced.json()["mapping"] == {"2": "emails"}
