"""A background export: who asked for which contacts in which format, and where the file is."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from peoplebase.core.models import BackgroundJob


class ExportStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"
    EXPIRED = "expired", "Expired"


class ContactExport(BackgroundJob):
    """One export written to a file under `<data dir>/exports/`; deleted when it expires."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="contact_exports"
    )
    format = models.CharField(max_length=8, default="csv")
    bom = models.BooleanField(default=False)
    columns = models.JSONField(default=list, blank=True)
    # The selection: saved view id, search text, filters and explicit ids, as asked.
    selection = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        max_length=10, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    total = models.PositiveIntegerField(default=0)
    row_count = models.PositiveIntegerField(default=0)
    file_path = models.CharField(max_length=500, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    progress_fields = ("row_count", "total")

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Export #{self.pk} ({self.format})"

    @property
    def filename(self) -> str:
        return f"contacts-export-{self.pk}.{self.format}"
