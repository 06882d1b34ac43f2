"""Companies (accounts), and contacts' labelled links to accounts other than their employer."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from peoplebase.core.links import id_url
from peoplebase.core.models import Address, VersionedModel


class Lifecycle(models.TextChoices):
    LEAD = "lead", "Lead"
    CUSTOMER = "customer", "Customer"


class CompanySize(models.TextChoices):
    S1 = "1-10", "1–10"
    S11 = "11-50", "11–50"
    S51 = "51-200", "51–200"
    S201 = "201-500", "201–500"
    S501 = "501-1000", "501–1,000"
    S1001 = "1001-5000", "1,001–5,000"
    S5001 = "5001+", "5,001+"


class Company(Address, VersionedModel):
    """An organisation the team sells to: the account its contacts belong to."""

    name = models.CharField(max_length=200)
    name_key = models.CharField(max_length=200, db_index=True, editable=False)
    domain = models.CharField(max_length=253, blank=True, db_index=True)
    website = models.URLField(max_length=500, blank=True)
    industry = models.CharField(max_length=100, blank=True)
    size = models.CharField(max_length=16, choices=CompanySize.choices, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    description = models.TextField(blank=True)
    lifecycle = models.CharField(max_length=16, choices=Lifecycle.choices, default=Lifecycle.LEAD)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_companies",
    )
    is_archived = models.BooleanField(default=False)
    archived_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "companies"
        ordering = ["name_key", "id"]
        indexes = [models.Index(fields=["is_archived", "name_key", "id"], name="company_list_idx")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return id_url("companies:company_detail", self.pk)


class AccountRelation(models.Model):
    """A contact's labelled tie to an account other than their employer (advisor, board member…)."""

    contact = models.ForeignKey(
        "contacts.Contact", on_delete=models.CASCADE, related_name="account_relations"
    )
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="contact_relations")
    role = models.CharField(max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["role", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["contact", "company", "role"], name="unique_account_relation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.contact} — {self.role} at {self.company}"
