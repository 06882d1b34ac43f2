"""Turn raw contact input (from a form, the API, the CLI or an import) into clean values."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_datetime

from peoplebase.contacts.models import (
    BuyingRole,
    ConsentStatus,
    ConsentType,
    Contact,
    ContactStatus,
    EmailKind,
    GdprBasis,
    PhoneKind,
    Seniority,
)
from peoplebase.core.errors import ErrorCollector
from peoplebase.core.lookups import check_text
from peoplebase.customfields.services import clean_values
from peoplebase.normalize import (
    InvalidCountry,
    InvalidEmail,
    InvalidPhone,
    InvalidUrl,
    normalize_country,
    normalize_linkedin,
    normalize_twitter,
    normalized_address,
    read_phone,
    split_or_compose,
)
from peoplebase.normalize.birthdays import InvalidBirthday, parse_birthday

TEXT_LIMITS = {
    "job_title": 150,
    "department": 100,
    "source": 100,
    "street": 200,
    "street2": 200,
    "city": 100,
    "region": 100,
    "postal_code": 20,
    "consent_source": 200,
    "first_name": 100,
    "last_name": 100,
    "full_name": 300,
}
CHOICE_FIELDS: dict[str, Any] = {
    "seniority": Seniority,
    "role": BuyingRole,
    "status": ContactStatus,
    "consent_status": ConsentStatus,
    "consent_type": ConsentType,
    "gdpr_basis": GdprBasis,
}
# The allowed values of each choice field, read once: Django's `Choices.values` builds a new
# list on every access, which cost an import about 7% of its cleaning time per row.
CHOICE_VALUES: dict[str, frozenset[str]] = {
    name: frozenset(enum.values) for name, enum in CHOICE_FIELDS.items()
}
EMAIL_KINDS = frozenset(EmailKind.values)
PHONE_KINDS = frozenset(PhoneKind.values)
DEFAULT_EMAIL_KIND = str(EmailKind.WORK)
DEFAULT_PHONE_KIND = str(PhoneKind.WORK)
# Choice fields that may be left empty; status and consent status always hold a value.
BLANK_CHOICES = {"seniority", "role", "consent_type", "gdpr_basis"}
DATETIME_FIELDS = ("consent_date", "last_contacted_at")
RELATION_FIELDS = ("company_id", "owner_id")
LIST_FIELDS = ("emails", "phones", "tags", "custom_fields")
SCALAR_FIELDS = (
    *TEXT_LIMITS,
    *CHOICE_FIELDS,
    *DATETIME_FIELDS,
    "lead_score",
    "country",
    "linkedin_url",
    "twitter_handle",
    "birthday",
)
WRITABLE_FIELDS = frozenset((*SCALAR_FIELDS, *RELATION_FIELDS, *LIST_FIELDS))


@dataclass
class CleanEmail:
    email: str
    original: str
    kind: str = EmailKind.WORK
    is_primary: bool = False
    is_bounced: bool = False
    is_opted_out: bool = False


@dataclass
class CleanPhone:
    number: str
    original: str
    kind: str = PhoneKind.WORK
    is_primary: bool = False
    is_valid: bool = True


@dataclass
class CleanContact:
    """Validated values; `None` for lists means "leave as they are"."""

    scalars: dict[str, Any] = field(default_factory=dict)
    emails: list[CleanEmail] | None = None
    phones: list[CleanPhone] | None = None
    tags: list[str] | None = None
    custom_fields: dict[str, Any] | None = None
    warnings: list[str] = field(default_factory=list)


def primary_email(emails: list[CleanEmail] | None) -> str:
    """The primary address of cleaned emails, or "": the contact's own `email` column.
    A loop rather than a generator: an import calls it for a million rows."""
    for email in emails or ():
        if email.is_primary:
            return email.email
    return ""


def primary_number(phones: list[CleanPhone] | None) -> str:
    """The primary number of cleaned phones, or "": the contact's own `phone` column."""
    for phone in phones or ():
        if phone.is_primary:
            return phone.number
    return ""


def choice_error(enum: Any, value: Any) -> str:
    labels = ", ".join(f"{v} ({label})" for v, label in enum.choices)
    return f"“{value}” is not a valid choice. Choose one of: {labels}."


def _as_bool(value: Any) -> bool:
    if value is False or value is True:  # the usual case: flags left out default to False
        return value
    if isinstance(value, str):
        return value.strip().lower() in {"1", "true", "yes", "on"}
    return bool(value)


def parse_when(value: Any) -> dt.datetime | None:
    """Accept a datetime, a date (midnight, current zone) or an ISO 8601 string."""
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        parsed = value
    elif isinstance(value, dt.date):
        parsed = dt.datetime.combine(value, dt.time())
    else:
        text = str(value).strip()
        parsed = parse_datetime(text)
        if parsed is None:
            parsed = dt.datetime.combine(dt.date.fromisoformat(text), dt.time())
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


