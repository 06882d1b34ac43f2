"""LongSelect renders like Django's Select, escaped, without a template per option."""

from __future__ import annotations

from django import forms

from peoplebase.web.widgets import LongSelect


class Pick(forms.Form):
    choice = forms.ChoiceField(
        choices=[("", "Any"), ("1", "Acme & Co"), ("2", "<b>Bold</b> Ltd")],
        required=False,
        widget=LongSelect,
    )


def test_options_are_rendered_selected_and_escaped():
    html = str(Pick({"choice": "2"})["choice"])
    assert html.startswith('<select name="choice" id="id_choice">')
    assert '<option value="1">Acme &amp; Co</option>' in html
    assert '<option value="2" selected>&lt;b&gt;Bold&lt;/b&gt; Ltd</option>' in html
    assert "<b>" not in html


def test_nothing_selected_when_empty():
    html = str(Pick({})["choice"])
    assert '<option value="" selected>Any</option>' in html
    assert html.count(" selected") == 1
