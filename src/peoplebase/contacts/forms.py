"""HTML forms for the contact pages: they collect input; the services validate and save it.

Django-level checks stay minimal (choices, hidden numbers) so the service stays the one place
that knows the rules; its ValidationFailed is mapped back onto these fields.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms import formset_factory
from django.utils import timezone

from peoplebase.companies.models import Company
from peoplebase.contacts.models import (
    BuyingRole,
    ConsentStatus,
    ConsentType,
    Contact,
    ContactStatus,
    EmailKind,
    GdprBasis,
    PhoneKind,
    Seniority,
    Tag,
)
from peoplebase.customfields.models import CustomFieldDefinition, FieldType
from peoplebase.normalize import country_choices, fold
from peoplebase.users.models import User

MAX_DATALIST_OPTIONS = 500
BLANK = ("", "—")
CUSTOM_PREFIX = "cf_"


def _blank_choices(choices: list[tuple[str, str]], label: str = "—") -> list[tuple[str, str]]:
    return [("", label), *choices]


def company_name_options(limit: int = MAX_DATALIST_OPTIONS) -> list[str]:
    """Suggestions for the company inputs' <datalist>; any existing name may be typed."""
    return list(
        Company.objects.filter(is_archived=False)
        .order_by("name_key")
        .values_list("name", flat=True)[:limit]
    )


def tag_name_options(limit: int = MAX_DATALIST_OPTIONS) -> list[str]:
    return list(Tag.objects.order_by("name_key").values_list("name", flat=True)[:limit])


def find_company_by_name(name: str) -> Company | None:
    """The account whose name matches `name` (case and accents ignored), live ones first."""
    key = fold(name)
    if not key:
        return None
    return Company.objects.filter(name_key=key[:200]).order_by("is_archived", "id").first()


