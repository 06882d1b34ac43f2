"""Right to erasure: remove a person's personal data from every place Peoplebase keeps it.

The walk has four layers, each catching what the one before cannot know about:

1. the relation walker (`contact_relations()`): rows that cascade with the contact are deleted;
   rows that survive it (a converted lead, the audit trail) have the person's values scrubbed;
2. the search index, which lives in vendor tables outside the ORM;
3. a final sweep over every text and JSON column of every installed model (ORM filters only)
   for the person's email addresses and phone numbers, so rows with no link to the contact
   (an invalid import row with its raw cells, a saved view searching the address, a bulk job)
   are cleaned too;
4. files kept under the data directory (`exports/`, `imports/`): records naming the person are
   dropped, other text is redacted, unreadable files that contain them are deleted.

The work is a list of steps (`erasure_steps`): one per relation, the contact's delete, one
per swept model. `erase_contact` runs them all in one transaction; a background `ErasureJob`
(`compliance/jobs.py`) runs the same steps one transaction each, recording its progress.

The `ErasureLog` row says who erased which contact id, when and why, and how many rows of each
model were touched; it never holds an erased value.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, connection, models, transaction
from django.db.models import Q
from django.db.models.deletion import ProtectedError

from peoplebase.audit.models import AuditEntry
from peoplebase.compliance import files
from peoplebase.compliance.models import (
    ErasureJob,
    ErasureJobStatus,
    ErasureLog,
    SuppressionEntry,
    SuppressionSource,
)
from peoplebase.compliance.suppression import email_hash
from peoplebase.contacts.models import Contact, ContactEmail, ContactPhone
from peoplebase.contacts.relations import ContactRelation, contact_relations
from peoplebase.core.errors import Conflict, NotFound, ValidationFailed
from peoplebase.core.generic import GENERIC_REFERENCES
from peoplebase.core.permissions import ensure_can_handle_personal_data
from peoplebase.search.services import index_contacts, unindex_contacts
from peoplebase.users.models import User

REDACTED = "[erased]"
REASON_MAX = 500
# Shorter values are too common to scrub from free text without destroying other data.
MIN_NEEDLE = 5
# Staff accounts are not data subjects of the CRM: erasing one is a different operation.
# A running erasure job holds the identifiers it works with until it ends (then blanks them).
SWEEP_SKIP = frozenset(
    {"users.User", "contenttypes.ContentType", "sessions.Session", "compliance.ErasureJob"}
)
TEXT_FIELDS = (models.CharField, models.TextField)


@dataclass
class Identifiers:
    """What identifies the person, lower-cased: searched for everywhere, then forgotten."""

    emails: set[str] = field(default_factory=set)
    phones: set[str] = field(default_factory=set)
    names: set[str] = field(default_factory=set)
    # First and last name alone: blanked only where a whole field of a row tied to the person
    # holds one (a converted lead's first_name), never searched for in free text.
    name_parts: set[str] = field(default_factory=set)
    shared_phones: int = 0

    @property
    def contact_values(self) -> list[str]:
        """Emails and phones, longest first so an address is replaced before its parts."""
        return _longest_first(self.emails | self.phones)

    @property
    def all_values(self) -> list[str]:
        return _longest_first(self.emails | self.phones | self.names)

    @property
    def full_names(self) -> list[str]:
        """Names of two words or more: specific enough to redact where the person is quoted."""
        return _longest_first(n for n in self.names if " " in n)

    def to_json(self) -> dict[str, Any]:
        return {
            "emails": sorted(self.emails),
            "phones": sorted(self.phones),
            "names": sorted(self.names),
            "name_parts": sorted(self.name_parts),
            "shared_phones": self.shared_phones,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Identifiers:
        return cls(
            emails=set(data.get("emails") or []),
            phones=set(data.get("phones") or []),
            names=set(data.get("names") or []),
            name_parts=set(data.get("name_parts") or []),
            shared_phones=int(data.get("shared_phones") or 0),
        )


@dataclass(frozen=True)
class ErasureStep:
    """One unit of an erasure: `run(counts)` changes rows and adds to the counts."""

    label: str
    run: Callable[[Counter[str]], None]


def _longest_first(values: Iterable[str]) -> list[str]:
    return sorted({v for v in values if len(v) >= MIN_NEEDLE}, key=lambda v: (-len(v), v))


# --- the service ------------------------------------------------------------------------------


def erase_contact(
    actor: User | None, contact: Contact, *, reason: str, suppress: bool
) -> ErasureLog:
    """Erase `contact` and every trace of their email addresses and phone numbers, at once.

    One transaction for the database work; the web and the API queue an `ErasureJob` instead
    (`compliance/jobs.py`), which runs the same steps with progress."""
    ensure_can_handle_personal_data(actor)
    reason = clean_reason(reason)
    started = time.perf_counter()
    counts: Counter[str] = Counter()
    with transaction.atomic():
        contact = _lock(contact.pk)
        _ensure_no_job_under_way(contact.pk)
        ids = collect_identifiers(contact)
        _ensure_erasable(contact, ids)
        with secure_delete():
            for step in erasure_steps(contact.pk, ids):
                step.run(counts)
        log = write_log(actor, contact.pk, reason, ids, suppress=suppress)
    return finish_erasure(log, ids, counts, seconds=time.perf_counter() - started)


def prepare_erasure(actor: User | None, contact: Contact, reason: str) -> Identifiers:
    """Check everything that would refuse the erasure, before anything changes."""
    ensure_can_handle_personal_data(actor)
    clean_reason(reason)
    contact = _lock(contact.pk)
    ids = collect_identifiers(contact)
    _ensure_erasable(contact, ids)
    return ids


def _ensure_no_job_under_way(contact_id: int) -> None:
    """Erasing at once (the CLI) while a queued or running job erases the same person would
    have both run: a second log, suppressions counted twice. The job refuses the other way."""
    running = ErasureJob.objects.filter(
        contact_id=contact_id, status__in=(ErasureJobStatus.QUEUED, ErasureJobStatus.RUNNING)
    ).first()
    if running is not None:
        raise Conflict(f"This contact's erasure is already under way (job #{running.pk}).")


def _lock(contact_id: int) -> Contact:
    locked = Contact.objects.select_for_update().filter(pk=contact_id).first()
    if locked is None:
        raise NotFound(f"Contact {contact_id} no longer exists (erased or deleted meanwhile).")
    return locked


def erasure_steps(contact_id: int, ids: Identifiers) -> list[ErasureStep]:
    """Every step, always in the same order, so a job can resume after the last one done."""
    steps = [
        ErasureStep(
            f"Field history and records of {relation.model._meta.verbose_name_plural}",
            partial(_scrub_relation, relation, contact_id, ids),
        )
        for relation in contact_relations()
        if _outlives_contact(relation)
    ]
    steps.append(ErasureStep("The contact and its timeline", partial(_delete_step, contact_id)))
    steps += [
        ErasureStep(
            f"Searching {model._meta.verbose_name_plural}", partial(_sweep_step, model, ids)
        )
        for model in sweepable_models()
    ]
    return steps


def write_log(
    actor: User | None, contact_id: int, reason: str, ids: Identifiers, *, suppress: bool
) -> ErasureLog:
    """The erasure log entry (the reason scrubbed of the person) and the suppressions."""
    log = ErasureLog.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        actor_label=getattr(actor, "email", "") or "",
        contact_id=contact_id,
        # "[erased]" can be longer than what it replaces: keep within the column.
        reason=scrub_text(reason, ids.all_values)[:REASON_MAX],
    )
    log.suppressed = _suppress(actor, log, ids.emails) if suppress else 0
    log.save(update_fields=["suppressed"])
    return log


def finish_erasure(
    log: ErasureLog, ids: Identifiers, counts: Counter[str], *, seconds: float
) -> ErasureLog:
    """Scrub the files (only once the database work is committed: a failed erasure leaves
    both) and store the counts."""
    counts.update(files.scrub_data_files(ids.contact_values, _file_names(ids)))
    if ids.shared_phones:
        counts["kept.phones_shared_with_other_contacts"] = ids.shared_phones
    log.counts = {k: v for k, v in sorted(counts.items()) if v}
    log.seconds = round(seconds, 3)
    log.save(update_fields=["counts", "seconds"])
    # An earlier job for this person that stopped with an error is finished by this erasure:
    # it must not keep their addresses, numbers and raw reason, nor offer to run again.
    ErasureJob.objects.filter(contact_id=log.contact_id, status=ErasureJobStatus.FAILED).update(
        status=ErasureJobStatus.DONE,
        stage=f"Done by a later erasure (log #{log.pk})",
        identifiers={},
        reason="",
        counts={},
        error="",  # a database error's text can quote the person's address
    )
    return log


def clean_reason(reason: Any) -> str:
    text = str(reason or "").strip()
    if not text:
        raise ValidationFailed.single("reason", "Say why the data is erased (e.g. the request).")
    if len(text) > REASON_MAX:
        raise ValidationFailed.single("reason", f"Keep the reason under {REASON_MAX} characters.")
    return text


def collect_identifiers(contact: Contact) -> Identifiers:
    ids = Identifiers()
    for email, original in contact.emails.values_list("email", "original"):
        ids.emails.update(v.strip().lower() for v in (email, original) if v.strip())
    if contact.email:
        ids.emails.add(contact.email.lower())
    past_emails, past_phones = _past_values(contact)
    # An address the person gave up may since belong to someone else: then it is theirs.
    taken = set(
        ContactEmail.objects.exclude(contact=contact)
        .filter(email__in=past_emails)
        .values_list("email", flat=True)
    )
    ids.emails.update(e.lower() for e in past_emails - taken)
    phones: set[str] = set(past_phones)
    for number, original in contact.phones.values_list("number", "original"):
        phones.update(v.strip() for v in (number, original) if v.strip())
    if contact.phone:
        phones.add(contact.phone)
    # A phone another contact also carries (a shared office or family line) is theirs too.
    shared = set(
        ContactPhone.objects.exclude(contact=contact)
        .filter(number__in=phones)
        .values_list("number", flat=True)
    )
    ids.shared_phones = len(shared)
    for phone in phones - shared:
        ids.phones.add(phone.lower())
        digits = re.sub(r"\D", "", phone)
        if phone.startswith("+") and len(digits) >= 8:
            ids.phones.add(digits)
    full = " ".join(p for p in (contact.first_name, contact.last_name) if p)
    ids.names.update(n.strip().lower() for n in (contact.full_name, full) if n.strip())
    ids.name_parts.update(
        p.strip().lower() for p in (contact.first_name, contact.last_name) if p.strip()
    )
    return ids


def _past_values(contact: Contact) -> tuple[set[str], set[str]]:
    """Emails and phones the field history says the contact once had."""
    emails: set[str] = set()
    phones: set[str] = set()
    entries = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Contact), object_id=contact.pk
    ).values_list("changes", flat=True)
    for changes in entries:
        for key, target in (("emails", emails), ("phones", phones)):
            for side in (changes or {}).get(key) or []:
                if isinstance(side, list):
                    target.update(str(v).strip() for v in side if str(v).strip())
    return emails, phones


def _ensure_erasable(contact: Contact, ids: Identifiers) -> None:
    """Refuse when an address also identifies another record: erasing it would gut that one."""
    others = sorted(
        set(
            ContactEmail.objects.exclude(contact=contact)
            .filter(email__in=contact.emails.values_list("email", flat=True))
            .values_list("contact_id", flat=True)
        )
    )
    if others:
        listed = ", ".join(f"#{pk}" for pk in others[:10])
        raise Conflict(
            f"Contact {listed} also carries this person's email address: erase or merge "
            "that record first (it is probably the same person).",
            contact_ids=others,
        )
    emails = [e for e in ids.emails if "@" in e]
    if emails and User.objects.filter(email__in=emails).exists():
        raise Conflict(
            "A Peoplebase user account has this person's email address; change or remove "
            "that account first (accounts are not erased with contacts)."
        )


# --- layer 1: relations -----------------------------------------------------------------------


def _outlives_contact(relation: ContactRelation) -> bool:
    """Generic references, and foreign keys that do not cascade (another contact excepted:
    a job change is only unlinked by the delete)."""
    if relation.kind == "generic":
        return True
    return (
        relation.kind in ("fk", "o2o")
        and relation.model is not Contact
        and _survives_delete(relation.model, relation.field_name)
    )


def _scrub_relation(
    relation: ContactRelation, contact_id: int, ids: Identifiers, counts: Counter[str]
) -> None:
    """Rows that outlive the contact lose the person's values; cascading rows go with it."""
    model = relation.model
    manager = model._base_manager
    if relation.kind == "generic":
        content_type = ContentType.objects.get_for_model(Contact)
        rows = manager.filter(content_type=content_type, **{relation.field_name: contact_id})
        counts[model._meta.label] += _redact_rows(rows, ids.all_values, whole_json=True)
        return
    rows = manager.filter(**{relation.field_name: contact_id})
    counts[model._meta.label] += _redact_rows(
        rows, ids.all_values, whole_json=False, exact=ids.name_parts
    )
    # Their own field history repeated the person's details (a lead's "created" entry).
    _redact_history_of(model, list(rows.values_list("pk", flat=True)), ids, counts)


