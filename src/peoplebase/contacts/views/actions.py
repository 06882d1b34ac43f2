"""POST actions on a contact: archive, delete, tags, notes and account relations (PRG or htmx)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from peoplebase.activities.services import add_note, delete_note, get_note, update_note
from peoplebase.companies.services import (
    add_account_relation,
    get_account_relation,
    remove_account_relation,
)
from peoplebase.contacts.forms import AccountRelationForm, NoteForm, tag_name_options
from peoplebase.contacts.models import Contact
from peoplebase.contacts.services import (
    add_tags,
    delete_contact,
    get_contact,
    remove_tags,
    set_archived,
    tag_names,
)
from peoplebase.contacts.views.common import is_htmx, redirect_back, safe_next
from peoplebase.contacts.views.detail import timeline_context
from peoplebase.core import permissions
from peoplebase.core.errors import DomainError, Forbidden, PreconditionFailed, ValidationFailed
from peoplebase.web.templatetags.peoplebase_tags import can_change_note
from peoplebase.web.views_helpers import delete_confirmed, domain_errors, posted_version

# --- archive, restore, delete -----------------------------------------------------------------


def _set_archived(request: HttpRequest, contact_id: int, archived: bool) -> HttpResponse:
    contact = get_contact(request.user, contact_id)
    try:
        set_archived(request.user, contact, archived, expected_version=posted_version(request))
    except PreconditionFailed:
        messages.error(request, "Someone changed this contact meanwhile; check it and try again.")
    else:
        verb = "Archived" if archived else "Restored"
        messages.success(request, f"{verb} {contact}.")
    return redirect(contact)


@require_POST
@login_required
@domain_errors
def contact_archive(request: HttpRequest, contact_id: int) -> HttpResponse:
    return _set_archived(request, contact_id, True)


@require_POST
@login_required
@domain_errors
def contact_restore(request: HttpRequest, contact_id: int) -> HttpResponse:
    return _set_archived(request, contact_id, False)


@require_http_methods(["GET", "POST"])
@login_required
@domain_errors
def contact_delete(request: HttpRequest, contact_id: int) -> HttpResponse:
    contact = get_contact(request.user, contact_id)
    permissions.ensure_can_edit(request.user, contact)
    if request.method == "POST":
        return delete_confirmed(
            request,
            contact,
            delete_contact,
            done=f"Deleted {contact}.",
            list_url="contacts:contact_list",
            stale="Someone changed this contact meanwhile; review it first.",
        )
    context = {
        "title": f"Delete {contact}",
        "contact": contact,
        "activity_count": contact.activities.count(),
    }
    return render(request, "contacts/contact_confirm_delete.html", context)


# --- tags -------------------------------------------------------------------------------------


def _tags_response(
    request: HttpRequest, contact: Contact, *, error: str = "", status: str = ""
) -> HttpResponse:
    if is_htmx(request):
        context = {
            "contact": contact,
            "tags": tag_names(contact),
            "can_edit": permissions.can_edit(request.user, contact),
            "tag_options": tag_name_options(),
            "tags_error": error,
            "tags_status": status,
        }
        return render(request, "contacts/_tags.html", context, status=422 if error else 200)
    if error:
        messages.error(request, error)
    elif status:
        messages.success(request, status)
    return redirect(f"{contact.get_absolute_url()}#tags")


def _tag_list(raw: str) -> list[str]:
    return [name.strip() for name in raw.split(",") if name.strip()]


@require_POST
@login_required
@domain_errors
def contact_tag_add(request: HttpRequest, contact_id: int) -> HttpResponse:
    contact = get_contact(request.user, contact_id)
    names = _tag_list(request.POST.get("tags", ""))
    if not names:
        return _tags_response(request, contact, error="Type a tag name to add.")
    try:
        contact = add_tags(request.user, contact, names)
    except ValidationFailed as exc:
        return _tags_response(request, contact, error=exc.message)
    return _tags_response(request, contact, status=f"Added {', '.join(names)}.")


@require_POST
@login_required
@domain_errors
def contact_tag_remove(request: HttpRequest, contact_id: int) -> HttpResponse:
    contact = get_contact(request.user, contact_id)
    name = request.POST.get("tag", "").strip()
    if not name:
        return _tags_response(request, contact, error="Choose a tag to remove.")
    contact = remove_tags(request.user, contact, [name])
    return _tags_response(request, contact, status=f"Removed {name}.")


# --- notes ------------------------------------------------------------------------------------


@require_POST
@login_required
@domain_errors
def note_add(request: HttpRequest, contact_id: int) -> HttpResponse:
    contact = get_contact(request.user, contact_id)
    body = request.POST.get("body", "")
    error = ""
    try:
        add_note(request.user, contact, body)
    except ValidationFailed as exc:
        error = exc.message
    if is_htmx(request):
        extra: dict[str, Any] = {"note_error": error, "note_body": body if error else ""}
        context = timeline_context(request, contact, **extra)
        return render(request, "web/_timeline.html", context, status=422 if error else 200)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, "Note added.")
    return redirect(f"{contact.get_absolute_url()}#timeline")


def _note_contact_url(note: Any) -> str:
    if note.contact_id:
        return reverse("contacts:contact_detail", args=[note.contact_id])
    return reverse("contacts:contact_list")


@require_http_methods(["GET", "POST"])
@login_required
@domain_errors
def note_edit(request: HttpRequest, note_id: int) -> HttpResponse:
    note = get_note(request.user, note_id)
    back = safe_next(request, _note_contact_url(note))
    if not can_change_note(request.user, note):
        raise Forbidden("Only the note's author or a manager may change it.")
    form = NoteForm(request.POST or None, initial={"body": note.body})
    if request.method == "POST" and form.is_valid():
        try:
            update_note(request.user, note, form.cleaned_data["body"])
        except ValidationFailed as exc:
            form.add_error("body", exc.message)
        else:
            messages.success(request, "Note saved.")
            return redirect(back)
    context = {"title": "Edit note", "note": note, "form": form, "back": back}
    status = 422 if form.errors else 200
    return render(request, "contacts/note_form.html", context, status=status)


@require_POST
@login_required
@domain_errors
def note_delete(request: HttpRequest, note_id: int) -> HttpResponse:
    note = get_note(request.user, note_id)
    back = _note_contact_url(note)
    delete_note(request.user, note)
    messages.success(request, "Note deleted.")
    return redirect_back(request, back)


# --- account relations ------------------------------------------------------------------------


@require_POST
@login_required
@domain_errors
def relation_add(request: HttpRequest, contact_id: int) -> HttpResponse:
    contact = get_contact(request.user, contact_id)
    permissions.ensure_can_edit(request.user, contact)
    form = AccountRelationForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(contact)
    company = form.cleaned_data["company"]
    try:
        add_account_relation(request.user, contact, company, form.cleaned_data["role"])
    except DomainError as exc:
        if isinstance(exc, Forbidden):
            raise
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Linked to {company} as {form.cleaned_data['role']}.")
    return redirect(contact)


@require_POST
@login_required
@domain_errors
def relation_remove(request: HttpRequest, relation_id: int) -> HttpResponse:
    relation = get_account_relation(request.user, relation_id)
    contact = relation.contact
    remove_account_relation(request.user, relation)
    messages.success(request, f"Removed {relation.role} at {relation.company}.")
    return redirect(contact)