class CompanyNameField(forms.CharField):
    """A company typed by name (with suggestions); cleans to a Company or None."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 200)
        super().__init__(**kwargs)
        self.widget.attrs.update(list="company-options", autocomplete="off")

    def clean(self, value: Any) -> Company | None:  # type: ignore[override]
        text = super().clean(value)
        if not text:
            return None
        company = find_company_by_name(text)
        if company is None:
            raise forms.ValidationError(
                f"No company named “{text}”. Pick one from the list or create the company first."
            )
        return company


def duplicate_probe_attrs(url: str) -> dict[str, str]:
    """htmx attributes that ask the server for look-alike contacts while someone types."""
    return {
        "hx-post": url,
        "hx-trigger": "input changed delay:400ms",
        "hx-target": "#duplicate-warning",
        "hx-sync": "closest form:replace",
    }


PROBED_FIELDS = ("full_name", "first_name", "last_name", "company")


def owner_choices(actor: User) -> list[tuple[str, str]]:
    """Managers may hand a record to anyone active; reps only to themselves or nobody."""
    if actor.can_edit_all_records:
        users = User.objects.filter(is_active=True).order_by("first_name", "last_name", "email")
    else:
        users = User.objects.filter(pk=actor.pk)
    return [("", "No owner"), *((str(u.pk), u.display_name) for u in users)]


# --- contact create / edit --------------------------------------------------------------------


class ContactForm(forms.Form):
    """Every scalar of a contact plus its custom fields; emails and phones are formsets."""

    full_name = forms.CharField(
        required=False,
        max_length=300,
        label="Full name",
        help_text="Type the whole name, or first and last name below; the other is filled in.",
    )
    first_name = forms.CharField(required=False, max_length=100, label="First name")
    last_name = forms.CharField(required=False, max_length=100, label="Last name")

    company = CompanyNameField(required=False, label="Company")
    job_title = forms.CharField(required=False, max_length=150, label="Job title")
    department = forms.CharField(required=False, max_length=100)
    seniority = forms.ChoiceField(required=False, choices=_blank_choices(Seniority.choices))
    role = forms.ChoiceField(
        required=False, label="Buying role", choices=_blank_choices(BuyingRole.choices)
    )

    status = forms.ChoiceField(choices=ContactStatus.choices, initial=ContactStatus.ACTIVE)
    lead_score = forms.CharField(
        required=False,
        label="Lead score",
        initial="0",
        widget=forms.NumberInput(attrs={"min": 0, "max": 100, "step": 1}),
        help_text="0 to 100.",
    )
    source = forms.CharField(required=False, max_length=100)
    owner_id = forms.ChoiceField(required=False, label="Owner")

    linkedin_url = forms.CharField(
        required=False, label="LinkedIn", help_text="Profile URL or handle."
    )
    twitter_handle = forms.CharField(required=False, label="Twitter / X", help_text="@handle.")
    birthday = forms.CharField(
        required=False,
        max_length=40,
        help_text="1980-03-07, or --03-07 when you do not know the year.",
    )

    street = forms.CharField(required=False, max_length=200)
    street2 = forms.CharField(required=False, max_length=200, label="Street (line 2)")
    city = forms.CharField(required=False, max_length=100)
    region = forms.CharField(required=False, max_length=100, label="State / region")
    postal_code = forms.CharField(required=False, max_length=20, label="Postal code")
    country = forms.ChoiceField(required=False)

    consent_status = forms.ChoiceField(
        label="Consent status", choices=ConsentStatus.choices, initial=ConsentStatus.UNKNOWN
    )
    consent_type = forms.ChoiceField(
        required=False, label="Consent type", choices=_blank_choices(ConsentType.choices)
    )
    consent_date = forms.CharField(
        required=False,
        label="Consent date",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Set automatically when the status changes and no date is given.",
    )
    consent_source = forms.CharField(required=False, max_length=200, label="Consent source")
    gdpr_basis = forms.ChoiceField(
        required=False, label="GDPR basis", choices=_blank_choices(GdprBasis.choices)
    )

    tags = forms.CharField(
        required=False,
        help_text="Separate tags with commas.",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    primary_email = forms.CharField(required=False, widget=forms.HiddenInput)
    primary_phone = forms.CharField(required=False, widget=forms.HiddenInput)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    SECTIONS = {
        "identity": ("full_name", "first_name", "last_name"),
        "links": ("linkedin_url", "twitter_handle", "birthday"),
        "company": ("company", "job_title", "department", "seniority", "role"),
        "status": ("status", "lead_score", "source", "owner_id"),
        "address": ("street", "street2", "city", "region", "postal_code", "country"),
        "consent": (
            "consent_status",
            "consent_type",
            "consent_date",
            "consent_source",
            "gdpr_basis",
        ),
        "tags": ("tags",),
    }
    # Form fields that are not contact data keys, or are translated before the service sees them.
    NOT_DATA = frozenset({"primary_email", "primary_phone", "version", "company"})

    def __init__(
        self,
        data: Any = None,
        *,
        actor: User,
        contact: Contact | None = None,
        definitions: list[CustomFieldDefinition] | None = None,
        tags: list[str] | None = None,
        duplicate_probe_url: str = "",
    ) -> None:
        self.contact = contact
        self.definitions = definitions or []
        super().__init__(data, initial=self._initial(actor, contact, tags or []))
        choices = owner_choices(actor)
        # Keep a current owner the actor could not pick, so saving does not silently drop it.
        known = {value for value, _ in choices}
        if contact is not None and contact.owner_id and str(contact.owner_id) not in known:
            choices.append((str(contact.owner_id), contact.owner.display_name))
        self.fields["owner_id"].choices = choices
        self.fields["country"].choices = _blank_choices(country_choices())
        for definition in self.definitions:
            self.fields[CUSTOM_PREFIX + definition.key] = custom_field(definition)
        if duplicate_probe_url:
            for name in PROBED_FIELDS:
                self.fields[name].widget.attrs.update(duplicate_probe_attrs(duplicate_probe_url))
        # Each input remembers the value it was loaded with, so only real edits are sent on and
        # a save after a conflict does not undo what someone else changed meanwhile.
        for name, field in self.fields.items():
            field.show_hidden_initial = name != "version"

    @staticmethod
    def _initial(actor: User, contact: Contact | None, tags: list[str]) -> dict[str, Any]:
        if contact is None:
            return {"owner_id": str(actor.pk), "primary_email": "0", "primary_phone": "0"}
        initial = {
            name: "" if getattr(contact, name) is None else str(getattr(contact, name))
            for names in ContactForm.SECTIONS.values()
            for name in names
            if hasattr(contact, name) and name not in ("company", "owner_id")
        }
        consent_date = contact.consent_date
        initial["consent_date"] = (
            timezone.localtime(consent_date).date().isoformat() if consent_date else ""
        )
        initial["company"] = contact.company.name if contact.company_id else ""
        initial["owner_id"] = str(contact.owner_id or "")
        initial["tags"] = ", ".join(tags)
        initial["version"] = contact.version
        initial["primary_email"] = primary_index(list(contact.emails.all()))
        initial["primary_phone"] = primary_index(list(contact.phones.all()))
        for key, value in (contact.custom_fields or {}).items():
            initial[CUSTOM_PREFIX + key] = custom_initial(value)
        return initial

    def loaded_value(self, name: str) -> str:
        """The value `name` had when the form was first shown (its hidden initial)."""
        bound = self[name]
        if self.is_bound and bound.html_initial_name in self.data:
            return str(self.data.get(bound.html_initial_name) or "")
        return str(bound.initial or "")

    @property
    def primary_email_loaded(self) -> str:
        return self.loaded_value("primary_email")

    @property
    def primary_phone_loaded(self) -> str:
        return self.loaded_value("primary_phone")

    @property
    def sections(self) -> dict[str, list[forms.BoundField]]:
        return {key: [self[name] for name in names] for key, names in self.SECTIONS.items()}

    @property
    def custom_fields(self) -> list[forms.BoundField]:
        return [self[CUSTOM_PREFIX + d.key] for d in self.definitions]

    def service_data(self, *, creating: bool) -> dict[str, Any]:
        """The contact data dict for create_contact/update_contact (changed fields only)."""
        changed = set(self.changed_data)
        data: dict[str, Any] = {}
        for name in self.fields:
            if name in self.NOT_DATA or name.startswith(CUSTOM_PREFIX) or name not in changed:
                continue
            data[name] = self.cleaned_data[name]
        if "company" in changed:
            company = self.cleaned_data["company"]
            data["company_id"] = company.pk if company else None
        self._settle_names(data)
        custom = self._custom_values(changed, creating)
        if custom:
            data["custom_fields"] = custom
        return data

    def _settle_names(self, data: dict[str, Any]) -> None:
        # A new full name alone is parsed again; edited first/last names rebuild the full name.
        if "full_name" in data and "first_name" not in data and "last_name" not in data:
            data["first_name"] = data["last_name"] = ""
        elif {"first_name", "last_name"} & set(data) and data.get("full_name") == "":
            data.pop("full_name")

    def _custom_values(self, changed: set[str], creating: bool) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for definition in self.definitions:
            name = CUSTOM_PREFIX + definition.key
            required_boolean = (
                creating and definition.required and definition.field_type == FieldType.BOOLEAN
            )
            if name in changed or required_boolean:
                values[definition.key] = self.cleaned_data.get(name)
        return values


def custom_field(definition: CustomFieldDefinition) -> forms.Field:
    """A form field for one custom-field definition, by its type."""
    common: dict[str, Any] = {
        "required": False,
        "label": definition.label,
        "help_text": definition.help_text,
    }
    kind = definition.field_type
    options = [(o, o) for o in definition.options]
    field: forms.Field
    if kind == FieldType.LONG_TEXT:
        field = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), **common)
    elif kind == FieldType.NUMBER:
        field = forms.CharField(widget=forms.NumberInput(attrs={"step": "any"}), **common)
    elif kind == FieldType.DATE:
        field = forms.CharField(widget=forms.DateInput(attrs={"type": "date"}), **common)
    elif kind == FieldType.BOOLEAN:
        field = forms.BooleanField(**common)
    elif kind == FieldType.SINGLE_SELECT:
        field = forms.ChoiceField(choices=[BLANK, *options], **common)
    elif kind == FieldType.MULTI_SELECT:
        field = forms.MultipleChoiceField(
            choices=options, widget=forms.CheckboxSelectMultiple, **common
        )
    elif kind == FieldType.URL:
        field = forms.CharField(widget=forms.URLInput, **common)
    elif kind == FieldType.EMAIL:
        field = forms.CharField(widget=forms.EmailInput, **common)
    else:
        field = forms.CharField(**common)
    # Required custom fields are enforced by the service (records older than the rule stay
    # editable), so the mark is for display only.
    field.show_required = definition.required  # type: ignore[attr-defined]
    return field


def custom_initial(value: Any) -> Any:
    if isinstance(value, bool | list):
        return value
    return "" if value is None else str(value)


class RowForm(forms.Form):
    """A row of a repeated group; remembers what it was loaded with, to tell edits apart."""

    probed_field = ""

    def __init__(self, *args: Any, duplicate_probe_url: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.show_hidden_initial = True
        if duplicate_probe_url:
            probe = duplicate_probe_attrs(duplicate_probe_url)
            self.fields[self.probed_field].widget.attrs.update(probe)


class EmailRowForm(RowForm):
    """One email address row of the contact form."""

    probed_field = "email"
    email = forms.CharField(required=False, max_length=320, label="Email", widget=forms.EmailInput)
    kind = forms.ChoiceField(choices=EmailKind.choices, initial=EmailKind.WORK, label="Kind")
    is_bounced = forms.BooleanField(required=False, label="Bounced")
    is_opted_out = forms.BooleanField(required=False, label="Opted out")


class PhoneRowForm(RowForm):
    """One phone number row of the contact form."""

    probed_field = "number"
    number = forms.CharField(
        required=False, max_length=60, label="Phone", widget=forms.TextInput(attrs={"type": "tel"})
    )
    kind = forms.ChoiceField(choices=PhoneKind.choices, initial=PhoneKind.WORK, label="Kind")


EXTRA_ROWS = 2
EmailFormSet = formset_factory(EmailRowForm, extra=EXTRA_ROWS)
PhoneFormSet = formset_factory(PhoneRowForm, extra=EXTRA_ROWS)


def email_initial(contact: Contact | None) -> list[dict[str, Any]]:
    if contact is None:
        return []
    return [
        {
            "email": e.email,
            "kind": e.kind,
            "is_bounced": e.is_bounced,
            "is_opted_out": e.is_opted_out,
        }
        for e in contact.emails.all()
    ]


def phone_initial(contact: Contact | None) -> list[dict[str, Any]]:
    if contact is None:
        return []
    return [{"number": p.number, "kind": p.kind} for p in contact.phones.all()]


def primary_index(rows: list[Any]) -> str:
    return next((str(i) for i, row in enumerate(rows) if row.is_primary), "0")


def _filled_rows(formset: Any, field: str) -> list[tuple[int, str, dict[str, Any]]]:
    """(formset index, trimmed text, cleaned values) of each row whose `field` is filled in."""
    filled = []
    for index, row in enumerate(formset.forms):
        values = row.cleaned_data if row.is_bound and hasattr(row, "cleaned_data") else {}
        text = str(values.get(field) or "").strip()
        if text:
            filled.append((index, text, values))
    return filled


def email_rows(formset: Any, primary: str) -> tuple[list[dict[str, Any]], list[int]]:
    """Filled email rows as service dicts, and each dict's formset row index."""
    filled = _filled_rows(formset, "email")
    rows = [
        {
            "email": text,
            "kind": values.get("kind") or EmailKind.WORK,
            "is_primary": str(index) == primary,
            "is_bounced": bool(values.get("is_bounced")),
            "is_opted_out": bool(values.get("is_opted_out")),
        }
        for index, text, values in filled
    ]
    return rows, [index for index, _, _ in filled]