def _delete_step(contact_id: int, counts: Counter[str]) -> None:
    """Unindex and delete the contact (its cascading rows with it), if it is still there."""
    contact = Contact.objects.select_for_update().filter(pk=contact_id).first()
    unindex_contacts([contact_id])
    _purge_search_leftovers()
    if contact is not None:
        counts.update(_delete_contact(contact))


def _sweep_step(model: type[models.Model], ids: Identifiers, counts: Counter[str]) -> None:
    counts.update(sweep_model(model, ids.contact_values, ids.full_names, ids.name_parts))


def _redact_history_of(
    model: type[models.Model], pks: list[Any], ids: Identifiers, counts: Counter[str]
) -> None:
    if not pks:
        return
    content_type = ContentType.objects.get_for_model(model)
    for reference in GENERIC_REFERENCES:
        history = apps.get_model(reference.model_label)
        rows = history._base_manager.filter(
            **{reference.content_type_field: content_type, f"{reference.object_id_field}__in": pks}
        )
        counts[history._meta.label] += _redact_rows(rows, ids.all_values, whole_json=True)


def _survives_delete(model: type[models.Model], field_name: str) -> bool:
    remote = model._meta.get_field(field_name)
    return getattr(remote.remote_field, "on_delete", None) is not models.CASCADE


