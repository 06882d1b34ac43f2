"""Read and write vCard files (2.1, 3.0 and 4.0), many cards per file. Pure Python.

The reader presents cards as a table with fixed columns ("First name", "Email 1",
"Email 1 type"…) so the column mapping treats a .vcf like a CSV. The writer produces vCard
4.0 from plain dictionaries (see `VCardContact`).
"""

from __future__ import annotations

import contextlib
import quopri
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Literal

from peoplebase.imports.readers import CappedNotes, Table, UnreadableFile, text_stream

MIN_MULTI = 3  # email and phone column pairs shown even when no card uses as many
FIXED_BEFORE = [
    "Full name",
    "First name",
    "Last name",
    "Middle name",
    "Name prefix",
    "Name suffix",
    "Company",
    "Department",
    "Job title",
]
FIXED_AFTER = [
    "Street",
    "City",
    "Region",
    "Postal code",
    "Country",
    "Website",
    "LinkedIn",
    "Twitter",
    "Birthday",
    "Note",
    "Tags",
]
EMAIL_KINDS = {"work": "work", "home": "personal", "personal": "personal", "other": "other"}
PHONE_KINDS = {
    "cell": "mobile",
    "mobile": "mobile",
    "iphone": "mobile",
    "work": "work",
    "home": "home",
    "other": "other",
}


@dataclass
class Property:
    """One content line: `group.NAME;params:value` with the value still escaped."""

    name: str
    params: dict[str, list[str]]
    value: str
    group: str = ""

    @property
    def types(self) -> list[str]:
        return [t.lower() for t in self.params.get("TYPE", [])]


@dataclass
class Card:
    """The properties of one BEGIN:VCARD … END:VCARD block, in file order."""

    version: str = ""
    properties: list[Property] = field(default_factory=list)
    ended: bool = True  # False: no END:VCARD, the next BEGIN:VCARD or the file's end closed it


# --- reading -----------------------------------------------------------------------------


def open_vcard_table(path: Path, encoding: str) -> Table:
    """Read a .vcf file as a table; first a cheap pass counts the widest card's emails/phones."""
    emails, phones, cards = _count_multi(path, encoding)
    if not cards:
        raise UnreadableFile("The file holds no vCards (no line “BEGIN:VCARD”).")
    headers = vcard_headers(max(emails, MIN_MULTI), max(phones, MIN_MULTI))
    notes = [f"Read {cards} vCard{'s' if cards != 1 else ''}."]
    return Table("vcard", encoding, None, headers, notes, _rows(path, encoding, headers, notes))


def vcard_headers(emails: int, phones: int) -> list[str]:
    multi: list[str] = []
    for n in range(1, emails + 1):
        multi += [f"Email {n}", f"Email {n} type"]
    for n in range(1, phones + 1):
        multi += [f"Phone {n}", f"Phone {n} type"]
    return [*FIXED_BEFORE, *multi, *FIXED_AFTER]


def _count_multi(path: Path, encoding: str) -> tuple[int, int, int]:
    """Cards, and the most emails and phones of one card, nesting as `parse_cards` does
    (`Nesting`); a quick pass over the raw lines, which only needs each one's name."""
    most_emails = most_phones = cards = emails = phones = 0
    nesting = Nesting()
    with text_stream(path, encoding) as stream:
        for line in stream:
            head, _, value = line.partition(":")
            name = head.split(";", 1)[0].rsplit(".", 1)[-1].strip().upper()
            place = nesting.step(Property(name, {}, value))
            if place == "begin":
                cards, emails, phones = cards + 1, 0, 0
            elif place == "property" and name == "EMAIL":
                emails += 1
                most_emails = max(most_emails, emails)
            elif place == "property" and name == "TEL":
                phones += 1
                most_phones = max(most_phones, phones)
    return most_emails, most_phones, cards


