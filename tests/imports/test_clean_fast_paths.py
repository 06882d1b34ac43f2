"""The import's cleaning fast paths (ASCII shortcuts, remembered results, per-mapping plans)
must give exactly what the general code gives, for every input: compared here on tricky text.

Each `reference_*` is the general path as it was before the shortcuts, kept verbatim.
"""

from __future__ import annotations

import itertools
import random
import re
import unicodedata
from typing import Any

import pytest
from phonenumbers import COUNTRY_CODE_TO_REGION_CODE

from peoplebase.imports import mapping as mapping_module
from peoplebase.normalize import fold, phone_digits
from peoplebase.normalize.text import _fold_unicode
from peoplebase.search.documents import (
    WORD,
    email_text,
    name_text,
    national_digits,
    phone_text,
    token_text,
    tokens,
)

TEXTS = [
    "",
    " ",
    "\t\n",
    "José",
    "JOSÉ",
    "josé garcía",
    "Jose\u0301 (decomposed)",
    "Straße",
    "STRASSE",
    "ẞ capital sharp s",
    "İstanbul",
    "ıstanbul",
    "Iİıi",
    "i̇",
    "Ǆemal ǅ ǆ",
    "ﬁnn ﬀ",
    "Ⅻ Ⅷ. Henry",
    "Zoë O'Brien",
    "Nguyễn Văn A",
    "山田 太郎",
    "Дмитрий Иванов",
    "محمد علي",
    "٣٤٥ arabic digits",
    "①② ⓐⓑ Ⓐ",
    "Ångström Øster Łukasz Œuvre þór ĸ ŀ ħ ŧ đ ð æ",
    "ΣΊΣΥΦΟΣ ὈΔΥΣΣΕΎΣ",
    "K Kelvin Å Angstrom",
    "dr. margaret van der berg jr.",
    "Berg, Margaret",
    "MARY ANN SMITH",
    "mary ann smith",
    "a_b-c.d",
    "  lots   of  space ",
    "tab\there\x0bvt\x1cfs\x1dgs",
    "\u00a0nbsp\u00a0and\u2003em\u3000ideographic",
    "nul\x00char",
    "CEO",
    "Sales Manager",
    "Head of Ops",
    "über-Straße 5",
    "x" * 64,
    "ü" * 64,
    "ü" * 65,
    "Ü" + "x" * 200,
    "mixed Ελληνικά and Кириллица and 中文",
    "emoji 😀 and skin 👍🏽",
    "zero\u200bwidth\u200djoiner",
    "a@b.com",
    "a.b+tag@example.com",
    "josé@exämple.com",
    "user@bücher.de",
    '"john doe"@example.com',
    "test@ιστότοπος.δοκιμή",
]


def reference_fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    table = str.maketrans(
        {
            "ø": "o",
            "ł": "l",
            "æ": "ae",
            "œ": "oe",
            "đ": "d",
            "ð": "d",
            "þ": "th",
            "ħ": "h",
            "ŧ": "t",
            "\u0131": "i",
            "ŀ": "l",
            "ĸ": "k",
        }
    )
    folded = stripped.casefold().translate(table)
    decomposed = unicodedata.normalize("NFKD", folded)
    return " ".join("".join(ch for ch in decomposed if not unicodedata.combining(ch)).split())


def reference_tokens(text: str) -> list[str]:
    return WORD.findall(reference_fold(text or ""))


def reference_name_text(first: str, last: str, full: str) -> str:
    found = [*reference_tokens(full), *reference_tokens(first), *reference_tokens(last)]
    return " ".join(dict.fromkeys(t for t in found if t))


def reference_phone_digits(raw: str) -> str:
    return "".join(str(int(ch)) for ch in raw if ch.isdecimal())


@pytest.mark.parametrize("text", TEXTS)
def test_fold_and_tokens_agree_with_the_general_path(text: str) -> None:
    for _ in range(2):  # the second call is answered from the cache
        assert fold(text) == reference_fold(text) == _fold_unicode(text)
        assert tokens(text) == reference_tokens(text)
        assert token_text(text) == " ".join(reference_tokens(text))
        assert email_text([text]) == " ".join(reference_tokens(text))


def test_tokens_of_a_cached_text_are_a_fresh_list() -> None:
    first = tokens("Zoë Ångström")
    first.append("changed")
    assert tokens("Zoë Ångström") == ["zoe", "angstrom"]


