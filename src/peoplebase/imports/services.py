"""Import services: upload, mapping, defaults, duplicates policy, preview, run.

The web wizard, the API and `peoplebase import` call these same functions, in this order:
`create_import` (stores the file and suggests a mapping) → `set_mapping` → `set_options` →
`preview_import` → `start_import` (background) or `run_import` (in-process); then
`reports.import_report`, `reports.rejected_rows_path` and `undo.undo_import`. Who may import
is checked once per job. Rows are cleaned and written by `pipeline`, matched by `matching`.
"""

from __future__ import annotations

import logging
import os
import re
import secrets
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from peoplebase.contacts.cleaning import CHOICE_FIELDS, TEXT_LIMITS, clean_tag_names
from peoplebase.contacts.models import (
    ConsentStatus,
    ConsentType,
    ContactEmail,
    ContactPhone,
)
from peoplebase.contacts.services import workspace_phone_region
from peoplebase.core.dbstats import GrowthWatch, analyze_tables, refresh_after_bulk_write
from peoplebase.core.errors import (
    Conflict,
    ErrorCollector,
    Forbidden,
    NotFound,
    ValidationFailed,
)
from peoplebase.core.lookups import parse_id
from peoplebase.core.permissions import ensure_can_import, ensure_can_view
from peoplebase.customfields.services import active_definitions
from peoplebase.imports.bulkload import (
    check_references,
    defer_indexes,
    match_indexes_deferred,
    restore_indexes,
    should_defer,
    unchecked_references,
)
from peoplebase.imports.bulkwrite import relax_commit_durability, tune_for_bulk_writes
from peoplebase.imports.cleaners import PARALLEL_MIN_ROWS, paced_collection, prepared_batches
from peoplebase.imports.mapping import MULTI_TARGETS, import_targets, suggest_mapping
from peoplebase.imports.matching import KnownContacts, SeenInFile, decide, row_keys
from peoplebase.imports.models import (
    DuplicatePolicy,
    ImportJob,
    ImportStatus,
    RowOutcome,
    SavedMapping,
)
from peoplebase.imports.pipeline import (
    BATCH_SIZE,
    BatchWriter,
    PreparedRow,
    RowContext,
    Stages,
    batches,
    prepare,
    raw_batches,
)
from peoplebase.imports.readers import UnreadableFile, open_table
from peoplebase.imports.sink import BatchSink
from peoplebase.normalize import fold
from peoplebase.users.models import User

logger = logging.getLogger("peoplebase.imports")

MAX_UPLOAD_BYTES = getattr(settings, "PEOPLEBASE_IMPORT_MAX_BYTES", 200 * 1024 * 1024)
PREVIEW_ROWS = 20
DEFAULT_FIELDS = ("owner", "status", "source", "tags", "consent_status", "consent_type")
DEFAULT_SOURCE = "import"
NUL_MESSAGE = "Text may not contain NUL (\\u0000) characters."
OPTED_IN_WARNING = (
    "Marking imported people Opted In claims each of them agreed to hear from you. Do this only "
    "when the file records that consent; confirm it explicitly to go ahead."
)
Progress = Callable[[ImportJob], None]


# --- reading jobs -------------------------------------------------------------------------


def import_queryset(actor: User) -> QuerySet[ImportJob]:
    """Jobs `actor` may see: their own; admins see everyone's."""
    jobs = ImportJob.objects.select_related("actor")
    return jobs if actor.is_admin else jobs.filter(actor=actor)


def list_imports(actor: User, limit: int = 50) -> list[ImportJob]:
    ensure_can_view(actor)
    return list(import_queryset(actor)[: max(1, min(limit, 200))])


def get_import(actor: User, job_id: Any) -> ImportJob:
    """A job its owner (or an admin) may see; anyone else gets NotFound."""
    ensure_can_view(actor)
    job = import_queryset(actor).filter(pk=parse_id(job_id) or -1).first()
    if job is None:
        raise NotFound(f"No import with id {job_id}.")
    return job


def _editable(actor: User, job: ImportJob) -> ImportJob:
    ensure_can_import(actor)
    job = get_import(actor, job.pk)
    if job.status != ImportStatus.DRAFT:
        raise Conflict("This import has already started; its settings can no longer change.")
    return job


# --- step 1: upload -------------------------------------------------------------------------


