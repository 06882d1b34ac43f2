"""Load the demo workspace through the real services, so every rule and audit entry applies."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone

from peoplebase.activities.models import OUTREACH_KINDS, Activity, ActivityKind
from peoplebase.activities.services import add_note, log_activity
from peoplebase.audit.models import AuditAction, AuditEntry
from peoplebase.companies.models import AccountRelation, Company, CompanySize, Lifecycle
from peoplebase.companies.services import add_account_relation, create_company
from peoplebase.contacts.models import (
    BuyingRole,
    ConsentStatus,
    ConsentType,
    Contact,
    ContactStatus,
    GdprBasis,
    Seniority,
    Tag,
)
from peoplebase.contacts.services import change_job, create_contact
from peoplebase.core.errors import Conflict, ValidationFailed
from peoplebase.customfields.models import CustomFieldDefinition
from peoplebase.customfields.services import create_definition
from peoplebase.demo import words
from peoplebase.demo.people import (
    PERSONAL_MAIL_DOMAINS,
    CompanyName,
    Person,
    ascii_slug,
    company_names,
    email_local_part,
    make_person,
    phone_number,
)
from peoplebase.leads.models import Lead, LeadStatus
from peoplebase.leads.services import convert_lead, create_lead
from peoplebase.users.models import Role, User
from peoplebase.users.services import create_user, generate_password

HISTORY_DAYS = 540  # activities spread over the last 18 months
MAX_CONTACTS = 3000  # beyond this the made-up company names run out; bench/seed.py goes bigger
MAX_COMPANY_NAMES = len(words.COMPANY_WORDS) * len(words.COMPANY_KINDS)
EU_COUNTRIES = frozenset({"DE", "FR", "ES", "PL", "DK", "SE", "NL"})

DEMO_USERS = (
    ("mia.schroeder@peoplebase.example", Role.MANAGER, "Mia", "Schröder"),
    ("ravi.menon@peoplebase.example", Role.REP, "Ravi", "Menon"),
    ("camila.rojas@peoplebase.example", Role.REP, "Camila", "Rojas"),
    ("olu.adeyemi@peoplebase.example", Role.READ_ONLY, "Olúwaseun", "Adéyẹmí"),
)
# Only made when the database has no active admin: custom fields need one to define them.
DEMO_ADMIN = ("admin@peoplebase.example", Role.ADMIN, "Demo", "Admin")

CUSTOM_FIELDS = (
    {"key": "budget", "label": "Budget", "field_type": "number", "help_text": "Yearly, in EUR"},
    {"key": "renewal_date", "label": "Renewal date", "field_type": "date"},
    {
        "key": "preferred_language",
        "label": "Preferred language",
        "field_type": "single_select",
        "options": list(words.LANGUAGES),
    },
    {
        "key": "interests",
        "label": "Interests",
        "field_type": "multi_select",
        "options": list(words.INTERESTS),
    },
    {"key": "newsletter", "label": "Newsletter", "field_type": "boolean"},
)

SENIORITY_WEIGHTS = {
    Seniority.ENTRY: 14,
    Seniority.SENIOR: 24,
    Seniority.MANAGER: 24,
    Seniority.DIRECTOR: 16,
    Seniority.VP: 10,
    Seniority.C_LEVEL: 8,
    Seniority.OWNER: 4,
}
SENIORITY_SCORE = {
    Seniority.ENTRY: 10,
    Seniority.SENIOR: 20,
    Seniority.MANAGER: 35,
    Seniority.DIRECTOR: 50,
    Seniority.VP: 60,
    Seniority.C_LEVEL: 70,
    Seniority.OWNER: 65,
}
ROLE_BONUS = {BuyingRole.DECISION_MAKER: 15, BuyingRole.CHAMPION: 10, BuyingRole.INFLUENCER: 5}
ACTIVITY_WEIGHTS = {
    ActivityKind.EMAIL_SENT: 30,
    ActivityKind.CALL: 20,
    ActivityKind.MEETING: 12,
    ActivityKind.NOTE: 15,
    ActivityKind.EMAIL_OPENED: 12,
    ActivityKind.EMAIL_CLICKED: 5,
    ActivityKind.FORM_SUBMIT: 6,
}


@dataclass
class DemoUser:
    """A demo sign-in, and whether this run created it (its password is then the demo one)."""

    email: str
    role: str
    created: bool


@dataclass
class DemoSummary:
    """What a demo load made, for the command to print."""

    users: list[DemoUser] = field(default_factory=list)
    password: str = ""
    password_from_env: bool = False
    counts: dict[str, int] = field(default_factory=dict)

    def lines(self) -> list[str]:
        made = ", ".join(f"{count} {_noun(name, count)}" for name, count in self.counts.items())
        lines = [f"Loaded the demo workspace: {made}.", "Demo users:"]
        for user in self.users:
            note = "" if user.created else " (already existed; password unchanged)"
            lines.append(f"  {user.email:<36} {Role(user.role).label}{note}")
        if any(user.created for user in self.users):
            if self.password_from_env:
                lines.append("Password for new demo users: the value of PEOPLEBASE_DEMO_PASSWORD.")
            else:
                lines.append(f"Password for new demo users: {self.password}  (shown only now)")
        return lines


def load_demo(
    *, contacts: int = 300, seed: int = 42, reset: bool = False, password: str = ""
) -> DemoSummary:
    """Fill the database with a sample workspace; refuse if it already has contacts, unless reset.

    The same seed gives the same people, companies and history (dates relative to today).
    """
    if not 10 <= contacts <= MAX_CONTACTS:
        raise ValidationFailed.single(
            "contacts",
            f"Load between 10 and {MAX_CONTACTS} demo contacts (bench/seed.py makes more).",
        )
    existing = Contact.objects.count()
    if existing and not reset:
        raise Conflict(
            f"The database already has {existing} {_noun('contacts', existing)}. Use --reset to "
            "delete all contacts, companies, leads, activities, tags and custom fields and load "
            "the demo instead."
        )
    with transaction.atomic():
        if reset:
            wipe_crm_data()
        return DemoBuilder(random.Random(seed), password).build(contacts)


def wipe_crm_data() -> None:
    """Delete contacts, companies, leads, activities, tags and custom fields (users stay)."""
    Activity.objects.all().delete()
    AccountRelation.objects.all().delete()
    Lead.objects.all().delete()
    Contact.objects.all().delete()
    Company.objects.all().delete()
    Tag.objects.all().delete()
    CustomFieldDefinition.objects.all().delete()
    kinds = ContentType.objects.get_for_models(Contact, Company, Lead, CustomFieldDefinition)
    AuditEntry.objects.filter(content_type__in=list(kinds.values())).delete()


@dataclass
class _Made:
    """A contact the builder created, with what later steps need to know about it."""

    contact: Contact
    person: Person
    department: str


class DemoBuilder:
    """Builds the workspace step by step from one random generator."""

    def __init__(self, rng: random.Random, password: str = "") -> None:
        self.rng = rng
        self.now = timezone.now().replace(minute=0, second=0, microsecond=0)
        self.summary = DemoSummary(password=password or generate_password())
        self.summary.password_from_env = bool(password)
        self.used_emails: set[str] = set()

    def build(self, contact_count: int) -> DemoSummary:
        self._users()
        self._custom_fields()
        companies = self._companies(max(4, contact_count // 6))
        made = [self._contact(companies) for _ in range(contact_count)]
        self._relations(made, companies)
        for item in made:
            self._history(item)
        self._backdate(made)
        job_changes = self._job_changes(made, companies)
        self._leads(max(6, round(contact_count * 40 / 300)), companies)
        self.summary.counts = {
            "companies": Company.objects.count(),
            "contacts": Contact.objects.count(),
            "leads": Lead.objects.count(),
            "activities": Activity.objects.count(),
            "tags": Tag.objects.count(),
            "custom fields": len(CUSTOM_FIELDS),
            "account relations": AccountRelation.objects.count(),
            "job changes": job_changes,
            "converted leads": Lead.objects.filter(status=LeadStatus.CONVERTED).count(),
        }
        return self.summary

    # --- people who sign in -------------------------------------------------------------------

    def _user(self, email: str, role: str, first: str, last: str) -> User:
        user = User.objects.filter(email=email).first()
        if user is None:
            user, _ = create_user(
                None,
                email,
                role=role,
                password=self.summary.password,
                first_name=first,
                last_name=last,
            )
            self.summary.users.append(DemoUser(email, role, created=True))
        else:
            self.summary.users.append(DemoUser(email, user.role, created=False))
        return user

    def _users(self) -> None:
        admins = User.objects.filter(role=Role.ADMIN, is_active=True).order_by("pk")
        self.admin = admins.first() or self._user(*DEMO_ADMIN)
        made = [self._user(*spec) for spec in DEMO_USERS]
        self.manager, self.reps = made[0], made[1:3]
        self.editors = [self.manager, *self.reps]

    def _custom_fields(self) -> None:
        for spec in CUSTOM_FIELDS:
            create_definition(self.admin, {**spec, "position": CUSTOM_FIELDS.index(spec)})

    def _owner(self) -> User | None:
        """A rep or the manager; about one record in ten is left unowned."""
        return None if self.rng.random() < 0.1 else self.rng.choice(self.editors)

    # --- companies --------------------------------------------------------------------------------

    def _companies(self, count: int) -> list[Company]:
        return [self._company(name) for name in company_names(self.rng, count)]

    def _company(self, spec: CompanyName) -> Company:
        rng = self.rng
        city, region, postal_code = rng.choice(spec.country.cities)
        blurb = rng.choice(words.COMPANY_BLURBS).format(
            year=rng.randrange(1950, 2015),
            small=rng.randrange(8, 30),
            large=rng.randrange(60, 400),
            count=rng.randrange(3, 12),
        )
        owner = self._owner()
        data = {
            "name": spec.name,
            "domain": spec.domain,
            "website": f"https://www.{spec.domain}/",
            "industry": spec.industry,
            "size": rng.choice(CompanySize.values),
            "phone": phone_number(rng, spec.country.code),
            "description": blurb,
            "lifecycle": Lifecycle.CUSTOMER if rng.random() < 0.4 else Lifecycle.LEAD,
            "street": f"{rng.choice(spec.country.streets)} {rng.randrange(1, 200)}",
            "city": city,
            "region": region,
            "postal_code": postal_code,
            "country": spec.country.code,
            "owner_id": owner.pk if owner else None,
        }
        return create_company(owner or self.manager, data)

    # --- contacts ---------------------------------------------------------------------------------

    def _unique_email(self, local: str, domain: str) -> str:
        address, number = f"{local}@{domain}", 2
        while address in self.used_emails:
            address, number = f"{local}{number}@{domain}", number + 1
        self.used_emails.add(address)
        return address

    def _contact(self, companies: list[Company]) -> _Made:
        rng = self.rng
        company = rng.choice(companies) if rng.random() < 0.88 else None
        home = company.country if company and rng.random() < 0.8 else None
        person = make_person(rng, words.COUNTRY_BY_CODE.get(home) if home else None)
        department = rng.choice(list(words.DEPARTMENTS))
        seniority = rng.choices(list(SENIORITY_WEIGHTS), weights=SENIORITY_WEIGHTS.values())[0]
        role = self._buying_role(seniority, department)
        status = rng.choices(list(ContactStatus.values), weights=[80, 10, 5, 5])[0]
        owner = self._owner()
        data: dict[str, Any] = {
            "first_name": person.first_name,
            "last_name": person.last_name,
            "job_title": job_title(department, seniority),
            "department": department,
            "seniority": seniority,
            "role": role,
            "status": status,
            "lead_score": min(
                100, SENIORITY_SCORE[seniority] + ROLE_BONUS.get(role, 0) + rng.randrange(0, 16)
            ),
            "source": rng.choice(words.SOURCES),
            "company_id": company.pk if company else None,
            "owner_id": owner.pk if owner else None,
            "emails": self._emails(person, company, status),
            "phones": self._phones(person),
            "tags": rng.sample(words.TAGS, k=rng.choice((0, 0, 1, 1, 2, 3))),
            "custom_fields": self._custom_values(person, company),
            "country": person.country.code,
            **self._consent(person, company, status),
            **self._address(person),
        }
        if rng.random() < 0.3:
            slug = f"{ascii_slug(person.first_name)}-{ascii_slug(person.last_name)}"
            data["linkedin_url"] = f"https://www.linkedin.com/in/{slug}-{rng.randrange(16**6):06x}"
        contact = create_contact(owner or self.manager, data, allow_duplicate=True).contact
        return _Made(contact, person, department)

    def _buying_role(self, seniority: str, department: str) -> str:
        rng = self.rng
        if department in ("Procurement", "Legal") and rng.random() < 0.4:
            return BuyingRole.BLOCKER
        if seniority in (Seniority.C_LEVEL, Seniority.VP, Seniority.OWNER):
            return rng.choice((BuyingRole.DECISION_MAKER, BuyingRole.DECISION_MAKER, ""))
        if seniority in (Seniority.DIRECTOR, Seniority.MANAGER):
            return rng.choice((BuyingRole.INFLUENCER, BuyingRole.CHAMPION, BuyingRole.OTHER, ""))
        return rng.choice((BuyingRole.END_USER, BuyingRole.END_USER, ""))

    def _emails(self, person: Person, company: Company | None, status: str) -> list[dict]:
        rng = self.rng
        local = email_local_part(person)
        emails = []
        if company is not None:
            emails.append({"email": self._unique_email(local, company.domain), "kind": "work"})
        if company is None or rng.random() < 0.3:
            domain = rng.choice(PERSONAL_MAIL_DOMAINS)
            emails.append({"email": self._unique_email(local, domain), "kind": "personal"})
        emails[0]["is_primary"] = True
        emails[0]["is_bounced"] = status == ContactStatus.BOUNCED
        emails[0]["is_opted_out"] = status == ContactStatus.UNSUBSCRIBED
        return emails

    def _phones(self, person: Person) -> list[dict]:
        rng = self.rng
        phones = []
        if rng.random() < 0.75:
            phones.append({"number": phone_number(rng, person.country.code), "kind": "work"})
        if rng.random() < 0.4:
            number = phone_number(rng, person.country.code, mobile=True)
            phones.append({"number": number, "kind": "mobile"})
        return phones

    def _custom_values(self, person: Person, company: Company | None) -> dict[str, Any]:
        rng = self.rng
        values: dict[str, Any] = {}
        if company is not None and rng.random() < 0.4:
            values["budget"] = rng.choice((5_000, 12_000, 25_000, 48_000, 75_000, 120_000))
        if company is not None and company.lifecycle == Lifecycle.CUSTOMER:
            renewal = self.now.date() + dt.timedelta(days=rng.randrange(10, 365))
            values["renewal_date"] = renewal.isoformat()
        if rng.random() < 0.6:
            language = person.country.language
            values["preferred_language"] = language if language in words.LANGUAGES else "English"
        if rng.random() < 0.5:
            values["interests"] = rng.sample(words.INTERESTS, k=rng.randrange(1, 4))
        if rng.random() < 0.7:
            values["newsletter"] = rng.random() < 0.6
        return values

    def _consent(self, person: Person, company: Company | None, status: str) -> dict[str, Any]:
        rng = self.rng
        in_eu = person.country.code in EU_COUNTRIES
        when = self._past(HISTORY_DAYS)
        if status == ContactStatus.UNSUBSCRIBED or rng.random() < 0.07:
            return {
                "consent_status": ConsentStatus.OPTED_OUT,
                "consent_type": ConsentType.EXPLICIT,
                "consent_date": when,
                "consent_source": "Unsubscribe link",
            }
        draw = rng.random()
        if draw < 0.45:
            return {
                "consent_status": ConsentStatus.OPTED_IN,
                "consent_type": ConsentType.EXPLICIT if in_eu else rng.choice(ConsentType.values),
                "consent_date": when,
                "consent_source": rng.choice(words.CONSENT_SOURCES),
                "gdpr_basis": GdprBasis.CONSENT if in_eu else "",
            }
        if draw < 0.55:
            return {"consent_status": ConsentStatus.PENDING, "consent_date": when}
        customer = company is not None and company.lifecycle == Lifecycle.CUSTOMER
        basis = GdprBasis.CONTRACT if customer else GdprBasis.LEGITIMATE_INTEREST
        return {"consent_status": ConsentStatus.UNKNOWN, "gdpr_basis": basis if in_eu else ""}

    def _address(self, person: Person) -> dict[str, str]:
        rng = self.rng
        if rng.random() < 0.4:
            return {}
        city, region, postal_code = rng.choice(person.country.cities)
        street = f"{rng.choice(person.country.streets)} {rng.randrange(1, 120)}"
        return {"street": street, "city": city, "region": region, "postal_code": postal_code}

    # --- relations, history, job changes ----------------------------------------------------------

    def _relations(self, made: list[_Made], companies: list[Company]) -> None:
        for item in self.rng.sample(made, k=max(2, len(made) // 25)):
            others = [c for c in companies if c.pk != item.contact.company_id]
            role = self.rng.choice(words.RELATION_ROLES)
            add_account_relation(self.manager, item.contact, self.rng.choice(others), role)

    def _past(self, max_days: int, min_hours: int = 24) -> dt.datetime:
        """A time during working hours on a day between `min_hours` and `max_days` days ago.

        At least a day back, so moving the hour into working time never lands in the future.
        """
        moment = self.now - dt.timedelta(hours=self.rng.randrange(min_hours, max_days * 24))
        return moment.replace(hour=self.rng.randrange(8, 18), minute=self.rng.choice((0, 15, 30)))

    def _history(self, item: _Made) -> None:
        rng = self.rng
        contact = item.contact
        kinds = list(ACTIVITY_WEIGHTS)
        count = min(8, int(rng.expovariate(1 / 2.6)))
        moments = sorted(self._past(HISTORY_DAYS) for _ in range(count))
        for when in moments:
            kind = rng.choices(kinds, weights=ACTIVITY_WEIGHTS.values())[0]
            actor = contact.owner if contact.owner_id else rng.choice(self.editors)
            if kind == ActivityKind.NOTE:
                add_note(actor, contact, self._text(rng.choice(words.NOTE_BODIES), item), when)
            else:
                log_activity(
                    kind=kind,
                    contact=contact,
                    company=contact.company,
                    actor=actor if kind in OUTREACH_KINDS else None,
                    occurred_at=when,
                    **self._activity_text(kind, item),
                )

    def _activity_text(self, kind: str, item: _Made) -> dict[str, Any]:
        rng = self.rng
        if kind == ActivityKind.CALL:
            subject, body = rng.choice(words.CALL_SUBJECTS), rng.choice(words.CALL_BODIES)
        elif kind == ActivityKind.MEETING:
            subject, body = rng.choice(words.MEETING_SUBJECTS), rng.choice(words.MEETING_BODIES)
        elif kind == ActivityKind.EMAIL_SENT:
            subject, body = rng.choice(words.EMAIL_SUBJECTS), ""
        elif kind == ActivityKind.FORM_SUBMIT:
            form = rng.choice(("Request a demo", "Contact sales", "Download the buyer's guide"))
            return {"subject": f"Form: {form}", "metadata": {"form": form}}
        else:
            campaign = rng.choice(words.CAMPAIGNS)
            return {"subject": campaign, "metadata": {"campaign": campaign}}
        return {"subject": self._text(subject, item), "body": self._text(body, item)}

    def _text(self, template: str, item: _Made) -> str:
        rng = self.rng
        colleague = make_person(rng, item.person.country)
        return template.format(
            city=rng.choice(item.person.country.cities)[0],
            colleague=colleague.full_name,
            seats=rng.choice((5, 10, 25, 40, 100)),
            dept=item.department,
            count=rng.randrange(3, 12),
            industry=item.contact.company.industry if item.contact.company else "services",
        )

    def _backdate(self, made: list[_Made]) -> None:
        """Date each record's creation (and its audit entry) before its first activity."""
        firsts = dict(
            Activity.objects.filter(contact__in=[m.contact for m in made])
            .values("contact_id")
            .annotate(first=models.Min("occurred_at"))
            .values_list("contact_id", "first")
        )
        created: dict[int, dt.datetime] = {}
        for item in made:
            first = firsts.get(item.contact.pk) or self.now
            lead_time = dt.timedelta(days=self.rng.randrange(1, 60))
            created[item.contact.pk] = max(first - lead_time, self.now - dt.timedelta(days=600))
        _set_created(Contact, created)
        company_created: dict[int, dt.datetime] = {}
        for item in made:
            company_id = item.contact.company_id
            if company_id is not None:
                when = created[item.contact.pk] - dt.timedelta(days=2)
                company_created[company_id] = min(when, company_created.get(company_id, when))
        _set_created(Company, company_created)

    def _job_changes(self, made: list[_Made], companies: list[Company]) -> int:
        movers = [m for m in made if m.contact.company_id and m.contact.status == "active"]
        changed = 0
        for item in self.rng.sample(movers, k=min(2, len(movers))):
            contact = item.contact
            target = self.rng.choice([c for c in companies if c.pk != contact.company_id])
            email = self._unique_email(email_local_part(item.person), target.domain)
            seniority = contact.seniority or Seniority.MANAGER
            promoted = {Seniority.MANAGER: Seniority.DIRECTOR, Seniority.DIRECTOR: Seniority.VP}
            new_seniority = promoted.get(seniority, seniority)
            data = {
                "company_id": target.pk,
                "job_title": job_title(item.department, new_seniority),
                "department": item.department,
                "seniority": new_seniority,
                "emails": [{"email": email, "kind": "work", "is_primary": True}],
                "phones": [{"number": phone_number(self.rng, item.person.country.code)}],
            }
            change_job(self.manager, contact, data)
            changed += 1
        return changed

    # --- leads ------------------------------------------------------------------------------------

    def _leads(self, count: int, companies: list[Company]) -> None:
        rng = self.rng
        statuses = [
            LeadStatus.NEW,
            LeadStatus.WORKING,
            LeadStatus.QUALIFIED,
            LeadStatus.DISQUALIFIED,
        ]
        plan = [statuses[i % 4] for i in range(count - 1)]
        prospects = company_names(random.Random(rng.random()), MAX_COMPANY_NAMES)
        taken = {c.domain for c in companies}
        fresh = [p for p in prospects if p.domain not in taken]
        for index, status in enumerate(plan):
            # A couple of leads come from existing accounts, so conversion suggests them.
            existing = companies[index] if index < 2 and len(companies) > index else None
            self._lead(fresh[index], status, existing)
        lead = self._lead(fresh[len(plan)], LeadStatus.QUALIFIED, None)
        convert_lead(self.manager, lead)

    def _lead(self, prospect: CompanyName, status: str, existing: Company | None) -> Lead:
        rng = self.rng
        person = make_person(rng, prospect.country)
        company_name = existing.name if existing else prospect.name
        domain = existing.domain if existing else prospect.domain
        owner = self._owner()
        data = {
            "company_name": company_name,
            "first_name": person.first_name,
            "last_name": person.last_name,
            "email": self._unique_email(email_local_part(person), domain),
            "phone": phone_number(rng, prospect.country.code, mobile=rng.random() < 0.5),
            "job_title": job_title(
                rng.choice(list(words.DEPARTMENTS)), rng.choice(list(SENIORITY_WEIGHTS))
            ),
            "website": f"https://www.{domain}/",
            "source": rng.choice(words.SOURCES),
            "status": status,
            "notes": rng.choice(words.LEAD_NOTES),
            "owner_id": owner.pk if owner else None,
        }
        if status == LeadStatus.DISQUALIFIED:
            data["disqualified_reason"] = rng.choice(words.DISQUALIFY_REASONS)
        lead = create_lead(owner or self.manager, data)
        if status in (LeadStatus.WORKING, LeadStatus.QUALIFIED):
            log_activity(
                kind=ActivityKind.CALL,
                lead=lead,
                actor=owner or self.manager,
                subject="Qualification call",
                body=f"Spoke with {person.first_name} about timing and budget.",
                occurred_at=self._past(60),
            )
        return lead


