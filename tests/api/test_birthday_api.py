"""Birthdays through the contacts API: ISO in and out, year-less kept, bad values refused."""

from __future__ import annotations

from typing import Any

from tests.api.conftest import problem_of


def test_api_writes_and_reads_a_year_less_birthday(api_as: Any, admin: Any) -> None:
    api = api_as(admin)
    created = api.post("/contacts", {"full_name": "Ann Lee", "birthday": "--0307"})
    assert created.status_code == 201, created.content
    assert created.json()["birthday"] == "--03-07"
    got = api.get(f"/contacts/{created.json()['id']}")
    assert got.json()["birthday"] == "--03-07"


def test_api_refuses_an_ambiguous_birthday_with_a_field_problem(api_as: Any, admin: Any) -> None:
    response = api_as(admin).post("/contacts", {"full_name": "Ann Lee", "birthday": "3/4/1980"})
    assert response.status_code == 422
    assert "birthday" in str(problem_of(response))


def test_read_only_user_cannot_set_a_birthday(api_as: Any, admin: Any, reader: Any) -> None:
    created = api_as(admin).post("/contacts", {"full_name": "Ann Lee"}).json()
    response = api_as(reader).patch(f"/contacts/{created['id']}", {"birthday": "1980-01-01"})
    assert response.status_code == 403
    assert api_as(admin).get(f"/contacts/{created['id']}").json()["birthday"] == ""