def _rows(path: Path, encoding: str, headers: list[str], notes: list[str]) -> Iterator[list[str]]:
    index = {name: i for i, name in enumerate(headers)}
    unended = CappedNotes(notes, "{count} cards in all had no END:VCARD.")
    empty = CappedNotes(
        notes, "{count} cards in all had no name, email or phone; they were skipped."
    )
    try:
        with text_stream(path, encoding) as stream:
            for number, card in enumerate(parse_cards(stream, encoding), start=1):
                values = card_values(card)
                row = [""] * len(headers)
                for key, value in values.items():
                    if key in index:
                        # NUL is never meant, and PostgreSQL cannot store it.
                        row[index[key]] = value.replace("\x00", "")
                if not card.ended:
                    unended.add(
                        f"Card {number} has no END:VCARD; it was read up to the next card "
                        "or the end of the file."
                    )
                if not any(row):
                    empty.add(f"Card {number} has no name, email or phone; it was skipped.")
                    continue
                yield row
    finally:
        unended.close()
        empty.close()


def parse_cards(lines: Iterable[str], encoding: str = "utf-8") -> Iterator[Card]:
    """Parse every card in `lines`; properties outside a card are ignored.

    A card inside a card is only vCard 2.1's AGENT (`AGENT:` with the card on the lines that
    follow; 3.0 escapes it inside the value): it belongs to the open card and is not read.
    Any other BEGIN:VCARD means the open card lacks its END:VCARD, so it starts the next card
    rather than hiding it as an embedded one.
    """
    card: Card | None = None
    nesting = Nesting()
    for line in _logical_lines(lines):
        prop = parse_line(line)
        if prop is None:
            continue
        place = nesting.step(prop)
        if place == "begin":
            if card is not None and card.properties:
                card.ended = False
                yield card
            card = Card()
            continue
        if place == "end":
            if card is not None:
                yield card
                card = None
            continue
        if card is None or place != "property":
            continue  # outside a card, or inside an embedded AGENT card
        if prop.name == "VERSION":
            card.version = prop.value.strip()
        card.properties.append(_decoded(prop, encoding))
    if card is not None and card.properties:
        card.ended = False
        yield card  # a last card without END:VCARD still counts


@dataclass
class Nesting:
    """The nesting rule of `parse_cards`, shared with erasure (`split_cards`) so both agree
    on where a card ends: a BEGIN:VCARD right after an empty AGENT opens a card inside the
    open one; any other opens a new card."""

    depth: int = 0
    agent: bool = False  # the previous property was an AGENT waiting for its card

    def step(self, prop: Property) -> Literal["begin", "end", "property", "inner", "outside"]:
        """Where `prop`, the next content line, stands: it begins or ends a card, is one of
        the open card's properties, is part of an embedded AGENT card, or is outside any card.
        """
        value = prop.value.strip().upper()
        after_agent, self.agent = self.agent, prop.name == "AGENT" and not value
        if prop.name == "BEGIN" and value == "VCARD":
            if self.depth and after_agent:
                self.depth += 1
                return "inner"
            self.depth = 1
            return "begin"
        if prop.name == "END" and value == "VCARD":
            if not self.depth:
                return "outside"  # a stray END:VCARD
            self.depth -= 1
            return "inner" if self.depth else "end"
        if self.depth > 1:
            return "inner"
        return "property" if self.depth else "outside"


def split_cards(text: str) -> list[str]:
    """`text` cut before every card's BEGIN:VCARD, as `parse_cards` reads them: an AGENT's
    embedded card stays in the piece of its card. The pieces joined are `text` again (any
    text before the first card is the first piece)."""
    pieces: list[str] = []
    nesting = Nesting()
    # A BEGIN:VCARD always starts a physical line (a folded one would start with a space), so
    # cutting there first only leaves deciding which cuts are an embedded card's.
    for chunk in re.split(r"(?im)(?=^BEGIN:VCARD)", text):
        places = [
            nesting.step(prop)
            for line in _logical_lines(chunk.splitlines(keepends=True))
            if (prop := parse_line(line)) is not None
        ]
        if pieces and places[:1] != ["begin"]:
            pieces[-1] += chunk  # an AGENT's card (or the rest of its card): not a new card
        else:
            pieces.append(chunk)
    return pieces


