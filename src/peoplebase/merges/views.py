"""Merge pages: pick contacts, choose values side by side, confirm; history and undo."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.views.decorators.http import require_http_methods, require_POST

from peoplebase.contacts.models import Contact
from peoplebase.contacts.views.common import safe_next
from peoplebase.core.errors import DomainError, ValidationFailed
from peoplebase.core.lookups import parse_id
from peoplebase.merges import services
from peoplebase.search.services import search_contacts
from peoplebase.web.views_helpers import domain_errors

MAX_CONTACTS = 10


@dataclass
class FieldRow:
    """One line of the side-by-side table: a value per contact and which one is picked."""

    name: str
    label: str
    cells: list[tuple[int, Any]] = field(default_factory=list)
    picked: int | None = None

    @property
    def differs(self) -> bool:
        return len({str(v) for _, v in self.cells}) > 1


def _ids(request: HttpRequest) -> list[int]:
    raw = request.POST.getlist("ids") if request.method == "POST" else request.GET.getlist("ids")
    ids: list[int] = []
    for value in raw:
        contact_id = parse_id(value)
        if contact_id is not None and contact_id not in ids:
            ids.append(contact_id)
    return ids[:MAX_CONTACTS]


def _display(contact: Contact, f: Any) -> Any:
    if f.is_relation:
        return getattr(contact, f.name) or ""
    if f.choices:
        return getattr(contact, f"get_{f.name}_display")()
    return f.value_from_object(contact)


def _rows(contacts: list[Contact], picks: dict[str, int]) -> list[FieldRow]:
    rows = []
    for f in services.choosable_fields():
        row = FieldRow(f.name, str(f.verbose_name).capitalize())
        row.cells = [(c.pk, _display(c, f)) for c in contacts]
        row.picked = picks.get(f.name) or _default_pick(
            contacts, lambda c, f=f: f.value_from_object(c)
        )
        rows.append(row)
    keys: list[str] = []
    for contact in contacts:
        keys += [k for k in (contact.custom_fields or {}) if k not in keys]
    for key in keys:
        name = services.CUSTOM_PREFIX + key
        row = FieldRow(name, key)
        row.cells = [(c.pk, (c.custom_fields or {}).get(key, "")) for c in contacts]
        row.picked = picks.get(name) or _default_pick(
            contacts, lambda c, k=key: (c.custom_fields or {}).get(k)
        )
        rows.append(row)
    return rows


def _default_pick(contacts: list[Contact], get: Any) -> int:
    for contact in contacts:
        if get(contact) not in (None, "", [], {}):
            return contact.pk
    return contacts[0].pk


def _picks(request: HttpRequest, contacts: list[Contact]) -> dict[str, int]:
    """Field choices sent with the form that differ from the default (so defaults stay rules)."""
    picks: dict[str, int] = {}
    for key, value in request.POST.items():
        if key.startswith("field:"):
            contact_id = parse_id(value)
            if contact_id is not None:
                picks[key.removeprefix("field:")] = contact_id
    return picks


def _ordered(contacts: list[Contact], primary_id: int | None) -> list[Contact]:
    primary = next((c for c in contacts if c.pk == primary_id), contacts[0])
    return [primary, *[c for c in contacts if c.pk != primary.pk]]


@require_http_methods(["GET", "POST"])
@login_required
@domain_errors
def merge_page(request: HttpRequest) -> HttpResponse:
    ids = _ids(request)
    found = {c.pk: c for c in Contact.objects.select_related("company", "owner").filter(pk__in=ids)}
    missing = [i for i in ids if i not in found]
    contacts = [found[i] for i in ids if i in found]
    data = request.POST if request.method == "POST" else request.GET
    primary_id = parse_id(data.get("primary"))
    if contacts:
        contacts = _ordered(contacts, primary_id)
    picks = _picks(request, contacts)
    if request.method == "POST" and len(contacts) >= 2:
        done = _do_merge(request, contacts, picks)
        if done is not None:
            return done
    return render(request, "merges/merge_page.html", _context(request, contacts, missing, picks))


def _context(
    request: HttpRequest, contacts: list[Contact], missing: list[int], picks: dict[str, int]
) -> dict[str, Any]:
    query = request.GET.get("q", "").strip()
    ids = [c.pk for c in contacts]
    hits = [h for h in search_contacts(query, limit=20) if h.contact_id not in ids] if query else []
    found = {c.pk: c for c in Contact.objects.filter(pk__in=[h.contact_id for h in hits])}
    strictest = (
        min(contacts, key=lambda c: services.CONSENT_ORDER.index(c.consent_status))
        if contacts
        else None
    )
    return {
        "title": "Merge contacts",
        "contacts": contacts,
        "missing": [(i, services.resolve_tombstone(i)) for i in missing],
        "rows": _rows(contacts, picks) if len(contacts) >= 2 else [],
        "emails": sorted({e.email for c in contacts for e in c.emails.all()}),
        "phones": sorted({p.number for c in contacts for p in c.phones.all()}),
        "tags": sorted({t.tag.name for c in contacts for t in c.tag_links.select_related("tag")}),
        "consent": strictest.get_consent_status_display() if strictest else "",
        "query": query,
        "results": [found[h.contact_id] for h in hits if h.contact_id in found],
        "next": safe_next(request, ""),
        "can_merge": services.editable_by(request.user, contacts),
        "undo_days": services.MergeSettings.load().undo_window_days,
    }


def _do_merge(
    request: HttpRequest, contacts: list[Contact], picks: dict[str, int]
) -> HttpResponse | None:
    if request.POST.get("confirm") != "yes":
        messages.error(request, "Tick the confirmation box to merge.")
        return None
    versions = {
        c.pk: v
        for c in contacts
        if (v := parse_id(request.POST.get(f"version:{c.pk}"))) is not None
    }
    primary, dups = contacts[0], contacts[1:]
    try:
        merge = services.merge_by_ids(
            request.user, primary.pk, [d.pk for d in dups], picks, versions
        )
    except DomainError as error:
        messages.error(request, error.message)
        return None
    messages.success(
        request,
        format_html(
            "Merged {} contact(s) into {}. You can undo this from the contact page or "
            '<a href="{}">the merge</a>.',
            len(dups),
            primary,
            reverse("merges:merge_detail", args=[merge.pk]),
        ),
    )
    return redirect(safe_next(request, primary.get_absolute_url()))


@login_required
@domain_errors
def merge_list(request: HttpRequest) -> HttpResponse:
    page = services.list_merges(request.user, cursor=request.GET.get("cursor"), limit=50)
    rows = [(m, services.undo_blocker(m)) for m in page.items]
    return render(
        request,
        "merges/merge_list.html",
        {
            "title": "Merges",
            "rows": rows,
            "page": page,
            "settings": services.MergeSettings.load(),
        },
    )


@login_required
@domain_errors
def merge_detail(request: HttpRequest, merge_id: int) -> HttpResponse:
    merge = services.get_merge(request.user, merge_id)
    fields = sorted({k for state in merge.before.values() for k in state})
    table = [(name, [merge.before[cid].get(name, "") for cid in merge.before]) for name in fields]
    return render(
        request,
        "merges/merge_detail.html",
        {
            "title": str(merge),
            "merge": merge,
            "blocker": services.undo_blocker(merge),
            "deadline": services.undo_deadline(merge),
            "contact_ids": list(merge.before),
            "table": table,
        },
    )


@require_POST
@login_required
@domain_errors
def merge_undo(request: HttpRequest, merge_id: int) -> HttpResponse:
    merge = services.get_merge(request.user, merge_id)
    try:
        services.undo_merge(request.user, merge)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(merge.get_absolute_url())
    messages.success(
        request, f"Merge undone: {len(merge.duplicate_ids)} contact(s) are back on their own."
    )
    target = merge.primary.get_absolute_url() if merge.primary else reverse("merges:merge_list")
    return redirect(safe_next(request, target))


def tombstone_redirect(request: HttpRequest, contact_id: int) -> HttpResponse | None:
    """The contact page of a merged-away id sends you to the survivor, saying so."""
    survivor = services.resolve_tombstone(contact_id)
    if survivor is None:
        return None
    messages.info(request, f"Contact #{contact_id} was merged into {survivor}; showing that one.")
    return redirect(survivor.get_absolute_url())


def undoable_merges_context(request: HttpRequest, contact: Contact) -> dict[str, Any]:
    """For the contact page: merges into this contact that can still be undone."""
    merges = services.undoable_merges_for(contact) if services.can_merge(request.user) else []
    return {"undoable_merges": [(m, services.undo_deadline(m)) for m in merges]}


@require_POST
@login_required
@domain_errors
def merge_settings(request: HttpRequest) -> HttpResponse:
    try:
        services.update_merge_settings(
            request.user,
            request.POST.getlist("allowed_roles"),
            request.POST.get("undo_window_days"),
        )
    except ValidationFailed as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Merge settings saved.")
    # Settings › Deduplication posts here too and asks to come back.
    return redirect(safe_next(request, reverse("merges:merge_list")))