def _redact_rows(
    rows: models.QuerySet[Any],
    values: list[str],
    *,
    whole_json: bool,
    exact: set[str] = frozenset(),  # type: ignore[assignment]
    changed_pks: list[Any] | None = None,
    quoted: tuple[list[str], set[str]] | None = None,
) -> int:
    """Scrub text fields of `rows`; `whole_json` blanks every JSON value (field history);
    a text field whose whole value is one of `exact` is blanked too.

    `quoted` = (full names, name parts): in a row that quoted one of `values`, the person's
    full name is redacted from its text as well, and JSON strings (an import row's cells)
    that are exactly a first or last name are blanked: the quote proves the row is theirs."""
    model = rows.model
    text_fields = _text_fields(model)
    json_fields = [f for f in model._meta.concrete_fields if isinstance(f, models.JSONField)]
    changed = 0
    for row in rows.iterator(chunk_size=500):
        updates = _row_updates(row, text_fields, json_fields, values, whole_json, exact)
        if updates and quoted is not None:
            names, parts = quoted
            more = _longest_first([*values, *names])
            updates = _row_updates(row, text_fields, json_fields, more, whole_json, exact, parts)
        if updates:
            _save_updates(model, row.pk, updates)
            changed += 1
            if changed_pks is not None:
                changed_pks.append(row.pk)
    return changed


