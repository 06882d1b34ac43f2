"""The contact pages of the web UI (server-rendered; htmx only enhances)."""

from peoplebase.contacts.views.actions import (
    contact_archive,
    contact_delete,
    contact_restore,
    contact_tag_add,
    contact_tag_remove,
    note_add,
    note_delete,
    note_edit,
    relation_add,
    relation_remove,
)
from peoplebase.contacts.views.detail import contact_detail
from peoplebase.contacts.views.editing import (
    contact_create,
    contact_duplicates_check,
    contact_edit,
    contact_job_change,
)
from peoplebase.contacts.views.listing import contact_count, contact_list

__all__ = [
    "contact_archive",
    "contact_count",
    "contact_create",
    "contact_delete",
    "contact_detail",
    "contact_duplicates_check",
    "contact_edit",
    "contact_job_change",
    "contact_list",
    "contact_restore",
    "contact_tag_add",
    "contact_tag_remove",
    "note_add",
    "note_delete",
    "note_edit",
    "relation_add",
    "relation_remove",
]