def _noun(plural: str, count: int) -> str:
    if count != 1:
        return plural
    return plural[:-3] + "y" if plural.endswith("ies") else plural[:-1]


def job_title(department: str, seniority: str) -> str:
    """A plausible title for someone of `seniority` in `department`."""
    individual, chief = words.DEPARTMENTS[department]
    titles = {
        Seniority.ENTRY: f"Junior {individual}",
        Seniority.SENIOR: f"Senior {individual}",
        Seniority.MANAGER: f"{department} Manager",
        Seniority.DIRECTOR: f"Director of {department}",
        Seniority.VP: f"VP {department}",
        Seniority.C_LEVEL: chief,
        Seniority.OWNER: "Founder & CEO",
    }
    return titles[Seniority(seniority)]


def _set_created(model: type[models.Model], created: dict[int, dt.datetime]) -> None:
    """Move `created_at` of the given rows, and the `at` of their creation audit entries."""
    rows = list(model._default_manager.filter(pk__in=created))
    for row in rows:
        row.created_at = created[row.pk]  # type: ignore[attr-defined]
    model._default_manager.bulk_update(rows, ["created_at"], batch_size=500)
    entries = list(
        AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(model),
            object_id__in=created,
            action=AuditAction.CREATE,
        )
    )
    for entry in entries:
        entry.at = created[entry.object_id]
    AuditEntry.objects.bulk_update(entries, ["at"], batch_size=500)
