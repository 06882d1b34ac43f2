"""Contacts: the person record, with their emails, phones and tags."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models

from peoplebase.core.links import id_url
from peoplebase.core.models import Address, VersionedModel
from peoplebase.normalize.birthdays import Birthday, format_birthday, parse_birthday


class ContactStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    INACTIVE = "inactive", "Inactive"
    UNSUBSCRIBED = "unsubscribed", "Unsubscribed"
    BOUNCED = "bounced", "Bounced"


class BuyingRole(models.TextChoices):
    DECISION_MAKER = "decision_maker", "Decision Maker"
    INFLUENCER = "influencer", "Influencer"
    CHAMPION = "champion", "Champion"
    BLOCKER = "blocker", "Blocker"
    END_USER = "end_user", "End User"
    OTHER = "other", "Other"


class Seniority(models.TextChoices):
    ENTRY = "entry", "Entry"
    SENIOR = "senior", "Senior"
    MANAGER = "manager", "Manager"
    DIRECTOR = "director", "Director"
    VP = "vp", "VP"
    C_LEVEL = "c_level", "C-level"
    OWNER = "owner", "Owner / Founder"


class ConsentStatus(models.TextChoices):
    OPTED_IN = "opted_in", "Opted In"
    OPTED_OUT = "opted_out", "Opted Out"
    PENDING = "pending", "Pending"
    UNKNOWN = "unknown", "Unknown"


class ConsentType(models.TextChoices):
    EXPLICIT = "explicit", "Explicit"
    IMPLIED = "implied", "Implied"
    IMPORTED = "imported", "Imported"


class GdprBasis(models.TextChoices):
    CONSENT = "consent", "Consent"
    LEGITIMATE_INTEREST = "legitimate_interest", "Legitimate Interest"
    CONTRACT = "contract", "Contract"


class EmailKind(models.TextChoices):
    WORK = "work", "Work"
    PERSONAL = "personal", "Personal"
    OTHER = "other", "Other"


class PhoneKind(models.TextChoices):
    WORK = "work", "Work"
    MOBILE = "mobile", "Mobile"
    HOME = "home", "Home"
    OTHER = "other", "Other"


# Filterable columns carried by the name-ordered list index (see Contact.Meta.indexes).
LIST_FILTER_COLUMNS = [
    "status",
    "owner",
    "company",
    "country",
    "consent_status",
    "lead_score",
    "role",
    "source",
    "gdpr_basis",
    "created_at",
    "last_activity_at",
    "last_contacted_at",
    "phone",
    "email",
]


class Contact(Address, VersionedModel):
    """One person the team sells to, supports or bills; every activity ties back to it."""

    first_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100, blank=True)
    full_name = models.CharField(max_length=300)
    # Folded "last first": sorts the same on SQLite and PostgreSQL, whatever the collation.
    sort_name = models.CharField(max_length=200, editable=False, default="")
    # The primary email and phone, copied from the child rows so lists need no join.
    email = models.CharField(max_length=254, blank=True, db_index=True, editable=False)
    phone = models.CharField(max_length=40, blank=True, db_index=True, editable=False)

    job_title = models.CharField(max_length=150, blank=True)
    department = models.CharField(max_length=100, blank=True)
    seniority = models.CharField(max_length=16, choices=Seniority.choices, blank=True)
    company = models.ForeignKey(
        "companies.Company",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contacts",
    )
    role = models.CharField(
        "buying-committee role", max_length=16, choices=BuyingRole.choices, blank=True
    )
    status = models.CharField(
        max_length=16, choices=ContactStatus.choices, default=ContactStatus.ACTIVE
    )
    lead_score = models.PositiveSmallIntegerField(default=0, validators=[MaxValueValidator(100)])
    source = models.CharField(max_length=100, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_contacts",
        db_index=False,  # contact_owner_name_idx starts with owner_id
    )
    custom_fields = models.JSONField(default=dict, blank=True)
    linkedin_url = models.URLField("LinkedIn", max_length=300, blank=True)
    twitter_handle = models.CharField("Twitter / X", max_length=15, blank=True)

    consent_status = models.CharField(
        max_length=16, choices=ConsentStatus.choices, default=ConsentStatus.UNKNOWN
    )
    consent_type = models.CharField(max_length=16, choices=ConsentType.choices, blank=True)
    consent_date = models.DateTimeField(null=True, blank=True)
    consent_source = models.CharField(max_length=200, blank=True)
    gdpr_basis = models.CharField(
        "GDPR basis", max_length=24, choices=GdprBasis.choices, blank=True
    )

    last_contacted_at = models.DateTimeField(null=True, blank=True)
    # A birthday is a month and day; the year only when known, so none is ever invented.
    birthday_month = models.PositiveSmallIntegerField(null=True, blank=True)
    birthday_day = models.PositiveSmallIntegerField(null=True, blank=True)
    birthday_year = models.PositiveSmallIntegerField(null=True, blank=True)
    last_activity_at = models.DateTimeField(null=True, blank=True)
    is_archived = models.BooleanField(default=False)
    archived_at = models.DateTimeField(null=True, blank=True)
    # Job change: this record continues the person's story from an earlier employer's record.
    previous_contact = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="later_contacts",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["sort_name", "id"]
        indexes = [
            # The default list order, carrying the columns filters test most: SQLite and
            # PostgreSQL check them inside the index walk, so a filtered first page reads no
            # table rows that the filters would throw away.
            models.Index(
                fields=["is_archived", "sort_name", "id", *LIST_FILTER_COLUMNS],
                name="contact_list_name_idx",
            ),
            # "My contacts" plus any other filter, by name: the owner's rows in list order, so a
            # filter no index serves (a custom field) stops after a page instead of sorting
            # every one of the owner's contacts (250 ms at 1M on SQLite before).
            models.Index(
                fields=["owner", "is_archived", "sort_name", "id"], name="contact_owner_name_idx"
            ),
            models.Index(fields=["is_archived", "created_at", "id"], name="contact_created_idx"),
            models.Index(fields=["is_archived", "updated_at", "id"], name="contact_updated_idx"),
            models.Index(fields=["is_archived", "lead_score", "id"], name="contact_score_idx"),
            models.Index(fields=["is_archived", "email", "id"], name="contact_email_sort_idx"),
            models.Index(
                fields=["is_archived", "last_activity_at", "id"], name="contact_activity_idx"
            ),
            models.Index(fields=["status", "id"], name="contact_status_idx"),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email or f"Contact {self.pk}"

    @property
    def birthday(self) -> str:
        """ISO 8601: "1980-03-07", "--03-07" without a year, "" when unknown."""
        if not (self.birthday_month and self.birthday_day):
            return ""
        return Birthday(self.birthday_month, self.birthday_day, self.birthday_year).iso()

    @birthday.setter
    def birthday(self, value: str | Birthday | None) -> None:
        for column, part in birthday_columns(value).items():
            setattr(self, column, part)

    @property
    def birthday_display(self) -> str:
        """ "7 March 1980", or "7 March" when the year is unknown."""
        return format_birthday(self.birthday)

    def get_absolute_url(self) -> str:
        return id_url("contacts:contact_detail", self.pk)


class ContactEmail(models.Model):
    """One address of a contact, with its own deliverability and opt-out flags."""

    # unique_contact_email (contact, email) serves lookups by contact: no index of its own.
    contact = models.ForeignKey(
        Contact, on_delete=models.CASCADE, related_name="emails", db_index=False
    )
    email = models.CharField(max_length=254, db_index=True)
    original = models.CharField(max_length=320, blank=True)
    kind = models.CharField(max_length=16, choices=EmailKind.choices, default=EmailKind.WORK)
    is_primary = models.BooleanField(default=False)
    is_bounced = models.BooleanField(default=False)
    is_opted_out = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-is_primary", "id"]
        constraints = [
            models.UniqueConstraint(fields=["contact", "email"], name="unique_contact_email")
        ]

    def __str__(self) -> str:
        return self.email


class ContactPhone(models.Model):
    """One phone number of a contact: E.164 when it could be read, else the text as typed."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="phones")
    number = models.CharField(max_length=40, db_index=True)
    original = models.CharField(max_length=60, blank=True)
    kind = models.CharField(max_length=16, choices=PhoneKind.choices, default=PhoneKind.WORK)
    is_primary = models.BooleanField(default=False)
    is_valid = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-is_primary", "id"]

    def __str__(self) -> str:
        return self.number