def _row_updates(
    row: models.Model,
    text_fields: list[Any],
    json_fields: list[Any],
    values: list[str],
    whole_json: bool,
    exact: set[str],
    json_exact: set[str] = frozenset(),  # type: ignore[assignment]
) -> dict[str, Any]:
    updates: dict[str, Any] = {}
    for f in text_fields:
        value = getattr(row, f.attname)
        if exact and isinstance(value, str) and value.strip().lower() in exact:
            updates[f.attname] = REDACTED
            continue
        _maybe_update(updates, f, value, scrub_text, values)
    for f in json_fields:
        if whole_json:
            scrub: Any = redact_json_values
        else:
            scrub = partial(scrub_json, exact=json_exact)
        _maybe_update(updates, f, getattr(row, f.attname), scrub, values)
    return updates


def _maybe_update(updates: dict[str, Any], f: Any, value: Any, scrub: Any, values: list) -> None:
    if value in (None, "", {}, []):
        return
    new = scrub(value, values)
    limit = getattr(f, "max_length", None)
    if limit and isinstance(new, str):
        new = new[:limit]  # "[erased]" can be longer than a short address or name it replaced
    if new != value:
        updates[f.attname] = new


def _save_updates(model: type[models.Model], pk: Any, updates: dict[str, Any]) -> None:
    """Update one row; a unique column that would clash gets a distinct redaction instead."""
    manager = model._base_manager
    try:
        with transaction.atomic():
            manager.filter(pk=pk).update(**updates)
    except IntegrityError:
        distinct = {
            k: (f"{REDACTED} {pk}" if isinstance(v, str) else v) for k, v in updates.items()
        }
        manager.filter(pk=pk).update(**distinct)


