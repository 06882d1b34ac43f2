"""Right of access: one JSON document with everything Peoplebase holds about a person.

Complete by construction: besides a readable summary (emails, phones, tags, custom fields with
their labels, consent and its history), every row of every relation that
`contacts.relations.contact_relations()` finds is serialised field by field from model meta, so
a model added later that points at Contact appears here without a change to this module.
"""

from __future__ import annotations

import base64
import datetime as dt
import decimal
import uuid
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone

from peoplebase.audit.models import AuditEntry
from peoplebase.compliance.models import AccessExport
from peoplebase.contacts.models import Contact
from peoplebase.contacts.relations import ContactRelation, contact_relations
from peoplebase.core.permissions import ensure_can_handle_personal_data
from peoplebase.customfields.models import CustomFieldDefinition
from peoplebase.users.models import User

SCHEMA_VERSION = 1
CONSENT_FIELDS = ("consent_status", "consent_type", "consent_date", "consent_source", "gdpr_basis")


def json_value(value: Any) -> Any:
    """A field value in a form json.dumps accepts, without losing what it says."""
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode()
    if isinstance(value, list | tuple | set):
        return [json_value(v) for v in value]
    if isinstance(value, dict):
        return {str(k): json_value(v) for k, v in value.items()}
    return value


def serialise_row(row: models.Model) -> dict[str, Any]:
    """Every concrete field of `row`; a foreign key becomes {model, id, label}."""
    data: dict[str, Any] = {}
    for field in row._meta.concrete_fields:
        if field.is_relation:
            target_id = getattr(row, field.attname)
            target = getattr(row, field.name) if target_id is not None else None
            data[field.name] = (
                None
                if target is None
                else {
                    "model": target._meta.label,
                    "id": json_value(target.pk),
                    "label": str(target),
                }
            )
        else:
            data[field.name] = json_value(field.value_from_object(row))
    return data


def related_rows(contact: Contact, relation: ContactRelation) -> models.QuerySet[Any]:
    """The rows of one relation that point at `contact`, with their foreign keys joined."""
    manager = relation.model._default_manager
    if relation.kind == "generic":
        content_type = ContentType.objects.get_for_model(Contact)
        rows = manager.filter(content_type=content_type, **{relation.field_name: contact.pk})
    else:
        rows = manager.filter(**{relation.field_name: contact})
    forward = [f.name for f in relation.model._meta.concrete_fields if f.is_relation]
    return rows.select_related(*forward).order_by("pk")


def build_access_document(actor: User | None, contact: Contact) -> dict[str, Any]:
    """Everything held about `contact`, JSON-serialisable; the export itself is logged."""
    ensure_can_handle_personal_data(actor)
    records = {
        relation.label: [serialise_row(row) for row in related_rows(contact, relation)]
        for relation in contact_relations()
    }
    document = {
        "metadata": {
            "schema_version": SCHEMA_VERSION,
            "generated_at": timezone.now().isoformat(),
            "generated_by": _who(actor),
            "contact_id": contact.pk,
            "description": (
                "Every piece of personal data Peoplebase holds about this person: the contact "
                "record, a readable summary, then every related record field by field "
                "(records), including the field history (audit trail)."
            ),
        },
        "contact": serialise_row(contact),
        "summary": _summary(contact),
        "records": records,
    }
    with transaction.atomic():
        AccessExport.objects.create(
            actor=actor if getattr(actor, "pk", None) else None,
            actor_label=getattr(actor, "email", "") or "",
            contact_id=contact.pk,
        )
    return document


def _who(actor: User | None) -> dict[str, Any]:
    if actor is None:
        return {"id": None, "email": "", "name": "the operator (command line)"}
    return {"id": actor.pk, "email": actor.email, "name": actor.display_name}


def _summary(contact: Contact) -> dict[str, Any]:
    return {
        "name": contact.full_name,
        "emails": [
            {"email": e.email, "as_typed": e.original, "kind": e.kind, "primary": e.is_primary}
            for e in contact.emails.all()
        ],
        "phones": [
            {"number": p.number, "as_typed": p.original, "kind": p.kind, "primary": p.is_primary}
            for p in contact.phones.all()
        ],
        "tags": sorted(link.tag.name for link in contact.tag_links.select_related("tag")),
        "company": (
            {"id": contact.company_id, "name": contact.company.name} if contact.company_id else None
        ),
        "custom_fields": _custom_fields(contact),
        "consent": {name: json_value(getattr(contact, name)) for name in CONSENT_FIELDS},
        "consent_history": _consent_history(contact),
    }


def _custom_fields(contact: Contact) -> list[dict[str, Any]]:
    definitions = {d.key: d for d in CustomFieldDefinition.objects.all()}
    fields = []
    for key, value in sorted(contact.custom_fields.items()):
        definition = definitions.get(key)
        fields.append(
            {
                "key": key,
                "label": definition.label if definition else key,
                "type": definition.field_type if definition else "",
                "value": json_value(value),
            }
        )
    return fields


def _consent_history(contact: Contact) -> list[dict[str, Any]]:
    """Every recorded change of a consent field, oldest first."""
    entries = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Contact), object_id=contact.pk
    ).order_by("at", "id")
    history = []
    for entry in entries:
        for field in CONSENT_FIELDS:
            if field in (entry.changes or {}):
                old, new = entry.changes[field]
                history.append(
                    {
                        "at": entry.at.isoformat(),
                        "by": entry.actor_label or "system",
                        "field": field,
                        "old": old,
                        "new": new,
                    }
                )
    return history
