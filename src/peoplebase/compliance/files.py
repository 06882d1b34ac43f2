"""Erasure in files kept under the data directory: exports made and import files uploaded.

CSV/TSV records and vCards that name the person are dropped whole; any other text has the
values redacted; a file that cannot be read as text (XLSX, other binaries) but contains the
person is deleted, since it cannot be rewritten safely. Files are replaced atomically.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import re
import tempfile
import zipfile
from collections import Counter
from pathlib import Path

from django.conf import settings

from peoplebase.imports.vcard import split_cards

FOLDERS = ("exports", "imports")
REDACTED = "[erased]"
TABULAR = {".csv", ".tsv", ".txt", ".tab"}
VCARD = {".vcf", ".vcard"}
MAX_FILE_BYTES = 512 * 1024 * 1024


def scrub_data_files(values: list[str], names: list[str]) -> Counter[str]:
    """Scrub every file under the data directory's export and import folders."""
    counts: Counter[str] = Counter()
    for folder in FOLDERS:
        root = Path(settings.DATA_DIR) / folder
        if not root.is_dir():
            continue
        for path in sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink()):
            outcome = scrub_file(path, values, names)
            if outcome:
                counts[f"files.{outcome}"] += 1
    return counts


def scrub_file(path: Path, values: list[str], names: list[str]) -> str:
    """'rewritten', 'deleted' or '' (the file does not mention the person)."""
    if path.stat().st_size > MAX_FILE_BYTES:
        return ""
    raw = path.read_bytes()
    decoded = _decode(raw)
    if decoded is None:
        if _binary_mentions(raw, values + names) or _workbook_names(path, raw, names):
            path.unlink()
            return "deleted"
        return ""
    text, encoding = decoded
    pattern = _pattern(values)
    name_pattern = _pattern(names)
    suffix = path.suffix.lower()
    if suffix in TABULAR:
        if not _mentions(text, pattern) and not _has_name_words(text, names):
            return ""  # the cheap test first: most files never name the person
        # A name spans cells ("Jane","Erased"): records are checked with cells joined by spaces.
        new, dropped = _drop_records(text, pattern, name_pattern)
        if not dropped:
            return ""
    elif suffix in VCARD:
        if not _mentions(_unfold(text), pattern, name_pattern):
            return ""
        new = _drop_vcards(text, pattern, name_pattern)
    elif not _mentions(text, pattern, name_pattern):
        return ""
    else:
        new = pattern.sub(REDACTED, text) if pattern else text
        new = name_pattern.sub(REDACTED, new) if name_pattern else new
    _replace(path, new.encode(encoding))
    return "rewritten"


def _pattern(values: list[str]) -> re.Pattern[str] | None:
    if not values:
        return None
    return re.compile("|".join(re.escape(v) for v in values), re.IGNORECASE)


def _mentions(text: str, *patterns: re.Pattern[str] | None) -> bool:
    return any(p is not None and p.search(text) for p in patterns)


def _has_name_words(text: str, names: list[str]) -> bool:
    lowered = text.lower()
    return any(all(word in lowered for word in name.split()) for name in names)


def _decode(raw: bytes) -> tuple[str, str] | None:
    """The text and the encoding to write it back in, or None for a binary file."""
    if raw.startswith(codecs.BOM_UTF8):
        return raw.decode("utf-8-sig"), "utf-8-sig"
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return raw.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            return None
    if b"\x00" in raw[:4096] or raw.startswith(b"PK\x03\x04"):
        return None
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace"), "cp1252"


def _binary_mentions(raw: bytes, values: list[str]) -> bool:
    """Look inside ZIP members (XLSX is one) and the raw bytes, as UTF-8 and UTF-16."""
    blobs = [raw]
    if raw.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(raw)) as archive:
                blobs += [archive.read(n) for n in archive.namelist()]
        except (zipfile.BadZipFile, OSError, RuntimeError):
            pass
    lowered = [b.lower() for b in blobs]
    for value in values:
        needle = value.lower()
        for form in (needle.encode(), needle.encode("utf-16-le")):
            if any(form in blob for blob in lowered):
                return True
    return False


def _workbook_names(path: Path, raw: bytes, names: list[str]) -> bool:
    """Whether a workbook's row names the person across cells ("Jane" | "Erased"): its strings
    are stored cell by cell, so the bytes never hold the full name."""
    pattern = _pattern(names)
    if pattern is None or not raw.startswith(b"PK\x03\x04"):
        return False
    from peoplebase.imports.readers import UnreadableFile, open_table

    try:
        table = open_table(path, filename="workbook.xlsx")
        return any(_mentions(" ".join(" ".join(row).split()), pattern) for row in table.rows)
    except UnreadableFile:
        return False  # not a workbook (another archive): its bytes were searched already


def _dialect(text: str) -> tuple[str, str]:
    """The delimiter and any `sep=` first line Excel writes."""
    first = text.split("\n", 1)[0].strip()
    if first.lower().startswith("sep=") and len(first) == 5:
        return first[4], first + "\n"
    sample = text[:20_000]
    counts = {d: sample.count(d) for d in (",", ";", "\t")}
    return max(counts, key=lambda d: counts[d]), ""


def _drop_records(
    text: str, pattern: re.Pattern[str] | None, names: re.Pattern[str] | None
) -> tuple[str, int]:
    """Drop whole CSV records (quoted newlines kept together) that mention the person."""
    delimiter, preamble = _dialect(text)
    body = text[len(preamble) :] if preamble else text
    out = io.StringIO()
    out.write(preamble)
    dropped = 0
    try:
        writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
        for record in csv.reader(io.StringIO(body, newline=""), delimiter=delimiter):
            joined = " ".join(record)
            # Empty cells between the parts of a name (Outlook's Middle Name) must not keep it
            # apart: names are also looked for with the cells joined by single spaces.
            if _mentions(joined, pattern, names) or _mentions(" ".join(joined.split()), names):
                dropped += 1
            else:
                writer.writerow(record)
    except csv.Error:
        # Not CSV after all: fall back to dropping physical lines.
        lines = text.splitlines(keepends=True)
        kept = [line for line in lines if not _mentions(line, pattern, names)]
        return "".join(kept), len(lines) - len(kept)
    return out.getvalue(), dropped


def _drop_vcards(text: str, pattern: re.Pattern[str] | None, names: re.Pattern[str] | None) -> str:
    # Cut as the import reader reads cards: a vCard 2.1 AGENT's embedded card goes (or stays)
    # with the card that holds it, never splitting it in two.
    cards = split_cards(text)
    return "".join(card for card in cards if not _mentions(_unfold(card), pattern, names))


def _unfold(text: str) -> str:
    """vCard text with folded lines (and quoted-printable soft breaks) joined again: writers,
    ours included, cut lines at 75 octets, so a long address or name spans two lines."""
    return re.sub(r"=?\r?\n[ \t]|=\r?\n", "", text)


def _replace(path: Path, data: bytes) -> None:
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=".erasing-")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