def test_name_text_agrees_with_the_general_path() -> None:
    names = ["", "Zoë", "ZOË", "Ångström", "O'Brien", "İsmail", "ıl", "Straße", "Mary Ann", "山田"]
    for first, last in itertools.product(names, repeat=2):
        for full in ("", f"{first} {last}", "Dr. Zoë Strasse", "ss"):
            for _ in range(2):
                assert name_text(first, last, full) == reference_name_text(first, last, full)


PHONES = [
    "",
    "+1 212-555-0100",
    "(212) 555-0199",
    "212.555.0142",
    "+12125550100",
    "+44 (0)20 7946 0958",
    "tel:+1-212-555-0100;ext=12",
    "١٢٣٤٥٦٧٨٩٠",
    "+١ ٢١٢ ٥٥٥ ٠١٠٠",
    "２１２５５５０１００",
    "۰۱۲۳ persian",
    "߀߁ nko",
    "①② not decimal",
    "²³ superscripts",
    "abc",
]


@pytest.mark.parametrize("raw", PHONES)
def test_phone_digits_agree_with_the_general_path(raw: str) -> None:
    assert phone_digits(raw) == reference_phone_digits(raw)


def test_phone_text_uses_the_same_digits() -> None:
    assert phone_text(["+12125550100", "(212) 555-0199", "+١ ٢١٢ ٥٥٥ ٠١٠٠"]) == (
        "12125550100 2125550100 2125550199"
    )


def reference_apply_mapping(cells: list[str], mapping: dict[int, str]) -> dict[str, Any]:
    """`apply_mapping` as it was before the per-mapping plan."""
    data: dict[str, Any] = {}
    emails: list[tuple[int, str]] = []
    phones: list[tuple[int, str]] = []
    email_kinds: list[str] = []
    phone_kinds: list[str] = []
    for index in sorted(mapping):
        target = mapping[index]
        value = mapping_module._cell(cells, index)
        if target.startswith("emails"):
            emails.append((index, target))
        elif target.startswith("phones"):
            phones.append((index, target))
        elif target == "email_kind":
            email_kinds.append(value)
        elif target == "phone_kind":
            phone_kinds.append(value)
        elif value:
            mapping_module._put(data, target, value)
    reference_put_list(data, "emails", cells, emails, email_kinds)
    reference_put_list(data, "phones", cells, phones, phone_kinds)
    return data


def reference_put_list(
    data: dict[str, Any],
    kind_key: str,
    cells: list[str],
    columns: list[tuple[int, str]],
    kinds: list[str],
) -> None:
    is_email = kind_key == "emails"
    items: list[dict[str, Any]] = []
    seen: set[str] = set()
    has_primary = False
    for position, (index, target) in enumerate(columns):
        value = mapping_module._cell(cells, index)
        if not value:
            continue
        kind_text = kinds[position] if position < len(kinds) else ""
        kind = (
            target.split(".", 1)[1]
            if "." in target
            else mapping_module.kind_of(kind_text, email=is_email)
        )
        primary = kind_text.strip().startswith("*") and not has_primary
        if ":::" in value or (is_email and ("," in value or ";" in value)):
            splitter = mapping_module.EMAIL_SPLIT if is_email else mapping_module.PACKED
            pieces = splitter.split(value)
        else:
            pieces = [value]
        for piece in pieces:
            piece = piece.strip()
            identity = piece.casefold() if is_email else re.sub(r"\D", "", piece) or piece
            if not piece or identity in seen:
                continue
            seen.add(identity)
            item: dict[str, Any] = {"email" if is_email else "number": piece}
            if kind:
                item["kind"] = kind
            if primary:
                item["is_primary"] = True
                has_primary, primary = True, False
            items.append(item)
    if items:
        data[kind_key] = items


CELL_VALUES = [
    "",
    "  ",
    "Zoë",
    " José García ",
    "'=SUM(A1)",
    "'+44 20 7946 0958",
    "'",
    "''x",
    "a@example.com",
    "A@Example.com ::: a@example.com",
    "x@example.com, y@example.com; Z@example.com",
    "+1 212-555-0100 ::: (212) 555-0100",
    "* Work",
    "Mobile",
    "HOME",
    "Decision Maker",
    "Opted In",
    "42.000",
    "7.5",
    "vip, * myContacts ::: Customers;vip",
    "İstanbul",
    "note one",
    "'\t+1 212 555 0100",
    "'\r x@example.com ",
    "'-5",
    "'@handle",
    " Work ",
    "* ",
    "*",
    "INTERNET",
    "iPhone",
    "other",
    "+1 212-555-0100, +1 212-555-0101",
    "a@example.com ::: ",
]