def _pick_primary(items: list[Any], errors: ErrorCollector, field_name: str) -> None:
    if len(items) == 1:  # the usual case: a lone entry is primary, flagged or not
        items[0].is_primary = True
        return
    flagged = [item for item in items if item.is_primary]
    if len(flagged) > 1:
        errors.add(field_name, "Only one entry can be primary.")
    elif items and not flagged:
        items[0].is_primary = True


def clean_emails(raw: Any, errors: ErrorCollector) -> list[CleanEmail]:
    if not isinstance(raw, list):
        errors.add("emails", "Emails must be a list.")
        return []
    cleaned: list[CleanEmail] = []
    seen: set[str] = set()
    for index, item in enumerate(raw):
        item = {"email": item} if isinstance(item, str) else item
        if not isinstance(item, dict):
            errors.add(f"emails.{index}", "Each email must be an object with an “email” key.")
            continue
        text = str(item.get("email") or "")
        try:
            # normalize_email(text).value, without a NormalizedEmail or a cache entry per row.
            value = normalized_address(text)
        except InvalidEmail as exc:
            errors.add(f"emails.{index}.email", str(exc))
            continue
        kind = item.get("kind") or DEFAULT_EMAIL_KIND
        if kind not in EMAIL_KINDS:
            errors.add(f"emails.{index}.kind", choice_error(EmailKind, kind))
            continue
        if value in seen:
            errors.add(f"emails.{index}.email", f"{value} is listed twice.")
            continue
        seen.add(value)
        cleaned.append(
            CleanEmail(
                email=value,
                original=text[:320],
                kind=kind,
                is_primary=_as_bool(item.get("is_primary", False)),
                is_bounced=_as_bool(item.get("is_bounced", False)),
                is_opted_out=_as_bool(item.get("is_opted_out", False)),
            )
        )
    _pick_primary(cleaned, errors, "emails")
    return cleaned


def clean_phones(raw: Any, region: str, errors: ErrorCollector, warnings: list[str]) -> list:
    if not isinstance(raw, list):
        errors.add("phones", "Phones must be a list.")
        return []
    cleaned: list[CleanPhone] = []
    seen: set[str] = set()
    for index, item in enumerate(raw):
        item = {"number": item} if isinstance(item, str) else item
        if not isinstance(item, dict):
            errors.add(f"phones.{index}", "Each phone must be an object with a “number” key.")
            continue
        text = str(item.get("number") or "")
        try:
            # normalize_phone(text, region)'s parts, without a NormalizedPhone or a cache entry.
            e164, warning = read_phone(text, region)
        except InvalidPhone as exc:
            errors.add(f"phones.{index}.number", str(exc))
            continue
        kind = item.get("kind") or DEFAULT_PHONE_KIND
        if kind not in PHONE_KINDS:
            errors.add(f"phones.{index}.kind", choice_error(PhoneKind, kind))
            continue
        if warning:
            warnings.append(warning)
        value = e164 if e164 is not None else text.strip()  # NormalizedPhone.value
        if value in seen:
            continue
        seen.add(value)
        cleaned.append(
            CleanPhone(
                number=value[:40],
                original=text[:60],
                kind=kind,
                is_primary=_as_bool(item.get("is_primary", False)),
                is_valid=e164 is not None,
            )
        )
    _pick_primary(cleaned, errors, "phones")
    return cleaned


def clean_tag_names(raw: Any, errors: ErrorCollector) -> list[str]:
    if isinstance(raw, str):
        raw = raw.split(",")
    if not isinstance(raw, list | tuple):
        errors.add("tags", "Tags must be a list of names.")
        return []
    names: dict[str, str] = {}
    for item in raw:
        name = " ".join(str(item).split())
        if not name:
            continue
        if len(name) > 50:
            errors.add("tags", f"Tag “{name[:20]}…” is longer than 50 characters.")
            continue
        names.setdefault(name.casefold(), name)
    return list(names.values())


