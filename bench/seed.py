#!/usr/bin/env python3
"""Seed a Peoplebase database with N made-up contacts as fast as it can, and report the speed.

    .venv/bin/python bench/seed.py --contacts 100000
    .venv/bin/python bench/seed.py --contacts 100000 --database-url postgres://postgres@127.0.0.1/bench

Rows go in through the import's writer (imports/bulkwrite.py: COPY on PostgreSQL, executemany
INSERTs on SQLite), one transaction per batch, so memory stays flat however many contacts are
asked for. The data keeps the invariants the
services keep: folded sort names, the primary email and phone copied onto the contact, E.164
phone numbers, custom field values of the defined types, last-activity stamps matching the
timeline, and a creation entry in the audit log for every contact and company. See README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import resource
import sys
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from types import SimpleNamespace
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

Row = dict[str, Any]  # column attname -> value; absent columns take the field's default

HISTORY_DAYS = 540
COMPANY_EVERY = 20  # one account per this many contacts
# A contact is created up to this long before its activity, so creation dates spread over two
# years as in a workspace that has grown, rather than all sharing the moment of seeding.
CREATED_BEFORE_ACTIVITY_MINUTES = 180 * 24 * 60
# (country prefix, area, free digits): every number in the range is valid for its country
# (tests/demo/test_bench_seed.py samples them), and each contact id maps to its own number.
PHONE_RANGES = {
    "US": ("+1", "2125", 6),
    "GB": ("+44", "207", 7),
    "DE": ("+49", "30", 8),
    "FR": ("+33", "14", 7),
    "ES": ("+34", "91", 7),
    "PL": ("+48", "22", 7),
    "DK": ("+45", "26", 6),
    "SE": ("+46", "8", 8),
    "NL": ("+31", "20", 7),
    "VN": ("+84", "243", 7),
    "JP": ("+81", "35", 7),
    "BR": ("+55", "113", 7),
    "IN": ("+91", "98", 8),
    "AU": ("+61", "29", 7),
}
SCATTER = 7_919  # a prime: consecutive ids land far apart in a number range
TEAM_SIZE = 12  # reps created to own records when the workspace has no active user
UNOWNED_EVERY = 10  # one record in this many has no owner
CUSTOM_FIELDS = (
    ("budget", "Budget", "number", []),
    ("renewal_date", "Renewal date", "date", []),
    ("tier", "Tier", "single_select", ["Bronze", "Silver", "Gold"]),
    ("interests", "Interests", "multi_select", ["Analytics", "Automation", "Security", "API"]),
    ("newsletter", "Newsletter", "boolean", []),
)
ACTIVITY_TEXT = {
    "email_sent": ("Following up on our conversation", ""),
    "call": ("Discovery call", "Walked through their current process."),
    "meeting": ("Product demo", ""),
    "note": ("", "Prefers email; asked for a quote next quarter."),
    "email_opened": ("Spring newsletter", ""),
    "form_submit": ("Form: Request a demo", ""),
}
OUTREACH = frozenset({"email_sent", "call", "meeting"})
STATUSES = ("active",) * 16 + ("inactive", "inactive", "unsubscribed", "bounced")
SENIORITIES = ("entry", "senior", "senior", "manager", "manager", "director", "vp", "c_level")
CONSENT = ("opted_in", "opted_in", "pending", "opted_out", "unknown", "unknown")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--contacts", type=int, default=100_000, help="default: %(default)s")
    parser.add_argument("--batch", type=int, default=5_000, help="contacts per transaction")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default: %(default)s)")
    parser.add_argument("--database-url", default="", help="PostgreSQL URL; default SQLite")
    parser.add_argument(
        "--data-dir", default="", help="PEOPLEBASE_DATA_DIR to use (default: a new temp dir)"
    )
    parser.add_argument(
        "--index", action="store_true", help="rebuild the search index afterwards (timed)"
    )
    args = parser.parse_args(argv)
    if args.contacts < 1 or args.batch < 1:
        parser.error("--contacts and --batch must be at least 1")
    return args


def configure(args: argparse.Namespace, prefix: str = "peoplebase-bench-") -> str:
    """Point Peoplebase at the chosen database before Django loads; return the data dir."""
    data_dir = args.data_dir or tempfile.mkdtemp(prefix=prefix)
    os.environ["PEOPLEBASE_DATA_DIR"] = data_dir
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "peoplebase.settings"
    import django

    django.setup()
    return data_dir


@cache
def models() -> SimpleNamespace:
    """The models we write, imported once Django is set up."""
    from peoplebase.activities.models import Activity
    from peoplebase.audit.models import AuditEntry
    from peoplebase.companies.models import Company
    from peoplebase.contacts.models import Contact, ContactEmail, ContactPhone, ContactTag, Tag
    from peoplebase.customfields.models import CustomFieldDefinition
    from peoplebase.users.models import User

    return SimpleNamespace(
        Activity=Activity,
        AuditEntry=AuditEntry,
        Company=Company,
        Contact=Contact,
        ContactEmail=ContactEmail,
        ContactPhone=ContactPhone,
        ContactTag=ContactTag,
        CustomFieldDefinition=CustomFieldDefinition,
        Tag=Tag,
        User=User,
    )


# --- writing --------------------------------------------------------------------------------


class RowWriter:
    """Writes rows given as {attname: value} with the import's bulk writer (executemany
    INSERTs on SQLite, COPY on PostgreSQL), inside the caller's transaction."""

    def write(self, model: Any, rows: list[Row]) -> None:
        from peoplebase.imports.bulkwrite import insert_rows

        insert_rows(model, rows)


