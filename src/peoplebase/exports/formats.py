"""The one writer for contact exports: CSV (UTF-8, optional BOM) and vCard 4.0.

Every CSV export (the export endpoint, the CLI, the bulk "export selection" job) writes its
rows here, so formula neutralisation and column meanings are the same everywhere. The writers
read a contact's emails, phones and tags from `load_children`, one batch of contacts at a time.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from peoplebase.contacts.models import Contact, ContactEmail, ContactPhone, ContactTag
from peoplebase.imports.vcard import VCardContact, packed_tags, write_card

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
CUSTOM_PREFIX = "cf."
BOM = "\ufeff"
# Several emails, phones or tags share one cell, separated the way Google Contacts does, so
# the import's column mapping splits them again.
PACKED_SEPARATOR = " ::: "
FORMATS = {"csv": "text/csv; charset=utf-8", "vcf": "text/vcard; charset=utf-8"}


def neutralise_cell(value: Any) -> str:
    """Spreadsheets run cells starting with = + - @ tab or CR as formulas: make them text."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_PREFIXES) else text


@dataclass(frozen=True)
class ExportColumn:
    """One exportable column: its key (also the CSV header) and how to read it off a contact."""

    key: str
    label: str
    value: Callable[[Contact], Any]


def _attr(name: str) -> Callable[[Contact], Any]:
    return lambda contact: getattr(contact, name)


def _when(name: str) -> Callable[[Contact], Any]:
    def read(contact: Contact) -> str:
        value = getattr(contact, name)
        return value.isoformat() if value else ""

    return read


def load_children(contacts: list[Contact]) -> list[Contact]:
    """Attach emails, phones and tags to a batch of contacts in three plain queries.

    Django's prefetch_related builds a queryset per contact, which costs more than writing the
    rows; exports read these attributes instead.
    """
    by_id = {contact.pk: contact for contact in contacts}
    for contact in contacts:
        contact.export_emails, contact.export_phones, contact.export_tags = [], [], []
    emails = ContactEmail.objects.filter(contact_id__in=by_id).order_by("-is_primary", "pk")
    for contact_id, email, kind in emails.values_list("contact_id", "email", "kind"):
        by_id[contact_id].export_emails.append((email, kind))
    phones = ContactPhone.objects.filter(contact_id__in=by_id).order_by("-is_primary", "pk")
    for contact_id, number, kind in phones.values_list("contact_id", "number", "kind"):
        by_id[contact_id].export_phones.append((number, kind))
    links = ContactTag.objects.filter(contact_id__in=by_id).values_list("contact_id", "tag__name")
    for contact_id, name in links:
        by_id[contact_id].export_tags.append(name)
    for contact in contacts:
        contact.export_tags.sort(key=str.casefold)
    return contacts


def contact_emails(contact: Contact) -> list[tuple[str, str]]:
    """Primary first, then in the order they were added."""
    if not hasattr(contact, "export_emails"):
        load_children([contact])
    return contact.export_emails


def contact_phones(contact: Contact) -> list[tuple[str, str]]:
    if not hasattr(contact, "export_phones"):
        load_children([contact])
    return contact.export_phones


def contact_tags(contact: Contact) -> list[str]:
    if not hasattr(contact, "export_tags"):
        load_children([contact])
    return contact.export_tags


def tags_cell(tags: list[str]) -> str:
    """Tags comma-separated; packed with " ::: " when one holds a comma or semicolon, the one
    separator the import then splits at, so that tag comes back whole."""
    if any("," in tag or ";" in tag for tag in tags):
        return packed_tags(tags)
    return ", ".join(tags)


BUILT_IN: tuple[ExportColumn, ...] = (
    ExportColumn("id", "Id", _attr("pk")),
    ExportColumn("full_name", "Full name", _attr("full_name")),
    ExportColumn("first_name", "First name", _attr("first_name")),
    ExportColumn("last_name", "Last name", _attr("last_name")),
    ExportColumn("email", "Primary email", _attr("email")),
    ExportColumn(
        "emails",
        "All emails",
        lambda c: PACKED_SEPARATOR.join(email for email, _ in contact_emails(c)),
    ),
    ExportColumn("phone", "Primary phone", _attr("phone")),
    ExportColumn(
        "phones",
        "All phones",
        lambda c: PACKED_SEPARATOR.join(number for number, _ in contact_phones(c)),
    ),
    ExportColumn("company", "Company", lambda c: c.company.name if c.company_id else ""),
    ExportColumn("job_title", "Job title", _attr("job_title")),
    ExportColumn("department", "Department", _attr("department")),
    ExportColumn("seniority", "Seniority", _attr("seniority")),
    ExportColumn("role", "Buying role", _attr("role")),
    ExportColumn("owner", "Owner", lambda c: c.owner.email if c.owner_id else ""),
    ExportColumn("status", "Status", _attr("status")),
    ExportColumn("lead_score", "Lead score", _attr("lead_score")),
    ExportColumn("source", "Source", _attr("source")),
    ExportColumn("tags", "Tags", lambda c: tags_cell(contact_tags(c))),
    ExportColumn("birthday", "Birthday", _attr("birthday")),
    ExportColumn("street", "Street", _attr("street")),
    ExportColumn("street2", "Street (line 2)", _attr("street2")),
    ExportColumn("city", "City", _attr("city")),
    ExportColumn("region", "Region", _attr("region")),
    ExportColumn("postal_code", "Postal code", _attr("postal_code")),
    ExportColumn("country", "Country", _attr("country")),
    ExportColumn("linkedin_url", "LinkedIn", _attr("linkedin_url")),
    ExportColumn("twitter_handle", "Twitter / X", _attr("twitter_handle")),
    ExportColumn("consent_status", "Consent status", _attr("consent_status")),
    ExportColumn("consent_type", "Consent type", _attr("consent_type")),
    ExportColumn("consent_date", "Consent date", _when("consent_date")),
    ExportColumn("consent_source", "Consent source", _attr("consent_source")),
    ExportColumn("gdpr_basis", "GDPR basis", _attr("gdpr_basis")),
    ExportColumn("last_contacted_at", "Last contacted", _when("last_contacted_at")),
    ExportColumn("last_activity_at", "Last activity", _when("last_activity_at")),
    ExportColumn("created_at", "Created", _when("created_at")),
    ExportColumn("updated_at", "Updated", _when("updated_at")),
)
DEFAULT_COLUMNS = (
    "id",
    "full_name",
    "first_name",
    "last_name",
    "emails",
    "phones",
    "company",
    "job_title",
    "department",
    "owner",
    "status",
    "tags",
    "birthday",
    "street",
    "city",
    "region",
    "postal_code",
    "country",
    "linkedin_url",
    "twitter_handle",
)