def phone_rows(formset: Any, primary: str) -> tuple[list[dict[str, Any]], list[int]]:
    """Filled phone rows as service dicts, and each dict's formset row index."""
    filled = _filled_rows(formset, "number")
    rows = [
        {
            "number": text,
            "kind": values.get("kind") or PhoneKind.WORK,
            "is_primary": str(index) == primary,
        }
        for index, text, values in filled
    ]
    return rows, [index for index, _, _ in filled]


# --- list filters ------------------------------------------------------------------------------


class ContactFilterForm(forms.Form):
    """The GET filter bar of the contact list; invalid values are reported and ignored."""

    q = forms.CharField(
        required=False,
        max_length=200,
        label="Search",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "Name or email"}),
    )
    status = forms.ChoiceField(
        required=False, choices=_blank_choices(ContactStatus.choices, "Any status")
    )
    owner = forms.ChoiceField(required=False)
    tag = forms.CharField(
        required=False, max_length=50, widget=forms.TextInput(attrs={"list": "tag-options"})
    )
    consent_status = forms.ChoiceField(
        required=False,
        label="Consent",
        choices=_blank_choices(ConsentStatus.choices, "Any consent"),
    )
    archived = forms.BooleanField(required=False, label="Archived only")

    def __init__(self, data: Any, *, actor: User) -> None:
        super().__init__(data)
        users = User.objects.filter(is_active=True).order_by("first_name", "last_name", "email")
        self.fields["owner"].choices = [
            ("", "Anyone"),
            ("me", "Me"),
            ("none", "No owner"),
            *((str(u.pk), u.display_name) for u in users),
        ]

    def valid_values(self) -> dict[str, Any]:
        """The filters that passed validation (others are dropped, with their error shown)."""
        self.is_valid()
        values = getattr(self, "cleaned_data", {})
        return {name: values[name] for name in self.fields if name in values}


