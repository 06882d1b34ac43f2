"""The import pipeline: rows are cleaned by the contact rules, matched in batches, then written.

Every row goes through `contacts.cleaning.clean_contact_input`, the same validation and
normalisation as a contact typed into the form; only the writing differs. Creates are written a
batch at a time (bulk inserts of contacts, emails, phones and tags, one search-index pass and one
audit entry per batch); updates of existing contacts go one by one through
`contacts.services.update_contact`, so their field history is the ordinary one.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from operator import attrgetter, itemgetter
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from peoplebase.activities.models import Activity, ActivityKind
from peoplebase.activities.services import MAX_NOTE_LENGTH
from peoplebase.audit.services import AuditAction, record_change
from peoplebase.companies.models import Company
from peoplebase.contacts.cleaning import (
    SCALAR_FIELDS,
    CleanContact,
    CleanEmail,
    CleanPhone,
    clean_contact_input,
    primary_email,
    primary_number,
)
from peoplebase.contacts.models import (
    Contact,
    ContactEmail,
    ContactPhone,
    ContactTag,
    birthday_columns,
)
from peoplebase.contacts.services import get_or_create_tags, update_contact
from peoplebase.core.errors import DomainError, ErrorCollector, ValidationFailed
from peoplebase.customfields.services import active_definitions
from peoplebase.imports.bulkwrite import insert_tuples, reserve_ids
from peoplebase.imports.mapping import apply_mapping, pop_extras
from peoplebase.imports.matching import row_keys
from peoplebase.imports.models import DuplicatePolicy, ImportJob, ImportRow, RowOutcome
from peoplebase.normalize import fold, sort_key
from peoplebase.search.documents import (
    SearchDocument,
    email_text,
    name_text,
    phone_text,
    token_text,
    tokens,
)
from peoplebase.search.services import index_new_documents
from peoplebase.users.models import User

# Rows per batch: one transaction each, with one insert per table and one full-text segment.
# 4,000 rather than 2,000 since batches are written on a thread of their own: a 1M-row load
# 85 -> 79-80 s on SQLite (fewer commits and segments to merge), two batches in memory at once.
BATCH_SIZE = 4_000
# Scalar fields a duplicate may fill or overwrite on an existing contact.
UPDATABLE_SCALARS = (
    "first_name",
    "last_name",
    "full_name",
    "job_title",
    "department",
    "seniority",
    "role",
    "street",
    "street2",
    "city",
    "region",
    "postal_code",
    "country",
    "linkedin_url",
    "twitter_handle",
    "lead_score",
    "birthday",
)
NAME_FIELDS = ("first_name", "last_name", "full_name")
# Outcomes whose row's note is added to the contact's timeline (skipped rows keep theirs in
# the report's cells).
NOTED_OUTCOMES = (RowOutcome.CREATED, RowOutcome.UPDATED)
# Outcomes whose report entry keeps the row's cells (for the rejected-rows file and review).
REPORTED_CELLS = (RowOutcome.INVALID, RowOutcome.SKIPPED)
NO_CUSTOM_FIELDS: dict[str, Any] = {}  # never mutated: written as JSON only
# Values that leave a field out of a row's file keys; built once, not for every value tested
# (never modified).
EMPTY_VALUES: tuple[Any, ...] = (None, "", [], {})


@dataclass
class RowContext:
    """What every row of one job shares: who imports, the mapping, defaults, lookups."""

    actor: User
    mapping: dict[int, str]
    defaults: dict[str, Any]
    default_tags: list[str]
    default_owner_id: int | None
    policy: str
    match_name_company: bool
    region: str
    definitions: dict[str, Any] = field(default_factory=active_definitions)
    owners_by_email: dict[str, int | None] = field(default_factory=dict)


@dataclass
class PreparedRow:
    """One row after mapping and cleaning, or the reason it cannot be imported."""

    number: int
    cells: list[str]
    clean: CleanContact | None = None
    file_keys: frozenset[str] = frozenset()
    company_name: str = ""
    company_key: str = ""  # the name folded as Company.name_key is, made by the cleaner
    sort_name: str = ""  # Contact.sort_name, made by the cleaner
    owner_email: str = ""
    owner_id: int | None = None
    note: str = ""
    reason: str = ""
    # Something the row was imported despite (an unknown owner): reported, not rejected.
    warning: str = ""
    outcome: str = ""
    match_id: int | None = None
    changes: dict[str, Any] | None = None
    contact_id: int | None = None
    # The search index's names, emails, phones and title text, made where the row is cleaned
    # (the second process when parallel) so the writing process only adds company and tags.
    search_text: tuple[str, str, str, str] = ("", "", "", "")
    # What the row is matched by (`row_keys`), made where it is cleaned, like `search_text`.
    keys: list[str] = field(default_factory=list)
    # The new contact's columns but the writer's own (`WRITER_COLUMNS`), as the batch's column
    # names and this row's values (`set_contact_values`), made where the row is cleaned too.
    contact_columns: tuple[str, ...] = ()
    contact_values: tuple[Any, ...] = ()

    @property
    def report(self) -> str:
        """The reason and any warning, as the report and the rejected-rows file show them."""
        reason, warning = self.reason, self.warning
        if not warning:  # most rows: no generator and join for each
            return reason[:500]
        return (f"{reason} {warning}" if reason else warning)[:500]

    @property
    def emails(self) -> list[str]:
        return [e.email for e in (self.clean.emails or [])] if self.clean else []

    @property
    def phones(self) -> list[str]:
        if not self.clean:
            return []
        return [p.number for p in (self.clean.phones or []) if p.is_valid]

    def name_company_key(self) -> str:
        if not self.clean or not self.company_name:
            return ""
        name = fold(self.clean.scalars.get("full_name", ""))
        return f"{name}|{self.company_key}" if name else ""


@dataclass
class Stages:
    """Seconds spent in each stage, summed over batches."""

    seconds: dict[str, float] = field(default_factory=dict)

    def add(self, stage: str, started: float) -> float:
        now = time.perf_counter()
        self.seconds[stage] = round(self.seconds.get(stage, 0.0) + now - started, 3)
        return now


# A batch as read: the number of its first row and each row's cells.
RawBatch = tuple[int, list[list[str]]]


def raw_batches(rows: Iterator[list[str]], size: int, start: int = 0) -> Iterator[RawBatch]:
    """Rows numbered from 1 (the first data row), `size` at a time, skipping the first `start`.

    As read, without a PreparedRow each: a cleaning process passes over the batches the other
    cleaning processes take, and making their rows was two thirds of its reading time.
    """
    first, cells = start + 1, []
    for number, row in enumerate(rows, start=1):
        if number <= start:
            continue
        if not cells:
            first = number
        cells.append(row)
        if len(cells) >= size:
            yield first, cells
            cells = []
    if cells:
        yield first, cells


def prepared_rows(batch: RawBatch) -> list[PreparedRow]:
    first, cells = batch
    return [PreparedRow(number=number, cells=row) for number, row in enumerate(cells, first)]


def batches(rows: Iterator[list[str]], size: int, start: int = 0) -> Iterator[list[PreparedRow]]:
    """`raw_batches`, each as its rows."""
    return map(prepared_rows, raw_batches(rows, size, start))


# --- cleaning -----------------------------------------------------------------------------


def prepare(row: PreparedRow, ctx: RowContext) -> None:
    """Map and clean one row in place; a row that breaks a rule gets its reason."""
    data = apply_mapping(row.cells, ctx.mapping)
    extras = pop_extras(data)
    row.file_keys = file_keys(data)
    row.company_name = " ".join(str(extras.get("company_name") or "").split())[:200]
    row.company_key = fold(row.company_name)[:200] if row.company_name else ""
    row.note = str(extras.get("note") or "").strip()
    if len(row.note) > MAX_NOTE_LENGTH:  # as long as any note may be; say what was cut
        row.note = row.note[:MAX_NOTE_LENGTH]
        row.warning = NOTE_CUT_WARNING
    row.owner_email = str(extras.get("owner_email") or "").strip().lower()
    errors = ErrorCollector()
    for name, value in ctx.defaults.items():
        if data.get(name) in (None, ""):
            data[name] = value
    if ctx.default_tags:
        data["tags"] = list(data.get("tags") or []) + ctx.default_tags
    clean = clean_contact_input(
        data, instance=None, region=ctx.region, errors=errors, definitions=ctx.definitions
    )
    if not clean.scalars.get("full_name") and not clean.emails:
        errors.add("full_name", "Give at least a name or an email address.")
    if errors:
        row.outcome, row.reason = RowOutcome.INVALID, describe_errors(errors.errors)
        return
    row.clean = clean
    scalars = clean.scalars
    row.sort_name = sort_key(
        scalars.get("first_name", ""), scalars.get("last_name", ""), scalars.get("full_name", "")
    )
    row.search_text = search_text(clean)
    row.keys = row_keys(row, ctx)


def file_keys(data: dict[str, Any]) -> frozenset[str]:
    """The fields the row fills: values not in EMPTY_VALUES. A string is empty only when it is
    "" (the test most values need, without comparing them to a list and a dict)."""
    return frozenset(
        [k for k, v in data.items() if (v if type(v) is str else v not in EMPTY_VALUES)]
    )


def search_text(clean: CleanContact) -> tuple[str, str, str, str]:
    """The index text `search.services.build_documents` would read back for this row's
    contact: names, emails and phones (primary first, then in file order) and job title."""
    scalars = clean.scalars
    emails = clean.emails or []
    if len(emails) > 1:  # most rows have one address: nothing to sort
        emails = sorted(emails, key=lambda e: not e.is_primary)
    phones = clean.phones or []
    if len(phones) > 1:
        phones = sorted(phones, key=lambda p: not p.is_primary)
    return (
        name_text(
            scalars.get("first_name") or "",
            scalars.get("last_name") or "",
            scalars.get("full_name") or "",
        ),
        email_text([e.email for e in emails]),
        phone_text([p.number for p in phones]),
        token_text(scalars.get("job_title") or ""),
    )


# A new contact's columns the writing process fills (ids and times), first in its row.
WRITER_COLUMNS = ("id", "created_by_id", "owner_id", "company_id", "created_at", "updated_at")
# The columns every cleaned row fills, before the scalar fields its batch fills.
CLEANED_COLUMNS = ("sort_name", "email", "phone", "custom_fields")
SCALAR_COLUMNS = tuple(name for name in SCALAR_FIELDS if name != "birthday")
BIRTHDAY_COLUMNS = tuple(birthday_columns(None))


def set_contact_values(rows: list[PreparedRow]) -> None:
    """Give each cleaned row of a batch its new contact's column values (`contact_values`), in
    an order shared by the batch (`contact_columns`): the scalar fields some row of the batch
    fills, the others' defaults where a row leaves one out.

    Done where rows are cleaned (the cleaning processes, when parallel), so the writing
    process only puts its ids in front: merging each row's values with the defaults and
    picking the columns was a tenth of its work.
    """
    clean_rows = [row for row in rows if row.clean is not None]
    if not clean_rows:
        return
    filled = set().union(*[row.clean.scalars for row in clean_rows if row.clean])
    columns = CLEANED_COLUMNS + tuple(name for name in SCALAR_COLUMNS if name in filled)
    with_birthday = "birthday" in filled
    if with_birthday:
        columns += BIRTHDAY_COLUMNS
    defaults = _contact_defaults(columns)
    pick = itemgetter(*columns)
    for row in clean_rows:
        clean = row.clean
        assert clean is not None
        values = {**defaults, **clean.scalars}
        values["sort_name"] = row.sort_name
        values["email"] = primary_email(clean.emails)
        values["phone"] = primary_number(clean.phones)
        # One shared empty value: the writer converts it to JSON once, not once a row.
        values["custom_fields"] = clean.custom_fields or NO_CUSTOM_FIELDS
        if with_birthday:  # not a column: stored as month, day and year
            values.update(birthday_columns(values.get("birthday")))
        row.contact_columns, row.contact_values = columns, pick(values)


@lru_cache(maxsize=64)
def _contact_defaults(columns: tuple[str, ...]) -> dict[str, Any]:
    """Each column's default, as `bulkwrite.insert_rows` gives a column a row leaves out."""
    return {name: Contact._meta.get_field(name).get_default() for name in columns}