def imports_dir() -> Path:
    folder = Path(settings.DATA_DIR) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _safe_name(name: str) -> str:
    base = Path(str(name or "upload")).name
    return re.sub(r"[^A-Za-z0-9._-]+", "_", base)[-100:] or "upload"


def create_import(actor: User, upload: IO[bytes], file_name: str) -> ImportJob:
    """Store an uploaded file, read its headers and suggest a mapping; nothing is imported yet."""
    ensure_can_import(actor)
    file_name = Path(str(file_name or "upload")).name[:255] or "upload"
    path = imports_dir() / f"{secrets.token_hex(8)}-{_safe_name(file_name)}"
    size = _store(upload, path)
    try:
        if size == 0:
            raise UnreadableFile("The file is empty.")
        table = open_table(path, filename=file_name)
        if not table.headers:
            raise UnreadableFile("The file has no columns.")
        total = sum(1 for _ in table.rows)
    except UnreadableFile as exc:
        path.unlink(missing_ok=True)
        raise ValidationFailed.single("file", str(exc)) from exc
    except Exception as exc:  # a reader bug must not become a 500 or leave the file behind
        path.unlink(missing_ok=True)
        logger.exception("Could not read upload %s", file_name)
        raise ValidationFailed.single("file", "This file could not be read.") from exc
    definitions = active_definitions()
    mapping = suggest_mapping(table.headers, definitions.keys())
    job = ImportJob.objects.create(
        actor=actor,
        file_name=file_name,
        stored_path=str(path),
        file_size=size,
        format=table.format,
        encoding=table.encoding or "",
        delimiter=table.delimiter or "",
        headers=list(table.headers),
        notes=list(table.notes),
        mapping={str(k): v for k, v in mapping.items()},
        defaults={"consent_type": ConsentType.IMPORTED},
        total_rows=total,
    )
    return job


def _store(upload: IO[bytes], path: Path) -> int:
    """Copy the upload in chunks, refusing it once it passes the size limit."""
    size = 0
    with path.open("wb") as out:
        while chunk := upload.read(1024 * 1024):
            size += len(chunk)
            if size > MAX_UPLOAD_BYTES:
                out.close()
                path.unlink(missing_ok=True)
                limit = MAX_UPLOAD_BYTES // (1024 * 1024)
                raise ValidationFailed.single("file", f"The file is larger than {limit} MB.")
            out.write(chunk)
    return size


def create_import_from_path(actor: User, path: Path) -> ImportJob:
    """The CLI's upload: the same checks, reading from a local file."""
    if not path.is_file():
        raise ValidationFailed.single("file", f"No file at {path}.")
    with path.open("rb") as handle:
        return create_import(actor, handle, path.name)


# --- step 2: mapping ------------------------------------------------------------------------


def mapping_targets() -> dict[str, str]:
    """Target key -> label, custom fields included as `custom.<key>`."""
    return dict(import_targets(list(active_definitions().values())))


def set_mapping(actor: User, job: ImportJob, mapping: dict[Any, Any]) -> ImportJob:
    """Replace the job's mapping: column (index or header text) -> target; "" ignores a column."""
    job = _editable(actor, job)
    job.mapping = clean_mapping(job.headers, mapping)
    job.save(update_fields=["mapping"])
    return job


def override_mapping(actor: User, job: ImportJob, overrides: dict[Any, Any]) -> ImportJob:
    """Change only the columns `overrides` names (index or header text -> target; "" or
    "ignore" leaves a column out); every other column keeps the target it has (a saved
    mapping applied, or the suggestion). The CLI's --map and the API's `mapping` beside
    `saved_mapping` both mean this."""
    if not isinstance(overrides, dict):
        raise ValidationFailed.single("mapping", "Give the mapping as column: field pairs.")
    # A field given a column here (one that takes a single column) is no longer taken from
    # the column it had: the explicit choice wins.
    chosen = {str(t or "").strip() for t in overrides.values()} - set(MULTI_TARGETS)
    mapping: dict[Any, Any] = {
        job.headers[int(i)]: t for i, t in job.mapping.items() if t not in chosen
    }
    mapping.update(overrides)
    return set_mapping(actor, job, mapping)


