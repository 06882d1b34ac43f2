"""Cells of the contact list's chosen columns."""

from __future__ import annotations

from typing import Any

from django import template

from peoplebase.segments.columns import Column

register = template.Library()


@register.inclusion_tag("segments/_cell.html")
def contact_cell(contact: Any, column: Column) -> dict[str, Any]:
    """One <td>: built-in columns by key, custom fields by their type."""
    value = contact.custom_fields.get(column.custom_key) if column.is_custom else None
    empty = value is None or value == "" or value == []
    return {"contact": contact, "column": column, "value": value, "empty": empty}
