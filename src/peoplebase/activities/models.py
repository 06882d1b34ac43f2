"""The timeline: every email, call, meeting, note and system event tied to a contact."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class ActivityKind(models.TextChoices):
    EMAIL_SENT = "email_sent", "Email sent"
    EMAIL_OPENED = "email_opened", "Email opened"
    EMAIL_CLICKED = "email_clicked", "Email clicked"
    CALL = "call", "Call"
    MEETING = "meeting", "Meeting"
    NOTE = "note", "Note"
    FORM_SUBMIT = "form_submit", "Form submitted"
    DEAL_CREATED = "deal_created", "Deal created"
    DEAL_WON = "deal_won", "Deal won"
    DEAL_LOST = "deal_lost", "Deal lost"
    CONVERTED = "converted", "Converted from lead"
    MERGED = "merged", "Merged"
    JOB_CHANGED = "job_changed", "Job change"


SYSTEM_KINDS = frozenset({ActivityKind.CONVERTED, ActivityKind.MERGED, ActivityKind.JOB_CHANGED})
# Kinds that count as the team reaching out, which moves "last contacted".
OUTREACH_KINDS = frozenset({ActivityKind.EMAIL_SENT, ActivityKind.CALL, ActivityKind.MEETING})


class Activity(models.Model):
    """One timeline entry: who did what, when, about which contact (and account or lead)."""

    kind = models.CharField(max_length=20, choices=ActivityKind.choices)
    contact = models.ForeignKey(
        "contacts.Contact",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="activities",
    )
    company = models.ForeignKey(
        "companies.Company",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="activities",
    )
    lead = models.ForeignKey(
        "leads.Lead", null=True, blank=True, on_delete=models.SET_NULL, related_name="activities"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="activities",
    )
    occurred_at = models.DateTimeField(default=timezone.now)
    subject = models.CharField(max_length=300, blank=True)
    body = models.TextField(blank=True)
    metadata = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name_plural = "activities"
        indexes = [
            models.Index(fields=["contact", "-occurred_at", "-id"], name="activity_contact_idx"),
            models.Index(fields=["company", "-occurred_at"], name="activity_company_idx"),
            models.Index(fields=["lead", "-occurred_at"], name="activity_lead_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.occurred_at:%Y-%m-%d}"

    @property
    def is_system(self) -> bool:
        return self.kind in SYSTEM_KINDS