# --- data -----------------------------------------------------------------------------------


@dataclass
class Counts:
    """Rows written per table."""

    rows: dict[str, int] = field(default_factory=dict)

    def add(self, model: Any, count: int) -> None:
        name = str(model._meta.verbose_name_plural).replace(" ", "_")
        self.rows[name] = self.rows.get(name, 0) + count


@dataclass(frozen=True)
class CompanyRef:
    """What contacts need to know about their employer."""

    pk: int
    domain: str
    country: str


def phone_for(country_code: str, contact_id: int) -> str:
    """A valid E.164 number of the country, different for every contact id in its range."""
    country_prefix, area, free_digits = PHONE_RANGES[country_code]
    local = (contact_id * SCATTER) % 10**free_digits
    return f"{country_prefix}{area}{local:0{free_digits}d}"


def next_id(model: Any) -> int:
    from django.db.models import Max

    return (model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1


class Seeder:
    """Builds rows batch by batch from one random generator and hands them to a writer."""

    def __init__(self, rng: random.Random, writer: RowWriter) -> None:
        from django.contrib.contenttypes.models import ContentType
        from django.utils import timezone

        m = models()
        self.rng = rng
        self.writer = writer
        self.now = timezone.now()
        self.counts = Counts()
        self.contact_type_id = ContentType.objects.get_for_model(m.Contact).pk
        self.company_type_id = ContentType.objects.get_for_model(m.Company).pk
        self.owner_ids = self._team()
        self.tag_ids = self._tags()
        self._custom_fields()
        self.companies: list[CompanyRef] = []

    def _tags(self) -> list[int]:
        from peoplebase.demo.words import TAGS
        from peoplebase.normalize import fold

        tags = models().Tag.objects
        return [tags.get_or_create(name_key=fold(n), defaults={"name": n})[0].pk for n in TAGS]

    def _custom_fields(self) -> None:
        for position, (key, label, field_type, options) in enumerate(CUSTOM_FIELDS):
            models().CustomFieldDefinition.objects.get_or_create(
                key=key,
                defaults={
                    "label": label,
                    "field_type": field_type,
                    "options": options,
                    "position": position,
                },
            )

    def _team(self) -> list[int]:
        """Active users' ids; an empty workspace first gets a team of reps to own records."""
        users = models().User.objects
        if not users.filter(is_active=True).exists():
            for number in range(1, TEAM_SIZE + 1):
                users.create_user(
                    f"rep{number:02}@bench.example",
                    role="rep",
                    first_name="Rep",
                    last_name=f"{number:02}",
                )
        return sorted(users.filter(is_active=True).values_list("pk", flat=True))

    def _owner(self, key: int) -> int | None:
        """An owner picked from the record's id (not the random stream), none for one in ten."""
        if not self.owner_ids or key % UNOWNED_EVERY == 0:
            return None
        return self.owner_ids[(key * SCATTER) % len(self.owner_ids)]

    def _audit(self, content_type_id: int, pk: int, label: str, changes: Row) -> Row:
        return {
            "content_type_id": content_type_id,
            "object_id": pk,
            "object_repr": label[:300],
            "action": "create",
            "actor_label": "bench/seed.py",
            "at": self.now,
            "changes": {k: [None, v] for k, v in changes.items() if v},
        }

    def _flush(self, rows: dict[Any, list[Row]]) -> None:
        from django.db import transaction

        with transaction.atomic():
            for model, batch in rows.items():
                self.writer.write(model, batch)
        for model, batch in rows.items():
            self.counts.add(model, len(batch))

    def seed_companies(self, count: int, batch: int) -> None:
        m = models()
        first_id = next_id(m.Company)
        for start in range(0, count, batch):
            rows: dict[Any, list[Row]] = {m.Company: [], m.AuditEntry: []}
            for pk in range(first_id + start, first_id + min(count, start + batch)):
                company = self._company(pk)
                rows[m.Company].append(company)
                changes = {k: company[k] for k in ("name", "domain", "industry", "country")}
                rows[m.AuditEntry].append(
                    self._audit(self.company_type_id, pk, company["name"], changes)
                )
            self._flush(rows)

    def _company(self, pk: int) -> Row:
        from peoplebase.demo.people import pick_country
        from peoplebase.demo.words import COMPANY_KINDS, COMPANY_WORDS
        from peoplebase.normalize import fold

        rng = self.rng
        word = rng.choice(COMPANY_WORDS)
        kind, industry = rng.choice(COMPANY_KINDS)
        country = pick_country(rng)
        name = f"{word} {kind} {country.company_suffix}"
        domain = f"{word.lower()}{kind.lower()}{pk}.example"
        self.companies.append(CompanyRef(pk, domain, country.code))
        return {
            "id": pk,
            "name": name,
            "name_key": fold(name),
            "domain": domain,
            "website": f"https://{domain}/",
            "industry": industry,
            "country": country.code,
            "city": rng.choice(country.cities)[0],
            "lifecycle": "customer" if rng.random() < 0.4 else "lead",
            "owner_id": self._owner(pk),
            "created_at": self.now,
            "updated_at": self.now,
        }

    def seed_contacts(self, count: int, batch: int) -> None:
        m = models()
        first_id = next_id(m.Contact)
        for start in range(0, count, batch):
            rows: dict[Any, list[Row]] = {
                model: []
                for model in (
                    m.Contact,
                    m.ContactEmail,
                    m.ContactPhone,
                    m.ContactTag,
                    m.Activity,
                    m.AuditEntry,
                )
            }
            for pk in range(first_id + start, first_id + min(count, start + batch)):
                self._contact(pk, rows)
            self._flush(rows)

    def _contact(self, pk: int, rows: dict[Any, list[Row]]) -> None:
        from peoplebase.demo.people import email_local_part, make_person
        from peoplebase.demo.words import COUNTRY_BY_CODE, DEPARTMENTS, SOURCES
        from peoplebase.normalize import sort_key

        m, rng, now = models(), self.rng, self.now
        company = rng.choice(self.companies) if self.companies and rng.random() < 0.9 else None
        country = COUNTRY_BY_CODE[company.country] if company and rng.random() < 0.8 else None
        person = make_person(rng, country)
        local = f"{email_local_part(person)}.{pk:x}"
        emails = [(f"{local}@{company.domain}", "work")] if company else []
        if not company or rng.random() < 0.25:
            emails.append((f"{local}@mailbox.example", "personal"))
        phones = [(phone_for(person.country.code, pk), "work")] if rng.random() < 0.8 else []
        status = rng.choice(STATUSES)
        department = rng.choice(list(DEPARTMENTS))
        activity = self._activity(pk, company)
        contact = {
            "id": pk,
            "first_name": person.first_name,
            "last_name": person.last_name,
            "full_name": person.full_name,
            "sort_name": sort_key(person.first_name, person.last_name, person.full_name),
            "email": emails[0][0],
            "phone": phones[0][0] if phones else "",
            "job_title": f"{rng.choice(('Senior ', 'Lead ', ''))}{DEPARTMENTS[department][0]}",
            "department": department,
            "seniority": rng.choice(SENIORITIES),
            "company_id": company.pk if company else None,
            "status": status,
            "lead_score": rng.randrange(0, 101),
            "source": rng.choice(SOURCES),
            "owner_id": self._owner(pk),
            "custom_fields": self._custom_values(),
            "country": person.country.code,
            "consent_status": rng.choice(CONSENT),
            "last_activity_at": activity["occurred_at"],
            "last_contacted_at": activity["occurred_at"] if activity["kind"] in OUTREACH else None,
            # From the id, not the random stream: the rest of the data stays as it was.
            "created_at": activity["occurred_at"]
            - dt.timedelta(minutes=(pk * SCATTER) % CREATED_BEFORE_ACTIVITY_MINUTES),
            "updated_at": now,
        }
        rows[m.Contact].append(contact)
        rows[m.ContactEmail] += [
            {
                "contact_id": pk,
                "email": address,
                "original": address,
                "kind": kind,
                "is_primary": index == 0,
                "is_bounced": index == 0 and status == "bounced",
                "is_opted_out": index == 0 and status == "unsubscribed",
                "created_at": now,
            }
            for index, (address, kind) in enumerate(emails)
        ]
        rows[m.ContactPhone] += [
            {
                "contact_id": pk,
                "number": number,
                "original": number,
                "kind": kind,
                "is_primary": True,
                "created_at": now,
            }
            for number, kind in phones
        ]
        rows[m.ContactTag] += [
            {"contact_id": pk, "tag_id": tag_id, "created_at": now}
            for tag_id in rng.sample(self.tag_ids, k=rng.choice((0, 0, 1, 1, 2, 3)))
        ]
        rows[m.Activity].append(activity)
        changes = {"full_name": person.full_name, "email": contact["email"], "status": status}
        rows[m.AuditEntry].append(self._audit(self.contact_type_id, pk, person.full_name, changes))

    def _activity(self, contact_id: int, company: CompanyRef | None) -> Row:
        kind = self.rng.choice(list(ACTIVITY_TEXT))
        subject, body = ACTIVITY_TEXT[kind]
        minutes_ago = self.rng.randrange(60, HISTORY_DAYS * 24 * 60)
        return {
            "kind": kind,
            "contact_id": contact_id,
            "company_id": company.pk if company else None,
            "actor_id": self._owner(contact_id) if kind in OUTREACH or kind == "note" else None,
            "occurred_at": self.now - dt.timedelta(minutes=minutes_ago),
            "subject": subject,
            "body": body,
            "created_at": self.now,
            "updated_at": self.now,
        }

    def _custom_values(self) -> Row:
        rng = self.rng
        values: Row = {}
        if rng.random() < 0.4:
            values["budget"] = rng.choice((5_000, 12_000, 25_000, 48_000, 75_000))
        if rng.random() < 0.3:
            renewal = self.now.date() + dt.timedelta(days=rng.randrange(10, 365))
            values["renewal_date"] = renewal.isoformat()
        if rng.random() < 0.5:
            values["tier"] = rng.choice(("Bronze", "Silver", "Gold"))
        if rng.random() < 0.3:
            values["interests"] = rng.sample(["Analytics", "Automation", "Security", "API"], 2)
        if rng.random() < 0.6:
            values["newsletter"] = rng.random() < 0.5
        return values


def reset_sequences(connection: Any, model_list: Iterable[Any]) -> None:
    """PostgreSQL sequences must move past the ids assigned here."""
    from django.core.management.color import no_style

    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), list(model_list)):
            cursor.execute(statement)


