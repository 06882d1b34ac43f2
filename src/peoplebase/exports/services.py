"""Export contacts: choose what (a saved view, filters and search, or ids) and how (format,
columns, BOM), then stream it. Permissions are those of the contact list."""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils import timezone

from peoplebase.contacts.filtering import filter_params, parse_filters
from peoplebase.contacts.models import Contact
from peoplebase.contacts.services import ContactFilters, matching_contacts
from peoplebase.core.errors import Conflict, ErrorCollector, NotFound, ValidationFailed
from peoplebase.core.lookups import parse_id
from peoplebase.core.permissions import ensure_can_view
from peoplebase.customfields.services import active_definitions
from peoplebase.exports.formats import (
    FORMATS,
    ExportColumn,
    UnknownColumns,
    available_columns,
    choose_columns,
    export_chunks,
    load_children,
)
from peoplebase.exports.models import ContactExport, ExportStatus
from peoplebase.segments import services as segments
from peoplebase.users.models import User

logger = logging.getLogger("peoplebase.exports")

BATCH_SIZE = 500
MAX_IDS = 10_000
# Parameters of an export request that are not contact filters.
EXPORT_PARAMS = frozenset({"format", "columns", "bom", "ids", "view"})


@dataclass
class ExportRequest:
    """What to export and how: a selection of contacts plus format, columns and BOM."""

    format: str = "csv"
    columns: list[ExportColumn] = field(default_factory=list)
    bom: bool = False
    view_id: int | None = None
    q: str = ""
    filters: dict[str, list[str]] = field(default_factory=dict)
    ids: list[int] | None = None

    @property
    def content_type(self) -> str:
        return FORMATS[self.format]

    def filename(self, stamp: str) -> str:
        return f"contacts-{stamp}.{self.format}"

    def describe(self) -> dict[str, Any]:
        """JSON-safe description, stored with background exports."""
        return {
            "view": self.view_id,
            "q": self.q,
            "filters": self.filters,
            "ids": self.ids,
            "columns": [column.key for column in self.columns],
        }


def export_columns() -> dict[str, ExportColumn]:
    custom = [(d.key, d.label) for d in active_definitions().values()]
    return available_columns(custom)


def parse_export_request(actor: User, query: Mapping[str, Any]) -> ExportRequest:
    """Read an export request from query parameters (a QueryDict, or a dict of lists).

    `view` (a saved view's id or name) supplies search text and filters; filters given
    explicitly replace the view's. Every bad parameter is reported at once.
    """
    ensure_can_view(actor)
    query = _as_querydict(query)
    errors = ErrorCollector()
    for name, values in query.lists():
        if any("\x00" in value for value in values):  # PostgreSQL cannot even compare it
            errors.add(name, "Text may not contain NUL (\\u0000) characters.")
    errors.raise_if_any()
    request = ExportRequest(bom=truthy(query.get("bom", "")))
    request.format = (query.get("format") or "csv").strip().lower()
    if request.format not in FORMATS:
        errors.add("format", "Choose csv or vcf.")
        request.format = "csv"
    try:
        request.columns = choose_columns(_split(query.getlist("columns")), export_columns())
    except UnknownColumns as exc:
        errors.add("columns", str(exc))
    if query.get("view"):
        view = find_view(actor, query["view"])
        request.view_id = view.pk
        query = segments.view_query(view, _without(query, {"view"}))
    request.ids = _clean_ids(query.getlist("ids"), errors) if query.get("ids") else None
    request.q = (query.get("q") or "").strip()
    request.filters = {
        name: values for name, values in filter_params(query).items() if name not in EXPORT_PARAMS
    }
    request.filters.pop(segments.COLUMNS_PARAM, None)
    try:
        parse_filters(request.filters)
    except ValidationFailed as exc:
        for name, messages in exc.errors.items():
            for message in messages:
                errors.add(name, message)
    errors.raise_if_any()
    return request