def _clean_scalar(name: str, value: Any, errors: ErrorCollector) -> Any:
    if name in TEXT_LIMITS:
        text = check_text(name, " ".join(str(value or "").split()), errors)
        if len(text) > TEXT_LIMITS[name]:
            errors.add(name, f"At most {TEXT_LIMITS[name]} characters.")
        return text
    if name in CHOICE_FIELDS:
        value = value or ""
        if value == "" and name in BLANK_CHOICES:
            return ""
        if value not in CHOICE_VALUES[name]:
            errors.add(name, choice_error(CHOICE_FIELDS[name], value))
        # A Choices member (a default such as ConsentType.IMPORTED) as its plain string: the
        # same stored value, and an import's cleaning process hands rows over pickled, where
        # each enum member costs a class lookup to rebuild (most of the unpickling time).
        return str(value) if isinstance(value, str) else value
    if name in DATETIME_FIELDS:
        try:
            return parse_when(value)
        except (ValueError, TypeError):
            errors.add(name, f"“{value}” is not a date or date-time (use ISO 8601).")
            return None
    if name == "lead_score":
        try:
            score = int(value if value not in (None, "") else 0)
        except (TypeError, ValueError):
            errors.add(name, "Lead score must be a whole number from 0 to 100.")
            return 0
        if (isinstance(value, float) and not value.is_integer()) or not 0 <= score <= 100:
            errors.add(name, "Lead score must be a whole number from 0 to 100.")
        return score
    if name == "birthday":
        try:
            parsed = parse_birthday(value or None)
        except InvalidBirthday as exc:
            errors.add(name, str(exc))
            return ""
        return parsed.iso() if parsed else ""
    converters = {
        "country": (normalize_country, InvalidCountry),
        "linkedin_url": (normalize_linkedin, InvalidUrl),
        "twitter_handle": (normalize_twitter, InvalidUrl),
    }
    convert, error_class = converters[name]
    try:
        return convert(str(value or ""))
    except error_class as exc:
        errors.add(name, str(exc))
        return ""


def clean_contact_input(
    data: dict[str, Any],
    *,
    instance: Contact | None,
    region: str,
    errors: ErrorCollector,
    definitions: dict[str, Any] | None = None,
) -> CleanContact:
    """Validate every field present in `data`; absent fields keep their stored value.

    `definitions` (active custom fields) may be passed by callers cleaning many rows, so the
    definitions are read once rather than once per row.
    """
    result = CleanContact()
    if not WRITABLE_FIELDS.issuperset(data):  # one pass in C when every field is known
        for name in data:
            if name not in WRITABLE_FIELDS:
                errors.add(name, "Unknown field.")
    scalars = result.scalars
    # The scalar fields present, in SCALAR_FIELDS order (filtered in C, not a loop of 24).
    for name in filter(data.__contains__, SCALAR_FIELDS):
        value = data[name]
        limit = TEXT_LIMITS.get(name)
        if limit is not None and type(value) is str:
            # `_clean_scalar` for plain text (most fields of most rows), inlined.
            text = check_text(name, " ".join(value.split()), errors)
            if len(text) > limit:
                errors.add(name, f"At most {limit} characters.")
            scalars[name] = text
        else:
            scalars[name] = _clean_scalar(name, value, errors)
    _settle_names(data, instance, result, errors)
    if "emails" in data:
        result.emails = clean_emails(data["emails"] or [], errors)
    if "phones" in data:
        result.phones = clean_phones(data["phones"] or [], region, errors, result.warnings)
    if "tags" in data:
        result.tags = clean_tag_names(data["tags"] or [], errors)
    if "custom_fields" in data or instance is None:
        result.custom_fields = clean_values(
            data.get("custom_fields") or {},
            instance.custom_fields if instance else {},
            creating=instance is None,
            definitions=definitions,
            errors=errors,
        )
    _settle_consent(result, instance)
    return result


def _settle_names(
    data: dict[str, Any], instance: Contact | None, result: CleanContact, errors: ErrorCollector
) -> None:
    has_first, has_last, has_full = "first_name" in data, "last_name" in data, "full_name" in data
    if not (has_first or has_last or has_full) and instance is not None:
        return
    scalars = result.scalars
    if instance:
        first, last, full = instance.first_name, instance.last_name, instance.full_name
    else:
        first = last = full = ""
    if has_first:
        first = scalars["first_name"]
    if has_last:
        last = scalars["last_name"]
    if has_full:
        full = scalars["full_name"]
    elif has_first or has_last:
        full = ""
    if has_full and not (has_first or has_last):
        # A new full name alone replaces the person's name: parse it afresh into its parts.
        first = last = ""
    first, last, full = _split_or_compose(first, last, full)
    scalars["first_name"] = first[:100]
    scalars["last_name"] = last[:100]
    scalars["full_name"] = full[:300]


# The same names come back all through an import: split or composed once each (a pure
# function of its three strings).
_split_or_compose = lru_cache(maxsize=16384)(split_or_compose)


def _settle_consent(result: CleanContact, instance: Contact | None) -> None:
    """Stamp the consent date when the status changes and no date was given."""
    status = result.scalars.get("consent_status")
    if not status or status == ConsentStatus.UNKNOWN:
        return
    changed = instance is None or instance.consent_status != status
    if changed and not result.scalars.get("consent_date"):
        result.scalars["consent_date"] = timezone.now()
