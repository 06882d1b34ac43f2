"""Records of personal-data requests: erasures, access exports and the suppression list.

None of these rows holds the erased person's data: an erasure log keeps the contact id and
counts, a suppression keeps only a keyed hash of the address.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from peoplebase.core.models import BackgroundJob


class ErasureLog(models.Model):
    """One erasure: who erased which contact id, when, why, and how many rows of each model."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Kept as text so the log still names who acted after the user is deleted.
    actor_label = models.CharField(max_length=254, blank=True)
    erased_at = models.DateTimeField(default=timezone.now, db_index=True)
    contact_id = models.BigIntegerField()
    reason = models.CharField(max_length=500)
    # {"contacts.ContactEmail": 2, "files.rewritten": 1, …}: numbers only, never values.
    counts = models.JSONField(default=dict, blank=True)
    suppressed = models.PositiveSmallIntegerField(default=0)
    seconds = models.FloatField(default=0)

    class Meta:
        ordering = ["-erased_at", "-id"]
        permissions = [
            ("handle_personal_data", "Can export and erase a person's data (data protection)")
        ]

    def __str__(self) -> str:
        return f"Erasure of contact #{self.contact_id} by {self.actor_label or 'the operator'}"

    @property
    def total_removed(self) -> int:
        return sum(v for v in self.counts.values() if isinstance(v, int))


class AccessExport(models.Model):
    """One right-of-access export: who produced the document for which contact, and when."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(max_length=254, blank=True)
    exported_at = models.DateTimeField(default=timezone.now)
    contact_id = models.BigIntegerField()

    class Meta:
        ordering = ["-exported_at", "-id"]

    def __str__(self) -> str:
        return f"Access export of contact #{self.contact_id}"


class SuppressionSource(models.TextChoices):
    ERASURE = "erasure", "Erasure"
    MANUAL = "manual", "Added by hand"


class SuppressionEntry(models.Model):
    """An address that must not come back: only an HMAC of the normalised email is kept.

    Lifting keeps the row (who lifted it, when, why) so the list says what happened.
    """

    email_hash = models.CharField(max_length=64, db_index=True)
    source = models.CharField(max_length=12, choices=SuppressionSource.choices)
    erasure = models.ForeignKey(
        ErasureLog, null=True, blank=True, on_delete=models.SET_NULL, related_name="suppressions"
    )
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by_label = models.CharField(max_length=254, blank=True)
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    lifted_by_label = models.CharField(max_length=254, blank=True)
    lift_reason = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "suppression entries"
        constraints = [
            models.UniqueConstraint(
                fields=["email_hash"],
                condition=models.Q(lifted_at__isnull=True),
                name="compliance_one_active_suppression",
            )
        ]

    def __str__(self) -> str:
        return f"Suppression #{self.pk} ({self.email_hash[:8]}…)"

    @property
    def is_active(self) -> bool:
        return self.lifted_at is None


class ErasureJobStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class ErasureJob(BackgroundJob):
    """An erasure run by the background worker, step by step, so no request waits for it.

    While it runs, `reason` and `identifiers` hold what it works with (the sweep leaves this
    model alone); both are blanked when it ends, so a finished job keeps no personal data.
    """

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(max_length=254, blank=True)
    contact_id = models.BigIntegerField()
    reason = models.CharField(max_length=500, blank=True)
    suppress = models.BooleanField(default=False)
    status = models.CharField(
        max_length=10, choices=ErasureJobStatus.choices, default=ErasureJobStatus.QUEUED
    )
    stage = models.CharField(max_length=200, blank=True)
    steps_total = models.PositiveIntegerField(default=0)
    steps_done = models.PositiveIntegerField(default=0)
    identifiers = models.JSONField(default=dict, blank=True)
    counts = models.JSONField(default=dict, blank=True)
    log = models.OneToOneField(
        ErasureLog, null=True, blank=True, on_delete=models.SET_NULL, related_name="job"
    )
    started_at = models.DateTimeField(null=True, blank=True)

    progress_fields = ("steps_done", "steps_total")

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Erasure job #{self.pk} (contact #{self.contact_id})"