def describe_errors(errors: dict[str, list[str]]) -> str:
    parts = [f"{name}: {' '.join(messages)}" for name, messages in errors.items()]
    return "; ".join(parts)[:500]


NOTE_CUT_WARNING = (
    f"Note: only its first {MAX_NOTE_LENGTH:,} characters were kept (the most a note may hold)."
)
OWNER_FALLBACK = "given to the default owner"
UNKNOWN_OWNER_WARNING = "Owner: no active user with the email {email}; " + OWNER_FALLBACK + "."


def resolve_owners(rows: list[PreparedRow], ctx: RowContext) -> None:
    """Owners named by email in the file, looked up once per address (in this process: the
    cleaning process never touches the database). An address with no active user does not
    cost the row its contact: it goes to the default owner and the report warns."""
    for row in rows:
        if not row.owner_email:
            row.owner_id = ctx.default_owner_id
            continue
        if row.owner_email not in ctx.owners_by_email:
            user = User.objects.filter(email__iexact=row.owner_email, is_active=True).first()
            ctx.owners_by_email[row.owner_email] = user.pk if user else None
        row.owner_id = ctx.owners_by_email[row.owner_email]
        if row.owner_id is None:
            row.owner_id = ctx.default_owner_id
            warning = UNKNOWN_OWNER_WARNING.format(email=row.owner_email)
            row.warning = f"{row.warning} {warning}" if row.warning else warning


