#!/usr/bin/env python3
"""Time contact search on a seeded database: exact email, name prefix, company, typo, phone.

    .venv/bin/python bench/seed.py --contacts 1000000 --data-dir /tmp/pb-1m --index
    .venv/bin/python bench/search.py --data-dir /tmp/pb-1m                          # SQLite
    .venv/bin/python bench/search.py --database-url postgres://…/bench              # PostgreSQL

Sample values come from the database itself (a random contact's email, the first three letters
of a first name, a company's name, a surname with one letter dropped, a phone number written
the national way), a different one for each of `--repeat` timed calls of
`search.services.search_contacts`. Prints one line of JSON with p50/p95/p99/max in ms per kind
and the peak RSS. The index must be built (`seed.py --index` or `peoplebase search rebuild`).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", default="", help="PEOPLEBASE_DATA_DIR of a SQLite database")
    parser.add_argument("--database-url", default="", help="PostgreSQL URL instead of SQLite")
    parser.add_argument("--repeat", type=int, default=100, help="timed searches per kind")
    parser.add_argument("--limit", type=int, default=50, help="hits asked for (default 50)")
    parser.add_argument("--seed", type=int, default=7, help="random seed for the samples")
    return parser.parse_args()


def configure(args: argparse.Namespace) -> None:
    if args.data_dir:
        os.environ["PEOPLEBASE_DATA_DIR"] = args.data_dir
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "peoplebase.settings"
    import django

    django.setup()


def random_contact(rng: random.Random, top: int, **having: Any) -> Any:
    from peoplebase.contacts.models import Contact

    while True:
        start = rng.randrange(1, top)
        contact = Contact.objects.filter(pk__gte=start, **having).order_by("pk").first()
        if contact is not None:
            return contact


def samplers(rng: random.Random) -> dict[str, Callable[[], str]]:
    from django.db.models import Max

    from peoplebase.companies.models import Company
    from peoplebase.contacts.models import Contact
    from peoplebase.normalize import fold, format_phone_display

    top = Contact.objects.aggregate(top=Max("pk"))["top"] or 1
    top_company = Company.objects.aggregate(top=Max("pk"))["top"] or 1

    def email() -> str:
        return random_contact(rng, top, email__gt="").email

    def name_prefix() -> str:
        return fold(random_contact(rng, top, first_name__gt="").first_name)[:3]

    def company() -> str:
        start = rng.randrange(1, top_company + 1)
        found = Company.objects.filter(pk__gte=start).order_by("pk").first()
        return found.name if found else "none"

    def typo_surname() -> str:
        surname = fold(random_contact(rng, top, last_name__regex=r"^\w{5,}$").last_name)
        cut = rng.randrange(1, len(surname) - 1)
        return surname[:cut] + surname[cut + 1 :]

    def phone() -> str:
        number = random_contact(rng, top, phone__startswith="+").phone
        return format_phone_display(number)

    return {
        "exact_email": email,
        "name_prefix_3": name_prefix,
        "company": company,
        "typo_surname": typo_surname,
        "phone_formatted": phone,
    }


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def time_kind(sample: Callable[[], str], repeat: int, limit: int) -> dict[str, Any]:
    from peoplebase.search.services import search_contacts

    timings, empty = [], 0
    queries = [sample() for _ in range(repeat)]
    search_contacts(queries[0], limit=limit)  # warm caches and the connection
    for query in queries:
        started = time.perf_counter()
        hits = search_contacts(query, limit=limit)
        timings.append((time.perf_counter() - started) * 1000)
        empty += not hits
    return {
        "p50_ms": round(statistics.median(timings), 2),
        "p95_ms": round(percentile(timings, 0.95), 2),
        "p99_ms": round(percentile(timings, 0.99), 2),
        "max_ms": round(max(timings), 2),
        "no_hits": empty,
        "example": queries[0],
    }


def main() -> int:
    args = parse_args()
    configure(args)
    from django.db import connection

    from peoplebase.contacts.models import Contact

    rng = random.Random(args.seed)
    results = {
        kind: time_kind(sample, args.repeat, args.limit) for kind, sample in samplers(rng).items()
    }
    print(
        json.dumps(
            {
                "database": connection.vendor,
                "contacts": Contact.objects.count(),
                "repeat": args.repeat,
                "limit": args.limit,
                "search": results,
                "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
            },
            ensure_ascii=False,
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
