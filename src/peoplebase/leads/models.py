"""Leads: unqualified inbound prospects, worked until they convert into accounts and contacts."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse

from peoplebase.core.models import VersionedModel


class LeadStatus(models.TextChoices):
    NEW = "new", "New"
    WORKING = "working", "Working"
    QUALIFIED = "qualified", "Qualified"
    DISQUALIFIED = "disqualified", "Disqualified"
    CONVERTED = "converted", "Converted"


class Lead(VersionedModel):
    """A prospect not yet worked: a company name and the one person we know there."""

    company_name = models.CharField(max_length=200)
    first_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100, blank=True)
    full_name = models.CharField("contact name", max_length=300, blank=True)
    email = models.CharField(max_length=254, blank=True, db_index=True)
    phone = models.CharField(max_length=40, blank=True)
    phone_original = models.CharField(max_length=60, blank=True)
    job_title = models.CharField(max_length=150, blank=True)
    website = models.URLField(max_length=500, blank=True)
    source = models.CharField(max_length=100, blank=True)
    status = models.CharField(max_length=16, choices=LeadStatus.choices, default=LeadStatus.NEW)
    disqualified_reason = models.CharField(max_length=200, blank=True)
    notes = models.TextField(blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_leads",
    )
    converted_at = models.DateTimeField(null=True, blank=True)
    converted_company = models.ForeignKey(
        "companies.Company", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    converted_contact = models.ForeignKey(
        "contacts.Contact",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="converted_from_leads",
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "created_at", "id"], name="lead_status_idx")]

    def __str__(self) -> str:
        return f"{self.full_name or self.email or 'Lead'} ({self.company_name})"

    def get_absolute_url(self) -> str:
        return reverse("leads:lead_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status not in (LeadStatus.CONVERTED, LeadStatus.DISQUALIFIED)