# --- writing ------------------------------------------------------------------------------


@dataclass
class BatchWriter:
    """Writes one decided batch inside the caller's transaction."""

    job: ImportJob
    ctx: RowContext
    companies: dict[str, int] = field(default_factory=dict)
    company_names: dict[int, str] = field(default_factory=dict)
    tag_names: dict[int, str] = field(default_factory=dict)
    # Name terms the search index already has variants for (looked up once per job).
    known_terms: set[str] = field(default_factory=set)

    def write(self, rows: list[PreparedRow]) -> None:
        for row in rows:
            if row.outcome == RowOutcome.UPDATED:
                self._update(row)
        created = [row for row in rows if row.outcome == RowOutcome.CREATED]
        if created:
            index_new_documents(self._create(created), self.known_terms)
        self._notes(rows)
        self._import_rows(rows)
        record_change(
            self.ctx.actor,
            self.job,
            AuditAction.CREATE if created else AuditAction.UPDATE,
            {
                "rows": [None, f"{rows[0].number}-{rows[-1].number}"],
                "contacts_created": [None, len(created)],
                "contacts_updated": [
                    None,
                    sum(1 for row in rows if row.outcome == RowOutcome.UPDATED),
                ],
            },
        )

    def _import_rows(self, rows: list[PreparedRow]) -> None:
        """Each row's report entry, as tuples in file order. Columns no row of the batch fills
        are left out (the reason and the cells of a batch without rejected rows, the changes
        of one without updates), so the insert writes their default into its statement."""
        job_id = self.job.pk
        reports = [row.report for row in rows]
        kept = [row.cells if row.outcome in REPORTED_CELLS else None for row in rows]
        changes = [row.changes for row in rows]
        columns = ["job_id", "row_number", "outcome", "contact_id"]
        values = [(job_id, row.number, row.outcome, row.contact_id) for row in rows]
        for name, column in (("reason", reports), ("cells", kept), ("changes", changes)):
            if any(value is not None and value != "" for value in column):
                columns.append(name)
                values = [(*row, value) for row, value in zip(values, column, strict=True)]
        insert_tuples(ImportRow, tuple(columns), values)

    def _company_ids(self, rows: list[PreparedRow]) -> None:
        """Employers by folded name: existing accounts are reused, missing ones created."""
        wanted = {r.company_key: r.company_name for r in rows if r.company_key}
        missing = [key for key in wanted if key not in self.companies]
        if not missing:
            return
        existing = Company.objects.filter(name_key__in=missing, is_archived=False)
        for pk, key, name in existing.order_by("-pk").values_list("pk", "name_key", "name"):
            self.companies[key] = pk
            self.company_names[pk] = name
        from peoplebase.companies.services import create_company

        for key in missing:
            if key not in self.companies:
                company = create_company(self.ctx.actor, {"name": wanted[key]})
                self.companies[key] = company.pk
                self.company_names[company.pk] = company.name

    def _create(self, rows: list[PreparedRow]) -> list[SearchDocument]:
        """New contacts and their emails, phones and tags, one insert per table; returns
        their search documents."""
        self._company_ids(rows)
        now = timezone.now()
        tag_ids = self._tag_ids(rows)
        with connection.cursor() as cursor:  # take SQLite's write lock before reserving ids
            cursor.execute(
                "UPDATE imports_importjob SET processed_rows = processed_rows WHERE id = %s",
                [self.job.pk],
            )
        ids = reserve_ids(Contact, len(rows))
        if any(not row.contact_columns for row in rows):  # not made where they were cleaned
            set_contact_values(rows)
        contacts: dict[tuple[str, ...], list[tuple[Any, ...]]] = {}
        emails, phones, links, docs = [], [], [], []
        actor_id, companies = self.ctx.actor.pk, self.companies
        for row, pk in zip(rows, ids, strict=True):
            row.contact_id = pk
            clean = row.clean
            assert clean is not None
            company_id = companies.get(row.company_key)
            contacts.setdefault(row.contact_columns, []).append(
                (pk, actor_id, row.owner_id, company_id, now, now, *row.contact_values)
            )
            # Appended one by one: most rows have one address and one number, and a list
            # made for each row's one entry cost as much as the entry.
            for email in clean.emails or ():
                emails.append((pk, now, *_email_values(email)))
            for phone in clean.phones or ():
                phones.append((pk, now, *_phone_values(phone)))
            for name in clean.tags or ():
                links.append((pk, tag_ids[fold(name)[:50]], now))
            docs.append(self._document(row, pk, company_id))
        for columns, values in contacts.items():
            insert_tuples(Contact, WRITER_COLUMNS + columns, values)
        insert_tuples(ContactEmail, EMAIL_COLUMNS, emails)
        insert_tuples(ContactPhone, PHONE_COLUMNS, phones)
        insert_tuples(ContactTag, ("contact_id", "tag_id", "created_at"), links)
        return docs

    def _document(
        self, row: PreparedRow, contact_id: int, company_id: int | None
    ) -> SearchDocument:
        """The index row `search.services.build_documents` would read back for this contact;
        company and tags by their stored names, which may differ from the file's spelling."""
        clean = row.clean
        assert clean is not None
        names, emails, phones, title = row.search_text
        return SearchDocument(
            contact_id=contact_id,
            names=names,
            emails=emails,
            phones=phones,
            company=self._company_text(company_id) if company_id else "",
            title=title,
            tags=self._tags_text(clean.tags) if clean.tags else "",
        )

    def _company_text(self, company_id: int) -> str:
        cache = self.__dict__.setdefault("_company_texts", {})
        if company_id not in cache:
            cache[company_id] = " ".join(tokens(self.company_names[company_id]))
        return cache[company_id]

    def _tags_text(self, names: list[str]) -> str:
        tag_ids = self.__dict__["_tags"]
        stored = [self.tag_names[tag_ids[fold(name)[:50]]] for name in names]
        return " ".join(tokens(" ".join(stored)))

    def _tag_ids(self, rows: list[PreparedRow]) -> dict[str, int]:
        names = {fold(n)[:50]: n for r in rows for n in (r.clean.tags or [] if r.clean else [])}
        cache = self.__dict__.setdefault("_tags", {})
        missing = [name for key, name in names.items() if key not in cache]
        for tag in get_or_create_tags(missing):
            cache[tag.name_key] = tag.pk
            self.tag_names[tag.pk] = tag.name
        return cache

    def _notes(self, rows: list[PreparedRow]) -> None:
        notes = [
            Activity(
                kind=ActivityKind.NOTE,
                contact_id=row.contact_id,
                actor=self.ctx.actor,
                body=row.note,  # cut to MAX_NOTE_LENGTH where it was read
                # Undo removes the notes an import added to contacts it updated (`undo.py`).
                metadata={"import_job": self.job.pk},
            )
            for row in rows
            if row.note and row.contact_id and row.outcome in NOTED_OUTCOMES
        ]
        Activity.objects.bulk_create(notes)

    def _update(self, row: PreparedRow) -> None:
        """Fill or overwrite an existing contact through the contact service, one by one."""
        contact = Contact.objects.select_related("company", "owner").get(pk=row.match_id)
        overwrite = self.ctx.policy == DuplicatePolicy.OVERWRITE
        data = update_data(row, contact, overwrite=overwrite)
        if row.company_key and (overwrite or contact.company_id is None):
            # The employer as a new contact's: an account of that name, made when missing.
            self._company_ids([row])
            company_id = self.companies[row.company_key]
            if company_id != contact.company_id:
                data["company_id"] = company_id
        row.contact_id = contact.pk
        if not data:
            if row.note:  # the note alone is new: `_notes` adds it to the contact's timeline
                row.changes = {}
                return
            row.outcome, row.reason = RowOutcome.SKIPPED, f"{row.reason} Nothing new to add."
            return
        before = {name: comparable(contact, name) for name in data}
        try:
            with transaction.atomic():
                updated = update_contact(self.ctx.actor, contact, data).contact
        except ValidationFailed as exc:
            row.outcome, row.reason = RowOutcome.INVALID, describe_errors(exc.errors)
            return
        except DomainError as exc:
            row.outcome, row.reason = RowOutcome.SKIPPED, exc.message
            return
        after = {name: comparable(updated, name) for name in data}
        row.changes = {k: [before[k], after[k]] for k in data if before[k] != after[k]}
        if not row.changes and not row.note:
            row.outcome, row.reason = RowOutcome.SKIPPED, f"{row.reason} Nothing new to add."


