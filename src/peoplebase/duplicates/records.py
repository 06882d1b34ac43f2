"""Reading contacts from the database as engine records, batch by batch."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Aggregate, CharField, Model, OuterRef, QuerySet, Subquery

from peoplebase.contacts.models import Contact, ContactEmail, ContactPhone
from peoplebase.duplicates.engine.records import PersonRecord, make_record
from peoplebase.normalize.birthdays import Birthday, InvalidBirthday, parse_birthday

BATCH = 5000
# Custom fields read as a date of birth or as a unique id when a workspace defines them.
BIRTHDAY_KEYS = ("birthday", "date_of_birth", "dob", "birth_date")
UNIQUE_ID_KEYS = ("unique_id", "customer_number", "national_id", "passport_number", "tax_id")
FIELDS = (
    "id",
    "first_name",
    "last_name",
    "full_name",
    "company__name",
    "city",
    "postal_code",
    "custom_fields",
    "previous_contact_id",
    "birthday_year",
    "birthday_month",
    "birthday_day",
    "email",  # the primary email and phone, put first among their contact's
    "phone",
)
# FIELDS, then every email and every valid phone of the contact, joined by SEP.
ROW_FIELDS = (*FIELDS, "joined_emails", "joined_phones")


def _first_value(custom: dict[str, Any] | None, keys: tuple[str, ...]) -> str:
    for key in keys:
        value = (custom or {}).get(key)
        if value:
            return str(value)
    return ""


def _birthday(year: int | None, month: int | None, day: int | None, custom: Any) -> str:
    """The contact's birthday as ISO ("--MM-DD" without a year), else a custom date field."""
    if month and day:
        return Birthday(month, day, year).iso()
    raw = _first_value(custom, BIRTHDAY_KEYS)
    try:
        parsed = parse_birthday(raw or None)
    except InvalidBirthday:
        return raw  # compared as typed
    return parsed.iso() if parsed else ""


class _Joined(Aggregate):
    """The values of a column joined with SEP: GROUP_CONCAT on SQLite, STRING_AGG on
    PostgreSQL. Order is not relied on (record_from_row sorts)."""

    function = "GROUP_CONCAT"
    template = "%(function)s(%(expressions)s, CHAR(31))"
    output_field = CharField()

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler,
            connection,
            function="STRING_AGG",
            template="%(function)s(%(expressions)s, CHR(31))",
            **extra,
        )


SEP = chr(31)  # the unit separator: never inside a normalised email or an E.164 number


def _joined(model: type[Model], column: str, **filters: Any) -> Subquery:
    return Subquery(
        model.objects.filter(contact_id=OuterRef("pk"), **filters)
        .order_by()
        .values("contact_id")
        .annotate(joined=_Joined(column))
        .values("joined")
    )


def record_rows(contacts: QuerySet[Contact]) -> QuerySet[Contact, tuple[Any, ...]]:
    """ROW_FIELDS of each contact in one statement: the emails and valid phones come joined
    by correlated subqueries, so no second and third query per batch."""
    return contacts.annotate(
        joined_emails=_joined(ContactEmail, "email"),
        joined_phones=_joined(ContactPhone, "number", is_valid=True),
    ).values_list(*ROW_FIELDS)


def _split(joined: str | None, primary: str) -> list[str]:
    """The joined values, the primary first and the rest sorted: the same order whatever
    order the database aggregated them in (the first work domain of the list counts)."""
    if not joined:
        return []
    values = joined.split(SEP)
    if len(values) == 1:
        return values
    rest = sorted(v for v in values if v != primary)
    return [primary, *rest] if primary in values else rest


def record_from_row(row: tuple[Any, ...]) -> PersonRecord:
    """An engine record from one row of `record_rows` (no model instance is built)."""
    cid, first, last, full, company, city, postcode, custom, previous, *rest = row
    year, month, day, email, phone, emails, phones = rest
    return make_record(
        cid,
        first=first,
        last=last,
        full=full,
        emails=_split(emails, email),
        phones=_split(phones, phone),
        company=company or "",
        city=city,
        postcode=postcode,
        birthday=_birthday(year, month, day, custom),
        uid=_first_value(custom, UNIQUE_ID_KEYS),
        links=[previous] if previous else [],
    )


def load_records(
    contacts: QuerySet[Contact], on_batch: Callable[[int], None] | None = None
) -> list[PersonRecord]:
    """Every contact of the queryset as a record, read in id order in batches; `on_batch`
    hears how many were read so far (the scan's progress)."""
    records: list[PersonRecord] = []
    last_id = 0
    while True:
        rows = list(record_rows(contacts.filter(id__gt=last_id).order_by("id"))[:BATCH])
        if not rows:
            break
        records.extend(map(record_from_row, rows))
        last_id = rows[-1][0]
        if on_batch:
            on_batch(len(records))
    return _with_reverse_links(records)


def _with_reverse_links(records: list[PersonRecord]) -> list[PersonRecord]:
    """A job change links new -> old; the old record learns the link too."""
    back: dict[int, list[int]] = {}
    for r in records:
        for other in r.links:
            back.setdefault(other, []).append(r.id)
    if not back:
        return records
    return [r._replace(links=r.links + tuple(back[r.id])) if r.id in back else r for r in records]
