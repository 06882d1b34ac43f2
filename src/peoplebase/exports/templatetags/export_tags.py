"""`{% export_panel %}`: the contact list's export choices, posted with the bulk bar's form."""

from __future__ import annotations

from typing import Any

from django import template

from peoplebase.exports.formats import available_columns
from peoplebase.exports.services import export_columns

register = template.Library()


@register.inclusion_tag("exports/_export_panel.html", takes_context=True)
def export_panel(context: template.Context) -> dict[str, Any]:
    # The list's column chooser already lists the custom fields: reuse it, so the page makes
    # no extra query.
    choices = context.get("column_choices")
    if choices is None:
        columns = export_columns()
    else:
        custom = [(col.custom_key, col.label) for col, _chosen in choices if col.is_custom]
        columns = available_columns(custom)
    return {"export_columns": list(columns.values())}
