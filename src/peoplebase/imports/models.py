"""Import jobs, the outcome of every row they read, and column mappings saved for reuse."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from peoplebase.core.models import BackgroundJob


class DuplicatePolicy(models.TextChoices):
    SKIP = "skip", "Skip the row"
    FILL = "fill", "Fill empty fields only"
    OVERWRITE = "overwrite", "Overwrite with the file's values"
    CREATE = "create", "Create a new contact anyway"


class ImportStatus(models.TextChoices):
    DRAFT = "draft", "Being set up"
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"


class RowOutcome(models.TextChoices):
    CREATED = "created", "Created"
    UPDATED = "updated", "Updated"
    SKIPPED = "skipped", "Skipped"
    INVALID = "invalid", "Invalid"


class ImportJob(BackgroundJob):
    """One uploaded file on its way into the contacts: its settings, progress and outcome."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="import_jobs"
    )
    file_name = models.CharField(max_length=255)
    stored_path = models.CharField(max_length=500)
    file_size = models.BigIntegerField(default=0)
    format = models.CharField(max_length=10, blank=True)
    encoding = models.CharField(max_length=30, blank=True)
    delimiter = models.CharField(max_length=5, blank=True)
    headers = models.JSONField(default=list, blank=True)
    notes = models.JSONField(default=list, blank=True)
    # Column index (as text, JSON keys are strings) -> target field; absent columns are ignored.
    mapping = models.JSONField(default=dict, blank=True)
    defaults = models.JSONField(default=dict, blank=True)
    duplicate_policy = models.CharField(
        max_length=10, choices=DuplicatePolicy.choices, default=DuplicatePolicy.SKIP
    )
    match_name_company = models.BooleanField(default=False)
    opted_in_confirmed = models.BooleanField(default=False)
    status = models.CharField(
        max_length=10, choices=ImportStatus.choices, default=ImportStatus.DRAFT
    )
    cancel_requested = models.BooleanField(default=False)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)
    invalid = models.PositiveIntegerField(default=0)
    # Seconds spent per stage (read, clean, match, write, index), for the report and the bench.
    timings = models.JSONField(default=dict, blank=True)
    rejected_path = models.CharField(max_length=500, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    undone_at = models.DateTimeField(null=True, blank=True)
    undo_report = models.JSONField(default=dict, blank=True)

    progress_fields = ("processed_rows", "total_rows")

    @property
    def is_finishing(self) -> bool:
        """Every row written, the job still running: writing the rejected-rows file, building
        indexes set aside for a large load, refreshing statistics (seconds to half a minute)."""
        return (
            self.status == ImportStatus.RUNNING
            and self.total_rows > 0
            and self.processed_rows >= self.total_rows
        )

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Import #{self.pk} ({self.file_name})"


class ImportRow(models.Model):
    """What happened to one row of an import; rejected rows keep their cells for the fix-up file."""

    # importrow_outcome_idx starts with job_id: no index of its own.
    job = models.ForeignKey(
        ImportJob, on_delete=models.CASCADE, related_name="rows", db_index=False
    )
    row_number = models.PositiveIntegerField()
    outcome = models.CharField(max_length=10, choices=RowOutcome.choices)
    contact = models.ForeignKey(
        "contacts.Contact",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="import_rows",
    )
    reason = models.CharField(max_length=500, blank=True)
    # The original cells, kept only for rows that were not imported (invalid or skipped).
    cells = models.JSONField(null=True, blank=True)
    # For updated rows: {field: [old, new]}, so undo can restore what the import overwrote.
    changes = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["job", "row_number"]
        indexes = [
            models.Index(fields=["job", "outcome", "row_number"], name="importrow_outcome_idx"),
        ]

    def __str__(self) -> str:
        return f"Row {self.row_number} of import #{self.job_id}: {self.outcome}"


class DeferredIndex(models.Model):
    """An index a large import dropped while loading and must build again (imports/bulkload.py).

    `definition` is the CREATE statement the database reported for it, kept verbatim."""

    job = models.ForeignKey(
        ImportJob, null=True, on_delete=models.SET_NULL, related_name="deferred_indexes"
    )
    name = models.CharField(max_length=200, unique=True)
    table = models.CharField(max_length=200)
    definition = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.name} on {self.table}"


class SavedMapping(models.Model):
    """A column mapping and defaults saved under a name, private to its owner or shared."""

    name = models.CharField(max_length=100)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="import_mappings"
    )
    shared = models.BooleanField(default=False)
    # Folded headers joined by "|": a file with the same columns is offered this mapping.
    headers_signature = models.CharField(max_length=2000, blank=True)
    # Header text -> target field, so the mapping survives columns appearing in another order.
    mapping = models.JSONField(default=dict)
    defaults = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "name"], name="unique_mapping_name_per_owner")
        ]

    def __str__(self) -> str:
        return self.name
