"""Map a file's columns onto contact fields, and turn one row into contact service input.

Pure Python, no Django. `suggest_mapping` recognises the headers of Google Contacts, Outlook,
HubSpot, Salesforce and LinkedIn exports (and common spellings); `apply_mapping` builds the
dictionary `contacts.services.create_contact` / `update_contact` accept, plus the extras the
import pipeline resolves itself (see `EXTRAS`).

Target keys:
- a contact field (`first_name`, `job_title`, `country`, `birthday`…);
- `emails` / `phones`, optionally with a kind (`emails.personal`, `phones.mobile`); a cell may
  hold several values packed Google-style ("a@x.com ::: b@y.com"), each kept;
- `email_kind` / `phone_kind`: a column giving the kind ("Work", "* Mobile"); the n-th such
  column applies to the n-th email (phone) column, which matches how Google and vCard files
  lay them out. A leading "*" (Google's primary marker) makes that value the primary one;
- `full_name`: split into first and last name when the row has neither;
- `tags` (separated by commas, semicolons or " ::: "), `custom.<key>`;
- extras: `company_name`, `owner_email`, `note`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

EXTRAS = ("company_name", "owner_email", "note")
CUSTOM_COLUMN_PREFIXES = ("cf.", "custom.")
MULTI_TARGETS = frozenset(
    {
        "emails",
        "emails.work",
        "emails.personal",
        "emails.other",
        "phones",
        "phones.work",
        "phones.mobile",
        "phones.home",
        "phones.other",
        "email_kind",
        "phone_kind",
        "tags",
        "note",
    }
)
CHOICE_TARGETS = frozenset(
    {"status", "seniority", "role", "consent_status", "consent_type", "gdpr_basis"}
)
BUILTIN_TARGETS: list[tuple[str, str]] = [
    ("full_name", "Full name (split into first and last)"),
    ("first_name", "First name"),
    ("last_name", "Last name"),
    ("emails", "Email"),
    ("emails.work", "Email (work)"),
    ("emails.personal", "Email (personal)"),
    ("emails.other", "Email (other)"),
    ("email_kind", "Email type (for the email column it pairs with)"),
    ("phones", "Phone"),
    ("phones.work", "Phone (work)"),
    ("phones.mobile", "Phone (mobile)"),
    ("phones.home", "Phone (home)"),
    ("phones.other", "Phone (other)"),
    ("phone_kind", "Phone type (for the phone column it pairs with)"),
    ("company_name", "Company (found or created by name)"),
    ("job_title", "Job title"),
    ("department", "Department"),
    ("seniority", "Seniority"),
    ("role", "Buying role"),
    ("status", "Status"),
    ("lead_score", "Lead score"),
    ("source", "Source"),
    ("owner_email", "Owner (user's email)"),
    ("birthday", "Birthday"),
    ("street", "Street"),
    ("street2", "Street (line 2)"),
    ("city", "City"),
    ("region", "Region / state"),
    ("postal_code", "Postal code"),
    ("country", "Country"),
    ("linkedin_url", "LinkedIn"),
    ("twitter_handle", "Twitter / X"),
    ("consent_status", "Consent status"),
    ("consent_type", "Consent type"),
    ("consent_date", "Consent date"),
    ("consent_source", "Consent source"),
    ("gdpr_basis", "GDPR basis"),
    ("last_contacted_at", "Last contacted"),
    ("tags", "Tags"),
    ("note", "Note (added to the timeline)"),
]

# Generic headers that yield to a more specific column: Outlook's "Title" is "Mr."/"Dr." when
# a "Job Title" column exists; LinkedIn's "URL" is the profile address.
WEAK: dict[str, str] = {"title": "job_title", "url": "linkedin_url"}
# Headers in compact form (case-folded, accents and punctuation removed) → target.
EXACT: dict[str, str] = {
    **dict.fromkeys(
        ["firstname", "givenname", "first", "forename", "fname", "prenom", "vorname"],
        "first_name",
    ),
    **dict.fromkeys(
        ["lastname", "familyname", "surname", "last", "lname", "nom", "nachname"], "last_name"
    ),
    **dict.fromkeys(
        ["name", "fullname", "displayname", "contactname", "contact", "person"], "full_name"
    ),
    **dict.fromkeys(
        [
            "company",
            "companyname",
            "organization",
            "organisation",
            "org",
            "organizationname",
            "organization1name",
            "accountname",
            "account",
            "employer",
            "associatedcompany",
        ],
        "company_name",
    ),
    **dict.fromkeys(
        [
            "jobtitle",
            "position",
            "organizationtitle",
            "organization1title",
            "job",
            "occupation",
        ],
        "job_title",
    ),
    **dict.fromkeys(
        ["department", "dept", "organizationdepartment", "organization1department"], "department"
    ),
    **dict.fromkeys(["notes", "note", "comments", "comment", "description", "remarks"], "note"),
    **dict.fromkeys(
        ["tags", "tag", "labels", "label", "groupmembership", "groups", "categories", "lists"],
        "tags",
    ),
    **dict.fromkeys(["lifecyclestage", "lifecycle"], "tags"),
    **dict.fromkeys(
        ["birthday", "birthdate", "dateofbirth", "dob", "bday", "geburtstag"], "birthday"
    ),
    **dict.fromkeys(
        [
            "contactowner",
            "owner",
            "owneremail",
            "recordowner",
            "accountowner",
            "salesrep",
            "assignedto",
        ],
        "owner_email",
    ),
    **dict.fromkeys(["status", "contactstatus"], "status"),
    **dict.fromkeys(["leadscore", "score", "hubspotscore"], "lead_score"),
    **dict.fromkeys(
        ["source", "leadsource", "originalsource", "contactsource", "sourcedetail"], "source"
    ),
    **dict.fromkeys(
        ["linkedin", "linkedinurl", "linkedinprofile", "linkedinprofileurl", "profileurl"],
        "linkedin_url",
    ),
    **dict.fromkeys(
        ["twitter", "twitterhandle", "twitterusername", "twitterx", "x", "xhandle"],
        "twitter_handle",
    ),
    "seniority": "seniority",
    **dict.fromkeys(["role", "buyingrole"], "role"),
    "consentstatus": "consent_status",
    "consenttype": "consent_type",
    "consentdate": "consent_date",
    "consentsource": "consent_source",
    **dict.fromkeys(["gdprbasis", "legalbasis", "lawfulbasis"], "gdpr_basis"),
    **dict.fromkeys(
        ["lastcontacted", "lastcontactedat", "lastcontactdate", "lastcontact"],
        "last_contacted_at",
    ),
    **dict.fromkeys(["email", "emails", "mail", "emailaddress", "emailaddresses"], "emails"),
    **dict.fromkeys(["phone", "phones", "telephone", "tel", "phonenumber"], "phones"),
}
EMAIL_KIND_WORDS = {
    "work": "emails.work",
    "business": "emails.work",
    "office": "emails.work",
    "personal": "emails.personal",
    "home": "emails.personal",
    "private": "emails.personal",
    "other": "emails.other",
    "primary": "emails",
    "": "emails",
}
PHONE_KIND_WORDS = {
    "mobile": "phones.mobile",
    "cell": "phones.mobile",
    "cellular": "phones.mobile",
    "work": "phones.work",
    "business": "phones.work",
    "office": "phones.work",
    "direct": "phones.work",
    "companymain": "phones.work",
    "home": "phones.home",
    "other": "phones.other",
    "primary": "phones",
    "main": "phones",
    "": "phones",
}
EMAIL_RE = re.compile(r"^(?P<kind>[a-z]*?)e?mails?\d*(?:address(?:es)?)?\d*(?:value)?$")
EMAIL_KIND_RE = re.compile(r"^e?mails?\d*(?:type|label|kind)$")
PHONE_KIND_RE = re.compile(r"^(?:tele)?phones?\d*(?:type|label|kind)$")
ADDRESS_RE = re.compile(
    r"^(?:business|work|mailing|home|other|primary|billing|office|address\d*|)"
    r"(?P<part>street\d?|streetaddress\d?|addressline\d|address\d?|city|town|state|region|"
    r"province|stateprovince|stateregion|zip|zipcode|postalcode|postcode|country|"
    r"countryregion|countrycode)$"
)
ADDRESS_PARTS = {
    "street": "street",
    "street1": "street",
    "streetaddress": "street",
    "streetaddress1": "street",
    "addressline1": "street",
    "address": "street",
    "address1": "street",
    "street2": "street2",
    "streetaddress2": "street2",
    "addressline2": "street2",
    "address2": "street2",
    "city": "city",
    "town": "city",
    "state": "region",
    "region": "region",
    "province": "region",
    "stateprovince": "region",
    "stateregion": "region",
    "zip": "postal_code",
    "zipcode": "postal_code",
    "postalcode": "postal_code",
    "postcode": "postal_code",
    "country": "country",
    "countryregion": "country",
    "countrycode": "country",
}
PACKED = re.compile(r"\s*:::\s*")
EMAIL_SPLIT = re.compile(r"\s*(?::::|[,;])\s*")
TAG_SPLIT = re.compile(r"\s*(?::::|[,;])\s*")
GOOGLE_SYSTEM_GROUPS = {"mycontacts"}
NEUTRALISED = ("=", "+", "-", "@", "\t", "\r")
NOT_DIGIT = re.compile(r"\D")


@lru_cache(maxsize=8192)
def compact(header: str) -> str:
    """Case-folded letters and digits only: "E-mail 2 Address" → "email2address"."""
    text = unicodedata.normalize("NFKD", header.casefold())
    text = "".join(char for char in text if not unicodedata.combining(char))
    return re.sub(r"[^0-9a-z]+", "", text)


def _key_of(item: Any) -> tuple[str, str]:
    if isinstance(item, tuple):
        return str(item[0]), str(item[1])
    if isinstance(item, dict):
        return str(item["key"]), str(item.get("label") or item["key"])
    return str(item.key), str(getattr(item, "label", "") or item.key)


def import_targets(custom_fields: Iterable[Any] = ()) -> list[tuple[str, str]]:
    """Every `(target key, label)` a column can map to; custom fields as `custom.<key>`.

    `custom_fields` holds objects with `key` and `label` (CustomFieldDefinition), dicts or
    `(key, label)` tuples.
    """
    targets = list(BUILTIN_TARGETS)
    for item in custom_fields:
        key, label = _key_of(item)
        targets.append((f"custom.{key}", f"{label} (custom field)"))
    return targets


def suggest_target(header: str, custom: dict[str, str] | None = None) -> str | None:
    """The target a header most likely means, or None when it is not recognised."""
    key = compact(header)
    if not key:
        return None
    if custom and key in custom:
        return f"custom.{custom[key]}"
    if custom and header.strip().lower().startswith(CUSTOM_COLUMN_PREFIXES):
        # Our CSV export names a custom field's column `cf.<key>`.
        own = compact(header.strip().split(".", 1)[1])
        if own in custom:
            return f"custom.{custom[own]}"
    if key in EXACT:
        return EXACT[key]
    if EMAIL_KIND_RE.match(key):
        return "email_kind"
    if PHONE_KIND_RE.match(key):
        return "phone_kind"
    match = EMAIL_RE.match(key)
    if match and match.group("kind") in EMAIL_KIND_WORDS:
        return EMAIL_KIND_WORDS[match.group("kind")]
    phone = _phone_target(key)
    if phone:
        return phone
    match = ADDRESS_RE.match(key)
    if match:
        return ADDRESS_PARTS.get(match.group("part"))
    return None


def _phone_target(key: str) -> str | None:
    match = re.match(r"^(?P<kind>[a-z]*?)(?:tele)?phone(?:number)?s?\d*(?:value)?$", key)
    if match and match.group("kind") in PHONE_KIND_WORDS:
        return PHONE_KIND_WORDS[match.group("kind")]
    match = re.match(r"^(?P<kind>mobile|cell|cellular)(?:phone)?(?:number)?\d*$", key)
    if match:
        return "phones.mobile"
    return None


def suggest_mapping(headers: list[str], custom_field_keys: Iterable[str] = ()) -> dict[int, str]:
    """Column index → target for every recognised header; single-value targets map once."""
    custom = {compact(key): key for key in custom_field_keys}
    mapping: dict[int, str] = {}
    used: set[str] = set()
    for index, header in enumerate(headers):
        target = suggest_target(header, custom)
        if target is None:
            continue
        if target not in MULTI_TARGETS and target in used:
            continue  # the first column wins ("Business Street" before "Home Street")
        mapping[index] = target
        used.add(target)
    for index, header in enumerate(headers):
        target = WEAK.get(compact(header))
        if index not in mapping and target and target not in used:
            mapping[index] = target
            used.add(target)
    return dict(sorted(mapping.items()))


def apply_mapping(cells: list[str], mapping: dict[int, str]) -> dict[str, Any]:
    """One row as contact service input plus extras; empty cells are left out."""
    plan = _plan_of(mapping)
    data: dict[str, Any] = {}
    width = len(cells)
    for index, target, plain in plan.scalars:
        # Empty cells (most of them) are passed over without a call.
        value = cells[index] if index < width else ""
        if not value or not (value := _unquoted(value)):
            continue
        if plain:
            data.setdefault(target, value)  # what `_put` does for these targets
        else:
            _put(data, target, value)
    if plan.emails:
        email_kinds = [_cell(cells, index) for index in plan.email_kinds]
        _put_list(data, "emails", cells, plan.emails, email_kinds)
    if plan.phones:
        phone_kinds = [_cell(cells, index) for index in plan.phone_kinds]
        _put_list(data, "phones", cells, plan.phones, phone_kinds)
    # With first or last name present the service keeps a full name as typed; alone, it is
    # split into first and last.
    return data


@dataclass(frozen=True)
class ColumnPlan:
    """A mapping sorted out once for all its rows: which columns fill what, in column order."""

    # (column, target, plain): plain targets are simply set unless already set.
    scalars: tuple[tuple[int, str, bool], ...]
    emails: tuple[tuple[int, str], ...]
    phones: tuple[tuple[int, str], ...]
    email_kinds: tuple[int, ...]
    phone_kinds: tuple[int, ...]


# The last mapping applied (a copy) and its plan, replaced as one tuple: an import applies one
# mapping to every row, and comparing it with the last is cheaper than hashing its items.
_last_plan: tuple[dict[int, str], ColumnPlan] | None = None


def _plan_of(mapping: dict[int, str]) -> ColumnPlan:
    global _last_plan
    last = _last_plan
    if last is not None and last[0] == mapping:
        return last[1]
    plan = _plan(tuple(mapping.items()))
    _last_plan = (dict(mapping), plan)
    return plan


@lru_cache(maxsize=256)
def _plan(items: tuple[tuple[int, str], ...]) -> ColumnPlan:
    """The plan of a mapping given as its `(column, target)` items (hashable, so remembered:
    an import maps every row of its file with the same mapping)."""
    scalars: list[tuple[int, str, bool]] = []
    emails: list[tuple[int, str]] = []
    phones: list[tuple[int, str]] = []
    email_kinds: list[int] = []
    phone_kinds: list[int] = []
    for index, target in sorted(items):
        if target.startswith("emails"):
            emails.append((index, target))
        elif target.startswith("phones"):
            phones.append((index, target))
        elif target == "email_kind":
            email_kinds.append(index)
        elif target == "phone_kind":
            phone_kinds.append(index)
        else:
            plain = not (
                target.startswith("custom.")
                or target in ("tags", "note", "lead_score")
                or target in CHOICE_TARGETS
            )
            scalars.append((index, target, plain))
    return ColumnPlan(
        tuple(scalars), tuple(emails), tuple(phones), tuple(email_kinds), tuple(phone_kinds)
    )


def _cell(cells: list[str], index: int) -> str:
    value = cells[index] if index < len(cells) and cells[index] else ""
    return _unquoted(value) if value else ""


def _unquoted(value: str) -> str:
    """A cell's text stripped, without the quote exports put before formula-like text."""
    value = value.strip()
    # Exports (ours and others') write '=… '+… '-… so spreadsheets do not run them: undo it.
    if value[:1] == "'" and value[1:2] in NEUTRALISED:
        value = value[1:]
    return value