def clean_mapping(headers: list[str], mapping: dict[Any, Any]) -> dict[str, str]:
    if not isinstance(mapping, dict):
        raise ValidationFailed.single("mapping", "Give the mapping as column: field pairs.")
    targets = mapping_targets()
    by_header = {fold(h): i for i, h in enumerate(headers)}
    errors = ErrorCollector()
    cleaned: dict[str, str] = {}
    for column, target in mapping.items():
        index = _column_index(column, headers, by_header)
        if index is None:
            errors.add(f"mapping.{column}", f"The file has no column “{column}”.")
            continue
        target = str(target or "").strip()
        if target in ("", "ignore"):
            # The same column may already be mapped under another spelling (the CLI adds
            # `--map 2=ignore` to the suggestion keyed by header text): ignoring it wins.
            cleaned.pop(str(index), None)
            continue
        if target not in targets:
            errors.add(f"mapping.{column}", f"“{target}” is not a field you can import into.")
            continue
        cleaned[str(index)] = target
    # A single-value field keeps the first filled cell of its columns: a second column for it
    # would be dropped without a word, so say so (emails, phones, tags and notes take several).
    columns: dict[str, list[int]] = {}
    for index, target in cleaned.items():
        if target not in MULTI_TARGETS:
            columns.setdefault(target, []).append(int(index))
    for target, indexes in columns.items():
        if len(indexes) > 1:
            named = ", ".join(f"“{headers[i]}”" for i in sorted(indexes))
            errors.add(
                f"mapping.{headers[max(indexes)]}",
                f"“{target}” is mapped from more than one column ({named}); it takes one.",
            )
    errors.raise_if_any()
    return cleaned


def _column_index(column: Any, headers: list[str], by_header: dict[str, int]) -> int | None:
    text = str(column).strip()
    if text in headers:  # exact first: "Prénom" and "Prenom" fold to the same text
        return headers.index(text)
    if fold(text) in by_header:
        return by_header[fold(text)]
    if text.isdigit() and int(text) < len(headers):
        return int(text)
    return None


def job_mapping(job: ImportJob) -> dict[int, str]:
    return {int(k): v for k, v in job.mapping.items()}


# --- step 3 and 4: defaults and duplicates policy -----------------------------------------


def set_options(
    actor: User,
    job: ImportJob,
    *,
    defaults: dict[str, Any] | None = None,
    duplicate_policy: str | None = None,
    match_name_company: bool | None = None,
    confirm_opted_in: bool = False,
) -> ImportJob:
    """Defaults for fields the file leaves empty, and what to do with rows matching a contact."""
    job = _editable(actor, job)
    if defaults is not None:
        job.defaults = clean_defaults(defaults, confirm_opted_in=confirm_opted_in)
        job.opted_in_confirmed = job.defaults.get("consent_status") == ConsentStatus.OPTED_IN
    if duplicate_policy is not None:
        if duplicate_policy not in DuplicatePolicy.values:
            choices = ", ".join(DuplicatePolicy.values)
            raise ValidationFailed.single("duplicate_policy", f"Choose one of: {choices}.")
        job.duplicate_policy = duplicate_policy
    if match_name_company is not None:
        job.match_name_company = bool(match_name_company)
    job.save()
    return job


def clean_defaults(raw: dict[str, Any], *, confirm_opted_in: bool = False) -> dict[str, Any]:
    """Check defaults by the contact rules; Opted In needs `confirm_opted_in`."""
    if not isinstance(raw, dict):
        raise ValidationFailed.single("defaults", "Give defaults as field: value pairs.")
    errors = ErrorCollector()
    cleaned: dict[str, Any] = {}
    for name, value in raw.items():
        if name not in DEFAULT_FIELDS:
            errors.add(f"defaults.{name}", f"Defaults can be set for: {', '.join(DEFAULT_FIELDS)}.")
        elif value in (None, "", []):
            continue
        elif "\x00" in str(value):  # the wizard's form fields reach here unchecked
            errors.add(f"defaults.{name}", NUL_MESSAGE)
        elif name == "owner":
            cleaned["owner"] = _default_owner(value, errors)
        elif name == "tags":
            # The contact rules report on "tags"; here it is the default's field.
            tag_errors = ErrorCollector()
            cleaned["tags"] = clean_tag_names(value, tag_errors)
            for messages in tag_errors.errors.values():
                for message in messages:
                    errors.add("defaults.tags", message)
        elif name in CHOICE_FIELDS:
            if value not in CHOICE_FIELDS[name].values:
                choices = ", ".join(CHOICE_FIELDS[name].values)
                errors.add(f"defaults.{name}", f"Choose one of: {choices}.")
            cleaned[name] = value
        else:
            text = " ".join(str(value).split())
            if len(text) > TEXT_LIMITS[name]:
                errors.add(f"defaults.{name}", f"At most {TEXT_LIMITS[name]} characters.")
            cleaned[name] = text
    cleaned.setdefault("consent_type", ConsentType.IMPORTED)
    if cleaned.get("consent_status") == ConsentStatus.OPTED_IN and not confirm_opted_in:
        errors.add("defaults.consent_status", OPTED_IN_WARNING)
    errors.raise_if_any()
    return cleaned


