"""`{% export_panel %}`: the contact list's export choices, posted with the bulk bar's form."""

from __future__ import annotations

from typing import Any

from django import template

from peoplebase.exports.services import export_columns

register = template.Library()


@register.inclusion_tag("exports/_export_panel.html")
def export_panel() -> dict[str, Any]:
    return {"export_columns": list(export_columns().values())}
