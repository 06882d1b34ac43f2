"""Display filters and link helpers shared by the contacts, companies, leads and settings pages.

Load with ``{% load peoplebase_tags %}``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.exceptions import FieldDoesNotExist
from django.forms import BoundField
from django.http import QueryDict
from django.template.loader import render_to_string
from django.utils.dateparse import parse_datetime
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from peoplebase.core import permissions
from peoplebase.normalize import country_name as _country_name
from peoplebase.normalize import format_phone_display

register = template.Library()

# Status-like values of every model mapped to the badge classes of app.css.
BADGE_CLASSES = {
    # contacts
    "active": "badge-active",
    "inactive": "badge-inactive",
    "unsubscribed": "badge-warn",
    "bounced": "badge-danger",
    # consent
    "opted_in": "badge-active",
    "opted_out": "badge-danger",
    "pending": "badge-warn",
    # leads
    "working": "badge-warn",
    "qualified": "badge-active",
    "disqualified": "badge-danger",
    "converted": "badge-inactive",
    # companies
    "customer": "badge-active",
}

FIELD_LABELS = {
    "gdpr_basis": "GDPR basis",
    "linkedin_url": "LinkedIn",
    "twitter_handle": "Twitter / X",
    "role": "Buying role",
    "company_id": "Company",
    "owner_id": "Owner",
    "is_archived": "Archived",
    "account_relations": "Also related to",
    "consent_date": "Consent date",
    "last_contacted_at": "Last contacted",
    "region": "State / region",
    "street2": "Street (line 2)",
}

EMPTY = "—"


@register.filter
def phone_display(number: Any) -> str:
    """E.164 numbers in international style ("+49 30 123456"); anything else as stored."""
    text = str(number or "")
    return format_phone_display(text) if text.startswith("+") else text


@register.filter
def country_name(code: Any) -> str:
    """The English name for an ISO alpha-2 code, or the code itself when unknown."""
    text = str(code or "")
    return _country_name(text) or text


@register.filter
def badge_class(value: Any) -> str:
    """The badge modifier class for a status, consent, lead status or lifecycle value."""
    modifier = BADGE_CLASSES.get(str(value or ""), "")
    return f"badge {modifier}" if modifier else "badge"


@register.filter
def field_label(name: Any) -> str:
    """A model field or audit key as a readable label: "consent_status" -> "Consent status"."""
    text = str(name or "")
    if text in FIELD_LABELS:
        return FIELD_LABELS[text]
    if text.startswith("custom_fields."):
        text = text.split(".", 1)[1]
    return text.replace("_", " ").strip().capitalize()


def _readable_text(value: str) -> str:
    # Audit values hold ISO timestamps; show them without seconds and offsets.
    parsed = parse_datetime(value) if "T" in value and len(value) >= 16 else None
    if parsed is not None:
        return parsed.strftime("%Y-%m-%d %H:%M")
    return value


@register.filter
def audit_value(value: Any) -> str:
    """One old or new value of a field-history entry as plain text."""
    if value is None or value == "" or value == [] or value == {}:
        return EMPTY
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dict):
        if "label" in value:
            return str(value["label"])
        return "; ".join(f"{field_label(k)}: {audit_value(v)}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return ", ".join(audit_value(v) for v in value)
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return _readable_text(str(value))


@register.simple_tag
def audit_display(entry: Any, name: str, value: Any) -> str:
    """A history value as people read it: choice fields show their label ("Opted In")."""
    model = entry.content_type.model_class() if entry.content_type_id else None
    try:
        choices = dict(model._meta.get_field(name).flatchoices) if model else {}
    except (FieldDoesNotExist, AttributeError, TypeError):
        choices = {}
    if isinstance(value, str) and value in choices:
        return str(choices[value])
    return audit_value(value)


@register.filter
def can_edit_record(user: Any, record: Any) -> bool:
    """Whether `user` may change `record` (buttons only; services still enforce)."""
    return permissions.can_edit(user, record)


@register.filter
def can_change_note(user: Any, note: Any) -> bool:
    """Notes may be changed by their author, or by managers and admins."""
    if not permissions.can_create(user) or getattr(note, "kind", "") != "note":
        return False
    return bool(user.can_edit_all_records or note.actor_id == user.pk)


@register.simple_tag
def count_label(count: int, cap: int, singular: str, plural: str) -> str:
    """ "1 contact", "1,234 contacts", or "10,000+ contacts" when the count passed the cap."""
    if count > cap:
        return f"{intcomma(cap)}+ {plural}"
    return f"{intcomma(count)} {singular if count == 1 else plural}"


def _with_params(params: QueryDict, changes: dict[str, Any]) -> str:
    query = params.copy()
    for key, value in changes.items():
        if value is None or value == "":
            query.pop(key, None)
        else:
            query[key] = str(value)
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.simple_tag(takes_context=True)
def query_string(context: template.Context, *pairs: Any, **changes: Any) -> str:
    """The current query string with some keys replaced; None or "" drops a key.

    ``<a href="{% query_string cursor=page.next_cursor %}">`` keeps the filters and sort. Keys
    held in variables go as positional pairs: ``{% query_string cursor_param page.next_cursor %}``.
    """
    if len(pairs) % 2:
        raise template.TemplateSyntaxError("query_string takes key/value pairs.")
    named = {str(pairs[i]): pairs[i + 1] for i in range(0, len(pairs), 2)}
    request = context.get("request")
    params = request.GET if request is not None else QueryDict()
    return _with_params(params, {**named, **changes})


@register.inclusion_tag("web/_sort_header.html", takes_context=True)
def sort_header(
    context: template.Context,
    label: str,
    key: str,
    current: str,
    descending_first: bool = False,
    css_class: str = "",
) -> dict[str, Any]:
    """A sortable <th>: links to `key` (or `-key` when already ascending), drops the cursor.

    `current` is the active sort key ("name" or "-name"); `descending_first` makes the first
    click sort newest/highest first (dates, scores).
    """
    ascending_active = current == key
    descending_active = current == f"-{key}"
    if ascending_active:
        target = f"-{key}"
    elif descending_active:
        target = key
    else:
        target = f"-{key}" if descending_first else key
    direction = "ascending" if ascending_active else "descending" if descending_active else ""
    request = context.get("request")
    params = request.GET if request is not None else QueryDict()
    return {
        "label": label,
        "href": _with_params(params, {"sort": target, "cursor": None}),
        "aria_sort": direction,
        "css_class": css_class,
    }


REQUIRED_MARK = (
    '<span class="required" aria-hidden="true"> *</span>'
    '<span class="visually-hidden"> (required)</span>'
)


@register.simple_tag
def quick_field(field: BoundField) -> SafeString:
    """What web/_field.html renders for `field`, built in Python for inputs and selects.

    The contact list's filter panel shows some thirty fields on every page view; including the
    template for each cost about 0.3 ms. Checkboxes, fieldsets and hidden fields still go
    through the template.
    """
    if field.is_hidden or field.widget_type == "checkbox" or field.use_fieldset:
        return render_to_string("web/_field.html", {"field": field})
    required = field.field.required or getattr(field.field, "show_required", False)
    errors = field.errors
    help_text = (
        f'<span class="help" id="{escape(field.auto_id)}_helptext">{escape(field.help_text)}</span>'
        if field.help_text
        else ""
    )
    return mark_safe(  # noqa: S308 - label, ids and help escaped; widget and errors are safe HTML
        f'<div class="field{" has-error" if errors else ""}">\n'
        f'  <label for="{escape(field.id_for_label)}">{escape(field.label)}'
        f"{REQUIRED_MARK if required else ''}</label>\n"
        f"  {field}\n"
        f"  {help_text}\n"
        f"  {errors if errors else ''}\n"
        "</div>"
    )