def _default_owner(value: Any, errors: ErrorCollector) -> int | None:
    text = str(value).strip()
    user = User.objects.filter(is_active=True).filter(
        Q(email__iexact=text) | Q(pk=parse_id(text) or -1)
    )
    found = user.first()
    if found is None:
        errors.add("defaults.owner", f"No active user “{text}”.")
        return None
    return found.pk


# --- saved mappings -------------------------------------------------------------------------


def headers_signature(headers: Iterable[str]) -> str:
    return "|".join(fold(h) for h in headers)[:2000]


def mapping_queryset(actor: User) -> QuerySet[SavedMapping]:
    return SavedMapping.objects.filter(Q(owner=actor) | Q(shared=True)).select_related("owner")


def list_saved_mappings(actor: User) -> list[SavedMapping]:
    ensure_can_view(actor)
    return list(mapping_queryset(actor))


def get_saved_mapping(actor: User, ref: Any) -> SavedMapping:
    """A saved mapping by id or name: the actor's own first, then a shared one."""
    ensure_can_view(actor)
    found = mapping_queryset(actor).filter(pk=parse_id(ref) or -1).first()
    if found is None and "\x00" not in str(ref):  # PostgreSQL cannot even compare NUL
        by_name = mapping_queryset(actor).filter(name=str(ref).strip())
        found = by_name.filter(owner=actor).first() or by_name.first()
    if found is None:
        raise NotFound(f"No saved mapping “{ref}”.")
    return found


def save_mapping(actor: User, job: ImportJob, name: str, *, shared: bool = False) -> SavedMapping:
    """Keep the job's mapping and defaults under a name (the actor's own name is replaced)."""
    ensure_can_import(actor)
    job = get_import(actor, job.pk)
    name = " ".join(str(name or "").split())
    if not name or len(name) > 100:
        raise ValidationFailed.single("name", "Give the mapping a name of 1 to 100 characters.")
    if "\x00" in name:
        raise ValidationFailed.single("name", NUL_MESSAGE)
    by_header = {job.headers[int(i)]: target for i, target in job.mapping.items()}
    saved, _ = SavedMapping.objects.update_or_create(
        owner=actor,
        name=name,
        defaults={
            "shared": bool(shared),
            "headers_signature": headers_signature(job.headers),
            "mapping": by_header,
            "defaults": job.defaults,
        },
    )
    return saved


def apply_saved_mapping(actor: User, job: ImportJob, ref: Any) -> ImportJob:
    """Use a saved mapping: columns are matched by header text, so their order may differ."""
    saved = get_saved_mapping(actor, ref)
    job = _editable(actor, job)
    present = {fold(h) for h in job.headers}
    mapping = {h: t for h, t in saved.mapping.items() if fold(h) in present}
    job.mapping = clean_mapping(job.headers, mapping)
    job.defaults = {**job.defaults, **saved.defaults}
    job.save(update_fields=["mapping", "defaults"])
    return job


def delete_saved_mapping(actor: User, mapping: SavedMapping) -> None:
    ensure_can_view(actor)
    if mapping.owner_id != actor.pk and not actor.is_admin:
        raise Forbidden("Only the person who saved this mapping may delete it.")
    mapping.delete()


# --- step 5: preview ------------------------------------------------------------------------


@dataclass
class PreviewRow:
    """A row as it will be saved, after normalisation."""

    row_number: int
    outcome: str
    reason: str
    values: dict[str, Any]


@dataclass
class Preview:
    rows: list[PreviewRow]
    counts: dict[str, int]
    mapping: dict[str, str] = field(default_factory=dict)