# --- other contact actions --------------------------------------------------------------------


class JobChangeForm(forms.Form):
    """Where the person went: the new account, title and work contact details."""

    company = CompanyNameField(label="New company")
    job_title = forms.CharField(required=False, max_length=150, label="New job title")
    email = forms.CharField(
        required=False, max_length=320, label="New work email", widget=forms.EmailInput
    )
    phone = forms.CharField(
        required=False,
        max_length=60,
        label="New work phone",
        widget=forms.TextInput(attrs={"type": "tel"}),
    )

    def service_data(self) -> dict[str, Any]:
        values = self.cleaned_data
        data: dict[str, Any] = {"company_id": values["company"].pk}
        if values.get("job_title"):
            data["job_title"] = values["job_title"]
        if values.get("email"):
            data["emails"] = [
                {"email": values["email"], "kind": EmailKind.WORK, "is_primary": True}
            ]
        if values.get("phone"):
            data["phones"] = [
                {"number": values["phone"], "kind": PhoneKind.WORK, "is_primary": True}
            ]
        return data


class AccountRelationForm(forms.Form):
    """A labelled tie from a contact to another account (advisor, board member…)."""

    company = CompanyNameField(label="Account")
    role = forms.CharField(
        max_length=100, label="Relationship", help_text="e.g. Advisor, Investor."
    )


class NoteForm(forms.Form):
    body = forms.CharField(label="Note", widget=forms.Textarea(attrs={"rows": 6}))
