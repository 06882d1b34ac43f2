"""Forms of the GDPR pages: the erasure confirmation and the suppression list."""

from __future__ import annotations

from django import forms

from peoplebase.contacts.models import Contact


class ErasureForm(forms.Form):
    """Confirms an erasure by typing the person's name or one of their addresses."""

    confirm = forms.CharField(
        label="Type the contact's name or email address to confirm",
        max_length=320,
    )
    reason = forms.CharField(
        label="Reason",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Kept in the erasure log, e.g. the request's date and reference.",
    )
    suppress = forms.BooleanField(
        label="Block these email addresses from being added or imported again",
        required=False,
        help_text="Only a keyed hash of each address is kept.",
    )

    def __init__(self, *args: object, contact: Contact, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.contact = contact

    def clean_confirm(self) -> str:
        typed = " ".join(self.cleaned_data["confirm"].split()).casefold()
        accepted = {self.contact.full_name.casefold().strip()}
        accepted.update(e.casefold() for e in self.contact.emails.values_list("email", flat=True))
        accepted.discard("")
        if typed not in accepted:
            raise forms.ValidationError("That is not this contact's name or email address.")
        return typed


class EmailForm(forms.Form):
    """An address typed in full (the suppression list holds hashes only)."""

    email = forms.CharField(label="Email address", max_length=320)


class LiftForm(EmailForm):
    reason = forms.CharField(label="Reason", max_length=500, required=False)
