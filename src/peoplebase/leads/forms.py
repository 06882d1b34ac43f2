"""HTML forms for leads and their conversion; the lead services hold the rules."""

from __future__ import annotations

from typing import Any

from django import forms

from peoplebase.companies.forms import owner_choices, owner_filter_choices
from peoplebase.leads.models import Lead, LeadStatus
from peoplebase.leads.services import LEAD_SORTS, SETTABLE_STATUSES
from peoplebase.normalize import format_phone_display
from peoplebase.users.models import User

STATUS_CHOICES = [(s.value, s.label) for s in SETTABLE_STATUSES]
SORT_LABELS = {"-created": "Newest first", "created": "Oldest first", "company": "Company A–Z"}


class LeadForm(forms.Form):
    """Create or edit a lead; `version` carries the optimistic-locking token on edits."""

    company_name = forms.CharField(label="Company", max_length=200)
    first_name = forms.CharField(max_length=100, required=False)
    last_name = forms.CharField(max_length=100, required=False)
    email = forms.CharField(max_length=254, required=False, widget=forms.EmailInput)
    phone = forms.CharField(max_length=60, required=False, widget=forms.TextInput({"type": "tel"}))
    job_title = forms.CharField(max_length=150, required=False)
    website = forms.CharField(max_length=500, required=False, widget=forms.URLInput)
    source = forms.CharField(max_length=100, required=False, help_text="Web form, event, referral…")
    status = forms.ChoiceField(choices=STATUS_CHOICES, initial=LeadStatus.NEW)
    disqualified_reason = forms.CharField(
        max_length=200, required=False, help_text="Only for disqualified leads."
    )
    owner_id = forms.ChoiceField(label="Owner", required=False)
    notes = forms.CharField(max_length=20_000, required=False, widget=forms.Textarea)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, actor: User, current_owner: User | None = None, **kw: Any):
        super().__init__(*args, **kw)
        self.fields["owner_id"].choices = owner_choices(actor, current_owner)

    def service_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        return data

    @staticmethod
    def initial_for(lead: Lead) -> dict[str, Any]:
        names = [n for n in LeadForm.base_fields if n not in ("owner_id", "version", "phone")]
        initial = {name: getattr(lead, name) for name in names}
        initial["phone"] = lead.phone_original or lead.phone
        initial["owner_id"] = str(lead.owner_id or "")
        initial["version"] = lead.version
        return initial


class LeadListForm(forms.Form):
    """Search, owner filter and sort of the lead list (rendered only; the service validates)."""

    q = forms.CharField(label="Search", required=False, widget=forms.TextInput({"type": "search"}))
    owner = forms.ChoiceField(required=False)
    sort = forms.ChoiceField(choices=[(key, SORT_LABELS[key]) for key in LEAD_SORTS])

    def __init__(self, *args: Any, actor: User, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["owner"].choices = owner_filter_choices(actor)


class DisqualifyForm(forms.Form):
    """Why a lead is being dropped."""

    disqualified_reason = forms.CharField(label="Reason", max_length=200, required=False)


class ConvertForm(forms.Form):
    """What the conversion links or creates: the account, and the contact (if any)."""

    company = forms.ChoiceField(label="Account", widget=forms.RadioSelect)
    contact = forms.ChoiceField(label="Contact", widget=forms.RadioSelect)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, lead: Lead, suggestions: dict[str, Any], **kw: Any) -> None:
        super().__init__(*args, **kw)
        company, contact = suggestions.get("company"), suggestions.get("contact")
        company_choices = [("new", f"Create a new company “{lead.company_name}”")]
        if company is not None:
            company_choices.insert(0, (str(company.pk), f"Link to existing company “{company}”"))
        self.fields["company"].choices = company_choices
        self.fields["company"].initial = company_choices[0][0]
        phone = format_phone_display(lead.phone) if lead.phone.startswith("+") else lead.phone
        keeps = " and ".join(p for p in (lead.email, phone) if p)
        new_label = "Create a new contact" + (f" keeping {keeps}" if keeps else "")
        contact_choices = [("new", new_label), ("none", "No contact")]
        if contact is not None:
            contact_choices.insert(0, (str(contact.pk), f"Link existing contact “{contact}”"))
        self.fields["contact"].choices = contact_choices
        self.fields["contact"].initial = contact_choices[0][0]
        self.initial.setdefault("version", lead.version)

    def service_arguments(self) -> dict[str, Any]:
        """Keyword arguments for `convert_lead`."""
        company, contact = self.cleaned_data["company"], self.cleaned_data["contact"]
        return {
            "company_id": int(company) if company.isdigit() else None,
            "contact_id": int(contact) if contact.isdigit() else None,
            "create_contact_record": contact == "new",
            "expected_version": self.cleaned_data["version"],
        }