def _context(job: ImportJob) -> RowContext:
    defaults = dict(job.defaults)
    owner_id = defaults.pop("owner", None) or job.actor_id
    tags = defaults.pop("tags", [])
    defaults.setdefault("source", DEFAULT_SOURCE)
    defaults.setdefault("consent_type", ConsentType.IMPORTED)
    return RowContext(
        actor=job.actor,
        mapping=job_mapping(job),
        defaults=defaults,
        default_tags=list(tags),
        default_owner_id=owner_id,
        policy=job.duplicate_policy,
        match_name_company=job.match_name_company,
        region=workspace_phone_region(),
    )


def _check_ready(job: ImportJob) -> None:
    if not job.mapping:
        raise ValidationFailed.single("mapping", "Map at least one column to a field.")
    if not Path(job.stored_path).is_file():
        raise Conflict("The uploaded file is no longer available; upload it again.")


def _check_defaults(job: ImportJob) -> None:
    """The setup still holds when the job starts: a saved mapping's defaults (perhaps someone
    else's, checked for another file, long ago) reach the job without `set_options`. Opted In
    must have been confirmed for this job, the default owner must still be active, and every
    mapped field must still exist."""
    errors = ErrorCollector()
    # A custom field archived since the mapping was set would make every row invalid.
    targets = mapping_targets()
    for index, target in sorted(job_mapping(job).items()):
        if target not in targets:
            header = job.headers[index] if index < len(job.headers) else str(index)
            errors.add(f"mapping.{header}", f"“{target}” is no longer a field you can import into.")
    if job.defaults.get("consent_status") == ConsentStatus.OPTED_IN and not job.opted_in_confirmed:
        errors.add("defaults.consent_status", OPTED_IN_WARNING)
    owner = job.defaults.get("owner")
    if owner and not User.objects.filter(pk=owner, is_active=True).exists():
        errors.add("defaults.owner", "The default owner is no longer an active user.")
    errors.raise_if_any()


def _rows(job: ImportJob) -> Any:
    try:
        return open_table(job.stored_path, filename=job.file_name).rows
    except UnreadableFile as exc:
        raise ValidationFailed.single("file", str(exc)) from exc


def preview_import(actor: User, job: ImportJob, limit: int = PREVIEW_ROWS) -> Preview:
    """The first rows as they will be saved, and counts over the whole file; writes nothing."""
    ensure_can_import(actor)
    job = get_import(actor, job.pk)
    _check_ready(job)
    ctx = _context(job)
    seen = SeenInFile()
    counts = {outcome: 0 for outcome in RowOutcome.values}
    shown: list[PreviewRow] = []

    def source() -> Any:
        return raw_batches(_rows(job), BATCH_SIZE)

    for batch in prepared_batches(source, ctx, parallel=_parallel(job)):
        decide(batch, ctx, seen)
        for row in batch:
            counts[row.outcome] += 1
            if len(shown) < limit:
                shown.append(_preview_row(row, ctx))
    return Preview(rows=shown, counts=counts, mapping=dict(job.mapping))


def _preview_row(row: PreparedRow, ctx: RowContext) -> PreviewRow:
    values: dict[str, Any] = {}
    if row.clean is not None:
        scalars = row.clean.scalars
        values = {
            "full_name": scalars.get("full_name", ""),
            "first_name": scalars.get("first_name", ""),
            "last_name": scalars.get("last_name", ""),
            "emails": row.emails,
            "phones": [p.number for p in row.clean.phones or []],
            "company": row.company_name,
            "job_title": scalars.get("job_title", ""),
            "tags": row.clean.tags or [],
            "status": scalars.get("status", ""),
            "consent_status": scalars.get("consent_status", ""),
            "consent_type": scalars.get("consent_type", ""),
            "source": scalars.get("source", ""),
            "custom_fields": row.clean.custom_fields or {},
        }
        values = {k: v for k, v in values.items() if v not in ("", [], {})}
    return PreviewRow(row.number, row.outcome, row.report, values)


# --- step 6: run ----------------------------------------------------------------------------


def start_import(actor: User, job: ImportJob) -> ImportJob:
    """Queue the job for the background worker."""
    job = _editable(actor, job)
    _check_ready(job)
    _check_defaults(job)
    job.status = ImportStatus.QUEUED
    job.save(update_fields=["status"])
    from peoplebase.imports.tasks import run_import_job

    run_import_job.enqueue(job.pk)
    return job


