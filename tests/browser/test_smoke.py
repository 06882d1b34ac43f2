"""The browser fixtures work: Chromium opens the live server's sign-in page."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.browser


def test_login_page_opens_in_chromium(page: Any) -> None:
    page.goto("/login/")

    assert page.title() == "Sign in · Peoplebase"
    assert page.locator("h1").inner_text() == "Sign in to Peoplebase"


def test_signed_in_page_leaves_the_login_form(signed_in_page: Any, alice: Any) -> None:
    page = signed_in_page(alice)

    assert "/login/" not in page.url
    assert page.get_by_text("Sign out").is_visible()
