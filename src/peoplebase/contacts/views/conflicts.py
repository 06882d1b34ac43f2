"""After a stale save: lay the user's own edits over the record as it is now.

Every input carries a hidden copy of the value it was shown with, so the inputs the user really
changed are known. Those keep the user's value; all others show the current value, so saving
again applies the user's edits without undoing what someone else changed meanwhile.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import QueryDict

MANAGEMENT_KEYS = ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS")


def put(data: QueryDict, key: str, value: Any, field: forms.Field, *, hidden: bool) -> None:
    """Store `value` the way the field's (hidden) widget would have posted it."""
    if isinstance(field, forms.MultipleChoiceField):
        data.setlist(key, [str(v) for v in value or []])
    elif isinstance(field, forms.BooleanField):
        if hidden:
            data[key] = "True" if value else "False"
        elif value:
            data[key] = "on"
    else:
        data[key] = "" if value is None else str(value)


def merge_form(merged: QueryDict, posted: QueryDict, mine: forms.Form, now: forms.Form) -> None:
    changed = set(mine.changed_data)
    for name, field in now.fields.items():
        current = now.get_initial_for_field(field, name)
        put(merged, now.add_initial_prefix(name), current, field, hidden=True)
        if name in changed:
            merged.setlist(name, posted.getlist(name))
        else:
            put(merged, name, current, field, hidden=False)


def keep_rows(merged: QueryDict, posted: QueryDict, prefix: str, primary: str) -> None:
    """The user edited this group: keep their rows and their choice of primary as posted."""
    for key in posted:
        if key.startswith((f"{prefix}-", f"initial-{prefix}-")):
            merged.setlist(key, posted.getlist(key))
    merged[primary] = posted.get(primary, "")
    merged[f"initial-{primary}"] = posted.get(f"initial-{primary}", "")


def current_rows(merged: QueryDict, formset: Any) -> None:
    """The user left this group alone: show the rows the record has now."""
    management = formset.management_form
    for key in MANAGEMENT_KEYS:
        merged[management.add_prefix(key)] = str(management.initial.get(key, ""))
    for row in formset.forms:
        for name, field in row.fields.items():
            value = row.get_initial_for_field(field, name)
            put(merged, row.add_prefix(name), value, field, hidden=False)
            put(merged, row.add_initial_prefix(name), value, field, hidden=True)


def merged_input(posted: QueryDict, mine: Any, now: Any, version: int) -> QueryDict:
    """Form data for the current record (`now`, unbound) carrying the user's edits (`mine`)."""
    merged = QueryDict(mutable=True)
    merge_form(merged, posted, mine.form, now.form)
    merged["version"] = str(version)
    if mine.emails_changed:
        keep_rows(merged, posted, "emails", "primary_email")
    else:
        current_rows(merged, now.emails)
    if mine.phones_changed:
        keep_rows(merged, posted, "phones", "primary_phone")
    else:
        current_rows(merged, now.phones)
    return merged
