"""Read contact files (CSV, TSV, XLSX, vCard) as one lazy table of text cells.

Pure Python, no Django: the import pipeline, the CLI and the tests all open files here.
Detection (encoding, delimiter, header row) looks at a sample only; the rows themselves are
streamed, so a file of a million rows is read in bounded memory.

Ragged rows: a short row is padded with empty cells. Cells beyond the header are kept when
the sample shows them (extra columns named "Column N" are added and noted); later rows whose
extra cells do not fit any column have those cells dropped, and each such row is noted.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

SAMPLE_BYTES = 64 * 1024
SAMPLE_RECORDS = 50
# The header must appear within this many records; preambles are a few lines long.
HEADER_SEARCH = 20
DELIMITERS = (",", ";", "\t", "|")
MAX_FIELD = 1024 * 1024
MAX_NOTED_ROWS = 10
FALLBACK_ERRORS = "peoplebase-cp1252"


class UnreadableFile(Exception):
    """The file cannot be read as a table; `str(error)` tells the user why."""


@dataclass
class Table:
    """A file read as records of text cells; `rows` is a one-shot lazy iterator."""

    format: str
    encoding: str | None
    delimiter: str | None
    headers: list[str]
    notes: list[str] = field(default_factory=list)
    rows: Iterator[list[str]] = field(default_factory=lambda: iter(()))


@dataclass
class CappedNotes:
    """Notes on single records, capped: the first `MAX_NOTED_ROWS` one by one, then one total
    (`total` with `{count}`), so a file of a million bad records makes a dozen notes, not a
    million. Call `close` when the records are read."""

    notes: list[str]
    total: str
    count: int = 0

    def add(self, note: str) -> None:
        self.count += 1
        if self.count <= MAX_NOTED_ROWS:
            self.notes.append(note)

    def close(self) -> None:
        if self.count > MAX_NOTED_ROWS:
            self.notes.append(self.total.format(count=self.count))


def _decode_fallback(error: UnicodeError) -> tuple[str, int]:
    """Decode bytes the main codec rejects as Windows-1252 (or Latin-1 where 1252 has holes)."""
    if not isinstance(error, UnicodeDecodeError):
        raise error
    chunk = error.object[error.start : error.end]
    text = "".join(_byte_as_1252(byte) for byte in chunk)
    return text, error.end


def _byte_as_1252(byte: int) -> str:
    try:
        return bytes([byte]).decode("cp1252")
    except UnicodeDecodeError:
        return chr(byte)


codecs.register_error(FALLBACK_ERRORS, _decode_fallback)


def open_table(path: str | Path, *, filename: str | None = None) -> Table:
    """Open `path` as a table; `filename` is the name the user gave it (for its extension).

    Raises UnreadableFile for empty, binary or malformed files. Iterating `rows` may raise
    UnreadableFile too, when a damaged part of the file is reached.
    """
    path = Path(path)
    name = (filename or path.name).lower()
    try:
        with path.open("rb") as handle:
            head = handle.read(SAMPLE_BYTES)
    except OSError as exc:
        raise UnreadableFile(f"The file could not be opened: {exc.strerror or exc}.") from exc
    if not head.strip(b" \t\r\n\x00"):
        raise UnreadableFile("The file is empty.")
    if head.startswith(b"PK\x03\x04"):
        return _open_xlsx(path)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise UnreadableFile(
            "This is an old Excel (.xls) workbook. Save it as .xlsx or CSV and import that."
        )
    if name.endswith((".xlsx", ".xlsm")):
        raise UnreadableFile("The file is named .xlsx but is not an Excel workbook.")
    encoding, text = detect_encoding(head)
    if _looks_binary(text):
        raise UnreadableFile(
            "This does not look like a text file. Import CSV, tab-separated text, "
            "Excel (.xlsx) or vCard (.vcf) files."
        )
    if name.endswith((".vcf", ".vcard")) or _starts_like_vcard(text):
        from peoplebase.imports.vcard import open_vcard_table

        return open_vcard_table(path, encoding)
    if len(head) == SAMPLE_BYTES:
        # The sample may end mid-record: keep whole lines only.
        text = text[: text.rfind("\n") + 1] or text
    return _open_delimited(path, encoding, text, name)


# --- encodings ---------------------------------------------------------------------------


def detect_encoding(head: bytes) -> tuple[str, str]:
    """Return `(encoding, decoded sample)`: BOMs first, then UTF-8, else Windows-1252."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig", _decode_sample(head, "utf-8-sig")
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", _decode_sample(head, "utf-16")
    if utf16 := _utf16_without_bom(head):
        return utf16, _decode_sample(head, utf16)
    try:
        return "utf-8", _decode_sample(head, "utf-8", strict=True)
    except UnicodeDecodeError:
        return "cp1252", _decode_sample(head, "cp1252")


