"""Define custom fields (admins) and validate their values on every write path."""

from __future__ import annotations

import datetime as dt
import math
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils.text import slugify

from peoplebase.audit.services import AuditAction, diff, record_change, snapshot
from peoplebase.core.errors import ErrorCollector, NotFound, ValidationFailed
from peoplebase.core.lookups import parse_id
from peoplebase.core.permissions import ensure_can_administer
from peoplebase.customfields.models import SELECT_TYPES, CustomFieldDefinition, FieldType
from peoplebase.normalize import InvalidEmail, InvalidUrl, normalize_email, normalize_url

DEFINITION_FIELDS = ("key", "label", "field_type", "required", "options", "help_text", "position")
KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,49}$")
MAX_TEXT = 500
MAX_LONG_TEXT = 20_000


def active_definitions() -> dict[str, CustomFieldDefinition]:
    return {d.key: d for d in CustomFieldDefinition.objects.filter(is_archived=False)}


def _is_empty(value: Any) -> bool:
    return value is None or value == "" or value == []


def _clean_text(definition: CustomFieldDefinition, value: Any) -> str:
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        raise ValueError("must be text")
    text = str(value).strip()
    limit = MAX_LONG_TEXT if definition.field_type == FieldType.LONG_TEXT else MAX_TEXT
    if len(text) > limit:
        raise ValueError(f"must be at most {limit} characters")
    return text


def _clean_number(_: CustomFieldDefinition, value: Any) -> int | float:
    if isinstance(value, bool):
        raise ValueError("must be a number")
    try:
        number = Decimal(str(value).strip().replace(",", "")) if isinstance(value, str) else value
        number = Decimal(str(number))
    except (InvalidOperation, ValueError) as exc:
        raise ValueError(f"“{value}” is not a number") from exc
    if not number.is_finite():
        raise ValueError("must be a finite number")
    as_float = float(number)
    if math.isinf(as_float) or abs(as_float) > 1e15:
        raise ValueError("is too large")
    return int(number) if number == number.to_integral_value() else as_float


def _clean_date(_: CustomFieldDefinition, value: Any) -> str:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    try:
        return dt.date.fromisoformat(str(value).strip()).isoformat()
    except ValueError as exc:
        raise ValueError(f"“{value}” is not a date; use YYYY-MM-DD") from exc


TRUE_WORDS = {"true", "yes", "y", "1", "on"}
FALSE_WORDS = {"false", "no", "n", "0", "off"}