def _logical_lines(lines: Iterable[str]) -> Iterator[str]:
    """Unfold continuation lines (leading space or tab) and quoted-printable soft breaks."""
    current: str | None = None
    for raw in lines:
        line = raw.rstrip("\r\n")
        if current is not None and _soft_break(current):
            # Quoted-printable soft break; some writers also indent the next line.
            current = current[:-1] + (line[1:] if line[:1] in (" ", "\t") else line)
            continue
        if current is not None and line[:1] in (" ", "\t"):
            current += line[1:]
            continue
        if current is not None:
            yield current
        current = line.lstrip("\ufeff")
    if current is not None:
        yield current


def _soft_break(line: str) -> bool:
    head = line.split(":", 1)[0].upper()
    return line.endswith("=") and "QUOTED-PRINTABLE" in head


def parse_line(line: str) -> Property | None:
    """Split a content line into group, name, parameters and (escaped) value."""
    if not line.strip():
        return None
    colon = _value_start(line)
    if colon < 0:
        return None
    head, value = line[:colon], line[colon + 1 :]
    parts = _split_params(head)
    name = parts[0].strip()
    group = ""
    if "." in name:
        group, name = name.rsplit(".", 1)
    params: dict[str, list[str]] = {}
    for part in parts[1:]:
        key, sep, raw = part.partition("=")
        if not sep:  # vCard 2.1 bare parameter: ;WORK ;QUOTED-PRINTABLE ;UTF-8
            bare = key.strip().upper()
            if bare in ("QUOTED-PRINTABLE", "BASE64", "8BIT", "7BIT", "B"):
                params.setdefault("ENCODING", []).append(bare)
            elif bare.startswith("CHARSET"):
                continue
            else:
                params.setdefault("TYPE", []).append(bare)
            continue
        values = [v.strip().strip('"') for v in raw.strip().strip('"').split(",")]
        params.setdefault(key.strip().upper(), []).extend(v for v in values if v)
    return Property(name.upper(), params, value, group.upper())


def _value_start(line: str) -> int:
    quoted = False
    for index, char in enumerate(line):
        if char == '"':
            quoted = not quoted
        elif char == ":" and not quoted:
            return index
    return -1


def _split_params(head: str) -> list[str]:
    return _split_unquoted(head, ";")


def _split_unquoted(text: str, separator: str) -> list[str]:
    parts, current, quoted = [], [], False
    for char in text:
        if char == '"':
            quoted = not quoted
        if char == separator and not quoted:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return parts


def _decoded(prop: Property, file_encoding: str) -> Property:
    """Undo QUOTED-PRINTABLE and honour CHARSET (vCard 2.1); other values stay as read."""
    encoding = [e.upper() for e in prop.params.get("ENCODING", [])]
    charset = (prop.params.get("CHARSET") or ["utf-8"])[0]
    if "QUOTED-PRINTABLE" in encoding:
        data = quopri.decodestring(prop.value.encode("latin-1", errors="replace"))
        prop.value = _decode_bytes(data, charset)
    elif prop.params.get("CHARSET") and charset.lower() not in (file_encoding.lower(), "utf-8"):
        # When the charset is unknown or does not fit, keep the text as the file's encoding read it.
        with contextlib.suppress(LookupError, UnicodeError):
            prop.value = prop.value.encode(file_encoding).decode(charset)
    return prop


def _decode_bytes(data: bytes, charset: str) -> str:
    try:
        return data.decode(charset)
    except (LookupError, UnicodeDecodeError):
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            return data.decode("cp1252", errors="replace")


def unescape(text: str) -> str:
    """Undo vCard text escapes: \\n \\N \\, \\; \\: and \\\\."""
    out, chars = [], iter(text)
    for char in chars:
        if char != "\\":
            out.append(char)
            continue
        following = next(chars, "")
        out.append("\n" if following in "nN" and following else following)
    return "".join(out)


def split_escaped(text: str, separator: str) -> list[str]:
    """Split on `separator` where it is not escaped, then unescape each part."""
    return [unescape(part) for part in _split_raw(text, separator)]