def _utf16_without_bom(head: bytes) -> str | None:
    """The codec ("utf-16-le", "utf-16-be") of a sample in UTF-16 without a byte-order mark: text
    in Latin scripts then has a NUL in every other byte, always on the same side (a binary
    file has them anywhere)."""
    sample = head[: 4096 - 4096 % 2]
    pairs = len(sample) // 2
    if pairs < 2:
        return None
    low, high = sample[0::2].count(0), sample[1::2].count(0)
    # A few NULs on the other side are characters such as 一 (U+4E00).
    if high >= pairs * 0.4 and low <= pairs * 0.05:
        return "utf-16-le"
    if low >= pairs * 0.4 and high <= pairs * 0.05:
        return "utf-16-be"
    return None


def _decode_sample(head: bytes, encoding: str, *, strict: bool = False) -> str:
    # An incremental decoder leaves a character cut at the sample's end for later.
    errors = "strict" if strict else FALLBACK_ERRORS
    decoder = codecs.getincrementaldecoder(encoding)(errors=errors)
    return decoder.decode(head, final=False)


def _looks_binary(text: str) -> bool:
    sample = text[:8192]
    if "\x00" in sample:
        return True
    controls = sum(1 for char in sample if ord(char) < 32 and char not in "\t\r\n\f")
    return controls > max(8, len(sample) // 100)


def _starts_like_vcard(text: str) -> bool:
    return text.lstrip("\ufeff \t\r\n")[:11].upper() == "BEGIN:VCARD"


def text_stream(path: Path, encoding: str) -> IO[str]:
    """Open `path` as text; bytes that are not valid in `encoding` read as Windows-1252."""
    raw = path.open("rb")
    return io.TextIOWrapper(raw, encoding=encoding, errors=FALLBACK_ERRORS, newline="")


# --- CSV and tab-separated text ----------------------------------------------------------


def _open_delimited(path: Path, encoding: str, sample: str, name: str) -> Table:
    notes: list[str] = []
    lines = sample.splitlines()
    forced = _sep_line(lines[0] if lines else "")
    if forced:
        delimiter = forced
        notes.append(f"The first line “sep={forced}” set the delimiter; it was skipped.")
    else:
        delimiter = sniff_delimiter(sample, prefer_tab=name.endswith((".tsv", ".tab", ".txt")))
    records = _sample_records(sample, delimiter, skip=1 if forced else 0)
    start, width = find_header(records)
    if start:
        notes.append(
            f"Skipped {start} line{'s' if start != 1 else ''} before the header row "
            f"(“{_preview(records[0])}”…)."
        )
    headers = list(records[start]) if records else []
    data_width = max((_width(r) for r in records[start + 1 :]), default=0)
    fmt = "tsv" if delimiter == "\t" else "csv"
    stream = text_stream(path, encoding)
    reader = csv.reader(stream, delimiter=delimiter)
    csv.field_size_limit(MAX_FIELD)
    skip = start + (1 if forced else 0)
    headers = _finish_headers(headers, max(width, data_width), notes)
    rows = _delimited_rows(stream, reader, skip, len(headers), notes)
    return Table(fmt, encoding, delimiter, headers, notes, rows)


def _sep_line(line: str) -> str | None:
    match = re.fullmatch(r"\ufeff?\s*sep=(.)\s*", line, flags=re.IGNORECASE)
    return match.group(1) if match else None


def sniff_delimiter(sample: str, *, prefer_tab: bool = False) -> str:
    """Pick the delimiter that splits the sample's records most consistently into columns."""
    best, best_score = ("\t" if prefer_tab else ","), (0.0, 0)
    for delimiter in DELIMITERS:
        records = [r for r in _sample_records(sample, delimiter) if any(c.strip() for c in r)]
        widths = Counter(len(record) for record in records if len(record) > 1)
        if not widths:
            continue
        width, count = widths.most_common(1)[0]
        score = (count / len(records), width)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _sample_records(sample: str, delimiter: str, skip: int = 0) -> list[list[str]]:
    reader = csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter)
    records: list[list[str]] = []
    try:
        for index, record in enumerate(reader):
            if index >= skip:
                records.append(record)
            if len(records) >= SAMPLE_RECORDS:
                break
    except csv.Error:
        pass
    return records


