"""Duplicate scans, the suggested pairs they leave for review, and remembered decisions."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from peoplebase.core.models import BackgroundJob
from peoplebase.duplicates.engine.scoring import DEFAULT_THRESHOLDS, LIKELY, POSSIBLE


class DuplicateSettings(models.Model):
    """The workspace's band thresholds (one row, like core.WorkspaceSettings)."""

    likely_threshold = models.FloatField(default=DEFAULT_THRESHOLDS.likely)
    possible_threshold = models.FloatField(default=DEFAULT_THRESHOLDS.possible)

    class Meta:
        verbose_name_plural = "duplicate settings"

    def __str__(self) -> str:
        return f"likely ≥ {self.likely_threshold}, possible ≥ {self.possible_threshold}"

    @classmethod
    def load(cls) -> DuplicateSettings:
        obj, _ = cls.objects.get_or_create(pk=1)
        return obj


class ScanStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class DuplicateScan(BackgroundJob):
    """One run of the matcher over the workspace or a saved view."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="duplicate_scans"
    )
    view = models.ForeignKey(
        "segments.SavedView",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="duplicate_scans",
    )
    status = models.CharField(max_length=10, choices=ScanStatus.choices, default=ScanStatus.QUEUED)
    incremental = models.BooleanField(default=False)
    total = models.PositiveIntegerField(default=0)
    changed = models.PositiveIntegerField(default=0)
    processed = models.PositiveIntegerField(default=0)
    candidate_pairs = models.PositiveBigIntegerField(default=0)
    suggestions = models.PositiveIntegerField(default=0)
    # The bands the scan used (null on scans from before they were recorded): pairs under its
    # "possible" were never stored, so a later, lower "possible" needs a full scan.
    likely_threshold = models.FloatField(null=True, blank=True)
    possible_threshold = models.FloatField(null=True, blank=True)
    # Contacts updated after this moment are re-checked by the next scan.
    watermark = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Duplicate scan #{self.pk}"


class Band(models.TextChoices):
    LIKELY = LIKELY, "Likely"
    POSSIBLE = POSSIBLE, "Possible"


class SuggestionStatus(models.TextChoices):
    OPEN = "open", "Open"
    DISMISSED = "dismissed", "Not a duplicate"
    SKIPPED = "skipped", "Skipped"
    MERGED = "merged", "Merged"


class DuplicateSuggestion(models.Model):
    """A pair the matcher thinks is one person; contact_a has the lower id."""

    contact_a = models.ForeignKey(
        "contacts.Contact", on_delete=models.CASCADE, related_name="duplicate_suggestions_as_a"
    )
    contact_b = models.ForeignKey(
        "contacts.Contact", on_delete=models.CASCADE, related_name="duplicate_suggestions_as_b"
    )
    score = models.FloatField()
    band = models.CharField(max_length=10, choices=Band.choices)
    reasons = models.JSONField(default=list)
    cluster = models.PositiveIntegerField(null=True, blank=True)
    status = models.CharField(
        max_length=10, choices=SuggestionStatus.choices, default=SuggestionStatus.OPEN
    )
    scan = models.ForeignKey(
        DuplicateScan, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-score", "id"]
        constraints = [
            models.UniqueConstraint(fields=["contact_a", "contact_b"], name="dup_pair_unique"),
            models.CheckConstraint(
                condition=models.Q(contact_a__lt=models.F("contact_b")), name="dup_pair_ordered"
            ),
        ]
        indexes = [models.Index(fields=["status", "band", "score"], name="dup_queue_idx")]

    def __str__(self) -> str:
        return f"{self.contact_a_id} ~ {self.contact_b_id} ({self.score:.2f})"


class NotDuplicate(models.Model):
    """A pair someone said are different people: never suggested again."""

    contact_a = models.ForeignKey(
        "contacts.Contact", on_delete=models.CASCADE, related_name="not_duplicate_as_a"
    )
    contact_b = models.ForeignKey(
        "contacts.Contact", on_delete=models.CASCADE, related_name="not_duplicate_as_b"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["contact_a", "contact_b"], name="not_dup_pair_unique"),
            # A contact is never "not a duplicate" of itself (a merge drops such rows).
            models.CheckConstraint(
                condition=~models.Q(contact_a=models.F("contact_b")), name="not_dup_no_self_pair"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contact_a_id} ≠ {self.contact_b_id}"