def run_import_now(actor: User, job: ImportJob, progress: Progress | None = None) -> ImportJob:
    """Run in this process (the CLI): the same code the worker runs."""
    job = _editable(actor, job)
    _check_ready(job)
    _check_defaults(job)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.QUEUED)
    run_import(job.pk, progress=progress)
    job.refresh_from_db()
    return job


def cancel_import(actor: User, job: ImportJob) -> ImportJob:
    """Stop after the batch being written; finished batches stay imported (undo removes them)."""
    job = get_import(actor, job.pk)
    ensure_can_import(actor)
    if job.is_finished:
        raise Conflict("This import has already finished.")
    jobs = ImportJob.objects.filter(pk=job.pk)
    jobs.filter(status__in=[ImportStatus.DRAFT, ImportStatus.QUEUED]).update(
        status=ImportStatus.CANCELLED, finished_at=timezone.now()
    )
    jobs.update(cancel_requested=True)
    job.refresh_from_db()
    return job


def run_import(job_id: int, progress: Progress | None = None) -> str:
    """Run (or resume) a queued job batch by batch; each batch commits with its counters."""
    jobs = ImportJob.objects.filter(pk=job_id)
    jobs.filter(status=ImportStatus.QUEUED).update(
        status=ImportStatus.RUNNING, started_at=timezone.now()
    )
    job = ImportJob.objects.select_related("actor").filter(pk=job_id).first()
    if job is None:
        return "missing"
    if job.status != ImportStatus.RUNNING:
        return job.status
    try:
        _run_batches(job, progress)
    except KeyboardInterrupt:
        # Ctrl+C on `peoplebase import`: whole batches are in, as after a cancel. Marked so,
        # the job is not left "running" forever, and housekeeping builds any index it set
        # aside and could not build again.
        _finish(job, ImportStatus.CANCELLED, error="Interrupted.")
        raise
    except Exception as exc:
        logger.exception("Import %s failed", job_id)
        _finish(job, ImportStatus.FAILED, error=str(exc)[:2000] or type(exc).__name__)
    return job.status


def _run_batches(job: ImportJob, progress: Progress | None) -> None:
    ensure_can_import(job.actor)  # the role may have changed since the job was queued
    # A resumed job finds its indexes still set aside; a new one sets them aside if it is big.
    if job.deferred_indexes.exists() or (should_defer(job) and defer_indexes(job)):
        tune_for_bulk_writes(indexes_set_aside=True)
        try:
            with unchecked_references():
                _write_batches(job, progress, unchecked=True)
        finally:
            restore_indexes(job)  # whatever happened; a no-op once the job has restored them
    else:
        tune_for_bulk_writes()
        _write_batches(job, progress)


def _write_batches(job: ImportJob, progress: Progress | None, *, unchecked: bool = False) -> None:
    ctx = _context(job)
    stages = Stages(dict(job.timings))
    seen = _seen_before(job)
    # A bulk load without the email and phone indexes matches what was there from memory.
    known = KnownContacts.read() if match_indexes_deferred(job) else None
    commit = _batch_committer(job, ctx, stages, progress, analyze=known is None)
    parallel = _parallel(job)
    clock = time.perf_counter()

    def source() -> Any:  # opened by each cleaning process for itself
        return raw_batches(_rows(job), BATCH_SIZE, start=job.processed_rows)

    with BatchSink(commit, threaded=_threaded(parallel), unchecked=unchecked) as sink:
        for batch in paced_collection(prepared_batches(source, ctx, parallel=parallel)):
            # Reading and cleaning (in other processes when parallel) as this thread sees it.
            clock = stages.add("read_and_clean", clock)
            if ImportJob.objects.filter(pk=job.pk, cancel_requested=True).exists():
                sink.close()
                _finish(job, ImportStatus.CANCELLED, stages=stages)
                return
            decide(batch, ctx, seen, known)
            clock = stages.add("match", clock)
            sink.write(batch)
            # Writing, or when threaded, waiting for the writing thread to take the batch.
            clock = stages.add("write", clock)
    if ImportJob.objects.filter(pk=job.pk, cancel_requested=True).exists():
        _finish(job, ImportStatus.CANCELLED, stages=stages)
        return
    job.rejected_path = write_rejected_file(job)
    clock = time.perf_counter()
    if job.deferred_indexes.exists():
        restore_indexes(job)
        check_references()
        stages.add("indexes", clock)
    # A large import changes the tables' spread enough that the planners choose wrong indexes
    # until the statistics are read again (see core/dbstats.py).
    clock = time.perf_counter()
    if refresh_after_bulk_write(job.created + job.updated) is not None:
        stages.add("statistics", clock)
    _finish(job, ImportStatus.DONE, stages=stages)


