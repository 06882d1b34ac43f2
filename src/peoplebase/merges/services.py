"""Merging contacts: one code path for the merge page, the API, the CLI and the duplicate queue.

Every row that points at a merged contact is handled by the policy named for its relation in
contacts/relations.py MERGE_POLICIES, so a model added later is covered (or refused) without a
change here. Everything a merge changes is recorded on the ContactMerge so it can be undone.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.db import models, transaction
from django.db.models import QuerySet
from django.utils import timezone

from peoplebase.activities.models import ActivityKind
from peoplebase.activities.services import log_activity
from peoplebase.audit.models import AuditEntry
from peoplebase.audit.services import AuditAction, record_change, to_json_value
from peoplebase.contacts.models import ConsentStatus, Contact, ContactStatus
from peoplebase.contacts.relations import MERGE_POLICIES, ContactRelation, contact_relations
from peoplebase.core.errors import (
    Conflict,
    Forbidden,
    NotFound,
    PreconditionFailed,
    ValidationFailed,
)
from peoplebase.core.lookups import parse_id
from peoplebase.core.pagination import Page, Sort, paginate
from peoplebase.core.permissions import can_edit, ensure_can_edit, ensure_can_view
from peoplebase.merges.models import ContactMerge, ContactTombstone, MergeSettings
from peoplebase.search.services import index_contacts, unindex_contacts
from peoplebase.users.models import User

# Most restrictive first: an opt-out anywhere wins, then an unconfirmed request, then no record;
# an opt-in survives only when every record says opted in (GDPR: consent must be unambiguous).
CONSENT_ORDER = [
    ConsentStatus.OPTED_OUT,
    ConsentStatus.PENDING,
    ConsentStatus.UNKNOWN,
    ConsentStatus.OPTED_IN,
]
# These travel with the consent status of the record they came from, never chosen by hand.
CONSENT_FIELDS = ["consent_status", "consent_type", "consent_date", "consent_source", "gdpr_basis"]
# Set by the merge rules themselves, not by field choices.
COMPUTED_FIELDS = {
    "id",
    "version",
    "sort_name",
    "email",
    "phone",
    "custom_fields",
    "created_at",
    "updated_at",
    "last_activity_at",
    "last_contacted_at",
    "is_archived",
    "archived_at",
    "previous_contact",
    "created_by",
    *CONSENT_FIELDS,
}
CUSTOM_PREFIX = "custom_fields."
# A phone is the same phone whatever kind it was filed under (the model has no unique key).
UNION_KEYS: dict[str, list[str]] = {"contacts.ContactPhone.contact": ["number"]}
MERGE_SORT = Sort("created_at", descending=True)


def choosable_fields() -> list[models.Field]:
    """Contact fields whose surviving value a person picks (a radio per field on the page)."""
    return [
        f
        for f in Contact._meta.concrete_fields
        if f.name not in COMPUTED_FIELDS and not f.primary_key
    ]


def restorable_fields() -> list[models.Field]:
    """Columns of the primary a merge may change, and so undo may put back."""
    skip = {"id", "version", "updated_at", "previous_contact", "created_by"}
    return [f for f in Contact._meta.concrete_fields if f.name not in skip]


# --- permissions ---------------------------------------------------------------------------


def can_merge(actor: User | None) -> bool:
    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return False
    return actor.role in MergeSettings.load().allowed_roles


def ensure_can_merge(actor: User | None, contacts: list[Contact]) -> None:
    ensure_can_view(actor)
    if not can_merge(actor):
        raise Forbidden("Your role may not merge contacts; an admin can allow it under Merges.")
    for contact in contacts:
        ensure_can_edit(actor, contact)


# --- reading -------------------------------------------------------------------------------


def resolve_tombstone(old_id: Any) -> Contact | None:
    """The contact that now holds a merged-away id (tombstones are re-pointed along chains)."""
    tombstone = (
        ContactTombstone.objects.select_related("primary").filter(old_id=parse_id(old_id) or -1)
    ).first()
    return tombstone.primary if tombstone else None


def get_merge(actor: User | None, merge_id: Any) -> ContactMerge:
    ensure_can_view(actor)
    merge = ContactMerge.objects.select_related("actor", "primary").filter(
        pk=parse_id(merge_id) or -1
    )
    found = merge.first()
    if found is None:
        raise NotFound(f"No merge with id {merge_id}.")
    return found


def merge_queryset(contact_id: int | None = None) -> QuerySet[ContactMerge]:
    merges = ContactMerge.objects.select_related("actor", "primary", "undone_by")
    if contact_id is not None:
        merges = merges.filter(primary_id=contact_id)
    return merges


def list_merges(
    actor: User | None,
    *,
    contact_id: int | None = None,
    cursor: str | None = None,
    limit: int = 50,
) -> Page:
    ensure_can_view(actor)
    return paginate(merge_queryset(contact_id), MERGE_SORT, cursor=cursor, limit=limit)


def undo_deadline(merge: ContactMerge) -> dt.datetime:
    return merge.created_at + dt.timedelta(days=MergeSettings.load().undo_window_days)


def undo_blocker(merge: ContactMerge) -> str:
    """Why this merge can no longer be undone, or "" when it can."""
    if merge.undone_at is not None:
        return "This merge was already undone."
    if timezone.now() > undo_deadline(merge):
        days = MergeSettings.load().undo_window_days
        return f"Merges can only be undone within {days} days; this one is older."
    if merge.primary_id is None:
        return "The surviving contact was deleted, so the merge cannot be undone."
    if merge.primary_id != merge.primary_id_at_merge:
        return (
            f"The surviving contact was since merged into #{merge.primary_id}; "
            "undo that merge first."
        )
    return ""


def undoable_merges_for(contact: Contact) -> list[ContactMerge]:
    merges = merge_queryset(contact.pk).filter(undone_at__isnull=True)
    return [m for m in merges if not undo_blocker(m)]


# --- merging -------------------------------------------------------------------------------


def _load(ids: list[Any]) -> list[Contact]:
    found = {c.pk: c for c in Contact.objects.select_for_update().filter(pk__in=ids)}
    contacts = []
    for contact_id in ids:
        if contact_id not in found:
            survivor = resolve_tombstone(contact_id)
            if survivor is not None:
                raise Conflict(f"Contact #{contact_id} was already merged into #{survivor.pk}.")
            raise NotFound(f"No contact with id {contact_id}.")
        contacts.append(found[contact_id])
    return contacts


def _check_inputs(primary: Contact, duplicates: list[Contact]) -> None:
    if not duplicates:
        raise ValidationFailed.single("duplicate_ids", "Name at least one contact to merge.")
    ids = [d.pk for d in duplicates]
    if primary.pk in ids:
        raise ValidationFailed.single("duplicate_ids", "A contact cannot be merged with itself.")
    if len(set(ids)) != len(ids):
        raise ValidationFailed.single("duplicate_ids", "A contact is named twice.")
    for contact in [primary, *duplicates]:
        if contact.is_archived:
            raise Conflict(f"“{contact}” (#{contact.pk}) is archived; restore it before merging.")


def _check_versions(contacts: list[Contact], expected: dict[int, int] | None) -> None:
    for contact in contacts:
        want = (expected or {}).get(contact.pk)
        if want is not None and int(want) != contact.version:
            raise PreconditionFailed(
                f"“{contact}” changed since you read it (version {want}, now {contact.version}); "
                "reload and merge again."
            )


def _check_policies() -> None:
    missing = [r.label for r in contact_relations() if r.label not in MERGE_POLICIES]
    if missing:
        raise Conflict(
            "Merging is off until every relation to contacts has a merge policy; missing: "
            + ", ".join(missing)
        )


def _validate_choices(choices: dict[str, Any], contacts: list[Contact]) -> dict[str, Contact]:
    by_id = {c.pk: c for c in contacts}
    names = {f.name for f in choosable_fields()}
    chosen: dict[str, Contact] = {}
    errors: dict[str, list[str]] = {}
    for name, contact_id in (choices or {}).items():
        key = f"fields.{name}"
        if name in CONSENT_FIELDS:
            errors[key] = ["Consent is not chosen: the most restrictive record always wins."]
        elif name not in names and not name.startswith(CUSTOM_PREFIX):
            errors[key] = [f"“{name}” is not a field that can be chosen."]
        elif parse_id(contact_id) not in by_id:
            errors[key] = [f"Contact {contact_id} is not part of this merge."]
        else:
            chosen[name] = by_id[parse_id(contact_id)]  # type: ignore[index]
    if errors:
        raise ValidationFailed(errors)
    return chosen


def _empty(value: Any) -> bool:
    return value in (None, "", [], {})


def _pick(name: str, contacts: list[Contact], chosen: dict[str, Contact], get: Any) -> Any:
    """The chosen contact's value, else the first non-empty one (the primary comes first)."""
    if name in chosen:
        return get(chosen[name])
    for contact in contacts:
        value = get(contact)
        if not _empty(value):
            return value
    return get(contacts[0])