def _delete_contact(contact: Contact) -> dict[str, int]:
    try:
        _total, per_model = contact.delete()
    except ProtectedError as exc:
        blockers = sorted({obj._meta.verbose_name for obj in exc.protected_objects})
        raise Conflict(f"Records still depend on this contact: {', '.join(blockers)}.") from exc
    return {label: n for label, n in per_model.items() if n}


# --- layer 2: search index --------------------------------------------------------------------


def _purge_search_leftovers() -> None:
    """FTS5 keeps deleted tokens in older index segments until a merge: merge them all now."""
    if connection.vendor == "sqlite":
        from peoplebase.search.engines import SqliteEngine

        table = SqliteEngine.table
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {table} ({table}) VALUES ('optimize')")  # noqa: S608


@contextmanager
def secure_delete() -> Iterator[None]:
    """On SQLite, overwrite deleted content with zeros so it does not linger in free pages."""
    sqlite = connection.vendor == "sqlite"
    if sqlite:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA secure_delete = ON")
    try:
        yield
    finally:
        if sqlite:
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA secure_delete = OFF")


# --- layer 3: the final sweep -----------------------------------------------------------------


def _text_fields(model: type[models.Model]) -> list[Any]:
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, TEXT_FIELDS) and not f.primary_key and not f.is_relation
    ]


def sweepable_models() -> list[type[models.Model]]:
    """Every installed model with a table of its own (proxies and unmanaged ones left out)."""
    return [
        m
        for m in apps.get_models()
        if m._meta.managed and not m._meta.proxy and m._meta.label not in SWEEP_SKIP
    ]


def value_query(model: type[models.Model], values: list[str]) -> Q | None:
    """An OR of case-insensitive substring filters for `values` over the model's text columns.

    JSON is matched on its text; on SQLite non-ASCII characters are stored escaped (\\u00e9),
    so the escaped spelling is searched for as well.
    """
    query = Q()
    for f in model._meta.concrete_fields:
        if f.primary_key or f.is_relation:
            continue
        if isinstance(f, models.JSONField):
            spellings = {s for v in values for s in (v, _json_escaped(v))}
        elif isinstance(f, TEXT_FIELDS):
            limit = getattr(f, "max_length", None) or 10**9
            spellings = {v for v in values if len(v) <= limit}
        else:
            continue
        for spelling in sorted(spellings):
            query |= Q(**{f"{f.name}__icontains": spelling})
    return query or None


