"""`peoplebase contacts merge` and `peoplebase merges undo|list`."""

from __future__ import annotations

import json
from typing import Any

import pytest

from peoplebase.contacts.models import Contact
from peoplebase.merges.models import ContactMerge

pytestmark = pytest.mark.django_db


def test_merge_with_field_choice_then_undo(run_cli: Any, admin: Any, make_contact: Any) -> None:
    ann = make_contact(admin, full_name="Ann", job_title="CTO")
    dup = make_contact(admin, full_name="Annie", job_title="VP")

    result = run_cli(
        "contacts", "merge", str(ann.pk), str(dup.pk), "--field", f"job_title={dup.pk}", "--json"
    )

    assert result.code == 0, result.err
    body = json.loads(result.out)
    assert body["duplicate_ids"] == [dup.pk]
    assert Contact.objects.get(pk=ann.pk).job_title == "VP"
    assert not Contact.objects.filter(pk=dup.pk).exists()

    listed = run_cli("merges", "list")
    assert f"#{dup.pk} -> #{ann.pk}" in listed.out

    undone = run_cli("merges", "undo", str(body["id"]))
    assert undone.code == 0, undone.err
    assert "Undid merge" in undone.out
    assert Contact.objects.get(pk=dup.pk).job_title == "VP"


def test_errors_are_one_line_and_change_nothing(
    run_cli: Any, admin: Any, alice: Any, make_contact: Any
) -> None:
    ann = make_contact(admin, full_name="Ann")
    dup = make_contact(admin, full_name="Dup")

    self_merge = run_cli("contacts", "merge", str(ann.pk), str(ann.pk))
    bad_field = run_cli("contacts", "merge", str(ann.pk), str(dup.pk), "--field", "job_title")
    as_rep = run_cli("contacts", "merge", str(ann.pk), str(dup.pk), "--as", alice.email)
    no_merge = run_cli("merges", "undo", "4242")

    for result in (self_merge, bad_field, as_rep, no_merge):
        assert result.code != 0
        assert result.err.strip().count("\n") == 0, result.err
    assert "itself" in self_merge.err
    assert "may not merge" in as_rep.err
    assert ContactMerge.objects.count() == 0


def test_merge_help_explains_itself(run_cli: Any) -> None:
    assert "--field" in run_cli("contacts", "merge", "--help").out
    assert "undo" in run_cli("merges", "--help").out
