"""Widgets rendered in Python give the same HTML as Django's templates, escaped alike."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms
from pytest_django.asserts import assertHTMLEqual

from peoplebase.web.widgets import QuickSelect, QuickSelectMultiple, QuickTextInput

CHOICES = [("", "Any"), ("x", 'X<&"'), ("Group <1>", [("1", "one"), ("2", "two")]), (3, "three")]


class Both(forms.Form):
    """Each field twice: Django's own widget and ours, under names that differ by a suffix."""

    text = forms.CharField(
        required=False, widget=forms.TextInput(attrs={"type": "number", "min": 0, "title": 'a"b'})
    )
    text_quick = forms.CharField(
        required=False, widget=QuickTextInput(attrs={"type": "number", "min": 0, "title": 'a"b'})
    )
    one = forms.ChoiceField(choices=CHOICES)
    one_quick = forms.ChoiceField(choices=CHOICES, widget=QuickSelect)
    many = forms.MultipleChoiceField(
        required=False, choices=CHOICES, widget=forms.SelectMultiple(attrs={"size": 4})
    )
    many_quick = forms.MultipleChoiceField(
        required=False, choices=CHOICES, widget=QuickSelectMultiple(attrs={"size": 4})
    )


def quick_as_django(form: forms.Form, name: str) -> str:
    """Our widget's HTML with its field name swapped for the Django twin's."""
    return str(form[f"{name}_quick"]).replace(f"{name}_quick", name)


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"text": '5"<b>', "one": "1", "many": ["x", "2"]},
        {"text": "", "one": "3", "many": ["3"]},
        {"one": "not a choice", "many": ["nope"]},
    ],
)
def test_quick_widgets_render_what_django_renders(data: dict[str, Any]) -> None:
    both = {**data, **{f"{name}_quick": value for name, value in data.items()}}
    form = Both(both)
    form.is_valid()  # errors add aria-invalid and aria-describedby to both alike

    for name in ("text", "one", "many"):
        assertHTMLEqual(quick_as_django(form, name), str(form[name]))


def test_a_single_select_marks_only_the_first_matching_option() -> None:
    widget = QuickSelect(choices=[("a", "A"), ("a", "A again")])

    assert widget.render("pick", "a").count(" selected") == 1


def test_ready_choices_work_like_a_list_of_pairs() -> None:
    from peoplebase.web.widgets import ReadyChoices

    pairs = [("", "Any"), ("7", "Ada & co"), ("9", "Bob")]

    class WithList(forms.Form):
        who = forms.ChoiceField(required=False, choices=pairs, widget=QuickSelect)

    class WithReady(forms.Form):
        who = forms.ChoiceField(required=False, widget=QuickSelect)

    ready = WithReady({"who": "7"})
    ready.fields["who"].choices = ReadyChoices(pairs)
    plain = WithList({"who": "7"})
    assertHTMLEqual(str(ready["who"]), str(plain["who"]))
    assert ready.is_valid() and ready.cleaned_data["who"] == "7"
    assert list(ready.fields["who"].choices) == pairs and len(ready.fields["who"].choices) == 3
    wrong = WithReady({"who": "8"})
    wrong.fields["who"].choices = ReadyChoices(pairs)
    assert not wrong.is_valid()
