"""Template tags that show where a contact came from, for the contact page."""

from __future__ import annotations

from typing import Any

from django import template

from peoplebase.imports.models import ImportRow
from peoplebase.imports.reports import import_origin as origin_of

register = template.Library()


@register.simple_tag
def import_origin(contact: Any) -> ImportRow | None:
    """The import row that created `contact` (job, file, row), or None."""
    return origin_of(contact)