def find_header(records: list[list[str]]) -> tuple[int, int]:
    """Return `(index of the header record, typical record width)` among sample records.

    The header is the first record with the typical width and no empty-only content, so
    preambles such as LinkedIn's "Notes:" lines are skipped.
    """
    filled = [r for r in records if any(cell.strip() for cell in r)]
    widths = Counter(_width(r) for r in filled)
    if not widths:
        return 0, 0
    common = max(width for width, count in widths.items() if count == max(widths.values()))
    for index, record in enumerate(records[:HEADER_SEARCH]):
        cells = [cell for cell in record if cell.strip()]
        if cells and _width(record) >= common and (len(cells) > 1 or common == 1):
            return _narrower_header(records, index), common
    first = next(i for i, r in enumerate(records) if any(cell.strip() for cell in r))
    return first, common


def _narrower_header(records: list[list[str]], index: int) -> int:
    """`index`, or the record just before it when that one is the header of data rows that
    all carry one cell more: three or more names, none empty and no address among them,
    while the record at `index` holds an email address, so it is a person, not a header (a
    preamble is a line or two of one cell, or a label and its value)."""
    before = [i for i in range(index) if any(cell.strip() for cell in records[i])]
    if not before:
        return index
    record, chosen = records[before[-1]], records[index]
    width = _width(record)
    if (
        width >= 3
        and width == _width(chosen) - 1
        and all(cell.strip() for cell in record[:width])
        and not any("@" in cell for cell in record)
        and any("@" in cell for cell in chosen)
    ):
        return before[-1]
    return index


def _width(record: list[str]) -> int:
    # Trailing empty cells (a trailing delimiter) do not count as columns.
    width = len(record)
    while width > 1 and not record[width - 1].strip():
        width -= 1
    return width


def _preview(record: list[str]) -> str:
    text = " ".join(" ".join(record).split())
    return text[:40]


def _finish_headers(raw: list[str], width: int, notes: list[str]) -> list[str]:
    """Make headers unique and non-empty; add "Column N" for extra data columns."""
    raw = [cell.replace("\ufeff", "").strip() for cell in raw]
    while len(raw) > width and not raw[-1]:
        raw.pop()
    if len(raw) < width:
        notes.append(
            f"Some rows have more cells than the header; added {width - len(raw)} "
            "column(s) without a name."
        )
        raw += [""] * (width - len(raw))
    return unique_headers(raw, notes)


def unique_headers(raw: list[str], notes: list[str]) -> list[str]:
    """Name empty headers "Column N" and number repeats "Email (2)"; note what changed."""
    headers: list[str] = []
    seen: set[str] = set()
    renamed: list[str] = []
    for index, cell in enumerate(raw, start=1):
        name = " ".join(str(cell or "").split()) or f"Column {index}"
        candidate, number = name, 2
        while candidate.casefold() in seen:
            candidate, number = f"{name} ({number})", number + 1
        if candidate != str(cell or "").strip():
            renamed.append(f"column {index} → “{candidate}”")
        seen.add(candidate.casefold())
        headers.append(candidate)
    if renamed:
        notes.append("Renamed headers that were empty or repeated: " + ", ".join(renamed) + ".")
    return headers


def _delimited_rows(
    stream: IO[str], reader: Iterable[list[str]], skip: int, width: int, notes: list[str]
) -> Iterator[list[str]]:
    dropped = CappedNotes(notes, "{count} records in all had cells beyond the last column.")
    try:
        iterator = iter(reader)
        for _ in range(skip + 1):  # preamble lines, then the header itself
            next(iterator, None)
        last = _check_last(iterator, width, lambda: _ends_with_quote(stream))
        for number, record in enumerate(last, start=2 + skip):
            # Blank when no cell holds more than whitespace: one join and strip in C instead
            # of a generator per record (0.1 against 0.5 µs; each cleaning process reads
            # every record of the file).
            joined = "".join(record)
            if not joined.strip():
                continue
            if "\x00" in joined:  # never meant, and PostgreSQL cannot store it
                record = _without_nul(record, number, notes)
                if not "".join(record).strip():
                    continue
            if len(record) > width:
                extra = record[width:]
                record = record[:width]
                if any(cell.strip() for cell in extra):
                    dropped.add(
                        f"Record {number} has {len(extra)} cell(s) beyond the last column; "
                        "they were left out."
                    )
            elif len(record) < width:
                record = record + [""] * (width - len(record))
            yield record
    except csv.Error as exc:
        raise UnreadableFile(
            f"The file could not be read past record {reader.line_num}: {exc}. "  # type: ignore[attr-defined]
            "Check for an unclosed quote."
        ) from exc
    finally:
        stream.close()
        dropped.close()