def _split_raw(text: str, separator: str) -> list[str]:
    """Split on `separator` where it is not escaped, keeping every escape for a later split."""
    parts, current, chars = [], [], iter(text)
    for char in chars:
        if char == "\\":
            current += [char, next(chars, "")]
        elif char == separator:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return parts


def card_values(card: Card) -> dict[str, str]:
    """The card as {column header: text}, using the headers of `vcard_headers`."""
    values: dict[str, str] = {}
    labels = {
        p.group: p.value.strip() for p in card.properties if p.name == "X-ABLABEL" and p.group
    }
    emails: list[tuple[str, str]] = []
    phones: list[tuple[str, str]] = []
    tags: list[str] = []
    websites: list[str] = []
    for prop in card.properties:
        _read_property(prop, values, emails, phones, tags, websites, labels)
    for n, (address, kind) in enumerate(emails, start=1):
        values[f"Email {n}"], values[f"Email {n} type"] = address, kind
    for n, (number, kind) in enumerate(phones, start=1):
        values[f"Phone {n}"], values[f"Phone {n} type"] = number, kind
    if tags:
        values["Tags"] = packed_tags(list(dict.fromkeys(tags)))
    if websites:
        values["Website"] = websites[0]
    result = {
        key: value.replace("\r\n", "\n").replace("\r", "\n").strip()
        for key, value in values.items()
        if value and value.strip()
    }
    if "Full name" in result and _stand_in_name(result, emails):
        del result["Full name"]
    return result


NAME_PARTS = ("First name", "Last name", "Middle name", "Name prefix", "Name suffix")


def _stand_in_name(values: dict[str, str], emails: list[tuple[str, str]]) -> bool:
    """FN only repeats the card's email while N names no one: the writer filled the required
    FN for a nameless contact (ours does, see `display_name`), so taking it for the person's
    name would invent one.

    Only the email: a contact without a name always has one (the contact rules), so our own
    cards never stand in with the company or phone, and a card from elsewhere whose FN is its
    organisation (an address book's company card) keeps that as its name rather than becoming
    a row with neither name nor email, which the import would refuse."""
    if any(values.get(part) for part in NAME_PARTS):
        return False
    full = values["Full name"].casefold()
    return any(full == address.casefold() for address, _ in emails)


def packed_tags(tags: list[str]) -> str:
    """Categories as one cell, packed with " ::: ", the only separator the mapping then splits
    tags at (`mapping._tag_pieces`): an escaped comma in a category ("VIP\\, Gold") stays in
    its tag. A lone category holding a comma or semicolon gets the mark too."""
    text = " ::: ".join(tags)
    if len(tags) == 1 and ("," in text or ";" in text):
        text += " :::"
    return text


def _read_property(
    prop: Property,
    values: dict[str, str],
    emails: list[tuple[str, str]],
    phones: list[tuple[str, str]],
    tags: list[str],
    websites: list[str],
    labels: dict[str, str],
) -> None:
    name, text = prop.name, prop.value
    types = prop.types + ([_label_type(labels[prop.group])] if prop.group in labels else [])
    if name == "FN":
        values.setdefault("Full name", unescape(text))
    elif name == "N":
        parts = [*_split_raw(text, ";"), "", "", "", "", ""]
        for header, part in zip(
            ("Last name", "First name", "Middle name", "Name prefix", "Name suffix"),
            parts,
            strict=False,
        ):
            # An unescaped comma separates values of one part ("Ann,Marie"); an escaped one
            # belongs to the name ("Smith\, Jr.", as our export writes it).
            words = (word.strip() for word in split_escaped(part, ","))
            values.setdefault(header, " ".join(word for word in words if word))
    elif name == "ORG":
        parts = split_escaped(text, ";")
        values.setdefault("Company", parts[0])
        if len(parts) > 1:
            values.setdefault("Department", "; ".join(p for p in parts[1:] if p))
    elif name == "TITLE":
        values.setdefault("Job title", unescape(text))
    elif name == "EMAIL":
        address = unescape(text).strip()
        if address.lower().startswith("mailto:"):
            address = address[7:]
        if address:
            emails.append((address, _kind(types, EMAIL_KINDS, "")))
    elif name == "TEL":
        number = unescape(text).strip()
        if number.lower().startswith("tel:"):
            number = number[4:]
        if number:
            phones.append((number, _kind(types, PHONE_KINDS, "")))
    elif name == "ADR":
        _read_address(text, values)
    elif name == "URL":
        _read_url(unescape(text).strip(), values, websites)
    elif name == "X-SOCIALPROFILE":
        _read_social(unescape(text).strip(), types, values)
    elif name in ("X-TWITTER",):
        values.setdefault("Twitter", unescape(text).strip())
    elif name == "NOTE":
        values["Note"] = "\n\n".join(filter(None, [values.get("Note", ""), unescape(text)]))
    elif name == "BDAY":
        values.setdefault("Birthday", vcard_date(unescape(text)))
    elif name == "CATEGORIES":
        tags.extend(t.strip() for t in split_escaped(text, ",") if t.strip())


