"""Tag management: list, rename, merge by rename, delete."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count

from peoplebase.contacts.models import Tag
from peoplebase.core.errors import Forbidden, NotFound, ValidationFailed
from peoplebase.core.lookups import parse_id
from peoplebase.core.permissions import ensure_can_create, ensure_can_view
from peoplebase.normalize import fold
from peoplebase.search.services import index_contacts


def list_tags(actor: Any) -> list[Tag]:
    ensure_can_view(actor)
    return list(Tag.objects.annotate(contact_count=Count("contact_links")).order_by("name_key"))


def get_tag(actor: Any, tag_id: Any) -> Tag:
    ensure_can_view(actor)
    tag = Tag.objects.filter(pk=parse_id(tag_id) or -1).first()
    if tag is None:
        raise NotFound(f"No tag with id {tag_id}.")
    return tag


def _clean_name(name: Any) -> str:
    text = " ".join(str(name or "").split())
    if not text:
        raise ValidationFailed.single("name", "A tag needs a name.")
    if len(text) > 50:
        raise ValidationFailed.single("name", "At most 50 characters.")
    return text


def create_tag(actor: Any, name: Any) -> Tag:
    ensure_can_create(actor, "tags")
    text = _clean_name(name)
    if Tag.objects.filter(name_key=fold(text)).exists():
        raise ValidationFailed.single("name", f"A tag “{text}” already exists.")
    return Tag.objects.create(name=text, name_key=fold(text)[:50])


def _ensure_can_manage(actor: Any) -> None:
    ensure_can_create(actor, "tags")
    if not actor.can_edit_all_records:
        raise Forbidden("Renaming or deleting a tag changes everyone's contacts; ask a manager.")


def rename_tag(actor: Any, tag: Tag, name: Any) -> Tag:
    _ensure_can_manage(actor)
    text = _clean_name(name)
    tag.name, tag.name_key = text, fold(text)[:50]
    try:
        with transaction.atomic():
            tag.save()
            index_contacts(tag.contact_links.values_list("contact_id", flat=True))
    except IntegrityError as exc:
        raise ValidationFailed.single("name", f"A tag “{text}” already exists.") from exc
    return tag


def delete_tag(actor: Any, tag: Tag) -> None:
    _ensure_can_manage(actor)
    with transaction.atomic():
        tagged = list(tag.contact_links.values_list("contact_id", flat=True))
        tag.delete()
        index_contacts(tagged)