def _without_nul(record: list[str], number: int, notes: list[str]) -> list[str]:
    """The record with NUL characters removed; the first such record is noted."""
    if not any("NUL" in note for note in notes):
        notes.append(f"Removed NUL characters (from record {number} on): they cannot be stored.")
    return [cell.replace("\x00", "") for cell in record]


def _check_last(
    records: Iterator[list[str]], width: int, closed: Callable[[], bool] = lambda: False
) -> Iterator[list[str]]:
    """Pass records through; refuse a last record that an unclosed quote ran to the end.

    A short last record with a line break in a cell looks like one; `closed()` (asked only
    then) says whether the file ends with a closing quote, as a record whose multi-line cell
    was closed properly does."""
    previous: list[str] | None = None
    for record in records:
        if previous is not None:
            yield previous
        previous = record
    if previous is None:
        return
    if len(previous) < width and any("\n" in cell for cell in previous) and not closed():
        raise UnreadableFile(
            "A quote opened in the last part of the file is never closed, so the rest of "
            "the file reads as one cell. Check the quotes in the file."
        )
    yield previous


def _ends_with_quote(stream: IO[str]) -> bool:
    """Whether the file's last character (line breaks aside) is a quote, read from its raw
    bytes: a quote and line breaks are one byte, or one byte and a NUL in UTF-16."""
    raw = stream.buffer  # type: ignore[attr-defined]
    size = raw.seek(0, io.SEEK_END)
    raw.seek(max(0, size - 64))
    return raw.read().rstrip(b"\r\n\x00").endswith(b'"')


# --- Excel -------------------------------------------------------------------------------


def _open_xlsx(path: Path) -> Table:
    import zipfile

    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
        raise UnreadableFile(
            "The file is not a readable Excel workbook (.xlsx). Save it again from Excel "
            "or export it as CSV."
        ) from exc
    except Exception as exc:  # openpyxl raises its own types for damaged workbooks
        raise UnreadableFile("The Excel workbook is damaged and could not be read.") from exc
    if not workbook.worksheets:
        workbook.close()
        raise UnreadableFile("The workbook has no sheets.")
    sheet = workbook.worksheets[0]
    notes: list[str] = []
    if len(workbook.worksheets) > 1:
        notes.append(f"Read the first sheet, “{sheet.title}”; other sheets were ignored.")
    values = sheet.iter_rows(values_only=True)
    sample: list[list[str]] = []
    for row in values:
        sample.append([cell_text(value) for value in row])
        if len(sample) >= SAMPLE_RECORDS:
            break
    if not any(any(c.strip() for c in r) for r in sample):
        workbook.close()
        raise UnreadableFile("The first sheet of the workbook is empty.")
    start, width = find_header(sample)
    if start:
        notes.append(f"Skipped {start} row(s) above the header row.")
    data_width = max(
        (_width(r) for r in sample[start + 1 :] if any(c.strip() for c in r)), default=0
    )
    headers = _finish_headers(sample[start], max(width, data_width), notes)
    rows = _xlsx_rows(workbook, sample[start + 1 :], values, len(headers), start, notes)
    return Table("xlsx", None, None, headers, notes, rows)


def _xlsx_rows(
    workbook: Any,
    sampled: list[list[str]],
    rest: Iterator[tuple[Any, ...]],
    width: int,
    start: int,
    notes: list[str],
) -> Iterator[list[str]]:
    convert: Callable[[tuple[Any, ...]], list[str]] = lambda row: [cell_text(v) for v in row]  # noqa: E731
    dropped = 0
    try:
        for record in _chain(sampled, map(convert, rest)):
            if not any(cell.strip() for cell in record):
                continue
            if len(record) > width:
                if any(cell.strip() for cell in record[width:]):
                    dropped += 1
                record = record[:width]
            yield record + [""] * (width - len(record))
    except Exception as exc:  # a damaged sheet part: say so instead of failing obscurely
        raise UnreadableFile("The Excel workbook is damaged past its first rows.") from exc
    finally:
        workbook.close()
        if dropped:
            notes.append(f"{dropped} row(s) had cells beyond the last column; they were left out.")


def _chain(first: list[list[str]], rest: Iterator[list[str]]) -> Iterator[list[str]]:
    yield from first
    yield from rest


def cell_text(value: Any) -> str:
    """A spreadsheet value as text: whole numbers without ".0", dates as ISO 8601."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time():
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    return str(value).strip()
