"""Form widgets that render their HTML in Python.

Django renders each widget, and each option of a select, through a template: about 30 µs an
option and 0.1 ms a widget. The contact list's filter panel has some thirty inputs and selects
of hundreds of options on every page view, so these widgets build the same markup directly.
Values, labels and attributes are escaped by `format_html` / `flatatt` as the templates would.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.utils.choices import BaseChoiceIterator
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe


class QuickTextInput(forms.TextInput):
    """A text-like <input> (any `type` attribute)."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        value_attr = {} if widget["value"] is None else {"value": str(widget["value"])}
        return format_html(
            '<input type="{}" name="{}"{}{}>',
            widget["type"],
            widget["name"],
            flatatt(value_attr),
            flatatt(widget["attrs"]),
        )


@lru_cache(maxsize=16_384)
def _option(value: str, label: str, selected: bool) -> str:
    # Cached per option: the same countries, companies and owners are listed on every page.
    return (
        f'<option value="{escape(value)}"{" selected" if selected else ""}>{escape(label)}</option>'
    )


def _options(choices: Iterable[tuple[Any, Any]], chosen: set[str], multiple: bool) -> str:
    """The <option> tags; like Django, a single select marks only the first matching option."""
    parts: list[str] = []
    for value, label in choices:
        if isinstance(label, list | tuple):
            inner = _options(label, chosen, multiple)
            parts.append(f'<optgroup label="{escape(value)}">{inner}</optgroup>')
            continue
        key = "" if value is None else str(value)
        selected = key in chosen
        if selected and not multiple:
            chosen = set()
        parts.append(_option(key, str(label), selected))
    return "".join(parts)


class QuickSelect(forms.Select):
    """A single select; long option lists (companies, countries) cost little."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        attrs = self.build_attrs(self.attrs, attrs)
        if self.allow_multiple_selected:
            attrs["multiple"] = True
        chosen = set(self.format_value(value))
        options = _options(self.choices, chosen, self.allow_multiple_selected)
        return format_html(
            '<select name="{}"{}>{}</select>',
            name,
            flatatt(attrs),
            mark_safe(options),  # noqa: S308 - escaped in _option
        )


class QuickSelectMultiple(QuickSelect, forms.SelectMultiple):
    """A multiple select (`multiple` comes with the widget's attributes)."""


class ReadyChoices(BaseChoiceIterator):
    """Choices already as (value, label) string pairs, given to a field as they are.

    A list given to a ChoiceField is normalised twice (field and widget), pair by pair: for the
    filter panel's owners, companies and countries that was 4 ms of every list page. Django
    passes a choice iterator through untouched.
    """

    def __init__(self, choices: list[tuple[str, str]]) -> None:
        self.choices = choices

    def __iter__(self) -> Any:
        return iter(self.choices)

    def __len__(self) -> int:
        return len(self.choices)


# The name the first user of these widgets knew them by.
LongSelect = QuickSelect
