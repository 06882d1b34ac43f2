"""A bulk job: one action over a selection of contacts, with its progress and outcome."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from peoplebase.core.models import BackgroundJob


class BulkAction(models.TextChoices):
    ADD_TAGS = "add_tags", "Add tags"
    REMOVE_TAGS = "remove_tags", "Remove tags"
    ASSIGN_OWNER = "assign_owner", "Assign owner"
    SET_STATUS = "set_status", "Set status"
    ARCHIVE = "archive", "Archive"
    UNARCHIVE = "unarchive", "Unarchive"
    DELETE = "delete", "Delete"
    EXPORT_CSV = "export_csv", "Export CSV"


class BulkJobStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"


class BulkJob(BackgroundJob):
    """Selection is either explicit `contact_ids` or `q` + `filters` ("all N matching")."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="bulk_jobs"
    )
    action = models.CharField(max_length=20, choices=BulkAction.choices)
    params = models.JSONField(default=dict, blank=True)
    contact_ids = models.JSONField(null=True, blank=True)
    q = models.CharField(max_length=200, blank=True)
    filters = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        max_length=12, choices=BulkJobStatus.choices, default=BulkJobStatus.QUEUED
    )
    cancel_requested = models.BooleanField(default=False)
    total = models.PositiveIntegerField(default=0)
    processed = models.PositiveIntegerField(default=0)
    changed = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)
    skip_reasons = models.JSONField(default=dict, blank=True)
    # Resuming starts after this contact id: batches run in id order.
    last_contact_id = models.BigIntegerField(default=0)
    result_file = models.CharField(max_length=500, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} #{self.pk}"
