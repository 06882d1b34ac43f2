"""Workspace-wide settings and shared model helpers."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models


class WorkspaceSettings(models.Model):
    """The single row of settings an admin can change in the UI."""

    name = models.CharField(max_length=100, default="Peoplebase")
    default_phone_region = models.CharField(
        max_length=2,
        blank=True,
        help_text="Region for phone numbers typed without a country code (ISO 3166, e.g. US, DE).",
    )

    class Meta:
        verbose_name_plural = "workspace settings"

    def __str__(self) -> str:
        return self.name

    @classmethod
    def load(cls) -> WorkspaceSettings:
        obj, _ = cls.objects.get_or_create(pk=1)
        return obj

    @property
    def phone_region(self) -> str:
        return self.default_phone_region or settings.PEOPLEBASE_DEFAULT_PHONE_REGION


class Address(models.Model):
    """Postal address columns shared by contacts and companies."""

    street = models.CharField(max_length=200, blank=True)
    street2 = models.CharField(max_length=200, blank=True)
    city = models.CharField(max_length=100, blank=True)
    region = models.CharField("state / region", max_length=100, blank=True)
    postal_code = models.CharField(max_length=20, blank=True)
    country = models.CharField(max_length=2, blank=True, help_text="ISO 3166-1 alpha-2")

    class Meta:
        abstract = True

    @property
    def address_lines(self) -> list[str]:
        from peoplebase.normalize import country_name

        locality = " ".join(p for p in (self.postal_code, self.city) if p)
        lines = [self.street, self.street2, locality, self.region, country_name(self.country)]
        return [line for line in lines if line]


class VersionedModel(models.Model):
    """A row whose `version` rises on every write, so stale updates can be refused."""

    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        abstract = True


# Statuses after which a background job no longer moves (not every job uses each of them).
FINISHED_JOB_STATUSES = frozenset({"done", "failed", "cancelled", "expired"})


class BackgroundJob(models.Model):
    """What every background job row shares (imports, bulk actions, exports, duplicate scans,
    erasures): when it was made and ended, why it failed, and its progress for the bar.

    Subclasses keep their own `status` (their choices differ) and name their progress counters
    in `progress_fields` (done, total)."""

    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    progress_fields: ClassVar[tuple[str, str]] = ("processed", "total")

    class Meta:
        abstract = True

    @property
    def is_finished(self) -> bool:
        return getattr(self, "status", "") in FINISHED_JOB_STATUSES

    @property
    def percent(self) -> int:
        done_field, total_field = self.progress_fields
        done, total = getattr(self, done_field), getattr(self, total_field)
        if not total:
            return 100 if self.is_finished else 0
        return min(100, done * 100 // total)