def _put(data: dict[str, Any], target: str, value: str) -> None:
    if target.startswith("custom."):
        data.setdefault("custom_fields", {}).setdefault(target[7:], value)
    elif target == "tags":
        tags = data.setdefault("tags", [])
        for tag in _tag_pieces(value):
            tag = tag.lstrip("*").strip()
            if tag and compact(tag) not in GOOGLE_SYSTEM_GROUPS and tag not in tags:
                tags.append(tag)
        if not tags:
            del data["tags"]
    elif target == "note":
        data["note"] = f"{data['note']}\n\n{value}" if data.get("note") else value
    elif target in CHOICE_TARGETS:
        data.setdefault(target, choice_value(value))
    elif target == "lead_score":
        data.setdefault(target, re.sub(r"^(\d+)\.0*$", r"\1", value))
    else:
        data.setdefault(target, value)


@lru_cache(maxsize=4096)
def _tag_pieces(value: str) -> tuple[str, ...]:
    """A cell's tags. Where values are packed with ":::" (Google's groups, the vCard reader's
    categories) that is the only separator, so a tag may hold a comma ("VIP, Gold"); other
    cells split at commas and semicolons too."""
    if ":::" in value:
        return tuple(PACKED.split(value))
    return tuple(TAG_SPLIT.split(value))