def find_view(actor: User, ref: str) -> Any:
    """A saved view visible to `actor`, by id or by name (case ignored)."""
    views = segments.visible_views(actor)
    view_id = parse_id(ref)
    found = views.filter(pk=view_id).first() if view_id else None
    found = found or views.filter(name__iexact=str(ref).strip()).order_by("pk").first()
    if found is None:
        raise NotFound(f"No saved view “{ref}”.")
    return found


def selected_contacts(actor: User, request: ExportRequest) -> QuerySet[Contact]:
    """Every contact the request selects, as the list would show them to `actor`."""
    spec = parse_filters(request.filters)
    qs = matching_contacts(actor, ContactFilters(q=request.q, spec=spec))
    if request.ids is not None:
        qs = qs.filter(pk__in=request.ids)
    return qs


def iter_contacts(queryset: QuerySet[Contact]) -> Iterator[Contact]:
    """The contacts in id order, a batch at a time with their children, in bounded memory."""
    last = 0
    while True:
        batch = load_children(list(queryset.filter(pk__gt=last).order_by("pk")[:BATCH_SIZE]))
        if not batch:
            return
        yield from batch
        last = batch[-1].pk


def stream_export(actor: User, request: ExportRequest) -> Iterator[str]:
    """The export as text chunks; the selection is read lazily, batch by batch."""
    contacts = iter_contacts(selected_contacts(actor, request))
    return export_chunks(request.format, contacts, request.columns, bom=request.bom)


def count_selected(actor: User, request: ExportRequest) -> int:
    return selected_contacts(actor, request).count()


def _as_querydict(query: Mapping[str, Any]) -> QueryDict:
    if isinstance(query, QueryDict):
        return query
    result = QueryDict(mutable=True)
    for name, value in query.items():
        values = value if isinstance(value, list | tuple) else [value]
        result.setlist(name, [str(item) for item in values if item is not None])
    return result


def _without(query: QueryDict, names: set[str]) -> QueryDict:
    result = query.copy()
    for name in names:
        result.pop(name, None)
    return result


def _split(values: Iterable[str]) -> list[str]:
    return [part for value in values for part in str(value).split(",") if part.strip()]


def truthy(value: str) -> bool:
    """A yes/no query value as the export reads it (`bom=yes`, `bom=1`…); the CLI compares
    its --bom with a --filter bom=… by the same reading."""
    return str(value).strip().lower() in {"1", "true", "yes", "on"}


def _clean_ids(values: list[str], errors: ErrorCollector) -> list[int]:
    ids: list[int] = []
    for part in _split(values):
        parsed = parse_id(part)
        if parsed is None:
            errors.add("ids", f"“{part}” is not a contact id.")
        else:
            ids.append(parsed)
    if len(ids) > MAX_IDS:
        errors.add("ids", f"At most {MAX_IDS} ids; use filters for more.")
    return ids


# --- background exports ------------------------------------------------------------------


def stream_limit() -> int:
    return int(settings.PEOPLEBASE_EXPORT_STREAM_LIMIT)


def start_export(actor: User, request: ExportRequest) -> ContactExport:
    """Record an export and queue it for the worker; it writes a file the actor downloads."""
    ensure_can_view(actor)
    purge_expired_exports()  # each new export clears the old ones' files
    total = count_selected(actor, request)
    if not total:
        raise ValidationFailed.single("filters", "No contacts match; there is nothing to export.")
    export = ContactExport.objects.create(
        actor=actor,
        format=request.format,
        bom=request.bom,
        columns=[column.key for column in request.columns],
        selection=request.describe(),
        total=total,
    )
    from peoplebase.exports.tasks import run_contact_export

    run_contact_export.enqueue(export.pk)
    export.refresh_from_db()
    return export


def _request_of(export: ContactExport) -> ExportRequest:
    selection = export.selection or {}
    return ExportRequest(
        format=export.format,
        columns=choose_columns(export.columns, export_columns()),
        bom=export.bom,
        view_id=selection.get("view"),
        q=selection.get("q") or "",
        filters=selection.get("filters") or {},
        ids=selection.get("ids"),
    )


