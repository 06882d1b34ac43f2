"""The Settings › Deduplication form; the rules themselves live in services."""

from __future__ import annotations

from django import forms


class BandSettingsForm(forms.Form):
    """Band thresholds as typed: the service parses and checks them, naming the field."""

    likely = forms.CharField(
        label="Likely from score",
        max_length=20,
        help_text="Pairs scoring at least this are likely duplicates (at most 1).",
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    possible = forms.CharField(
        label="Possible from score",
        max_length=20,
        help_text="Pairs scoring at least this, and below “likely”, are possible duplicates "
        "(above 0, at most “likely”).",
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
