"""`peoplebase export`: views, filters, formats, columns, BOM and clear errors."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from peoplebase.segments.services import create_view

pytestmark = pytest.mark.django_db


def test_export_filtered_csv_to_stdout(
    run_cli: Any, admin: Any, alice: Any, make_contact: Any
) -> None:
    make_contact(alice, full_name="Ann Able", tags=["VIP"], job_title="@boss")
    make_contact(alice, full_name="Ben Baker")
    result = run_cli("export", "--filter", "tags_any=vip", "--columns", "full_name,job_title,tags")
    assert result.code == 0, result.err
    assert result.out == "full_name,job_title,tags\r\nAnn Able,'@boss,VIP\r\n"


def test_export_a_saved_view_as_vcard_to_a_file(
    run_cli: Any, admin: Any, alice: Any, make_contact: Any, tmp_path: Path
) -> None:
    make_contact(alice, full_name="Ann Able", tags=["VIP"], birthday="--03-07")
    make_contact(alice, full_name="Ben Baker")
    create_view(alice, {"name": "VIPs", "filters": {"tags_any": "vip"}})
    out = tmp_path / "vips.vcf"
    result = run_cli(
        "export", "--view", "VIPs", "--format", "vcf", "--out", str(out), "--as", alice.email
    )
    assert result.code == 0, result.err
    text = out.read_text(encoding="utf-8")
    assert text.count("BEGIN:VCARD") == 1 and "FN:Ann Able" in text and "BDAY:--0307" in text
    assert "Exported 1 contact" in result.err


def test_bom_for_excel(run_cli: Any, admin: Any, make_contact: Any, tmp_path: Path) -> None:
    make_contact(admin, full_name="Zoë")
    out = tmp_path / "x.csv"
    assert run_cli("export", "--bom", "--columns", "full_name", "--out", str(out)).code == 0
    assert out.read_bytes() == b"\xef\xbb\xbffull_name\r\nZo\xc3\xab\r\n"


def test_bad_filter_and_unknown_view_fail_with_one_line(run_cli: Any, admin: Any) -> None:
    result = run_cli("export", "--filter", "status=nope")
    assert result.code == 1 and "status" in result.err and result.err.count("\n") == 1
    result = run_cli("export", "--view", "Missing")
    assert result.code == 1 and "No saved view" in result.err


def test_search_text_from_filter_or_q_and_refused_when_they_differ(
    run_cli: Any, admin: Any, make_contact: Any
) -> None:
    make_contact(admin, full_name="Ann Able")
    make_contact(admin, full_name="Ben Baker")
    result = run_cli("export", "--filter", "q=Ann", "--columns", "full_name")
    assert result.code == 0, result.err
    assert result.out == "full_name\r\nAnn Able\r\n"  # --q not given: the filter's search holds
    result = run_cli("export", "--filter", "q=Ann", "--q", "Ann", "--columns", "full_name")
    assert (result.code, result.out) == (0, "full_name\r\nAnn Able\r\n")
    result = run_cli("export", "--filter", "q=Ann", "--q", "Ben", "--columns", "full_name")
    assert result.code == 1 and result.err.count("\n") == 1 and result.out == ""
    assert "--q" in result.err and "q=" in result.err


def test_view_format_columns_and_bom_from_filter_hold_unless_the_option_is_given(
    run_cli: Any, admin: Any, make_contact: Any
) -> None:
    make_contact(admin, full_name="Ann Able", tags=["VIP"], job_title="Boss")
    make_contact(admin, full_name="Ben Baker")
    create_view(admin, {"name": "VIPs", "filters": {"tags_any": "vip"}})
    pairs = ["view=VIPs", "columns=full_name", "bom=1"]
    result = run_cli("export", *(arg for pair in pairs for arg in ("--filter", pair)))
    assert result.code == 0, result.err
    # None of --view, --columns, --bom was given: the filter's view, columns and BOM hold.
    assert result.out == "\ufefffull_name\r\nAnn Able\r\n"
    result = run_cli("export", "--filter", "view=VIPs", "--filter", "format=vcf")
    assert result.code == 0, result.err
    assert result.out.count("BEGIN:VCARD") == 1 and "FN:Ann Able" in result.out
    # The same value twice is no contradiction.
    result = run_cli(
        "export", "--filter", "columns=full_name", "--columns", "full_name", "--filter", "bom=1",
        "--bom", "--filter", "format=csv", "--format", "csv", "--filter", "view=VIPs",
        "--view", "VIPs",
    )  # fmt: skip
    assert (result.code, result.out) == (0, "\ufefffull_name\r\nAnn Able\r\n")


@pytest.mark.parametrize(
    ("pair", "option"),
    [
        ("view=VIPs", ["--view", "Others"]),
        ("columns=full_name", ["--columns", "job_title"]),
        ("format=vcf", ["--format", "csv"]),
        ("bom=0", ["--bom"]),
    ],
)
def test_an_option_that_contradicts_the_filter_is_refused(
    run_cli: Any, admin: Any, make_contact: Any, pair: str, option: list[str]
) -> None:
    make_contact(admin, full_name="Ann Able")
    create_view(admin, {"name": "VIPs", "filters": {"tags_any": "vip"}})
    create_view(admin, {"name": "Others", "filters": {}})
    result = run_cli("export", "--filter", pair, *option)
    assert result.code == 1 and result.err.count("\n") == 1 and result.out == ""
    assert option[0] in result.err and pair.split("=")[0] + "=" in result.err
