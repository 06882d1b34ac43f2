"""The contact filter language: key=value filters shared by the list page, the API and the CLI.

`parse_filters` reads a query string (or `--filter key=value` pairs) into a frozen
`ContactFilterSpec`, reporting every bad parameter at once; `apply_filters` narrows a contact
queryset by it; `spec.to_params()` writes it back as parameters (links, saved views). Every
filter combines with AND. docs/filters.md describes the language for users.
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, fields
from typing import Any, Literal

from django.db import connections
from django.db.models import Exists, OuterRef, Q, QuerySet, TextField
from django.db.models.fields.json import KeyTextTransform, KeyTransform
from django.db.models.functions import Cast
from django.utils import timezone

from peoplebase.contacts.models import (
    BuyingRole,
    ConsentStatus,
    Contact,
    ContactStatus,
    ContactTag,
    GdprBasis,
    Seniority,
)
from peoplebase.core.errors import ErrorCollector, ValidationFailed
from peoplebase.core.lookups import parse_id
from peoplebase.customfields.models import CustomFieldDefinition, FieldType
from peoplebase.customfields.services import CLEANERS, active_definitions
from peoplebase.normalize import InvalidCountry, fold, normalize_country

# Parameters of the list endpoints that are not filters; callers split them off first.
LIST_PARAMS = frozenset({"q", "sort", "cursor", "limit", "include_count"})
# Older names kept working: the foundation's list page and API used these.
ALIASES = {"tag": "tags_any", "company_id": "company"}
CUSTOM_PREFIX = "cf."
MAX_VALUE_LENGTH = 500
TRUE_WORDS = frozenset({"true", "yes", "1", "on"})
FALSE_WORDS = frozenset({"false", "no", "0", "off"})
CHOICES: dict[str, Any] = {
    "status": ContactStatus,
    "consent_status": ConsentStatus,
    "gdpr_basis": GdprBasis,
    "role": BuyingRole,
    "seniority": Seniority,
}
TAG_PARAMS = ("tags_any", "tags_all", "tags_none")
DATE_COLUMNS = {
    "created": "created_at",
    "last_contacted": "last_contacted_at",
    "last_activity": "last_activity_at",
}
# "Not contacted since X" should include people never contacted at all.
NEVER_COUNTS_AS_BEFORE = frozenset({"last_contacted", "last_activity"})
DATE_PARAMS = tuple(f"{name}_{side}" for name in DATE_COLUMNS for side in ("after", "before"))
BOOLEAN_PARAMS = ("has_activity", "has_email", "has_phone")
AGE_PATTERN = re.compile(r"^([0-9]{1,5})([dwmy])$")
MAX_AGE_MONTHS = 1200
DATE_HELP = "Use a date (YYYY-MM-DD), a date and time, or an age such as 90d, 12w, 6m or 1y."

TEXT_TYPES = frozenset({FieldType.TEXT, FieldType.LONG_TEXT, FieldType.URL, FieldType.EMAIL})
CUSTOM_OPERATORS: dict[str, frozenset[str]] = {
    **{t: frozenset({"eq", "contains", "empty"}) for t in TEXT_TYPES},
    FieldType.NUMBER: frozenset({"eq", "min", "max", "empty"}),
    FieldType.DATE: frozenset({"eq", "min", "max", "empty"}),
    FieldType.BOOLEAN: frozenset({"eq", "empty"}),
    FieldType.SINGLE_SELECT: frozenset({"in", "empty"}),
    FieldType.MULTI_SELECT: frozenset({"any", "all", "empty"}),
}
SUFFIX_OPERATORS = frozenset({"contains", "min", "max", "any", "all", "empty"})
LIST_OPERATORS = frozenset({"in", "any", "all"})


@dataclass(frozen=True)
class RelativeAge:
    """ "That long ago": 90d, 12w, 6m, 1y, measured back from the moment the filter runs."""

    amount: int
    unit: Literal["d", "w", "m", "y"]

    def __str__(self) -> str:
        return f"{self.amount}{self.unit}"

    def moment(self, now: dt.datetime) -> dt.datetime:
        if self.unit == "d":
            return now - dt.timedelta(days=self.amount)
        if self.unit == "w":
            return now - dt.timedelta(weeks=self.amount)
        return _months_before(now, self.amount * (12 if self.unit == "y" else 1))


DateBound = dt.date | dt.datetime | RelativeAge


@dataclass(frozen=True)
class CustomFieldCondition:
    """One condition on a custom field: `cf.<key>[__operator]` and its cleaned values."""

    key: str
    field_type: str
    operator: str  # eq, contains, min, max, in, any, all, empty
    values: tuple[Any, ...]

    @property
    def param(self) -> str:
        suffix = "" if self.operator in ("eq", "in") else f"__{self.operator}"
        return f"{CUSTOM_PREFIX}{self.key}{suffix}"


@dataclass(frozen=True)
class ContactFilterSpec:
    """A parsed set of contact filters; empty/None fields do not filter."""

    status: tuple[str, ...] = ()
    company: int | Literal["none"] | None = None
    owner: int | Literal["me", "none"] | None = None
    tags_any: tuple[str, ...] = ()
    tags_all: tuple[str, ...] = ()
    tags_none: tuple[str, ...] = ()
    lead_score_min: int | None = None
    lead_score_max: int | None = None
    consent_status: tuple[str, ...] = ()
    gdpr_basis: tuple[str, ...] = ()
    country: str = ""
    role: tuple[str, ...] = ()
    source: str = ""
    seniority: tuple[str, ...] = ()
    created_after: DateBound | None = None
    created_before: DateBound | None = None
    last_contacted_after: DateBound | None = None
    last_contacted_before: DateBound | None = None
    last_activity_after: DateBound | None = None
    last_activity_before: DateBound | None = None
    has_activity: bool | None = None
    has_email: bool | None = None
    has_phone: bool | None = None
    archived: bool | None = False  # None: archived and live alike
    custom: tuple[CustomFieldCondition, ...] = ()

    def to_params(self) -> dict[str, str]:
        """The spec as query parameters; `parse_filters(spec.to_params()) == spec`."""
        params: dict[str, str] = {}
        for item in fields(self):
            value = getattr(self, item.name)
            if item.name == "custom" or value == item.default:
                continue
            params[item.name] = _param_text(value)
        for condition in self.custom:
            params[condition.param] = ",".join(_param_text(v) for v in condition.values)
        return params

    @property
    def is_filtering(self) -> bool:
        """True when anything beyond the default "live contacts" is asked for."""
        return bool(self.to_params())


def _param_text(value: Any) -> str:
    if value is None:
        return "any"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, tuple):
        return ",".join(str(v) for v in value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


# --- parsing ----------------------------------------------------------------------------------


def filter_params(query: Mapping[str, Any]) -> dict[str, list[str]]:
    """The filter parameters of a list request (a QueryDict or a dict), without q/sort/paging."""
    result: dict[str, list[str]] = {}
    for name in query:
        if name in LIST_PARAMS:
            continue
        raw = query.getlist(name) if hasattr(query, "getlist") else query[name]
        result[name] = [str(item) for item in (raw if isinstance(raw, list | tuple) else [raw])]
    return result


def parse_filters(
    params: Mapping[str, Any], *, definitions: dict[str, CustomFieldDefinition] | None = None
) -> ContactFilterSpec:
    """Read filter parameters; raise ValidationFailed naming every bad parameter."""
    spec, errors = parse_filters_leniently(params, definitions=definitions)
    if errors:
        raise ValidationFailed(errors)
    return spec


def parse_filters_leniently(
    params: Mapping[str, Any], *, definitions: dict[str, CustomFieldDefinition] | None = None
) -> tuple[ContactFilterSpec, dict[str, list[str]]]:
    """The spec of the parameters that were understood, and errors for the rest (the UI)."""
    errors = ErrorCollector()
    values: dict[str, Any] = {}
    custom: dict[str, CustomFieldCondition] = {}
    for name, texts in _pairs(params, errors):
        if name.startswith(CUSTOM_PREFIX):
            if definitions is None:
                definitions = active_definitions()
            condition = _parse_custom(name, texts, definitions, errors)
            if condition is not None:
                custom[condition.param] = condition
            continue
        target = ALIASES.get(name, name)
        parser = PARSERS.get(target)
        if parser is None:
            errors.add(name, "Unknown filter.")
            continue
        try:
            values[target] = _merged(values.get(target), parser(texts))
        except ValueError as exc:
            errors.add(name, str(exc))
    _check_ranges(values, errors)
    ordered = tuple(custom[key] for key in sorted(custom))
    return ContactFilterSpec(**values, custom=ordered), errors.errors


def _pairs(params: Mapping[str, Any], errors: ErrorCollector) -> Iterable[tuple[str, list[str]]]:
    """(name, non-blank values) per parameter; blank inputs of a form mean "no filter"."""
    for name in params:
        raw = params.getlist(name) if hasattr(params, "getlist") else params[name]
        items = raw if isinstance(raw, list | tuple) else [raw]
        texts = [str(item).strip() for item in items if str(item).strip()]
        if any("\x00" in text for text in texts):
            errors.add(name, "Contains a NUL character.")
        elif any(len(text) > MAX_VALUE_LENGTH for text in texts):
            errors.add(name, f"Too long; at most {MAX_VALUE_LENGTH} characters.")
        elif texts:
            yield str(name), texts


def _merged(old: Any, new: Any) -> Any:
    # `tag=a&tags_any=b` (an alias and its name) or repeated keys: lists add up.
    if isinstance(old, tuple) and isinstance(new, tuple):
        return tuple(dict.fromkeys(old + new))
    return new


def _single(texts: list[str]) -> str:
    if len(set(texts)) > 1:
        raise ValueError("Give only one value.")
    return texts[0]


def _items(texts: list[str]) -> list[str]:
    return [part.strip() for text in texts for part in text.split(",") if part.strip()]


def _choice_parser(enum: Any) -> Callable[[list[str]], tuple[str, ...]]:
    def parse(texts: list[str]) -> tuple[str, ...]:
        chosen = []
        for item in _items(texts):
            value = item.lower()
            if value not in enum.values:
                raise ValueError(f"Unknown value “{item}”; use one of: {', '.join(enum.values)}.")
            chosen.append(value)
        return tuple(dict.fromkeys(chosen))

    return parse


def _parse_company(texts: list[str]) -> int | Literal["none"]:
    text = _single(texts).lower()
    if text == "none":
        return "none"
    company_id = parse_id(text)
    if company_id is None:
        raise ValueError("Use a company id or “none”.")
    return company_id


def _parse_owner(texts: list[str]) -> int | Literal["me", "none"]:
    text = _single(texts).lower()
    if text in ("me", "none"):
        return text  # type: ignore[return-value]
    owner_id = parse_id(text)
    if owner_id is None:
        raise ValueError("Use a user id, “me” or “none”.")
    return owner_id


def _parse_tags(texts: list[str]) -> tuple[str, ...]:
    names: dict[str, str] = {}
    for name in _items(texts):
        if len(name) > 50:
            raise ValueError(f"“{name[:20]}…” is longer than a tag name can be (50).")
        names.setdefault(fold(name), name)
    return tuple(names.values())


def _parse_score(texts: list[str]) -> int:
    text = _single(texts)
    if not re.fullmatch(r"[0-9]{1,3}", text) or int(text) > 100:
        raise ValueError("Use a whole number from 0 to 100.")
    return int(text)


def _parse_country(texts: list[str]) -> str:
    try:
        return normalize_country(_single(texts))
    except InvalidCountry as exc:
        raise ValueError(f"{exc}.") from exc


def _parse_text(texts: list[str]) -> str:
    return _single(texts)


def parse_boolean(text: str) -> bool:
    word = text.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ValueError("Use true or false.")


def _parse_boolean(texts: list[str]) -> bool:
    return parse_boolean(_single(texts))


def _parse_archived(texts: list[str]) -> bool | None:
    text = _single(texts)
    if text.lower() == "any":
        return None
    try:
        return parse_boolean(text)
    except ValueError as exc:
        raise ValueError("Use true, false or any.") from exc


def parse_date_bound(text: str) -> DateBound:
    """An ISO date or datetime, or an age such as 90d (days), 12w, 6m or 1y."""
    age = AGE_PATTERN.match(text.lower())
    if age:
        amount, unit = int(age.group(1)), age.group(2)
        months = amount * {"d": 1 / 30, "w": 7 / 30, "m": 1, "y": 12}[unit]
        if amount == 0 or months > MAX_AGE_MONTHS:
            raise ValueError("Use an age from 1 day to 100 years, such as 90d, 12w, 6m or 1y.")
        return RelativeAge(amount, unit)  # type: ignore[arg-type]
    try:
        if len(text) == 10:
            return dt.date.fromisoformat(text)
        return dt.datetime.fromisoformat(text)
    except ValueError as exc:
        raise ValueError(DATE_HELP) from exc


def _parse_date(texts: list[str]) -> DateBound:
    return parse_date_bound(_single(texts))


PARSERS: dict[str, Callable[[list[str]], Any]] = {
    **{name: _choice_parser(enum) for name, enum in CHOICES.items()},
    "company": _parse_company,
    "owner": _parse_owner,
    **{name: _parse_tags for name in TAG_PARAMS},
    "lead_score_min": _parse_score,
    "lead_score_max": _parse_score,
    "country": _parse_country,
    "source": _parse_text,
    **{name: _parse_date for name in DATE_PARAMS},
    **{name: _parse_boolean for name in BOOLEAN_PARAMS},
    "archived": _parse_archived,
}
FILTER_PARAMS = tuple(PARSERS)


def _check_ranges(values: dict[str, Any], errors: ErrorCollector) -> None:
    low, high = values.get("lead_score_min"), values.get("lead_score_max")
    if low is not None and high is not None and low > high:
        errors.add("lead_score_max", "Must not be below lead_score_min.")
        values.pop("lead_score_max")


def _parse_custom(
    name: str,
    texts: list[str],
    definitions: dict[str, CustomFieldDefinition],
    errors: ErrorCollector,
) -> CustomFieldCondition | None:
    key, operator = _split_custom_name(name[len(CUSTOM_PREFIX) :], definitions)
    definition = definitions.get(key)
    if definition is None:
        errors.add(name, f"There is no custom field “{key}”.")
        return None
    field_type = FieldType(definition.field_type)
    operator = operator or ("in" if field_type == FieldType.SINGLE_SELECT else "eq")
    if operator not in CUSTOM_OPERATORS[field_type]:
        usable = ", ".join(sorted(_param_name(key, op) for op in CUSTOM_OPERATORS[field_type]))
        errors.add(name, f"Not a filter for a {field_type.label.lower()} field; use {usable}.")
        return None
    try:
        values = _custom_values(definition, operator, texts)
    except ValueError as exc:
        errors.add(name, f"{definition.label}: {exc}".rstrip(".") + ".")
        return None
    return CustomFieldCondition(key, field_type.value, operator, values)


def _param_name(key: str, operator: str) -> str:
    return CustomFieldCondition(key, "", operator, ()).param


def _split_custom_name(rest: str, definitions: dict[str, CustomFieldDefinition]) -> tuple[str, str]:
    key, sep, operator = rest.rpartition("__")
    if sep and operator in SUFFIX_OPERATORS and rest not in definitions:
        return key, operator
    return rest, ""


def _custom_values(
    definition: CustomFieldDefinition, operator: str, texts: list[str]
) -> tuple[Any, ...]:
    if operator == "empty":
        return (parse_boolean(_single(texts)),)
    if operator in LIST_OPERATORS:
        clean = CLEANERS[FieldType.SINGLE_SELECT]
        return tuple(dict.fromkeys(clean(definition, item) for item in _items(texts)))
    text = _single(texts)
    if operator == "contains" or definition.field_type in TEXT_TYPES:
        # Equality is case-insensitive and contains takes fragments: no URL/email cleaning.
        return (text,)
    return (CLEANERS[FieldType(definition.field_type)](definition, text),)


# --- applying -----------------------------------------------------------------------------------


def apply_filters(queryset: QuerySet[Contact], spec: ContactFilterSpec, actor: Any) -> QuerySet:
    """Narrow `queryset` to the contacts matching every filter in `spec`."""
    qs = queryset
    if spec.archived is not None:
        qs = qs.filter(is_archived__is=spec.archived)
    qs = _filter_choices(qs, spec)
    qs = _filter_people(qs, spec, actor)
    qs = _filter_tags(qs, spec)
    qs = _filter_dates(qs, spec, timezone.now())
    return _filter_custom(qs, spec.custom)


def _filter_choices(qs: QuerySet, spec: ContactFilterSpec) -> QuerySet:
    for name in CHOICES:
        chosen = getattr(spec, name)
        if len(chosen) == 1:  # `=` rather than IN(…): lets SQLite use the index prefix
            qs = qs.filter(**{name: chosen[0]})
        elif chosen:
            qs = qs.filter(**{f"{name}__in": chosen})
    if spec.lead_score_min is not None:
        qs = qs.filter(lead_score__gte=spec.lead_score_min)
    if spec.lead_score_max is not None:
        qs = qs.filter(lead_score__lte=spec.lead_score_max)
    if spec.country:
        qs = qs.filter(country=spec.country)
    if spec.source:
        qs = qs.filter(source__iexact=spec.source)
    if spec.has_email is not None:
        qs = qs.exclude(email="") if spec.has_email else qs.filter(email="")
    if spec.has_phone is not None:
        qs = qs.exclude(phone="") if spec.has_phone else qs.filter(phone="")
    return qs


def _filter_people(qs: QuerySet, spec: ContactFilterSpec, actor: Any) -> QuerySet:
    if spec.company == "none":
        qs = qs.filter(company__isnull=True)
    elif spec.company is not None:
        qs = qs.filter(company_id=spec.company)
    if spec.owner == "none":
        qs = qs.filter(owner__isnull=True)
    elif spec.owner == "me":
        qs = qs.filter(owner_id=getattr(actor, "pk", None))
    elif spec.owner is not None:
        qs = qs.filter(owner_id=spec.owner)
    return qs


def _tagged(names: tuple[str, ...]) -> Exists:
    # EXISTS keeps one row per contact however many tags match (no join, no DISTINCT).
    keys = [fold(name)[:50] for name in names]
    return Exists(ContactTag.objects.filter(contact_id=OuterRef("pk"), tag__name_key__in=keys))


def _filter_tags(qs: QuerySet, spec: ContactFilterSpec) -> QuerySet:
    if spec.tags_any:
        qs = qs.filter(_tagged(spec.tags_any))
    for name in spec.tags_all:
        qs = qs.filter(_tagged((name,)))
    if spec.tags_none:
        qs = qs.filter(~_tagged(spec.tags_none))
    return qs


def _filter_dates(qs: QuerySet, spec: ContactFilterSpec, now: dt.datetime) -> QuerySet:
    for name, column in DATE_COLUMNS.items():
        after = getattr(spec, f"{name}_after")
        if after is not None:
            qs = qs.filter(**{f"{column}__gte": resolve_date_bound(after, now)})
        before = getattr(spec, f"{name}_before")
        if before is not None:
            condition = Q(**{f"{column}__lt": resolve_date_bound(before, now)})
            if name in NEVER_COUNTS_AS_BEFORE:
                condition |= Q(**{f"{column}__isnull": True})
            qs = qs.filter(condition)
    if spec.has_activity is not None:
        qs = qs.filter(last_activity_at__isnull=not spec.has_activity)
    return qs


def resolve_date_bound(bound: DateBound, now: dt.datetime) -> dt.datetime:
    """The moment a bound stands for: a date means its midnight in the workspace time zone."""
    if isinstance(bound, RelativeAge):
        return bound.moment(now)
    if isinstance(bound, dt.datetime):
        return bound if timezone.is_aware(bound) else timezone.make_aware(bound)
    return timezone.make_aware(dt.datetime.combine(bound, dt.time.min))


def _months_before(moment: dt.datetime, months: int) -> dt.datetime:
    index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def _filter_custom(qs: QuerySet, conditions: tuple[CustomFieldCondition, ...]) -> QuerySet:
    supports_contains = connections[qs.db].features.supports_json_field_contains
    for index, condition in enumerate(conditions):
        # Named aliases (not "custom_fields__<key>" paths) keep any key literal, even "a__b".
        value_alias, text_alias = f"_cf{index}", f"_cf{index}_text"
        qs = qs.alias(
            **{
                value_alias: KeyTransform(condition.key, "custom_fields"),
                # Cast: plain text lookups, not the JSON ones that parse the compared value.
                text_alias: Cast(
                    KeyTextTransform(condition.key, "custom_fields"), output_field=TextField()
                ),
            }
        )
        qs = qs.filter(_custom_q(condition, value_alias, text_alias, supports_contains))
    return qs


def _custom_q(condition: CustomFieldCondition, value: str, text: str, supports_contains: bool) -> Q:
    values, operator = condition.values, condition.operator
    if operator == "empty":
        has_value = Q(custom_fields__has_key=condition.key) & ~Q(**{value: None})
        return ~has_value if values[0] else has_value
    if operator == "contains":
        return Q(**{f"{value}__icontains": values[0]})
    if operator == "in":
        return Q(**{f"{value}__in": list(values)})
    if operator in ("any", "all"):
        members = [_has_option(value, text, option, supports_contains) for option in values]
        combined = members[0]
        for member in members[1:]:
            combined = combined | member if operator == "any" else combined & member
        return combined
    if condition.field_type in TEXT_TYPES:
        return Q(**{f"{value}__iexact": values[0]})
    lookup = {"eq": "exact", "min": "gte", "max": "lte"}[operator]
    # ISO dates compare correctly as text on every database; numbers compare as JSON numbers.
    target = text if condition.field_type == FieldType.DATE else value
    return Q(**{f"{target}__{lookup}": values[0]})


def _has_option(value: str, text: str, option: str, supports_contains: bool) -> Q:
    """A multi-select list holds `option`: jsonb containment where the database has it."""
    if supports_contains:
        return Q(**{f"{value}__contains": [option]})
    # SQLite returns the list as compact JSON text; an element is a quoted string between
    # "[" or "," and "," or "]". Inside a string a quote is always escaped, so this is exact.
    matched = Q()
    for encoded in {_json_string(option, ascii_only=True), _json_string(option, ascii_only=False)}:
        for before, after in (("[", "]"), ("[", ","), (",", ","), (",", "]")):
            matched |= Q(**{f"{text}__contains": f"{before}{encoded}{after}"})
    return matched


def _json_string(text: str, *, ascii_only: bool) -> str:
    return json.dumps(text, ensure_ascii=ascii_only)