def custom_column(key: str, label: str) -> ExportColumn:
    def read(contact: Contact) -> Any:
        value = (contact.custom_fields or {}).get(key)
        if isinstance(value, list):
            return ", ".join(str(item) for item in value)
        if isinstance(value, bool):
            return "true" if value else "false"
        return "" if value is None else value

    return ExportColumn(f"{CUSTOM_PREFIX}{key}", label, read)


def available_columns(custom_fields: Iterable[tuple[str, str]] = ()) -> dict[str, ExportColumn]:
    """Every column by key: the built-in ones, then `cf.<key>` per (key, label) given."""
    columns = {column.key: column for column in BUILT_IN}
    for key, label in custom_fields:
        column = custom_column(key, label)
        columns[column.key] = column
    return columns


class UnknownColumns(ValueError):
    """Columns asked for that do not exist; `columns` lists them."""

    def __init__(self, columns: list[str]) -> None:
        super().__init__(f"Unknown column(s): {', '.join(columns)}.")
        self.columns = columns


def choose_columns(
    keys: Iterable[str] | None, available: dict[str, ExportColumn]
) -> list[ExportColumn]:
    """The columns named by `keys` in that order (default: the usual set plus custom fields)."""
    wanted = [key.strip() for key in keys or () if key.strip()]
    if not wanted:
        customs = [key for key in available if key.startswith(CUSTOM_PREFIX)]
        wanted = [*DEFAULT_COLUMNS, *customs]
    unknown = [key for key in wanted if key not in available]
    if unknown:
        raise UnknownColumns(unknown)
    return [available[key] for key in dict.fromkeys(wanted)]


def table_chunks(
    header: Iterable[Any] | None, rows: Iterable[Iterable[Any]], *, bom: bool = False
) -> Iterator[str]:
    """Any table as CSV text chunks: the header (unless None, for appending) then one chunk a
    row, every cell neutralised. The one CSV writer: exports, bulk jobs, rejected import rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    if header is not None:
        writer.writerow([neutralise_cell(cell) for cell in header])
        yield (BOM if bom else "") + _drain(buffer)
    for row in rows:
        writer.writerow([neutralise_cell(cell) for cell in row])
        yield _drain(buffer)


def csv_chunks(
    contacts: Iterable[Contact],
    columns: list[ExportColumn],
    *,
    bom: bool = False,
    header: bool = True,
) -> Iterator[str]:
    """The contacts as CSV chunks (header first unless told not to) for streaming."""
    rows = ([column.value(contact) for column in columns] for contact in contacts)
    return table_chunks([c.key for c in columns] if header else None, rows, bom=bom)


def _drain(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text


def vcard_of(contact: Contact) -> VCardContact:
    return VCardContact(
        full_name=contact.full_name,
        first_name=contact.first_name,
        last_name=contact.last_name,
        company=contact.company.name if contact.company_id else "",
        department=contact.department,
        job_title=contact.job_title,
        emails=contact_emails(contact),
        phones=contact_phones(contact),
        street=contact.street,
        street2=contact.street2,
        city=contact.city,
        region=contact.region,
        postal_code=contact.postal_code,
        country=contact.country,
        linkedin_url=contact.linkedin_url,
        twitter_handle=contact.twitter_handle,
        birthday=contact.birthday,
        tags=contact_tags(contact),
        uid=f"urn:peoplebase:contact:{contact.pk}",
    )


def vcard_chunks(contacts: Iterable[Contact]) -> Iterator[str]:
    """vCard 4.0, one card per contact, as text chunks for streaming."""
    for contact in contacts:
        yield write_card(vcard_of(contact))


def export_chunks(
    fmt: str, contacts: Iterable[Contact], columns: list[ExportColumn], *, bom: bool = False
) -> Iterator[str]:
    if fmt == "vcf":
        return vcard_chunks(contacts)
    return csv_chunks(contacts, columns, bom=bom)
