"""Every relation that points at a contact, found from Django's model meta, never listed by hand.

Merge, the GDPR export and erasure walk these, so a model added later (deals, tickets, files…)
is covered the moment it gains a foreign key, many-to-many or generic relation to Contact.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.db import models

from peoplebase.contacts.models import Contact
from peoplebase.core.generic import GENERIC_REFERENCES


@dataclass(frozen=True)
class ContactRelation:
    """One way rows of `model` refer to a contact, through `field_name`."""

    model: type[models.Model]
    field_name: str
    kind: str  # "fk", "o2o", "m2m" or "generic"

    @property
    def label(self) -> str:
        return f"{self.model._meta.label}.{self.field_name}"


def contact_relations() -> list[ContactRelation]:
    relations: list[ContactRelation] = []
    for rel in Contact._meta.related_objects:
        if rel.many_to_many:
            relations.append(ContactRelation(rel.related_model, rel.field.name, "m2m"))
        elif rel.one_to_one:
            relations.append(ContactRelation(rel.related_model, rel.field.name, "o2o"))
        else:
            relations.append(ContactRelation(rel.related_model, rel.field.name, "fk"))
    for reference in GENERIC_REFERENCES:
        model = apps.get_model(reference.model_label)
        relations.append(ContactRelation(model, reference.object_id_field, "generic"))
    return relations


def related_row_counts(contact: Contact) -> dict[str, int]:
    """How many rows of each relation point at `contact` (used to prove nothing is orphaned)."""
    from django.contrib.contenttypes.models import ContentType

    counts: dict[str, int] = {}
    content_type = ContentType.objects.get_for_model(Contact)
    for relation in contact_relations():
        manager = relation.model._default_manager
        if relation.kind == "generic":
            qs = manager.filter(content_type=content_type, **{relation.field_name: contact.pk})
        else:
            qs = manager.filter(**{relation.field_name: contact})
        counts[relation.label] = qs.count()
    return counts


# How a merge treats each relation. "move": re-point the rows at the surviving contact;
# "union": move, dropping rows the survivor already has (same email, phone or tag);
# "history": audit rows stay addressed to the old id and are copied into the merge event;
# "delete": the rows are dropped (kept in the merge snapshot, so undo puts them back).
# A test fails when a relation to Contact appears that is not listed here.
MERGE_POLICIES: dict[str, str] = {
    "companies.AccountRelation.contact": "union",
    "contacts.Contact.previous_contact": "move",
    "contacts.ContactEmail.contact": "union",
    "contacts.ContactPhone.contact": "union",
    "contacts.ContactTag.contact": "union",
    "leads.Lead.converted_contact": "move",
    "activities.Activity.contact": "move",
    "audit.AuditEntry.object_id": "history",
    "imports.ImportRow.contact": "move",
    "merges.ContactMerge.primary": "move",
    "merges.ContactTombstone.primary": "move",
    # Suggestions are recomputed after a merge, so the merged pair's rows are simply dropped.
    "duplicates.DuplicateSuggestion.contact_a": "delete",
    "duplicates.DuplicateSuggestion.contact_b": "delete",
    # "Not a duplicate" was said about a person: the survivor keeps it, so the other contact of
    # the pair is still never suggested with the merged record.
    "duplicates.NotDuplicate.contact_a": "move",
    "duplicates.NotDuplicate.contact_b": "move",
}


def unhandled_relations() -> list[str]:
    return [r.label for r in contact_relations() if r.label not in MERGE_POLICIES]