# A new address's and number's columns after (contact_id, created_at), and their values.
EMAIL_FIELDS = ("email", "original", "kind", "is_primary", "is_bounced", "is_opted_out")
PHONE_FIELDS = ("number", "original", "kind", "is_primary", "is_valid")
EMAIL_COLUMNS = ("contact_id", "created_at", *EMAIL_FIELDS)
PHONE_COLUMNS = ("contact_id", "created_at", *PHONE_FIELDS)
_email_values: Callable[[CleanEmail], tuple[Any, ...]] = attrgetter(*EMAIL_FIELDS)
_phone_values: Callable[[CleanPhone], tuple[Any, ...]] = attrgetter(*PHONE_FIELDS)


def comparable(contact: Contact, name: str) -> Any:
    """A field's value in the form `update_contact` accepts back (used by undo)."""
    if name == "emails":
        return [e.email for e in contact.emails.all()]
    if name == "phones":
        return [p.number for p in contact.phones.all()]
    if name == "tags":
        return sorted(link.tag.name for link in contact.tag_links.select_related("tag"))
    if name == "custom_fields":
        return dict(contact.custom_fields)
    if name == "company_id":
        return contact.company_id
    return getattr(contact, name)


def update_data(row: PreparedRow, contact: Contact, *, overwrite: bool) -> dict[str, Any]:
    """What a matching row adds to `contact`: only values the file itself gives.

    Fill: scalar fields that are empty on the contact. Overwrite: every scalar the file gives.
    Both add emails, phones and tags the contact lacks (nothing is removed) and set custom
    fields by the same rule as scalars. Defaults never overwrite an existing contact's values.
    """
    clean = row.clean
    assert clean is not None
    data: dict[str, Any] = {}
    names_given = bool({"first_name", "last_name", "full_name"} & row.file_keys)
    for name in UPDATABLE_SCALARS:
        if name in NAME_FIELDS and not names_given:
            continue
        if name not in NAME_FIELDS and name not in row.file_keys:
            continue
        value = clean.scalars.get(name)
        if value in (None, ""):
            continue
        current = getattr(contact, name)
        if (overwrite or current in (None, "", 0)) and current != value:
            data[name] = value
    if names_given and not overwrite and contact.full_name:
        for name in NAME_FIELDS:
            data.pop(name, None)
    _add_lists(data, clean, contact)
    _custom_fields(data, clean, contact, row.file_keys, overwrite=overwrite)
    return data