def run_export(export_id: int) -> str:
    """Write the export's file under <data dir>/exports/, counting rows as it goes."""
    exports = ContactExport.objects.filter(pk=export_id, status=ExportStatus.QUEUED)
    if not exports.update(status=ExportStatus.RUNNING):
        export = ContactExport.objects.filter(pk=export_id).first()
        return export.status if export else "missing"
    export = ContactExport.objects.select_related("actor").get(pk=export_id)
    try:
        _write_file(export)
    except Exception as exc:
        logger.exception("Export %s failed", export_id)
        _remove_file(export)
        export.status, export.error = ExportStatus.FAILED, str(exc)[:2000] or type(exc).__name__
    else:
        export.status = ExportStatus.DONE
        export.expires_at = timezone.now() + dt.timedelta(days=settings.PEOPLEBASE_EXPORT_DAYS)
    export.finished_at = timezone.now()
    export.save(update_fields=["status", "error", "finished_at", "expires_at", "row_count"])
    purge_expired_exports()  # the worker's turn to clear what expired meanwhile
    return export.status


def _write_file(export: ContactExport) -> None:
    folder = Path(settings.DATA_DIR) / "exports"
    folder.mkdir(parents=True, exist_ok=True)
    # An unguessable name: the folder may be shared with other exports.
    path = folder / f"contacts-{export.pk}-{secrets.token_hex(8)}.{export.format}"
    export.file_path = str(path)
    export.save(update_fields=["file_path"])
    request = _request_of(export)
    contacts = _counted(iter_contacts(selected_contacts(export.actor, request)), export)
    with path.open("w", encoding="utf-8", newline="") as handle:
        for chunk in export_chunks(request.format, contacts, request.columns, bom=request.bom):
            handle.write(chunk)


def _counted(contacts: Iterator[Contact], export: ContactExport) -> Iterator[Contact]:
    """Pass contacts through, saving the running count now and then for progress bars."""
    for count, contact in enumerate(contacts, start=1):
        export.row_count = count
        if count % BATCH_SIZE == 0:
            ContactExport.objects.filter(pk=export.pk).update(row_count=count)
        yield contact


def list_exports(actor: User) -> QuerySet[ContactExport]:
    """The actor's own exports (an admin sees everyone's), newest first; expired ones purged."""
    ensure_can_view(actor)
    purge_expired_exports()
    exports = ContactExport.objects.select_related("actor")
    return exports if actor.is_admin else exports.filter(actor=actor)


def get_export(actor: User, export_id: Any) -> ContactExport:
    """An export its owner (or an admin) may see; anyone else gets NotFound."""
    ensure_can_view(actor)
    export = (
        ContactExport.objects.select_related("actor").filter(pk=parse_id(export_id) or -1).first()
    )
    if export is None or (export.actor_id != actor.pk and not actor.is_admin):
        raise NotFound(f"No export with id {export_id}.")
    return export


def export_file(actor: User, export_id: Any) -> tuple[ContactExport, Path]:
    """The finished export and its file, for its owner or an admin."""
    export = get_export(actor, export_id)
    if export.status == ExportStatus.EXPIRED:
        raise NotFound("The export file has expired and was deleted.")
    if export.status != ExportStatus.DONE:
        raise Conflict(f"This export is {export.get_status_display().lower()}, not ready.")
    path = Path(export.file_path)
    if (export.expires_at and export.expires_at <= timezone.now()) or not path.is_file():
        raise NotFound("The export file has expired and was deleted.")
    return export, path


def purge_expired_exports(now: dt.datetime | None = None) -> int:
    """Delete the files of exports past their expiry; returns how many were purged."""
    now = now or timezone.now()
    expired = list(ContactExport.objects.filter(status=ExportStatus.DONE, expires_at__lte=now))
    for export in expired:
        _remove_file(export)
        export.status = ExportStatus.EXPIRED
        export.save(update_fields=["status"])
    return len(expired)


def _remove_file(export: ContactExport) -> None:
    if export.file_path:
        Path(export.file_path).unlink(missing_ok=True)