def _batch_committer(
    job: ImportJob, ctx: RowContext, stages: Stages, progress: Progress | None, *, analyze: bool
) -> Callable[[list[PreparedRow]], None]:
    """The function that writes one decided batch and the job's counters in one transaction."""
    writer = BatchWriter(job, ctx)
    growth = GrowthWatch()

    def commit(batch: list[PreparedRow]) -> None:
        with transaction.atomic():
            relax_commit_durability()
            writer.write(batch)
            _count(job, batch)
            job.timings = dict(stages.seconds)  # a copy: the importing thread adds to it
            job.save(update_fields=[*COUNTERS, "timings"])
        # Matching the next batches looks these tables up (unless it matches from memory).
        if analyze and growth.due(job.created):
            clock = time.perf_counter()
            analyze_tables([ContactEmail._meta.db_table, ContactPhone._meta.db_table])
            stages.add("statistics", clock)
        if progress:
            progress(job)

    return commit


def _threaded(parallel: bool) -> bool:
    """Write on a thread of its own when cleaning in parallel too, except into an in-memory
    SQLite database (the tests'): its connections lock whole tables against each other."""
    in_memory = connection.vendor == "sqlite" and connection.is_in_memory_db()
    return parallel and not in_memory


def _parallel(job: ImportJob) -> bool:
    """Clean in a second process for big files, on a machine with a core to spare, and only
    outside a transaction (a fork must not happen with a transaction open)."""
    return (
        job.total_rows - job.processed_rows >= PARALLEL_MIN_ROWS
        and (os.cpu_count() or 1) > 1
        and not connection.in_atomic_block
    )


COUNTERS = ["processed_rows", "created", "updated", "skipped", "invalid"]


def _seen_before(job: ImportJob) -> SeenInFile:
    """A resumed job re-reads the keys of rows it already took, so in-file matches still work."""
    seen = SeenInFile()
    if not job.processed_rows:
        return seen
    ctx = _context(job)
    for batch in batches(_rows(job), BATCH_SIZE):
        if batch[0].number > job.processed_rows:
            break
        for row in batch:
            if row.number > job.processed_rows:
                break
            prepare(row, ctx)
            if row.clean is not None:
                seen.remember(row_keys(row, ctx), row.number)
    return seen


def _count(job: ImportJob, batch: list[PreparedRow]) -> None:
    for row in batch:
        setattr(job, row.outcome, getattr(job, row.outcome) + 1)
    job.processed_rows = batch[-1].number


def _finish(job: ImportJob, status: str, error: str = "", stages: Stages | None = None) -> None:
    job.status, job.error, job.finished_at = status, error, timezone.now()
    if stages is not None:
        job.timings = stages.seconds
    job.save(update_fields=["status", "error", "finished_at", "timings", "rejected_path"])


# --- report ---------------------------------------------------------------------------------


def write_rejected_file(job: ImportJob) -> str:
    """The rows that were not imported because they broke a rule: original cells + reason.

    Cells are written as read, so the file can be fixed and imported again; formula-looking
    cells are neutralised with a leading apostrophe for spreadsheet safety.
    """
    rejected = job.rows.filter(outcome=RowOutcome.INVALID).order_by("row_number")
    if not rejected.exists():
        return ""
    from peoplebase.exports.formats import table_chunks

    path = imports_dir() / f"rejected-{job.pk}-{secrets.token_hex(6)}.csv"
    rows = ([*(row.cells or []), row.reason] for row in rejected.iterator(chunk_size=2_000))
    with path.open("w", newline="", encoding="utf-8") as handle:
        handle.writelines(table_chunks([*job.headers, "reason"], rows))
    return str(path)


def delete_import_file(job: ImportJob) -> None:
    """Remove the stored upload (and rejected file) from disk."""
    for name in (job.stored_path, job.rejected_path):
        if name:
            Path(name).unlink(missing_ok=True)