def _add_lists(data: dict[str, Any], clean: CleanContact, contact: Contact) -> None:
    have_emails = [e.email for e in contact.emails.all()]
    new_emails = [e.email for e in clean.emails or [] if e.email not in have_emails]
    if new_emails:
        data["emails"] = have_emails + new_emails
    have_phones = [p.number for p in contact.phones.all()]
    new_phones = [p.original or p.number for p in clean.phones or [] if p.number not in have_phones]
    if new_phones:
        data["phones"] = have_phones + new_phones
    have_tags = sorted(link.tag.name for link in contact.tag_links.select_related("tag"))
    folded = {fold(t) for t in have_tags}
    new_tags = [t for t in clean.tags or [] if fold(t) not in folded]
    if new_tags:
        data["tags"] = have_tags + new_tags


def _custom_fields(
    data: dict[str, Any],
    clean: CleanContact,
    contact: Contact,
    file_keys: frozenset[str],
    *,
    overwrite: bool,
) -> None:
    if "custom_fields" not in file_keys:
        return
    current = contact.custom_fields or {}
    changed = {
        key: value
        for key, value in (clean.custom_fields or {}).items()
        if value not in (None, "", []) and current.get(key) != value
        if overwrite or current.get(key) in (None, "", [])
    }
    if changed:
        data["custom_fields"] = {**current, **changed}