def choice_value(text: str) -> str:
    """ "Decision Maker" → "decision_maker", "Opted In" → "opted_in": labels to stored values."""
    return re.sub(r"[^0-9a-z]+", "_", text.casefold()).strip("_")


def _put_list(
    data: dict[str, Any],
    kind_key: str,
    cells: list[str],
    columns: Sequence[tuple[int, str]],
    kinds: list[str],
) -> None:
    is_email = kind_key == "emails"
    items: list[dict[str, Any]] = []
    seen: set[str] = set()
    has_primary = False
    width = len(cells)
    for position, (index, target) in enumerate(columns):
        value = cells[index] if index < width else ""
        if not value or not (value := _unquoted(value)):
            continue
        kind_text = kinds[position] if position < len(kinds) else ""
        if "." in target:
            kind = target.split(".", 1)[1]
        else:
            # An empty type label means no kind (`kind_of("")`), the usual case.
            kind = kind_of(kind_text, email=is_email) if kind_text else ""
        primary = kind_text.strip().startswith("*") and not has_primary if kind_text else False
        # Most cells hold one value: skip the regular expression then (imports map 1M rows).
        if ":::" in value or (is_email and ("," in value or ";" in value)):
            pieces = (EMAIL_SPLIT if is_email else PACKED).split(value)
        else:
            pieces = [value]
        for piece in pieces:
            piece = piece.strip()
            identity = piece.casefold() if is_email else NOT_DIGIT.sub("", piece) or piece
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


def kind_of(text: str, *, email: bool) -> str:
    """A type label ("* Work", "Mobile", "HOME") as an email or phone kind; "" if empty."""
    word = compact(text)
    if not word:
        return ""
    if any(w in word for w in ("work", "business", "office", "company", "main")):
        return "work"
    if email:
        # Outlook's "E-mail Type" says SMTP or EX, vCard says INTERNET: no kind at all.
        if any(w in word for w in ("home", "personal", "private")):
            return "personal"
        return "other" if "other" in word else ""
    if any(w in word for w in ("mobile", "cell", "iphone")):
        return "mobile"
    return "home" if "home" in word else "other"


def pop_extras(data: dict[str, Any]) -> dict[str, Any]:
    """Remove and return the values the pipeline resolves itself (company, owner, note)."""
    return {key: data.pop(key) for key in EXTRAS if key in data}