def _label_type(label: str) -> str:
    # Apple writes item1.X-ABLabel:_$!<Mobile>!$_ for custom or localised types.
    return re.sub(r"[^a-z]", "", label.lower())


def _kind(types: list[str], kinds: dict[str, str], default: str) -> str:
    for kind in types:
        if kind in kinds:
            return kinds[kind]
    return default


def _read_address(text: str, values: dict[str, str]) -> None:
    if "Street" in values or "City" in values:
        return  # the first address is the contact's; others stay out of the columns
    parts = [*split_escaped(text, ";"), "", "", "", "", "", "", ""]
    pobox, extended, street, city, region, code, country = parts[:7]
    values["Street"] = ", ".join(p for p in (street, extended, pobox) if p.strip())
    values["City"], values["Region"], values["Postal code"] = city, region, code
    values["Country"] = country


def _read_url(url: str, values: dict[str, str], websites: list[str]) -> None:
    lowered = url.lower()
    if "linkedin.com/" in lowered:
        values.setdefault("LinkedIn", url)
    elif "twitter.com/" in lowered or "x.com/" in lowered:
        values.setdefault("Twitter", url)
    elif url:
        websites.append(url)


def _read_social(url: str, types: list[str], values: dict[str, str]) -> None:
    if url.lower().startswith("x-apple:"):
        url = url[8:]
    if "linkedin" in types or "linkedin.com/" in url.lower():
        values.setdefault("LinkedIn", url)
    elif "twitter" in types or "twitter.com/" in url.lower() or "x.com/" in url.lower():
        values.setdefault("Twitter", url)


def vcard_date(text: str) -> str:
    """Bring vCard dates to ISO: 19800307 → 1980-03-07, --0307 → --03-07; time is dropped."""
    text = text.strip().split("T", 1)[0]
    if re.fullmatch(r"\d{8}", text):
        return f"{text[:4]}-{text[4:6]}-{text[6:]}"
    if re.fullmatch(r"--\d{4}", text):
        return f"--{text[2:4]}-{text[4:]}"
    return text


# --- writing -----------------------------------------------------------------------------


@dataclass
class VCardContact:
    """What the writer needs of a contact; strings are plain, unescaped text."""

    full_name: str
    first_name: str = ""
    last_name: str = ""
    company: str = ""
    department: str = ""
    job_title: str = ""
    emails: list[tuple[str, str]] = field(default_factory=list)  # (address, kind)
    phones: list[tuple[str, str]] = field(default_factory=list)  # (number, kind)
    street: str = ""
    street2: str = ""  # the extended address (apartment, suite)
    city: str = ""
    region: str = ""
    postal_code: str = ""
    country: str = ""
    linkedin_url: str = ""
    twitter_handle: str = ""
    birthday: str = ""  # "1980-03-07" or "--03-07" when the year is unknown
    tags: list[str] = field(default_factory=list)
    note: str = ""
    uid: str = ""