def _clean_boolean(_: CustomFieldDefinition, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    word = str(value).strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ValueError(f"“{value}” is not yes or no")


def _clean_single_select(definition: CustomFieldDefinition, value: Any) -> str:
    option = str(value).strip()
    by_fold = {o.casefold(): o for o in definition.options}
    if option.casefold() not in by_fold:
        raise ValueError(f"“{option}” is not one of: {', '.join(definition.options)}")
    return by_fold[option.casefold()]


def _clean_multi_select(definition: CustomFieldDefinition, value: Any) -> list[str]:
    items = value if isinstance(value, list | tuple) else str(value).split(",")
    chosen: list[str] = []
    for item in items:
        if str(item).strip() == "":
            continue
        option = _clean_single_select(definition, item)
        if option not in chosen:
            chosen.append(option)
    return chosen


def _clean_url(_: CustomFieldDefinition, value: Any) -> str:
    try:
        return normalize_url(str(value))
    except InvalidUrl as exc:
        raise ValueError(str(exc)) from exc


def _clean_email(_: CustomFieldDefinition, value: Any) -> str:
    try:
        return normalize_email(str(value)).value
    except InvalidEmail as exc:
        raise ValueError(str(exc)) from exc


CLEANERS = {
    FieldType.TEXT: _clean_text,
    FieldType.LONG_TEXT: _clean_text,
    FieldType.NUMBER: _clean_number,
    FieldType.DATE: _clean_date,
    FieldType.BOOLEAN: _clean_boolean,
    FieldType.SINGLE_SELECT: _clean_single_select,
    FieldType.MULTI_SELECT: _clean_multi_select,
    FieldType.URL: _clean_url,
    FieldType.EMAIL: _clean_email,
}


def clean_values(
    incoming: dict[str, Any] | None,
    existing: dict[str, Any] | None = None,
    *,
    creating: bool,
    definitions: dict[str, CustomFieldDefinition] | None = None,
    errors: ErrorCollector | None = None,
) -> dict[str, Any]:
    """Merge `incoming` into `existing`, validated by type; errors go to `custom_fields.<key>`.

    Required fields must be filled on create and may not be cleared later; records created before
    a field became required stay editable.
    """
    defs = definitions if definitions is not None else active_definitions()
    collector = errors if errors is not None else ErrorCollector()
    result = dict(existing or {})
    if incoming is not None and not isinstance(incoming, dict):
        collector.add("custom_fields", "Custom fields must be an object of key: value.")
        incoming = {}
    for key, raw in (incoming or {}).items():
        definition = defs.get(key)
        if definition is None:
            collector.add(f"custom_fields.{key}", f"There is no custom field “{key}”.")
            continue
        if _is_empty(raw):
            if definition.required:
                collector.add(f"custom_fields.{key}", f"{definition.label} is required.")
            result.pop(key, None)
            continue
        try:
            result[key] = CLEANERS[FieldType(definition.field_type)](definition, raw)
        except ValueError as exc:
            collector.add(f"custom_fields.{key}", f"{definition.label} {exc}.".replace("..", "."))
    if creating:
        for key, definition in defs.items():
            if definition.required and _is_empty(result.get(key)) and key not in (incoming or {}):
                collector.add(f"custom_fields.{key}", f"{definition.label} is required.")
    if errors is None:
        collector.raise_if_any()
    return result


def _clean_definition(data: dict[str, Any], instance: CustomFieldDefinition | None) -> dict:
    errors = ErrorCollector()
    cleaned: dict[str, Any] = {}
    label = str(data.get("label", instance.label if instance else "") or "").strip()
    if not label:
        errors.add("label", "Give the field a label.")
    elif len(label) > 100:
        errors.add("label", "A label may have at most 100 characters.")
    cleaned["label"] = label
    if instance is None:
        key = str(data.get("key") or slugify(label).replace("-", "_")).strip().lower()
        if not KEY_PATTERN.match(key):
            errors.add("key", "Use lower-case letters, digits and _ (starting with a letter).")
        elif CustomFieldDefinition.objects.filter(key=key).exists():
            errors.add("key", f"A custom field with key “{key}” already exists.")
        cleaned["key"] = key
        field_type = data.get("field_type")
        if field_type not in FieldType.values:
            errors.add("field_type", f"Choose one of: {', '.join(FieldType.values)}.")
        cleaned["field_type"] = field_type
    else:
        if "key" in data and data["key"] != instance.key:
            errors.add("key", "A field's key cannot change: stored values use it.")
        if "field_type" in data and data["field_type"] != instance.field_type:
            errors.add("field_type", "A field's type cannot change once created.")
        field_type = instance.field_type
    options = data.get("options", instance.options if instance else [])
    if isinstance(options, str):
        options = [o for o in re.split(r"[\n,]", options)]
    options = [str(o).strip() for o in options or [] if str(o).strip()]
    if field_type in SELECT_TYPES and not options:
        errors.add("options", "A select field needs at least one option.")
    if len({o.casefold() for o in options}) != len(options):
        errors.add("options", "Options must be unique.")
    cleaned["options"] = options if field_type in SELECT_TYPES else []
    for name, default in (("required", False), ("help_text", ""), ("position", 0)):
        value = data.get(name, getattr(instance, name) if instance else default)
        cleaned[name] = value
    if not isinstance(cleaned["required"], bool):
        errors.add("required", "Must be true or false.")
    if not isinstance(cleaned["position"], int) or cleaned["position"] < 0:
        errors.add("position", "Must be a whole number, 0 or more.")
    cleaned["help_text"] = str(cleaned["help_text"] or "")[:200]
    errors.raise_if_any()
    return cleaned


def list_definitions(include_archived: bool = False) -> list[CustomFieldDefinition]:
    qs = CustomFieldDefinition.objects.all()
    return list(qs if include_archived else qs.filter(is_archived=False))


def get_definition(key_or_id: str | int) -> CustomFieldDefinition:
    numeric = parse_id(key_or_id)
    lookup: dict[str, Any] = {"pk": numeric} if numeric else {"key": str(key_or_id)}
    try:
        return CustomFieldDefinition.objects.get(**lookup)
    except CustomFieldDefinition.DoesNotExist as exc:
        raise NotFound(f"No custom field “{key_or_id}”.") from exc


@transaction.atomic
def create_definition(actor: Any, data: dict[str, Any]) -> CustomFieldDefinition:
    ensure_can_administer(actor)
    definition = CustomFieldDefinition.objects.create(**_clean_definition(data, None))
    record_change(actor, definition, AuditAction.CREATE, snapshot(definition, DEFINITION_FIELDS))
    return definition


@transaction.atomic
def update_definition(
    actor: Any, definition: CustomFieldDefinition, data: dict[str, Any]
) -> CustomFieldDefinition:
    ensure_can_administer(actor)
    before = snapshot(definition, DEFINITION_FIELDS)
    for name, value in _clean_definition(data, definition).items():
        setattr(definition, name, value)
    definition.save()
    changes = diff(before, snapshot(definition, DEFINITION_FIELDS))
    if changes:
        record_change(actor, definition, AuditAction.UPDATE, changes)
    return definition


@transaction.atomic
def archive_definition(actor: Any, definition: CustomFieldDefinition) -> None:
    """Hide a field from forms and validation; stored values stay so nothing is lost."""
    ensure_can_administer(actor)
    definition.is_archived = True
    definition.save(update_fields=["is_archived", "updated_at"])
    record_change(actor, definition, AuditAction.ARCHIVE)


def ensure_valid_key(key: str) -> None:
    if not KEY_PATTERN.match(key):
        raise ValidationFailed.single("key", "Use lower-case letters, digits and _.")