def seed(*, contacts: int, batch: int = 5_000, seed: int = 1) -> dict[str, Any]:
    """Add `contacts` contacts (and 1/20 as many companies) to the configured database."""
    from django.db import connections

    connection = connections["default"]  # the wrapper itself: the proxy costs a lookup per use
    started = time.perf_counter()
    postgres = connection.vendor == "postgresql"
    seeder = Seeder(random.Random(seed), RowWriter())
    seeder.seed_companies(max(1, contacts // COMPANY_EVERY), batch)
    seeder.seed_contacts(contacts, batch)
    if postgres:
        reset_sequences(connection, [models().Company, models().Contact])
    seconds = time.perf_counter() - started
    rows = seeder.counts.rows
    total = sum(rows.values())
    return {
        "contacts": rows.get("contacts", 0),
        "companies": rows.get("companies", 0),
        "activities": rows.get("activities", 0),
        "rows": total,
        "rows_by_table": rows,
        "seconds": round(seconds, 2),
        "rows_per_second": round(total / seconds),
        "contacts_per_second": round(contacts / seconds),
        "database": connection.vendor,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    data_dir = configure(args)
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    stats = seed(contacts=args.contacts, batch=args.batch, seed=args.seed)
    if args.index:
        from peoplebase.search.services import rebuild_index

        stats["index_seconds"] = rebuild_index(batch=args.batch).seconds
    from peoplebase.core.dbstats import refresh_planner_statistics

    stats["analyze_seconds"] = refresh_planner_statistics()
    stats["data_dir"] = data_dir
    print(json.dumps(stats))
    return 0


if __name__ == "__main__":
    sys.exit(main())