WRITE_EMAIL_TYPES = {"work": "work", "personal": "home"}
WRITE_PHONE_TYPES = {"work": "work,voice", "mobile": "cell", "home": "home,voice"}


def escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\")
        .replace(",", "\\,")
        .replace(";", "\\;")
        .replace("\r\n", "\n")
        .replace("\n", "\\n")
    )


def fold(line: str) -> str:
    """Fold a content line at 75 octets (never inside a UTF-8 character), CRLF-terminated."""
    out, current, size = [], [], 0
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > 75:
            out.append("".join(current))
            current, size = [" "], 1
        current.append(char)
        size += width
    out.append("".join(current))
    return "\r\n".join(out) + "\r\n"


def display_name(contact: VCardContact) -> str:
    """FN may not be empty (RFC 6350, and some clients refuse such a card): a contact without a
    name shows as its primary email, else its company, else its phone. The reader knows these
    stand-ins (`_stand_in_name`) and does not import them as a name."""
    name = contact.full_name.strip() or f"{contact.first_name} {contact.last_name}".strip()
    stand_ins = [
        *(address for address, _ in contact.emails),
        contact.company,
        *(number for number, _ in contact.phones),
    ]
    # Contacts always have a name or an email (contact services); the last word is a guard.
    return name or next((s.strip() for s in stand_ins if s.strip()), "Unnamed contact")


def write_card(contact: VCardContact) -> str:
    """One vCard 4.0 as text."""
    lines = ["BEGIN:VCARD", "VERSION:4.0", f"FN:{escape(display_name(contact))}"]
    lines.append(f"N:{escape(contact.last_name)};{escape(contact.first_name)};;;")
    if contact.uid:
        lines.append(f"UID:{escape(contact.uid)}")
    if contact.company or contact.department:
        org = escape(contact.company)
        lines.append(
            f"ORG:{org};{escape(contact.department)}" if contact.department else f"ORG:{org}"
        )
    if contact.job_title:
        lines.append(f"TITLE:{escape(contact.job_title)}")
    for index, (address, kind) in enumerate(contact.emails):
        params = _write_params(WRITE_EMAIL_TYPES.get(kind), index == 0)
        lines.append(f"EMAIL{params}:{escape(address)}")
    for index, (number, kind) in enumerate(contact.phones):
        params = _write_params(WRITE_PHONE_TYPES.get(kind), index == 0) + ";VALUE=uri"
        lines.append(f"TEL{params}:tel:{number.replace(' ', '-')}")
    address = (contact.street, contact.city, contact.region, contact.postal_code, contact.country)
    if any(address) or contact.street2:
        parts = ";".join(escape(part) for part in address)
        lines.append(f"ADR:;{escape(contact.street2)};{parts}")
    if contact.linkedin_url:
        lines.append(f"URL;TYPE=linkedin:{contact.linkedin_url}")
    if contact.twitter_handle:
        handle = contact.twitter_handle.lstrip("@")
        lines.append(f"X-SOCIALPROFILE;TYPE=twitter:https://twitter.com/{handle}")
    if contact.birthday:
        lines.append(f"BDAY:{vcard_bday(contact.birthday)}")
    if contact.tags:
        lines.append("CATEGORIES:" + ",".join(escape(tag) for tag in contact.tags))
    if contact.note:
        lines.append(f"NOTE:{escape(contact.note)}")
    lines.append("END:VCARD")
    return "".join(fold(line) for line in lines)


def vcard_bday(iso: str) -> str:
    """ISO birthday to vCard 4.0 basic form: 1980-03-07 → 19800307, --03-07 → --0307."""
    if iso.startswith("--"):
        return "--" + iso[2:].replace("-", "")
    return iso.replace("-", "")


def _write_params(types: str | None, preferred: bool) -> str:
    params = f";TYPE={types}" if types else ""
    return params + (";PREF=1" if preferred else "")


def write_cards(contacts: Iterable[VCardContact], out: IO[str]) -> int:
    """Write every contact to `out`; returns how many were written."""
    count = 0
    for contact in contacts:
        out.write(write_card(contact))
        count += 1
    return count