def _json_escaped(value: str) -> str:
    return value.encode("ascii", "backslashreplace").decode().replace("\\x", "\\u00")


def sweep_values(
    values: list[str],
    names: list[str] = (),  # type: ignore[assignment]
    name_parts: set[str] = frozenset(),  # type: ignore[assignment]
) -> Counter[str]:
    """Scrub `values` from every text and JSON column of every model; rows changed per model."""
    counts: Counter[str] = Counter()
    for model in sweepable_models():
        counts.update(sweep_model(model, values, names, name_parts))
    return counts


def sweep_model(
    model: type[models.Model],
    values: list[str],
    names: list[str] = (),  # type: ignore[assignment]
    name_parts: set[str] = frozenset(),  # type: ignore[assignment]
) -> Counter[str]:
    """Scrub `values` from one model's text and JSON columns; where a row quoted them, the
    person's name goes too (another contact's own record excepted: its name is theirs)."""
    counts: Counter[str] = Counter()
    query = value_query(model, values) if values else None
    if query is None:
        return counts
    rows = model._base_manager.filter(query).order_by()
    pks: list[Any] = []
    quoted = None if model is Contact or not names else (list(names), set(name_parts))
    changed = _redact_rows(rows, values, whole_json=False, changed_pks=pks, quoted=quoted)
    if changed:
        counts[f"sweep.{model._meta.label}"] += changed
    if model is Contact and pks:
        # Another contact quoted the values (a custom field): its search row must follow.
        index_contacts(pks)
    return counts


# --- scrubbing values -------------------------------------------------------------------------


def _pattern(values: list[str]) -> re.Pattern[str] | None:
    if not values:
        return None
    return re.compile("|".join(re.escape(v) for v in values), re.IGNORECASE)


def scrub_text(text: str, values: list[str]) -> str:
    pattern = _pattern(values)
    if pattern is None or not isinstance(text, str):
        return text
    return pattern.sub(REDACTED, text)


def scrub_json(
    value: Any,
    values: list[str],
    exact: set[str] = frozenset(),  # type: ignore[assignment]
) -> Any:
    """Replace `values` inside every string of a JSON value, keys included; a string that is
    exactly one of `exact` is replaced whole."""
    if isinstance(value, str):
        if exact and value.strip().lower() in exact:
            return REDACTED
        return scrub_text(value, values)
    if isinstance(value, list):
        return [scrub_json(v, values, exact) for v in value]
    if isinstance(value, dict):
        return {scrub_text(str(k), values): scrub_json(v, values, exact) for k, v in value.items()}
    return value


def redact_json_values(value: Any, values: list[str]) -> Any:
    """Keep the shape (which fields changed) and drop every value: field history of the person."""
    if isinstance(value, dict):
        return {scrub_text(str(k), values): redact_json_values(v, values) for k, v in value.items()}
    if isinstance(value, list):
        return [redact_json_values(v, values) for v in value]
    return None if value is None else REDACTED


# --- suppression and files --------------------------------------------------------------------


def _suppress(actor: User | None, log: ErasureLog, emails: set[str]) -> int:
    added = 0
    for digest in sorted({email_hash(e) for e in emails if "@" in e}):
        if SuppressionEntry.objects.filter(email_hash=digest, lifted_at__isnull=True).exists():
            continue
        SuppressionEntry.objects.create(
            email_hash=digest,
            source=SuppressionSource.ERASURE,
            erasure=log,
            created_by=actor if getattr(actor, "pk", None) else None,
            created_by_label=getattr(actor, "email", "") or "",
        )
        added += 1
    return added


def _file_names(ids: Identifiers) -> list[str]:
    # Names identify a line in an export only together with the rest; single words do not.
    return _longest_first(n for n in ids.names if " " in n)
