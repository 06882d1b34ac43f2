"""Shortcuts in `contacts.cleaning` (shared by the form, the API and imports) must settle names
exactly as the general code did: compared here with that code, kept verbatim."""

from __future__ import annotations

import itertools
from types import SimpleNamespace
from typing import Any

from peoplebase.contacts import cleaning
from peoplebase.contacts.cleaning import CleanContact
from peoplebase.core.errors import ErrorCollector
from peoplebase.normalize import split_or_compose


def reference_settle_names(data: dict[str, Any], instance: Any, result: CleanContact) -> None:
    touched = {"first_name", "last_name", "full_name"} & set(data)
    if not touched and instance is not None:
        return
    current = {
        name: getattr(instance, name) if instance else ""
        for name in ("first_name", "last_name", "full_name")
    }
    merged = {**current, **{k: result.scalars[k] for k in touched}}
    if ("first_name" in touched or "last_name" in touched) and "full_name" not in touched:
        merged["full_name"] = ""
    if touched == {"full_name"}:
        merged["first_name"] = merged["last_name"] = ""
    first, last, full = split_or_compose(
        merged["first_name"], merged["last_name"], merged["full_name"]
    )
    result.scalars.update(first_name=first[:100], last_name=last[:100], full_name=full[:300])


NAMES = ["", " ", "Zoë", "ÅNGSTRÖM", "mary ann", "Dr. Jane van der Berg Jr.", "Berg, J", "x" * 150]


def test_settle_names_agrees_with_the_general_path() -> None:
    instances = [
        None,
        SimpleNamespace(first_name="Old", last_name="Name", full_name="Old Name"),
        SimpleNamespace(first_name="", last_name="", full_name="Solo Full"),
    ]
    keys = ("first_name", "last_name", "full_name")
    for instance in instances:
        for present in itertools.product((False, True), repeat=3):
            for values in itertools.product(NAMES, repeat=sum(present)):
                data = {"job_title": "CTO"}
                scalars = {"job_title": "CTO"}
                given = [key for key, wanted in zip(keys, present, strict=True) if wanted]
                for key, value in zip(given, values, strict=True):
                    data[key] = value
                    scalars[key] = " ".join(value.split())
                expected = CleanContact(scalars=dict(scalars))
                reference_settle_names(data, instance, expected)
                for _ in range(2):  # the second time from the remembered split
                    got = CleanContact(scalars=dict(scalars))
                    cleaning._settle_names(data, instance, got, ErrorCollector())
                    assert got.scalars == expected.scalars
                    assert list(got.scalars) == list(expected.scalars)


SCALAR_VALUES: list[Any] = [
    "",
    " ",
    "  New   York ",
    "São\u00a0Paulo",
    "İstanbul",
    "tab\tand\nnewline",
    "nul\x00char",
    "x" * 99,
    "x" * 100,
    "x" * 101,
    "y" * 301,
    " " + "z" * 150 + " ",
    None,
    0,
    42,
    3.5,
    True,
    ["list"],
]


def reference_scalars(data: dict[str, Any]) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """The scalar loop of `clean_contact_input` as it was: every field through _clean_scalar."""
    errors = ErrorCollector()
    scalars = {}
    for name in cleaning.SCALAR_FIELDS:
        if name in data:
            scalars[name] = cleaning._clean_scalar(name, data[name], errors)
    return scalars, errors.errors


def test_text_fields_are_cleaned_as_by_the_general_path(monkeypatch: Any) -> None:
    # Only the scalar loop is compared: names and consent are settled afterwards either way.
    monkeypatch.setattr(cleaning, "_settle_names", lambda *args: None)
    monkeypatch.setattr(cleaning, "_settle_consent", lambda *args: None)
    for name in cleaning.TEXT_LIMITS:
        for value in SCALAR_VALUES:
            data = {name: value, "city": value, "job_title": "CTO", "lead_score": "7"}
            errors = ErrorCollector()
            result = cleaning.clean_contact_input(
                data, instance=None, region="US", errors=errors, definitions={}
            )
            assert (result.scalars, errors.errors) == reference_scalars(data), (name, value)
            assert list(result.scalars) == list(reference_scalars(data)[0])


def test_flags_read_as_by_the_general_path() -> None:
    def reference_as_bool(value: Any) -> bool:
        if isinstance(value, str):
            return value.strip().lower() in {"1", "true", "yes", "on"}
        return bool(value)

    for value in [True, False, 1, 0, 2, 0.0, None, "", "yes", "No", " TRUE ", "on", "0", [], [0]]:
        assert cleaning._as_bool(value) is reference_as_bool(value), value


def test_unknown_fields_reported_as_by_the_general_path() -> None:
    for data in [
        {"first_name": "Zoë", "nickname": "Z", "emails": [], "shoe_size": 9, "": 1},
        {"id": 1, "city": "Paris"},
        {"city": "Paris", "job_title": "CTO"},
        {},
    ]:
        expected = ErrorCollector()
        for name in data:
            if name not in cleaning.WRITABLE_FIELDS:
                expected.add(name, "Unknown field.")
        errors = ErrorCollector()
        cleaning.clean_contact_input(
            data, instance=None, region="US", errors=errors, definitions={}
        )
        unknown = {k: v for k, v in errors.errors.items() if v == ["Unknown field."]}
        assert list(unknown.items()) == list(expected.errors.items())


def test_primary_picked_as_by_the_general_path() -> None:
    def reference_pick(items: list[Any], errors: ErrorCollector) -> None:
        flagged = [item for item in items if item.is_primary]
        if len(flagged) > 1:
            errors.add("phones", "Only one entry can be primary.")
        elif items and not flagged:
            items[0].is_primary = True

    for flags in itertools.chain.from_iterable(
        itertools.product((False, True), repeat=n) for n in range(4)
    ):
        got = [SimpleNamespace(is_primary=flag) for flag in flags]
        expected = [SimpleNamespace(is_primary=flag) for flag in flags]
        got_errors, expected_errors = ErrorCollector(), ErrorCollector()
        cleaning._pick_primary(got, got_errors, "phones")
        reference_pick(expected, expected_errors)
        assert got == expected and got_errors.errors == expected_errors.errors
