"""Create and edit a contact, the live duplicate warning, and the job-change form."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from peoplebase.contacts.forms import (
    CUSTOM_PREFIX,
    ContactForm,
    EmailFormSet,
    JobChangeForm,
    PhoneFormSet,
    company_name_options,
    email_initial,
    email_rows,
    find_company_by_name,
    phone_initial,
    phone_rows,
    tag_name_options,
)
from peoplebase.contacts.models import Contact
from peoplebase.contacts.services import (
    change_job,
    check_duplicates,
    create_contact,
    get_contact,
    tag_names,
    update_contact,
)
from peoplebase.contacts.views.conflicts import merged_input
from peoplebase.core import permissions
from peoplebase.core.errors import (
    DuplicateSuspected,
    Forbidden,
    PreconditionFailed,
    ValidationFailed,
)
from peoplebase.customfields.services import list_definitions
from peoplebase.web.templatetags.peoplebase_tags import field_label
from peoplebase.web.views_helpers import domain_errors, posted_data

CONFLICT_MESSAGE = (
    "Someone else changed this contact while you were editing it, so nothing was saved yet. "
    "The form now shows their changes together with yours: check it, then save again."
)
MAX_PROBED_ROWS = 10


@dataclass
class ContactFormSet:
    """The contact form and its email and phone rows, handled as one."""

    form: ContactForm
    emails: Any
    phones: Any
    email_positions: list[int] = field(default_factory=list)
    phone_positions: list[int] = field(default_factory=list)
    row_errors: dict[str, list[str]] = field(default_factory=dict)

    def is_valid(self) -> bool:
        return all([self.form.is_valid(), self.emails.is_valid(), self.phones.is_valid()])

    def service_data(self, *, creating: bool) -> dict[str, Any]:
        data = self.form.service_data(creating=creating)
        if creating or self.emails_changed:
            primary = self.form.cleaned_data.get("primary_email") or ""
            data["emails"], self.email_positions = email_rows(self.emails, primary)
        if creating or self.phones_changed:
            primary = self.form.cleaned_data.get("primary_phone") or ""
            data["phones"], self.phone_positions = phone_rows(self.phones, primary)
        return data

    @property
    def emails_changed(self) -> bool:
        return self.emails.has_changed() or "primary_email" in self.form.changed_data

    @property
    def phones_changed(self) -> bool:
        return self.phones.has_changed() or "primary_phone" in self.form.changed_data

    @property
    def has_errors(self) -> bool:
        rows = [*self.emails.forms, *self.phones.forms]
        return bool(
            self.form.errors
            or any(row.errors for row in rows)
            or self.emails.non_form_errors()
            or self.phones.non_form_errors()
            or self.row_errors
        )

    def add_service_errors(self, error: ValidationFailed) -> None:
        """Put each service error next to the input it is about."""
        for key, texts in error.errors.items():
            for text in texts:
                self._add_error(key, text)

    def _add_error(self, key: str, text: str) -> None:
        head, _, rest = key.partition(".")
        if head in ("emails", "phones"):
            self._add_row_error(head, rest, text)
        elif head == "custom_fields" and CUSTOM_PREFIX + rest in self.form.fields:
            self.form.add_error(CUSTOM_PREFIX + rest, text)
        elif key == "company_id":
            self.form.add_error("company", text)
        elif key in self.form.fields:
            self.form.add_error(key, text)
        else:
            self.form.add_error(None, f"{field_label(key)}: {text}" if key != "__all__" else text)

    def _add_row_error(self, head: str, rest: str, text: str) -> None:
        formset = self.emails if head == "emails" else self.phones
        positions = self.email_positions if head == "emails" else self.phone_positions
        index, _, name = rest.partition(".")
        if index.isdigit() and int(index) < len(positions):
            row = formset.forms[positions[int(index)]]
            row.add_error(name if name in row.fields else None, text)
        else:
            self.row_errors.setdefault(head, []).append(text)


def bound_forms(
    request: HttpRequest,
    contact: Contact | None,
    data: QueryDict | None = None,
    *,
    unbound: bool = False,
) -> ContactFormSet:
    """The contact form and rows, bound to `data` (default: the POST) unless `unbound`."""
    posted = data if data is not None else posted_data(request)
    posted = None if unbound else posted
    # Only a new contact is checked for look-alikes while typing.
    probe_url = "" if contact else reverse("contacts:contact_duplicates_check")
    form = ContactForm(
        posted,
        actor=request.user,
        contact=contact,
        definitions=list_definitions(),
        tags=tag_names(contact) if contact else [],
        duplicate_probe_url=probe_url,
    )
    row_kwargs = {"duplicate_probe_url": probe_url}
    # Bound rows compare with the hidden initials they were shown with, not the record now.
    email_rows_initial = email_initial(contact) if posted is None else None
    phone_rows_initial = phone_initial(contact) if posted is None else None
    emails = EmailFormSet(
        posted, prefix="emails", initial=email_rows_initial, form_kwargs=row_kwargs
    )
    phones = PhoneFormSet(
        posted, prefix="phones", initial=phone_rows_initial, form_kwargs=row_kwargs
    )
    return ContactFormSet(form, emails, phones)


def render_form(request: HttpRequest, forms: ContactFormSet, **context: Any) -> HttpResponse:
    contact = context.get("contact")
    context.setdefault("title", f"Edit {contact}" if contact else "New contact")
    context.update(
        form=forms.form,
        emails=forms.emails,
        phones=forms.phones,
        row_errors=forms.row_errors,
        company_options=company_name_options(),
        tag_options=tag_name_options(),
    )
    status = 422 if request.method == "POST" and forms.has_errors else 200
    return render(request, "contacts/contact_form.html", context, status=status)


def show_warnings(request: HttpRequest, warnings: list[str]) -> None:
    for warning in warnings:
        messages.warning(request, warning)


def owner_refused(forms: ContactFormSet, error: Forbidden) -> None:
    forms.form.add_error("owner_id", error.message)


@require_http_methods(["GET", "POST"])
@login_required
@domain_errors
def contact_create(request: HttpRequest) -> HttpResponse:
    if not permissions.can_create(request.user):
        raise Forbidden("Your role may not create contacts.")
    forms = bound_forms(request, None)
    if request.method == "GET" or not forms.is_valid():
        return render_form(request, forms)
    try:
        result = create_contact(
            request.user,
            forms.service_data(creating=True),
            allow_duplicate=bool(request.POST.get("allow_duplicate")),
        )
    except ValidationFailed as exc:
        forms.add_service_errors(exc)
    except DuplicateSuspected as exc:
        return render_form(request, forms, duplicates=exc.candidates, duplicate_checked=True)
    except Forbidden as exc:
        owner_refused(forms, exc)
    else:
        messages.success(request, f"Created {result.contact}.")
        show_warnings(request, result.warnings)
        return redirect(result.contact)
    return render_form(request, forms)


@require_http_methods(["GET", "POST"])
@login_required
@domain_errors
def contact_edit(request: HttpRequest, contact_id: int) -> HttpResponse:
    contact = get_contact(request.user, contact_id)
    permissions.ensure_can_edit(request.user, contact)
    forms = bound_forms(request, contact)
    if request.method == "GET" or not forms.is_valid():
        return render_form(request, forms, contact=contact)
    try:
        result = update_contact(
            request.user,
            contact,
            forms.service_data(creating=False),
            expected_version=forms.form.cleaned_data.get("version"),
        )
    except ValidationFailed as exc:
        forms.add_service_errors(exc)
    except PreconditionFailed as exc:
        return conflict(request, contact, exc)
    except Forbidden as exc:
        if not permissions.can_edit(request.user, contact):
            raise
        owner_refused(forms, exc)
    else:
        messages.success(request, f"Saved {result.contact}.")
        show_warnings(request, result.warnings)
        return redirect(result.contact)
    return render_form(request, forms, contact=contact)


def conflict(request: HttpRequest, contact: Contact, error: PreconditionFailed) -> HttpResponse:
    """Show the record as it is now with the user's own edits kept, and explain what happened."""
    current = get_contact(request.user, contact.pk)
    mine = bound_forms(request, contact)
    now = bound_forms(request, current, data=None, unbound=True)
    merged = merged_input(request.POST, mine, now, current.version)
    forms = bound_forms(request, current, merged)
    forms.is_valid()
    response = render_form(request, forms, contact=current, conflict=CONFLICT_MESSAGE)
    response.status_code = 409
    return response


