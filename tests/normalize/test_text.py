"""Tests for peoplebase.normalize.text."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from peoplebase.normalize import collapse_spaces, fold, sort_key
from peoplebase.normalize.text import SORT_KEY_MAX_LENGTH


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("José Ñúñez ", "jose nunez"),
        ("  Ärger\t im\n Büro  ", "arger im buro"),
        ("Straße", "strasse"),
        ("GROSSE STRAẞE", "grosse strasse"),
        ("Øystein", "oystein"),
        ("Łukasz Żółw", "lukasz zolw"),
        ("Æsa Œuvre", "aesa oeuvre"),
        ("İstanbul", "istanbul"),
        ("ﬁnance", "finance"),
        ("", ""),
        ("   ", ""),
    ],
)
def test_fold(raw: str, expected: str) -> None:
    assert fold(raw) == expected


def test_collapse_spaces() -> None:
    assert collapse_spaces("  a \t b\n\nc ") == "a b c"


def test_sort_key_uses_last_then_first() -> None:
    assert sort_key("Émile", "Zola") == "zola emile"
    assert sort_key("Anna", "") == "anna"
    assert sort_key("", "Berg") == "berg"


def test_sort_key_falls_back_to_full_name() -> None:
    assert sort_key("", "", "  ACME   Støre ") == "acme store"
    assert sort_key("", "", "") == ""


def test_sort_key_prefers_parts_over_full_name() -> None:
    assert sort_key("Ann", "Lee", "Somebody Else") == "lee ann"


def test_sort_key_orders_accented_names_with_plain_ones() -> None:
    names = [("Zoë", "Östlund"), ("Adam", "Olsen"), ("Bea", "Ørsted")]
    ordered = sorted(names, key=lambda name: sort_key(*name))
    assert ordered == [("Adam", "Olsen"), ("Bea", "Ørsted"), ("Zoë", "Östlund")]


def test_sort_key_is_truncated() -> None:
    key = sort_key("x" * 150, "y" * 150)
    assert len(key) == SORT_KEY_MAX_LENGTH == 200
    assert key.startswith("y" * 150 + " ")


@given(st.text())
def test_fold_is_idempotent_and_total(text: str) -> None:
    once = fold(text)
    assert fold(once) == once
    assert once == once.strip()
    assert "  " not in once