def test_apply_mapping_agrees_with_the_general_path() -> None:
    rng = random.Random(4)
    targets = [target for target, _label in mapping_module.BUILTIN_TARGETS] + [
        "custom.size",
        "custom.size",
        "emails",
        "phones.mobile",
        "email_kind",
        "phone_kind",
        "note",
        "tags",
        "first_name",
    ]
    for _ in range(300):
        width = rng.randrange(1, 14)
        mapping = {
            index: rng.choice(targets)
            for index in rng.sample(range(width + 3), rng.randrange(1, width + 1))
        }
        for _ in range(20):
            cells = [rng.choice(CELL_VALUES) for _ in range(rng.randrange(0, width + 2))]
            assert mapping_module.apply_mapping(cells, mapping) == reference_apply_mapping(
                cells, mapping
            )


PHONE_INPUTS = [
    *PHONES,
    "+44 20 7946 0958",
    "020 7946 0958",
    "0044 20 7946 0958",
    "001 212 555 0100",
    "00 12",
    "+33 1 42 68 53 00",
    "+49 30 1234567",
    "+81 3-1234-5678",
    "555-0100",
    "12",
    "911",
    "+1 (800) FLOWERS",
    "+1 212 555 0100 ext. 12",
    "+7 495 123-45-67",
    "+7 727 123 4567",
    "+39 06 698 12345",
    "+379 06 6982",
    "+262 262 12 34 56",
    "+262 269 61 12 34",
    "+590 590 27 12 34",
    "+590 590 87 12 34",
    "+599 9 461 2345",
    "+599 7 15 1234",
    "+358 18 12345",
    "+47 22 12 34 56",
    "+47 79 12 34 56",
    "+61 2 9876 5432",
    "+61 8 9162 1234",
    "+1 264 497 1234",
    "+1 876 555 0100",
    "+1 441 295 1234",
    "+1 684 633 1234",
    "+1 416 555 0100",
    "+44 1624 612345",
    "+44 1481 712345",
    "+44 1534 712345",
    "+44 7700 900123",
    "+212 5 22 12 34 56",
    "+212 528 81 12 34",
    "+290 2 1234",
    "+290 8 1234",
    "+800 1234 5678",
    "+882 1234 5678",
    "+1 212 555 01000",
    "+1 000 000 0000",
    "(0)20 7946 0958",
]


