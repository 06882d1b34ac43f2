"""The columns a contact list can show: built-in ones and one per active custom field."""

from __future__ import annotations

from dataclasses import dataclass

from peoplebase.customfields.models import CustomFieldDefinition, FieldType

CUSTOM_PREFIX = "cf."


@dataclass(frozen=True)
class Column:
    """One list column: its key (what views store), heading, sort key and cell style."""

    key: str
    label: str
    sort: str = ""  # a CONTACT_SORTS key without "-"; "" when the column is not sortable
    descending_first: bool = False
    numeric: bool = False
    field_type: str = ""  # custom fields only

    @property
    def is_custom(self) -> bool:
        return self.key.startswith(CUSTOM_PREFIX)

    @property
    def custom_key(self) -> str:
        return self.key[len(CUSTOM_PREFIX) :]

    @property
    def css_class(self) -> str:
        return "num" if self.numeric else ""


BUILT_IN_COLUMNS: tuple[Column, ...] = (
    Column("name", "Name", sort="name"),
    Column("email", "Email", sort="email"),
    Column("phone", "Phone"),
    Column("company", "Company"),
    Column("job_title", "Job title"),
    Column("owner", "Owner"),
    Column("status", "Status"),
    Column("lead_score", "Lead score", sort="score", descending_first=True, numeric=True),
    Column("consent_status", "Consent"),
    Column("country", "Country"),
    Column("source", "Source"),
    Column("tags", "Tags"),
    Column("last_activity", "Last activity", sort="last_activity", descending_first=True),
    Column("created", "Created", sort="created", descending_first=True),
)
# The list's columns when a view chose none (the name column is always shown first).
DEFAULT_COLUMNS = (
    "name",
    "email",
    "company",
    "owner",
    "status",
    "lead_score",
    "last_activity",
    "created",
)


def custom_column(definition: CustomFieldDefinition) -> Column:
    numeric = definition.field_type == FieldType.NUMBER
    return Column(
        f"{CUSTOM_PREFIX}{definition.key}",
        definition.label,
        numeric=numeric,
        field_type=definition.field_type,
    )


def available_columns(definitions: dict[str, CustomFieldDefinition]) -> dict[str, Column]:
    """Every column that may be chosen, by key, in chooser order."""
    columns = {column.key: column for column in BUILT_IN_COLUMNS}
    for definition in definitions.values():
        column = custom_column(definition)
        columns[column.key] = column
    return columns


def columns_for(keys: list[str], definitions: dict[str, CustomFieldDefinition]) -> list[Column]:
    """The columns to render for `keys`: unknown ones dropped, defaults when none remain."""
    available = available_columns(definitions)
    chosen = [available[key] for key in dict.fromkeys(keys) if key in available]
    if not chosen:
        chosen = [available[key] for key in DEFAULT_COLUMNS]
    return chosen
