"""Reading contacts from the database as engine records, batch by batch."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.db.models import QuerySet

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
)


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


def _by_contact(rows: Iterable[tuple[int, str]]) -> dict[int, list[str]]:
    grouped: dict[int, list[str]] = {}
    for contact_id, value in rows:
        grouped.setdefault(contact_id, []).append(value)
    return grouped


def records_from_rows(rows: list[tuple[Any, ...]]) -> Iterator[PersonRecord]:
    """Engine records for value rows of FIELDS, with their emails and phones fetched in bulk."""
    ids = [row[0] for row in rows]
    emails = _by_contact(
        ContactEmail.objects.filter(contact_id__in=ids).values_list("contact_id", "email")
    )
    phones = _by_contact(
        ContactPhone.objects.filter(contact_id__in=ids, is_valid=True).values_list(
            "contact_id", "number"
        )
    )
    for cid, first, last, full, company, city, postcode, custom, previous, *born in rows:
        yield make_record(
            cid,
            first=first,
            last=last,
            full=full,
            emails=emails.get(cid, ()),
            phones=phones.get(cid, ()),
            company=company or "",
            city=city,
            postcode=postcode,
            birthday=_birthday(*born, custom),
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
        rows = list(contacts.filter(id__gt=last_id).order_by("id").values_list(*FIELDS)[:BATCH])
        if not rows:
            break
        records.extend(records_from_rows(rows))
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