@pytest.mark.parametrize("region", ["US", "GB", "DE", "IT", "RU"])
def test_phone_normalising_agrees_with_the_library_uncached(
    region: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """phonenumbers with its pattern cache on reads every number as with it off."""
    from phonenumbers import re_util

    from peoplebase.normalize import phones

    general = phones._normalize_cached.__wrapped__
    fast = [general(raw, region) for raw in PHONE_INPUTS if raw.strip()]
    if hasattr(re_util, "_COMPILED_PATTERNS"):
        monkeypatch.setattr(re_util, "_COMPILED_PATTERNS", None)
    assert [general(raw, region) for raw in PHONE_INPUTS if raw.strip()] == fast


EMAIL_INPUTS = [
    "a@b.com",
    "A.B+tag@Example.COM",
    "  JOHN@EXAMPLE.COM ",
    "john at example.com",
    "José@exämple.com",
    "user@bücher.de",
    "user@xn--bcher-kva.de",
    '"john doe"@example.com',
    '"a\\"b"@example.com',
    "a..b@example.com",
    "Jane <jane@x.org>",
    "mailto:foo@bar.io?subject=x",
    "a@localhost",
    "test@ιστότοπος.δοκιμή",
    "İ@example.com",
    "ı@example.com",
    "user+ß@example.com",
    "a" * 65 + "@example.com",
    "",
    " ",
]


@pytest.mark.parametrize("raw", EMAIL_INPUTS)
def test_email_address_alone_is_normalize_emails_value(raw: str) -> None:
    from peoplebase.normalize import InvalidEmail, normalize_email, normalized_address

    try:
        expected = normalize_email(raw)
    except InvalidEmail as exc:
        expected_error = str(exc)
        with pytest.raises(InvalidEmail) as caught:
            normalized_address(raw)
        assert str(caught.value) == expected_error
    else:
        assert normalized_address(raw) == expected.value
        assert expected.original == raw  # what clean_emails keeps as the original


@pytest.mark.parametrize("region", ["US", "GB", "de"])
def test_phone_parts_alone_are_normalize_phones(region: str) -> None:
    from peoplebase.normalize import InvalidPhone, normalize_phone, read_phone

    def outcome(call: Any, raw: str) -> Any:
        try:
            return call(raw, region)
        except InvalidPhone as exc:
            return str(exc)

    for raw in [*PHONE_INPUTS, "1" * 41, "abc", " "]:
        expected = outcome(normalize_phone, raw)
        got = outcome(read_phone, raw)
        if isinstance(expected, str):
            assert got == expected
        else:
            assert got == (expected.e164, expected.warning)
            assert expected.original == raw  # what clean_phones keeps as the original
            # clean_phones stores NormalizedPhone.value and is_valid from these parts
            assert expected.value == (got[0] if got[0] is not None else raw.strip())
            assert expected.is_valid == (got[0] is not None)


def reference_national_digits(digits: str) -> str:
    for length in (1, 2, 3):
        if int(digits[:length] or 0) in COUNTRY_CODE_TO_REGION_CODE:
            return digits[length:]
    return ""


def test_national_digits_agree_with_the_general_path() -> None:
    prefixes = ["".join(p) for n in range(4) for p in itertools.product("0123456789", repeat=n)]
    for prefix in prefixes:
        for digits in (prefix, prefix + "2125550100", prefix + "7"):
            assert national_digits(digits) == reference_national_digits(digits), digits


def reference_phone_text(numbers: list[str]) -> str:
    found: list[str] = []
    for number in numbers:
        digits = reference_phone_digits(number or "")
        found.append(digits)
        if number.startswith("+") and digits:
            found.append(reference_national_digits(digits))
    return " ".join(list(dict.fromkeys(item for item in found if item)))


def test_phone_text_agrees_with_the_general_path() -> None:
    inputs = [p for p in PHONE_INPUTS if p] + ["+", "+0", "+999 123", "", "+12125550100"]
    inputs += ["+٣٤٥", "+²³", "+1", "+12", "+123", "+1234", "+8001234", "+44", "+99912"]
    rng = random.Random(5)
    for _ in range(500):
        numbers = rng.sample(inputs, rng.randrange(0, 4))
        assert phone_text(numbers) == reference_phone_text(numbers)


def reference_extract_address(raw: str) -> str:
    text = raw.strip()
    match = re.compile(r"<([^<>]*)>\s*$").search(text)
    if match:
        text = match.group(1).strip()
    if text[:7].lower() == "mailto:":
        text = text[7:].split("?", 1)[0].strip()
    return text


@pytest.mark.parametrize(
    "raw",
    [
        *EMAIL_INPUTS,
        "Jane Doe <jane@example.com>  ",
        "<jane@example.com>",
        "Jane <jane@example.com> trailing",
        "a>b@example.com",
        "<a>b>@example.com",
        "Name <MAILTO:x@y.org?cc=z>",
        "mailto:",
        "<>",
        ">",
    ],
)
def test_address_extraction_agrees_with_the_general_path(raw: str) -> None:
    from peoplebase.normalize import emails

    assert emails._extract_address(raw) == reference_extract_address(raw)


def test_apply_mapping_follows_a_mapping_changed_in_place() -> None:
    cells = ["Zoë", "zoe@example.com", "+1 212 555 0100", "* Mobile"]
    mapping: dict[int, str] = {}
    for index, target in [(0, "first_name"), (1, "emails"), (2, "phones"), (3, "phone_kind")]:
        assert mapping_module.apply_mapping(cells, mapping) == reference_apply_mapping(
            cells, mapping
        )
        mapping[index] = target
        assert mapping_module.apply_mapping(cells, mapping) == reference_apply_mapping(
            cells, mapping
        )
    mapping[0] = "last_name"
    assert mapping_module.apply_mapping(cells, mapping)["last_name"] == "Zoë"
    assert mapping_module.apply_mapping(cells, {}) == {}


def test_file_keys_agree_with_the_general_path() -> None:
    from peoplebase.imports.pipeline import file_keys

    values: list[Any] = ["", " ", "x", "0", None, [], {}, [""], {"a": 1}, 0, False, 0.0, ()]
    for chosen in itertools.product(values, repeat=2):
        data = {"a": chosen[0], "b": chosen[1], "c": "kept"}
        expected = frozenset(k for k, v in data.items() if v not in (None, "", [], {}))
        assert file_keys(data) == expected


def _every_field_set(number: int) -> Any:
    """A cleaned row whose every field (its contact's, emails' and phones' too) differs from
    its default, so a field lost on the way fails the comparison."""
    from dataclasses import fields

    from peoplebase.contacts.cleaning import CleanContact, CleanEmail, CleanPhone
    from peoplebase.imports.pipeline import PreparedRow

    clean = CleanContact(
        scalars={"first_name": "Zoë", "lead_score": 7},
        emails=[CleanEmail("a@example.com", " A@Example.com ", "home", True, True, True)],
        phones=[CleanPhone("+12125550100", "(212) 555-0100", "mobile", True, False)],
        tags=["VIP"],
        custom_fields={"tier": "gold"},
        warnings=["“x” may not be a valid number in US"],
    )
    row = PreparedRow(number=number, cells=["Zoë", "a@example.com"], clean=clean)
    values = {
        "file_keys": frozenset({"first_name", "emails"}),
        "company_name": "Acme Inc",
        "company_key": "acme inc",
        "sort_name": "zoe",
        "owner_email": "owner@example.com",
        "owner_id": 3,
        "note": "met at a fair",
        "reason": "r",
        "warning": "w",
        "outcome": "created",
        "match_id": 9,
        "changes": {"city": ["", "Paris"]},
        "contact_id": 11,
        "search_text": ("zoe", "a example com", "12125550100", ""),
        "keys": ["e:a@example.com"],
        "contact_columns": ("sort_name", "email"),
        "contact_values": ("zoe", "a@example.com"),
    }
    for name, value in values.items():
        setattr(row, name, value)
    unset = [f.name for f in fields(PreparedRow) if f.name not in {*values, "number", "cells"}]
    assert unset == ["clean"]  # a new field must be given a value above
    return row


def test_cleaned_rows_cross_the_pipe_unchanged() -> None:
    import pickle

    from peoplebase.contacts.cleaning import CleanContact
    from peoplebase.imports.cleaners import pack, unpack
    from peoplebase.imports.pipeline import PreparedRow

    rejected = PreparedRow(number=2, cells=["", " at "], reason="emails.0.email: bad")
    no_lists = PreparedRow(number=3, cells=["Ann"], clean=CleanContact(scalars={"x": "y"}))
    rows = [_every_field_set(1), rejected, no_lists]
    received = unpack(pickle.loads(pickle.dumps(pack(rows))))  # noqa: S301 - our own bytes
    assert received == rows
    assert [type(row) for row in received] == [PreparedRow] * 3
    assert received[0].clean.emails[0].is_opted_out is True
    assert received[2].clean.emails is None and received[2].clean.phones is None
    # What crosses is plain data: no class is pickled by reference.
    assert b"PreparedRow" not in pickle.dumps(pack(rows))


def test_batches_as_read_number_their_rows_from_one_after_the_skipped_ones() -> None:
    from peoplebase.imports.pipeline import batches, raw_batches

    rows = [[str(number)] for number in range(1, 8)]
    assert list(raw_batches(iter(rows), 3, start=2)) == [
        (3, [["3"], ["4"], ["5"]]),
        (6, [["6"], ["7"]]),
    ]
    made = list(batches(iter(rows), 3, start=2))
    assert [[(row.number, row.cells) for row in batch] for batch in made] == [
        [(3, ["3"]), (4, ["4"]), (5, ["5"])],
        [(6, ["6"]), (7, ["7"])],
    ]
    assert list(raw_batches(iter(rows), 3, start=7)) == []
    assert list(raw_batches(iter(rows), 7)) == [(1, rows)]


def test_a_rows_report_joins_its_reason_and_warning_with_a_space_within_500_characters() -> None:
    from peoplebase.imports.pipeline import PreparedRow

    def report(reason: str, warning: str) -> str:
        return PreparedRow(number=1, cells=[], reason=reason, warning=warning).report

    assert report("", "") == ""
    assert report("Skipped.", "") == "Skipped."
    assert report("", "Owner unknown.") == "Owner unknown."
    assert report("Skipped.", "Owner unknown.") == "Skipped. Owner unknown."
    assert report("r" * 600, "") == "r" * 500
    assert report("r" * 499, "w") == "r" * 499 + " "
    assert report("", "w" * 501) == "w" * 500


def test_a_new_contact_row_takes_the_primary_address_and_number() -> None:
    from peoplebase.contacts.cleaning import CleanEmail, CleanPhone, primary_email, primary_number

    emails = [CleanEmail("a@example.com", "a"), CleanEmail("b@example.com", "b", is_primary=True)]
    phones = [CleanPhone("+1", "1"), CleanPhone("+2", "2", is_primary=True)]
    assert (primary_email(emails), primary_number(phones)) == ("b@example.com", "+2")
    assert (primary_email(emails[:1]), primary_number(phones[:1])) == ("", "")
    assert (primary_email(None), primary_number([])) == ("", "")