# --- the live duplicate warning ---------------------------------------------------------------

ROW_KEY = re.compile(r"^(emails|phones)-(\d+)-(email|number)$")


def duplicate_probe(params: QueryDict) -> dict[str, Any]:
    """The identifying bits of a half-filled contact form, as check_duplicates wants them."""
    rows: dict[str, list[str]] = {"emails": [], "phones": []}
    for key, value in params.items():
        match = ROW_KEY.match(key)
        if match and value.strip() and len(rows[match.group(1)]) < MAX_PROBED_ROWS:
            rows[match.group(1)].append(value.strip())
    data: dict[str, Any] = {
        name: params.get(name, "")[:300] for name in ("full_name", "first_name", "last_name")
    }
    data.update(rows)
    company = find_company_by_name(params.get("company", "")[:200])
    data["company_id"] = company.pk if company else None
    return data


@require_POST
@login_required
@domain_errors
def contact_duplicates_check(request: HttpRequest) -> HttpResponse:
    candidates = check_duplicates(request.user, duplicate_probe(request.POST))
    return render(request, "contacts/_duplicates.html", {"duplicates": candidates})


# --- job change -------------------------------------------------------------------------------

JOB_CHANGE_FIELDS = {"company_id": "company", "job_title": "job_title"}


def add_job_change_errors(form: JobChangeForm, error: ValidationFailed) -> None:
    for key, texts in error.errors.items():
        target = JOB_CHANGE_FIELDS.get(key)
        if key.startswith("emails."):
            target = "email"
        elif key.startswith("phones."):
            target = "phone"
        for text in texts:
            form.add_error(target, text if target else f"{field_label(key)}: {text}")


@require_http_methods(["GET", "POST"])
@login_required
@domain_errors
def contact_job_change(request: HttpRequest, contact_id: int) -> HttpResponse:
    contact = get_contact(request.user, contact_id)
    permissions.ensure_can_edit(request.user, contact)
    form = JobChangeForm(posted_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            result = change_job(request.user, contact, form.service_data())
        except ValidationFailed as exc:
            add_job_change_errors(form, exc)
        else:
            messages.success(
                request,
                f"Started a new record for {result.contact} at {result.contact.company}; "
                "the old one keeps its history.",
            )
            show_warnings(request, result.warnings)
            return redirect(result.contact)
    context = {
        "title": f"Job change: {contact}",
        "contact": contact,
        "form": form,
        "company_options": company_name_options(),
    }
    return render(
        request, "contacts/contact_job_change.html", context, status=422 if form.errors else 200
    )