class Tag(models.Model):
    """A free label for segmenting contacts; names are unique regardless of case."""

    name = models.CharField(max_length=50)
    name_key = models.CharField(max_length=50, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name_key"]

    def __str__(self) -> str:
        return self.name


class ContactTag(models.Model):
    """A tag placed on a contact."""

    # Lookups by contact use unique_contact_tag, by tag contacttag_tag_idx: no index of their own.
    contact = models.ForeignKey(
        Contact, on_delete=models.CASCADE, related_name="tag_links", db_index=False
    )
    tag = models.ForeignKey(
        Tag, on_delete=models.CASCADE, related_name="contact_links", db_index=False
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["contact", "tag"], name="unique_contact_tag")
        ]
        indexes = [models.Index(fields=["tag", "contact"], name="contacttag_tag_idx")]

    def __str__(self) -> str:
        return f"{self.contact_id}:{self.tag_id}"


def birthday_columns(value: str | Birthday | None) -> dict[str, int | None]:
    """A birthday ("1980-03-07", "--03-07", "" or None) as the contact's three columns: what
    the `birthday` setter stores, for writers that build rows without a model instance."""
    parsed = parse_birthday(value or None)
    return {
        "birthday_month": parsed.month if parsed else None,
        "birthday_day": parsed.day if parsed else None,
        "birthday_year": parsed.year if parsed else None,
    }
