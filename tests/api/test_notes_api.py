"""Notes: added on a contact, changed or deleted by their author or a manager."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from peoplebase.activities.models import Activity
from tests.api.conftest import problem_of


def _note(api: Any, contact: Any, body: str = "Called; wants a quote.") -> dict[str, Any]:
    response = api.post(f"/contacts/{contact.pk}/notes", {"body": body})
    assert response.status_code == 201, response.content
    return response.json()


def test_add_note_returns_201_with_location_and_author(
    api_as: Any, alice: Any, make_contact: Any
) -> None:
    contact = make_contact(alice)

    response = api_as(alice).post(f"/contacts/{contact.pk}/notes", {"body": "  Met at expo  "})

    assert response.status_code == 201
    body = response.json()
    assert response["Location"].endswith(f"/api/v1/notes/{body['id']}")
    assert body["body"] == "Met at expo"
    assert body["contact_id"] == contact.pk
    assert body["author"]["email"] == alice.email


def test_note_appears_on_the_contact_timeline(api_as: Any, alice: Any, make_contact: Any) -> None:
    contact = make_contact(alice)
    api = api_as(alice)
    note = _note(api, contact)

    items = api.get(f"/contacts/{contact.pk}/timeline", {"kind": "note"}).json()["items"]

    assert [(i["id"], i["kind"], i["actor"]["id"]) for i in items] == [
        (note["id"], "note", alice.pk)
    ]


def test_any_rep_may_note_on_someone_elses_contact(
    api_as: Any, alice: Any, bob: Any, make_contact: Any
) -> None:
    contact = make_contact(bob)

    response = api_as(alice).post(f"/contacts/{contact.pk}/notes", {"body": "Saw them too"})

    assert response.status_code == 201


def test_backdated_note_keeps_its_date_but_future_is_refused(
    api_as: Any, alice: Any, make_contact: Any
) -> None:
    contact = make_contact(alice)
    api = api_as(alice)
    past = (timezone.now() - dt.timedelta(days=3)).replace(microsecond=0)
    future = timezone.now() + dt.timedelta(days=3)

    backdated = api.post(
        f"/contacts/{contact.pk}/notes", {"body": "Old call", "occurred_at": past.isoformat()}
    )
    ahead = api.post(
        f"/contacts/{contact.pk}/notes", {"body": "Soon", "occurred_at": future.isoformat()}
    )

    assert backdated.status_code == 201
    assert dt.datetime.fromisoformat(backdated.json()["occurred_at"]) == past
    assert ahead.status_code == 422
    assert "occurred_at" in problem_of(ahead)["errors"]


def test_empty_or_malformed_note_is_422(api_as: Any, alice: Any, make_contact: Any) -> None:
    contact = make_contact(alice)
    api = api_as(alice)

    empty = api.post(f"/contacts/{contact.pk}/notes", {"body": "   "})
    missing = api.post(f"/contacts/{contact.pk}/notes", {})
    extra = api.post(f"/contacts/{contact.pk}/notes", {"body": "x", "pinned": True})
    bad_date = api.post(f"/contacts/{contact.pk}/notes", {"body": "x", "occurred_at": "soon"})

    assert problem_of(empty)["errors"] == {"body": ["A note needs some text."]}
    assert problem_of(missing)["errors"] == {"body": ["This field is required."]}
    assert problem_of(extra)["errors"] == {"pinned": ["Unknown field."]}
    assert "occurred_at" in problem_of(bad_date)["errors"]
    assert not Activity.objects.exists()


def test_note_on_missing_contact_is_404(api_as: Any, alice: Any) -> None:
    response = api_as(alice).post("/contacts/123456/notes", {"body": "Hello"})

    assert response.status_code == 404


def test_author_reads_changes_and_deletes_a_note(
    api_as: Any, alice: Any, make_contact: Any
) -> None:
    contact = make_contact(alice)
    api = api_as(alice)
    note = _note(api, contact)

    got = api.get(f"/notes/{note['id']}")
    changed = api.patch(f"/notes/{note['id']}", {"body": "Wants a quote by Friday."})
    deleted = api.delete(f"/notes/{note['id']}")

    assert got.json()["body"] == "Called; wants a quote."
    assert changed.status_code == 200
    assert changed.json()["body"] == "Wants a quote by Friday."
    assert deleted.status_code == 204
    assert api.get(f"/notes/{note['id']}").status_code == 404


def test_another_rep_cannot_change_or_delete_my_note(
    api_as: Any, alice: Any, bob: Any, make_contact: Any
) -> None:
    contact = make_contact(alice, owner_id=None)
    note = _note(api_as(alice), contact)
    api = api_as(bob)

    assert api.get(f"/notes/{note['id']}").status_code == 200
    assert api.patch(f"/notes/{note['id']}", {"body": "Rewritten"}).status_code == 403
    assert api.delete(f"/notes/{note['id']}").status_code == 403
    assert Activity.objects.get(pk=note["id"]).body == "Called; wants a quote."


def test_manager_may_change_anyones_note(
    api_as: Any, alice: Any, manager: Any, make_contact: Any
) -> None:
    note = _note(api_as(alice), make_contact(alice))

    response = api_as(manager).patch(f"/notes/{note['id']}", {"body": "Tidied up"})

    assert response.status_code == 200
    assert api_as(manager).delete(f"/notes/{note['id']}").status_code == 204


def test_read_only_user_reads_notes_but_cannot_write(
    api_as: Any, alice: Any, reader: Any, make_contact: Any
) -> None:
    contact = make_contact(alice)
    note = _note(api_as(alice), contact)
    api = api_as(reader)

    assert api.get(f"/notes/{note['id']}").status_code == 200
    assert api.post(f"/contacts/{contact.pk}/notes", {"body": "x"}).status_code == 403
    assert api.patch(f"/notes/{note['id']}", {"body": "x"}).status_code == 403


def test_system_activities_are_not_notes(api_as: Any, alice: Any, make_contact: Any) -> None:
    from peoplebase.activities.services import log_activity

    activity = log_activity(kind="call", contact=make_contact(alice), subject="Call")

    assert api_as(alice).get(f"/notes/{activity.pk}").status_code == 404
    assert api_as(alice).get("/notes/abc").status_code == 422