def _merged_values(contacts: list[Contact], chosen: dict[str, Contact]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for field in choosable_fields():
        values[field.attname] = _pick(
            field.name, contacts, chosen, lambda c, f=field: f.value_from_object(c)
        )
    keys: list[str] = []
    for contact in contacts:
        keys += [k for k in (contact.custom_fields or {}) if k not in keys]
    values["custom_fields"] = {
        key: _pick(
            CUSTOM_PREFIX + key, contacts, chosen, lambda c, k=key: (c.custom_fields or {}).get(k)
        )
        for key in keys
    }
    values["custom_fields"] = {k: v for k, v in values["custom_fields"].items() if v is not None}
    strictest = min(contacts, key=lambda c: CONSENT_ORDER.index(c.consent_status))
    values.update({name: getattr(strictest, name) for name in CONSENT_FIELDS})
    # An unsubscribe on any record must survive, whatever status was chosen.
    if any(c.status == ContactStatus.UNSUBSCRIBED for c in contacts):
        values["status"] = ContactStatus.UNSUBSCRIBED
    values["created_at"] = min(c.created_at for c in contacts)
    for stamp in ("last_activity_at", "last_contacted_at"):
        stamps = [getattr(c, stamp) for c in contacts if getattr(c, stamp)]
        values[stamp] = max(stamps) if stamps else None
    return values


def _exact(value: Any) -> Any:
    """A JSON value that keeps microseconds (Django's encoder cuts datetimes to milliseconds)."""
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    return to_json_value(value)


class _ExactEncoder(json.JSONEncoder):
    def default(self, o: Any) -> Any:
        return _exact(o)


def _dump(rows: list[models.Model]) -> str:
    return json.dumps(serializers.serialize("python", rows), cls=_ExactEncoder)


def _undump(text: str) -> Any:
    return serializers.deserialize("python", json.loads(text))


def _raw_state(contact: Contact) -> dict[str, Any]:
    return {f.attname: _exact(f.value_from_object(contact)) for f in restorable_fields()}


def _shown_state(contact: Contact) -> dict[str, Any]:
    from peoplebase.contacts.services import _audit_state

    return _audit_state(contact)


def _rows(relation: ContactRelation, contact_id: int) -> QuerySet:
    manager = relation.model._default_manager
    if relation.kind == "generic":
        return manager.filter(
            content_type=ContentType.objects.get_for_model(Contact),
            **{relation.field_name: contact_id},
        )
    if relation.kind == "m2m":
        raise Conflict(f"Many-to-many relation {relation.label} cannot be merged yet.")
    return manager.filter(**{f"{relation.field_name}_id": contact_id})


def _other_contact_fields(relation: ContactRelation) -> list[str]:
    """Columns of a row that point at a contact besides `relation`'s (a pair of contacts)."""
    if relation.kind != "fk" or relation.model is Contact:
        return []
    return [
        f.attname
        for f in relation.model._meta.concrete_fields
        if f.is_relation and f.related_model is Contact and f.name != relation.field_name
    ]


def _unique_key_fields(relation: ContactRelation) -> list[str] | None:
    """The other columns of a unique constraint that includes the contact column, if any."""
    if relation.kind == "o2o":
        return []  # one row per contact: the survivor's own row wins
    meta = relation.model._meta
    for constraint in meta.constraints:
        fields = list(getattr(constraint, "fields", []) or [])
        if relation.field_name in fields:
            return [meta.get_field(f).attname for f in fields if f != relation.field_name]
    for together in meta.unique_together:
        if relation.field_name in together:
            return [meta.get_field(f).attname for f in together if f != relation.field_name]
    return None


def _union_key_fields(relation: ContactRelation) -> list[str]:
    """What makes two rows "the same" for a union: a unique constraint with the contact, else
    every column but ids, flags and stamps."""
    if relation.label in UNION_KEYS:
        return UNION_KEYS[relation.label]
    unique = _unique_key_fields(relation)
    if unique is not None:
        return unique
    skip = {"id", relation.field_name, "created_at", "updated_at", "is_primary", "original"}
    return [f.attname for f in relation.model._meta.concrete_fields if f.name not in skip]


def _key(row: models.Model, fields: list[str]) -> tuple:
    return tuple(getattr(row, f) for f in fields)


class _MergeRun:
    """The state of one merge while its rows move (kept small: plain ids and JSON)."""

    def __init__(self, primary: Contact) -> None:
        self.primary = primary
        self.moved: dict[str, dict[str, list[int]]] = {}
        self.row_states: dict[str, dict[str, dict[str, Any]]] = {}
        self.dropped: list[str] = []
        self.history: list[dict[str, Any]] = []

    def note_moved(self, relation: ContactRelation, dup_id: int, pks: list[int]) -> None:
        if pks:
            self.moved.setdefault(relation.label, {})[str(dup_id)] = pks

    def drop(self, rows: list[models.Model]) -> None:
        if rows:
            self.dropped.append(_dump(rows))
            for row in rows:
                row.delete()


def _apply_relation(run: _MergeRun, relation: ContactRelation, dup: Contact) -> None:
    policy = MERGE_POLICIES[relation.label]
    rows = _rows(relation, dup.pk)
    if policy == "history":
        run.history += [
            {"contact_id": dup.pk, **_audit_json(entry)} for entry in rows.order_by("at", "id")
        ]
        return
    if policy == "delete":
        run.drop(list(rows))
        return
    if policy == "union":
        keys = _union_key_fields(relation)
        have = {_key(r, keys) for r in _rows(relation, run.primary.pk)}
        clashing = [r for r in rows if _key(r, keys) in have]
        run.drop(clashing)
        rows = _rows(relation, dup.pk)
        run.row_states.setdefault(relation.label, {}).update(
            {str(r.pk): _row_state(r) for r in rows}
        )
    elif policy != "move":
        raise Conflict(f"Unknown merge policy “{policy}” for {relation.label}.")
    elif pair_fields := _other_contact_fields(relation):
        # A row pairing two contacts ("not a duplicate" of the duplicate and the survivor)
        # would pair the survivor with itself once moved: drop it (kept in the snapshot).
        run.drop([r for r in rows if run.primary.pk in {getattr(r, f) for f in pair_fields}])
        rows = _rows(relation, dup.pk)
    if policy == "move" and _unique_key_fields(relation) is not None:
        # A moved row may not break a unique key the survivor already fills; drop (and keep in
        # the snapshot) the clashing ones rather than fail the whole merge.
        keys = _unique_key_fields(relation) or []
        have = {_key(r, keys) for r in _rows(relation, run.primary.pk)}
        run.drop([r for r in rows if _key(r, keys) in have])
        rows = _rows(relation, dup.pk)
    pks = list(rows.values_list("pk", flat=True))
    run.note_moved(relation, dup.pk, pks)
    target = (
        {relation.field_name: run.primary.pk}
        if relation.kind == "generic"
        else {f"{relation.field_name}_id": run.primary.pk}
    )
    relation.model._default_manager.filter(pk__in=pks).update(**target)
    if "is_primary" in {f.name for f in relation.model._meta.concrete_fields}:
        # The survivor's own primary email/phone stays primary; moved ones become extra.
        relation.model._default_manager.filter(pk__in=pks).update(is_primary=False)


def _row_state(row: models.Model) -> dict[str, Any]:
    return {f.attname: _exact(f.value_from_object(row)) for f in row._meta.concrete_fields}


def _audit_json(entry: AuditEntry) -> dict[str, Any]:
    return {
        "id": entry.pk,
        "at": entry.at.isoformat(),
        "action": entry.action,
        "actor": entry.actor_label,
        "changes": entry.changes,
    }


def _fix_primary_flags(contact: Contact) -> None:
    """Give the survivor a primary email and phone if it had none, and copy them to the row."""
    for related, column, value_field in (
        ("emails", "email", "email"),
        ("phones", "phone", "number"),
    ):
        rows = getattr(contact, related).order_by("-is_primary", "id")
        first = rows.first()
        if first is not None and not first.is_primary:
            type(first).objects.filter(pk=first.pk).update(is_primary=True)
        setattr(contact, column, getattr(first, value_field) if first else "")


def merge_contacts(
    actor: User,
    primary: Contact,
    duplicates: list[Contact],
    *,
    field_choices: dict[str, Any] | None = None,
    expected_versions: dict[int, int] | None = None,
) -> ContactMerge:
    """Merge `duplicates` into `primary`: pick field values, move every related row, leave
    tombstones, log it on the timeline and in the audit log. All or nothing."""
    _check_policies()
    with transaction.atomic():
        ids = [primary.pk, *[d.pk for d in duplicates]]
        if primary.pk in ids[1:]:
            raise ValidationFailed.single(
                "duplicate_ids", "A contact cannot be merged with itself."
            )
        contacts = _load(ids)
        primary, dups = contacts[0], contacts[1:]
        _check_inputs(primary, dups)
        ensure_can_merge(actor, contacts)
        _check_versions(contacts, expected_versions)
        chosen = _validate_choices(field_choices or {}, contacts)
        values = _merged_values(contacts, chosen)
        merge = ContactMerge.objects.create(
            primary=primary,
            primary_id_at_merge=primary.pk,
            duplicate_ids=[d.pk for d in dups],
            actor=actor,
            actor_label=actor.email,
            field_choices={name: c.pk for name, c in chosen.items()},
            before={str(c.pk): _shown_state(c) for c in contacts},
            primary_before=_raw_state(primary),
        )
        run = _MergeRun(primary)
        snapshots = _dump(dups)
        for dup in dups:
            for relation in contact_relations():
                _apply_relation(run, relation, dup)
        merge.moved = run.moved
        _finish_primary(actor, primary, values, merge)
        for dup in dups:
            ContactTombstone.objects.create(old_id=dup.pk, primary=primary, merge=merge)
            record_change(
                actor,
                dup,
                AuditAction.DELETE,
                {"merged_into": [None, primary.pk], "merge": [None, merge.pk]},
            )
            Contact.objects.filter(pk=dup.pk).delete()
        merge.snapshot = {
            "contacts": snapshots,
            "dropped": run.dropped,
            "row_states": run.row_states,
        }
        merge.history = run.history
        merge.primary_after = _raw_state(primary)
        merge.save()
        unindex_contacts([d.pk for d in dups])
        index_contacts([primary.pk])
    return merge


def _finish_primary(
    actor: User, primary: Contact, values: dict[str, Any], merge: ContactMerge
) -> None:
    from peoplebase.normalize import sort_key

    before = _shown_state(primary)
    log_activity(
        kind=ActivityKind.MERGED,
        contact=primary,
        actor=actor,
        subject=f"Merged {len(merge.duplicate_ids)} contact(s) into this one",
        metadata={
            "merge_id": merge.pk,
            "duplicate_ids": merge.duplicate_ids,
            "before": merge.before,
        },
    )
    for name, value in values.items():
        setattr(primary, name, value)
    primary.sort_name = sort_key(primary.first_name, primary.last_name, primary.full_name)
    _fix_primary_flags(primary)
    primary.version += 1
    primary.save()
    changes = {
        k: [v, after] for k, v in before.items() if (after := _shown_state(primary).get(k)) != v
    }
    changes["merged_contacts"] = [None, merge.duplicate_ids]
    record_change(actor, primary, AuditAction.UPDATE, changes)


# --- undo ----------------------------------------------------------------------------------


def undo_merge(actor: User, merge: ContactMerge) -> ContactMerge:
    """Put the duplicates back with their ids, values and rows; restore the primary's fields
    that nobody changed since the merge (fields edited since keep their new value)."""
    with transaction.atomic():
        merge = ContactMerge.objects.select_for_update().get(pk=merge.pk)
        blocker = undo_blocker(merge)
        if blocker:
            raise Conflict(blocker)
        primary = Contact.objects.select_for_update().get(pk=merge.primary_id)
        ensure_can_merge(actor, [primary])
        if Contact.objects.filter(pk__in=merge.duplicate_ids).exists():
            raise Conflict("A contact with a merged-away id exists again; cannot undo.")
        ContactTombstone.objects.filter(merge=merge).delete()
        for obj in _undump(merge.snapshot.get("contacts", "[]")):
            obj.save()
        _move_back(merge)
        for dump in merge.snapshot.get("dropped", []):
            for obj in _undump(dump):
                obj.save()
        kept = _restore_primary(primary, merge)
        merge.undone_at = timezone.now()
        merge.undone_by = actor
        merge.save(update_fields=["undone_at", "undone_by"])
        _log_undo(actor, primary, merge, kept)
        index_contacts([primary.pk, *merge.duplicate_ids])
    return merge


def _move_back(merge: ContactMerge) -> None:
    relations = {r.label: r for r in contact_relations()}
    states = merge.snapshot.get("row_states", {})
    for label, per_dup in merge.moved.items():
        relation = relations.get(label)
        if relation is None:  # the model was removed since; nothing left to move
            continue
        manager = relation.model._default_manager
        for dup_id, pks in per_dup.items():
            column = (
                relation.field_name if relation.kind == "generic" else f"{relation.field_name}_id"
            )
            # Only rows still on the primary: one moved elsewhere since stays where it is now.
            manager.filter(pk__in=pks, **{column: merge.primary_id}).update(**{column: int(dup_id)})
            for pk in pks:
                state = states.get(label, {}).get(str(pk))
                if state:
                    manager.filter(pk=pk, **{column: int(dup_id)}).update(
                        **{
                            k: v
                            for k, v in _python_values(relation.model, state).items()
                            if k != "id"
                        }
                    )


def _python_values(model: type[models.Model], state: dict[str, Any]) -> dict[str, Any]:
    fields = {f.attname: f for f in model._meta.concrete_fields}
    return {k: fields[k].to_python(v) for k, v in state.items() if k in fields}


def _restore_primary(primary: Contact, merge: ContactMerge) -> list[str]:
    """Restore each column the merge changed, unless it was edited since; name those kept."""
    current = _raw_state(primary)
    kept: list[str] = []
    restore: dict[str, Any] = {}
    for name, before in merge.primary_before.items():
        after = merge.primary_after.get(name)
        if before == after:
            continue
        if current.get(name) == after:
            restore[name] = before
        elif name not in ("email", "phone", "last_activity_at", "last_contacted_at"):
            kept.append(name)
    for name, value in _python_values(Contact, restore).items():
        setattr(primary, name, value)
    _fix_primary_flags(primary)
    primary.version += 1
    primary.save()
    return kept


def _log_undo(actor: User, primary: Contact, merge: ContactMerge, kept: list[str]) -> None:
    record_change(
        actor,
        primary,
        AuditAction.UPDATE,
        {"merge_undone": [merge.pk, None], "kept_since_merge": [None, kept]},
    )
    for dup in Contact.objects.filter(pk__in=merge.duplicate_ids):
        record_change(actor, dup, AuditAction.RESTORE, {"merge_undone": [merge.pk, None]})
    log_activity(
        kind=ActivityKind.MERGED,
        contact=primary,
        actor=actor,
        subject=f"Merge undone: {len(merge.duplicate_ids)} contact(s) split off again",
        metadata={"merge_id": merge.pk, "undo": True, "kept_since_merge": kept},
    )


def merge_summary(merge: ContactMerge) -> dict[str, Any]:
    """What the API and CLI print for a merge."""
    return {
        "id": merge.pk,
        "primary_id": merge.primary_id_at_merge,
        "survivor_id": merge.primary_id,
        "duplicate_ids": merge.duplicate_ids,
        "field_choices": merge.field_choices,
        "actor": merge.actor_label,
        "created_at": merge.created_at,
        "undone_at": merge.undone_at,
        "undo_until": undo_deadline(merge),
        "can_undo": not undo_blocker(merge),
        "moved": {label: sum(len(p) for p in per.values()) for label, per in merge.moved.items()},
        "before": merge.before,
    }


def merge_by_ids(
    actor: User,
    primary_id: Any,
    duplicate_ids: list[Any],
    field_choices: dict[str, Any] | None = None,
    expected_versions: dict[int, int] | None = None,
) -> ContactMerge:
    """The surfaces' entry: look the contacts up by id, then merge."""
    ensure_can_view(actor)
    ids = [parse_id(i) for i in [primary_id, *duplicate_ids]]
    if any(i is None for i in ids):
        raise ValidationFailed.single("duplicate_ids", "Contact ids are whole numbers.")
    primary = Contact(pk=ids[0])
    duplicates = [Contact(pk=i) for i in ids[1:]]
    _check_inputs_ids(ids)
    return merge_contacts(
        actor, primary, duplicates, field_choices=field_choices, expected_versions=expected_versions
    )


def _check_inputs_ids(ids: list[int | None]) -> None:
    if len(ids) < 2:
        raise ValidationFailed.single("duplicate_ids", "Name at least one contact to merge.")


def editable_by(actor: User | None, contacts: list[Contact]) -> bool:
    return can_merge(actor) and all(can_edit(actor, c) for c in contacts)


def merge_settings_summary(merge_settings: MergeSettings) -> dict[str, Any]:
    """The merge rules as plain data (API, CLI --json)."""
    return {
        "allowed_roles": list(merge_settings.allowed_roles),
        "undo_window_days": merge_settings.undo_window_days,
    }


def get_merge_settings(actor: User | None) -> MergeSettings:
    """Everyone signed in may read who may merge; only admins change it."""
    ensure_can_view(actor)
    return MergeSettings.load()


def update_merge_settings(
    actor: User | None, allowed_roles: list[str] | None, undo_window_days: Any
) -> MergeSettings:
    """Admins decide which roles may merge and how long merges can be undone; None keeps a
    setting as it is."""
    from peoplebase.core.permissions import ensure_can_administer
    from peoplebase.users.models import Role

    ensure_can_administer(actor)
    merge_settings = MergeSettings.load()
    roles = merge_settings.allowed_roles if allowed_roles is None else allowed_roles
    errors: dict[str, list[str]] = {}
    unknown = [r for r in roles if r not in Role.values]
    if unknown or Role.READ_ONLY in roles:
        errors["allowed_roles"] = ["Choose among admin, manager and rep."]
    days = (
        merge_settings.undo_window_days if undo_window_days is None else parse_id(undo_window_days)
    )
    if days is None or days > 3650:
        errors["undo_window_days"] = ["Give a whole number of days from 1 to 3650."]
    if errors:
        raise ValidationFailed(errors)
    before = {
        "allowed_roles": merge_settings.allowed_roles,
        "days": merge_settings.undo_window_days,
    }
    merge_settings.allowed_roles = sorted(set(roles))
    merge_settings.undo_window_days = days
    merge_settings.save()
    after = {"allowed_roles": merge_settings.allowed_roles, "days": merge_settings.undo_window_days}
    record_change(
        actor, merge_settings, AuditAction.UPDATE, {k: [before[k], after[k]] for k in before}
    )
    return merge_settings
