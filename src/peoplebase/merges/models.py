"""A merge of duplicate contacts into one survivor, kept so it can be explained and undone."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse

from peoplebase.users.models import Role

DEFAULT_MERGE_ROLES = [Role.ADMIN.value, Role.MANAGER.value]
DEFAULT_UNDO_DAYS = 30


def _default_roles() -> list[str]:
    return list(DEFAULT_MERGE_ROLES)


class MergeSettings(models.Model):
    """Workspace rules for merging: which roles may merge and how long a merge can be undone."""

    allowed_roles = models.JSONField(
        default=_default_roles,
        help_text="Roles that may merge contacts (they also need edit rights on every contact).",
    )
    undo_window_days = models.PositiveIntegerField(default=DEFAULT_UNDO_DAYS)

    class Meta:
        verbose_name_plural = "merge settings"

    def __str__(self) -> str:
        return "Merge settings"

    @classmethod
    def load(cls) -> MergeSettings:
        obj, _ = cls.objects.get_or_create(pk=1)
        return obj


class ContactMerge(models.Model):
    """One merge: who merged which contacts into which, and everything needed to undo it."""

    # The survivor; kept as a plain id too, since a later merge may move this FK onwards.
    primary = models.ForeignKey(
        "contacts.Contact", null=True, on_delete=models.SET_NULL, related_name="merges"
    )
    primary_id_at_merge = models.BigIntegerField()
    duplicate_ids = models.JSONField(default=list)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(max_length=254, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    field_choices = models.JSONField(default=dict, blank=True)
    # Every contact's values before the merge (contact id -> field -> value), as shown to people.
    before = models.JSONField(default=dict)
    # The primary's raw column values before and after, so undo restores what nobody changed since.
    primary_before = models.JSONField(default=dict)
    primary_after = models.JSONField(default=dict)
    # The duplicates' rows and every row the merge dropped, serialized to put back on undo.
    snapshot = models.JSONField(default=dict)
    # relation label -> duplicate id -> moved row ids, so undo moves back exactly those rows.
    moved = models.JSONField(default=dict)
    # Audit entries of the duplicates, copied here (they stay addressed to the old ids).
    history = models.JSONField(default=list)
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        ids = ", ".join(f"#{i}" for i in self.duplicate_ids)
        return f"Merge {self.pk}: {ids} into #{self.primary_id_at_merge}"

    def get_absolute_url(self) -> str:
        return reverse("merges:merge_detail", args=[self.pk])


class ContactTombstone(models.Model):
    """A merged-away contact id, pointing at the contact that now holds its record."""

    old_id = models.BigIntegerField(unique=True)
    primary = models.ForeignKey(
        "contacts.Contact", on_delete=models.CASCADE, related_name="tombstones"
    )
    merge = models.ForeignKey(ContactMerge, on_delete=models.CASCADE, related_name="tombstones")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"#{self.old_id} → #{self.primary_id}"
