"""open_table: encodings, delimiters, header detection, ragged rows, Excel, bad files."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest

from peoplebase.imports.readers import UnreadableFile, cell_text, open_table, sniff_delimiter

FIXTURES = Path(__file__).parent / "fixtures"


def read(name: str) -> tuple[object, list[list[str]]]:
    table = open_table(FIXTURES / name)
    return table, list(table.rows)


def test_utf8_with_bom_is_detected_and_the_bom_is_not_in_the_first_header() -> None:
    table, rows = read("utf8_bom.csv")
    assert (table.format, table.encoding, table.delimiter) == ("csv", "utf-8-sig", ",")
    assert table.headers == ["First Name", "Last Name", "Email"]
    assert rows == [["Björk", "Guðmundsdóttir", "bjork@example.is"]]


def test_windows_1252_semicolon_file_reads_accents() -> None:
    table, rows = read("semicolon_cp1252.csv")
    assert (table.encoding, table.delimiter) == ("cp1252", ";")
    assert table.headers == ["Prénom", "Nom", "E-mail", "Ville"]
    assert rows[0] == ["François", "Lefèvre", "francois@exemple.fr", "Besançon"]
    assert rows[1][1] == "Müller"


@pytest.mark.parametrize("name", ["excel_unicode.txt", "utf16_be.txt"])
def test_utf16_unicode_text_from_excel_is_tab_separated(name: str) -> None:
    table, rows = read(name)
    assert (table.format, table.encoding, table.delimiter) == ("tsv", "utf-16", "\t")
    assert rows and all(len(row) == len(table.headers) for row in rows)


def test_utf16_le_keeps_non_latin_text() -> None:
    _, rows = read("excel_unicode.txt")
    assert rows == [["Łukasz", "Nowak", "lukasz@example.pl"], ["李", "王", "wang@example.cn"]]


def test_sep_line_sets_the_delimiter_and_is_skipped() -> None:
    table, rows = read("sep_semicolon.csv")
    assert table.delimiter == ";"
    assert table.headers == ["Name", "Email", "City"]
    assert rows == [["Jean Dupont", "jean@exemple.fr", "Lyon"]]
    assert any("sep=;" in note for note in table.notes)


def test_quoted_newlines_and_doubled_quotes_stay_in_their_cell_and_blank_lines_are_skipped() -> (
    None
):
    _, rows = read("quoted_newlines.csv")
    assert rows == [
        ["Ann Lee", "line one\nline two, with comma", "ann@example.com"],
        ['Bo "Bobby" Ek', "", "bo@example.com"],
    ]


def test_empty_and_repeated_headers_are_renamed_and_noted() -> None:
    table, rows = read("messy_headers.csv")
    assert table.headers == ["Email", "Column 2", "Email (2)", "Name"]
    assert rows == [["ann@example.com", "x", "ann2@example.com", "Ann"]]
    assert any("Email (2)" in note for note in table.notes)


def test_short_rows_are_padded_and_extra_cells_in_the_sample_get_columns() -> None:
    table, rows = read("ragged.csv")
    assert table.headers == ["Name", "Email", "Phone", "Column 4", "Column 5"]
    assert rows[0] == ["Ann", "ann@example.com", "", "", ""]
    assert rows[1] == ["Bo", "bo@example.com", "555-0100", "extra", "more"]
    assert any("more cells than the header" in note for note in table.notes)


def test_extra_cells_beyond_the_sample_are_noted_with_their_record(tmp_path: Path) -> None:
    body = "Name,Email\n" + "".join(f"P{i},p{i}@example.com\n" for i in range(200))
    body += "Late,late@example.com,surprise\n"
    path = tmp_path / "late.csv"
    path.write_text(body)
    table = open_table(path)
    rows = list(table.rows)
    assert rows[-1] == ["Late", "late@example.com"]
    assert any("Record 202" in note and "left out" in note for note in table.notes)


def test_trailing_delimiter_adds_no_column() -> None:
    table, rows = read("trailing_delimiter.csv")
    assert table.headers == ["Name", "Email"]
    assert rows == [["Ann", "ann@example.com"]]


def test_linkedin_preamble_is_skipped_to_the_real_header() -> None:
    table, rows = read("linkedin_connections.csv")
    assert table.headers == [
        "First Name",
        "Last Name",
        "URL",
        "Email Address",
        "Company",
        "Position",
        "Connected On",
    ]
    assert [row[0] for row in rows] == ["Maria", "Tom"]
    assert rows[1][4] == "Oneil, Sons & Co"
    assert any("Skipped 3 lines" in note for note in table.notes)


def test_header_only_and_single_column_files() -> None:
    table, rows = read("header_only.csv")
    assert table.headers == ["First Name", "Last Name", "Email"] and rows == []
    table, rows = read("single_column.csv")
    assert table.headers == ["Email"]
    assert rows == [["ann@example.com"], ["bo@example.com"]]


def test_xlsx_first_sheet_values_as_text_with_header_detection() -> None:
    table, rows = read("contacts.xlsx")
    assert (table.format, table.encoding, table.delimiter) == ("xlsx", None, None)
    assert table.headers == [
        "First Name",
        "Last Name",
        "Email",
        "Phone",
        "Birthday",
        "Score",
        "Active",
    ]
    assert rows[0] == [
        "Olga",
        "Ivanova",
        "olga@example.ru",
        "4155550100",
        "1990-05-17",
        "42",
        "TRUE",
    ]
    assert rows[1][4:] == ["1988-01-02", "7.5", "FALSE"]
    assert rows[2] == ["Quinn", "", "quinn@example.com", "", "", "", ""]
    assert len(rows) == 3  # the empty row is skipped
    assert any("first sheet" in note for note in table.notes)


def test_cell_text_formats_spreadsheet_values() -> None:
    import datetime as dt

    assert cell_text(None) == ""
    assert cell_text(12.0) == "12"
    assert cell_text(1.25) == "1.25"
    assert cell_text(dt.datetime(2020, 1, 2, 3, 4)) == "2020-01-02 03:04:00"
    assert cell_text(dt.date(2020, 1, 2)) == "2020-01-02"


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("empty.csv", "empty"),
        ("blank_lines.csv", "empty"),
        ("binary.bin", "does not look like a text file"),
        ("not_really.xlsx", "not a readable Excel workbook"),
        ("old_excel.xls", "old Excel (.xls)"),
        ("no_cards.vcf", "no vCards"),
    ],
)
def test_unreadable_files_say_why(name: str, message: str) -> None:
    with pytest.raises(UnreadableFile, match=message.replace("(", r"\(").replace(")", r"\)")):
        read(name)


def test_unclosed_quote_running_to_the_end_is_refused_not_imported_as_one_cell() -> None:
    table = open_table(FIXTURES / "unclosed_quote.csv")
    with pytest.raises(UnreadableFile, match="never closed"):
        list(table.rows)


def test_missing_file_is_unreadable(tmp_path: Path) -> None:
    with pytest.raises(UnreadableFile, match="could not be opened"):
        open_table(tmp_path / "nope.csv")


def test_renamed_text_file_with_xlsx_extension_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "contacts.xlsx"
    path.write_text("Name,Email\nAnn,ann@example.com\n")
    with pytest.raises(UnreadableFile, match="not an Excel workbook"):
        open_table(path)


def test_filename_argument_gives_the_extension_of_an_upload(tmp_path: Path) -> None:
    path = tmp_path / "upload-123"
    path.write_text("Name\tEmail\nAnn\tann@example.com\n")
    assert open_table(path, filename="people.tsv").format == "tsv"


def test_invalid_utf8_late_in_a_utf8_file_reads_as_windows_1252(tmp_path: Path) -> None:
    head = "Name,City\n" + "".join(f"Person {i},Zürich\n" for i in range(5000))
    path = tmp_path / "mixed.csv"
    path.write_bytes(head.encode("utf-8") + "Late,Besançon\n".encode("cp1252"))
    table = open_table(path)
    assert table.encoding == "utf-8"
    rows = list(table.rows)
    assert rows[0] == ["Person 0", "Zürich"]
    assert rows[-1] == ["Late", "Besançon"]


def test_sniffer_prefers_the_consistent_delimiter() -> None:
    sample = "Name;Notes\nAnn;likes tea, coffee\nBo;none\n"
    assert sniff_delimiter(sample) == ";"
    assert sniff_delimiter("a,b\tc\n1,2\t3\n4,5\t6\n") in {",", "\t"}


def test_rows_stream_in_bounded_memory(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    with path.open("w") as handle:
        handle.write("First Name,Last Name,Email,Phone,Company\n")
        for i in range(100_000):
            handle.write(f"First{i},Last{i},p{i}@example.com,+1 555 {i:07d},Company {i % 97}\n")
    tracemalloc.start()
    table = open_table(path)
    count = sum(1 for _ in table.rows)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert count == 100_000
    assert peak < 5 * 1024 * 1024  # the file is ~8 MB; reading must not hold it


def test_records_of_whitespace_only_are_skipped_and_one_filled_cell_keeps_a_record(
    tmp_path: Path,
) -> None:
    path = tmp_path / "spaces.csv"
    path.write_text(
        "Name,Email,Phone\nAnn,ann@example.com,\n  , \t ,\u00a0\n,,\n,, 1\nBo,,\n",
        encoding="utf-8",
    )
    table = open_table(path)
    assert list(table.rows) == [
        ["Ann", "ann@example.com", ""],
        ["", "", " 1"],
        ["Bo", "", ""],
    ]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_a_short_last_record_with_a_closed_multi_line_cell_is_read(
    tmp_path: Path, encoding: str
) -> None:
    # Its quote is closed: only a quote left open to the end of the file is refused.
    path = tmp_path / "short_last.csv"
    path.write_text(
        'Name,Notes,Email,Phone\nBo,x,bo@example.com,1\nAnn,"line one\nline two"\n',
        encoding=encoding,
    )

    rows = list(open_table(path).rows)

    assert rows[-1] == ["Ann", "line one\nline two", "", ""]
    path.write_text(
        'Name,Notes,Email,Phone\nBo,x,bo@example.com,1\nAnn,"line one\nline two\n',
        encoding=encoding,
    )
    with pytest.raises(UnreadableFile, match="never closed"):
        list(open_table(path).rows)


def test_data_rows_wider_than_the_header_keep_the_header_and_get_a_column(
    tmp_path: Path,
) -> None:
    # Every data row carries a cell more than the header: the header used to be taken for a
    # preamble and the first person for the header.
    path = tmp_path / "wide.csv"
    path.write_text(
        "Name,Email,Phone\n"
        "Ann Lee,ann@example.com,+12125550100,x\n"
        "Bo Ray,bo@example.com,+12125550101,y\n"
    )

    table = open_table(path)
    rows = list(table.rows)

    assert table.headers == ["Name", "Email", "Phone", "Column 4"]
    assert rows[0] == ["Ann Lee", "ann@example.com", "+12125550100", "x"]
    assert len(rows) == 2


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_byte_order_mark_is_read(tmp_path: Path, codec: str) -> None:
    # Some tools write UTF-16 without a BOM; it used to be refused as "not a text file".
    path = tmp_path / "people.csv"
    path.write_bytes(
        "Name,Email\nŁukasz Nowak,lukasz@example.pl\n李 王,wang@example.cn\n".encode(codec)
    )

    table = open_table(path)

    assert table.encoding == codec and table.headers == ["Name", "Email"]
    assert list(table.rows) == [
        ["Łukasz Nowak", "lukasz@example.pl"],
        ["李 王", "wang@example.cn"],
    ]


def test_a_preamble_row_of_several_cells_before_the_header_is_still_skipped(
    tmp_path: Path,
) -> None:
    path = tmp_path / "report.csv"
    path.write_text(
        "Report,Generated,2024-01-01\n"
        "Name,Email,Phone,Company\n"
        "Ann Lee,ann@example.com,+12125550100,Acme\n"
        "Bo Ray,bo@example.com,+12125550101,Acme\n"
    )

    table = open_table(path)

    assert table.headers == ["Name", "Email", "Phone", "Company"]
    assert len(list(table.rows)) == 2
