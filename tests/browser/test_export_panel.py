"""The contact list's export panel in Chromium: columns chosen, a filtered view as CSV."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any


def test_export_a_filtered_view_with_chosen_columns_as_csv(
    signed_in_page: Any, admin: Any, make_contact: Any, settings: Any, tmp_path: Path
) -> None:
    settings.DATA_DIR = tmp_path
    make_contact(admin, full_name="Vera Vip", emails=["vera@example.org"], tags=["vip"])
    make_contact(admin, full_name="=Formula Vip", emails=["formula@example.org"], tags=["vip"])
    make_contact(admin, full_name="Norma Plain", emails=["norma@example.org"], tags=["basic"])
    page = signed_in_page(admin)
    page.goto("/contacts/?tags_any=vip")
    page.get_by_text("Vera Vip").first.wait_for()
    assert page.get_by_text("Norma Plain").count() == 0

    page.get_by_text("Select all", exact=False).click()  # "Apply to": every matching contact
    page.locator("summary", has_text="Export…").click()
    page.select_option("#export-format", "csv")
    page.select_option("#export-columns", ["full_name", "email", "tags"])
    with page.expect_download() as download:
        page.locator(".export-panel button", has_text="Export").click()

    text = Path(download.value.path()).read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[0] == ["full_name", "email", "tags"]
    assert sorted(rows[1:]) == [
        ["'=Formula Vip", "formula@example.org", "vip"],
        ["Vera Vip", "vera@example.org", "vip"],
    ]
    assert download.value.suggested_filename.endswith(".csv")
