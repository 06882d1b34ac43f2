#!/usr/bin/env python3
"""Time search, filtered pages, a deep page and a count on a seeded database.

    .venv/bin/python bench/seed.py --contacts 1000000 --data-dir /tmp/pb-1m --index
    .venv/bin/python bench/search.py --data-dir /tmp/pb-1m                          # SQLite
    .venv/bin/python bench/search.py --database-url postgres://…/bench              # PostgreSQL

Search: sample values come from the database itself (a random contact's email, the first three
letters of a first name, a company's name, a surname with one letter dropped, a phone number
written the national way), a different one for each of `--repeat` timed calls of
`search.services.search_contacts`, and the same kinds again as whole API requests
(`GET /api/v1/contacts?q=`).

Filters: the first page of six filter combinations, each as a whole request through Django
(routing, authentication, parsing the filter language, the query, serialising): the REST API
(`GET /api/v1/contacts?…`) and the web list page (`GET /contacts/?…`, the HTML with its filter
panel and saved views), and the web list's count for the same filters (`GET /contacts/count/?…`,
which htmx loads after the page: `filtered_count_ui`). Then page 5,000 of a filtered list (its
cursor is found once with OFFSET, outside the timing) against the same list's first page, and a
count (`include_count=true`: exact up to 1,000 matches, estimated beyond).

Prints one line of JSON with p50/p95/p99/max in ms per case, the targets of issue 3 with whether
each was met, and the peak RSS. The index must be built (`seed.py --index` or
`peoplebase search rebuild`).
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
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", default="", help="PEOPLEBASE_DATA_DIR of a SQLite database")
    parser.add_argument("--database-url", default="", help="PostgreSQL URL instead of SQLite")
    parser.add_argument("--repeat", type=int, default=100, help="timed searches per kind")
    parser.add_argument("--limit", type=int, default=50, help="hits asked for (default 50)")
    parser.add_argument("--seed", type=int, default=7, help="random seed for the samples")
    parser.add_argument(
        "--deep-page",
        type=int,
        default=DEEP_PAGE,
        help=f"the deep page timed against the first (default {DEEP_PAGE}; lower it below 1M)",
    )
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


FILTER_CASES = {
    "status+country": "status=inactive,bounced&country=DE",
    "tag": "tags_any=VIP",
    "consent+score": "consent_status=opted_in&lead_score_min=50",
    "no activity in 90 days+has phone": "last_activity_before=90d&has_phone=true",
    "created in the last 30 days": "created_after=30d",
    "owner+custom field": "owner={owner}&cf.tier=Gold",
}
DEEP_FILTER = "status=active"  # four in five contacts: page 5,000 exists at 1M
DEEP_PAGE = 5_000
TARGETS_MS = {"search_p95": 30, "filtered_first_page_p95": 50, "every_request_p99": 200}
DEEP_PAGE_WITHIN = 1.5  # times the same list's first page


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def summary(timings: list[float]) -> dict[str, float]:
    return {
        "p50_ms": round(statistics.median(timings), 2),
        "p95_ms": round(percentile(timings, 0.95), 2),
        "p99_ms": round(percentile(timings, 0.99), 2),
        "max_ms": round(max(timings), 2),
    }


def time_kind(queries: list[str], limit: int) -> dict[str, Any]:
    from peoplebase.search.services import search_contacts

    timings, empty = [], 0
    search_contacts(queries[0], limit=limit)  # warm caches and the connection
    for query in queries:
        started = time.perf_counter()
        hits = search_contacts(query, limit=limit)
        timings.append((time.perf_counter() - started) * 1000)
        empty += not hits
    return {**summary(timings), "no_hits": empty, "example": queries[0]}


def time_requests(client: Any, urls: list[str], **headers: str) -> dict[str, Any]:
    """Each URL once, in order, as a whole request through Django; the first is also a warm-up."""
    client.get(urls[0], **headers)
    timings = []
    for url in urls:
        started = time.perf_counter()
        response = client.get(url, **headers)
        timings.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}: {response.content[:300]!r}")
    return summary(timings)


def bench_user() -> tuple[Any, str]:
    """The signed-in manager the requests run as, with a fresh API token."""
    from peoplebase.users.models import Role, User
    from peoplebase.users.services import create_token

    user, _ = User.objects.get_or_create(
        email="bench-reader@example.com", defaults={"role": Role.MANAGER}
    )
    return user, create_token(user, "bench/search.py").secret


def deep_cursor(query: str, page: int, limit: int) -> str:
    """The cursor that opens page `page` of the name-sorted list, found once with OFFSET."""
    from django.http import QueryDict

    from peoplebase.contacts.filtering import parse_filters
    from peoplebase.contacts.services import CONTACT_SORTS, matching_contacts
    from peoplebase.core.pagination import encode_cursor, ordering
    from peoplebase.users.models import User

    actor = User.objects.get(email="bench-reader@example.com")
    spec = parse_filters(QueryDict(query).dict())
    sort = CONTACT_SORTS["name"]
    row = matching_contacts(actor, spec).order_by(*ordering(sort))[(page - 1) * limit - 1]
    return encode_cursor(sort, row, "next")


def main() -> int:
    args = parse_args()
    configure(args)
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    from peoplebase.contacts.models import Contact
    from peoplebase.core.runtime import load_application, tune_garbage_collector
    from peoplebase.users.models import User

    settings.ALLOWED_HOSTS = ["*"]
    # As the served app does (wsgi.py): load everything, then freeze it out of the collector.
    load_application()
    tune_garbage_collector()
    rng = random.Random(args.seed)
    user, token = bench_user()
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    client = Client()
    client.force_login(user)
    repeat, limit = args.repeat, args.limit

    samples = {kind: [sample() for _ in range(repeat)] for kind, sample in samplers(rng).items()}
    search = {kind: time_kind(queries, limit) for kind, queries in samples.items()}
    search_api = {
        kind: time_requests(
            client,
            [f"/api/v1/contacts?{urlencode({'q': q, 'limit': limit})}" for q in queries],
            **auth,
        )
        for kind, queries in samples.items()
    }

    owner = User.objects.filter(email__endswith="@bench.example").order_by("pk").first()
    filters = {
        name: query.format(owner=owner.pk if owner else "none")
        for name, query in FILTER_CASES.items()
    }
    api_pages = {
        name: time_requests(client, [f"/api/v1/contacts?{query}&limit={limit}"] * repeat, **auth)
        for name, query in filters.items()
    }
    ui_pages = {
        name: time_requests(client, [f"/contacts/?{query}"] * repeat)
        for name, query in filters.items()
    }
    # The list page's total, which htmx loads from its own endpoint once the page is shown.
    ui_counts = {
        name: time_requests(client, [f"/contacts/count/?{query}"] * repeat, HTTP_HX_REQUEST="true")
        for name, query in filters.items()
    }

    cursor = deep_cursor(DEEP_FILTER, args.deep_page, limit)
    first_url = f"/api/v1/contacts?{DEEP_FILTER}&limit={limit}"
    deep = {
        "filter": DEEP_FILTER,
        "page": args.deep_page,
        "first_page": time_requests(client, [first_url] * repeat, **auth),
        "deep_page": time_requests(
            client, [f"{first_url}&{urlencode({'cursor': cursor})}"] * repeat, **auth
        ),
    }
    count_url = f"/api/v1/contacts?{filters['consent+score']}&limit={limit}&include_count=true"
    counted = client.get(count_url, **auth).json()
    count = {
        "filter": filters["consent+score"],
        "count": counted["count"],
        "is_estimate": counted["count_is_estimate"],
        "request": time_requests(client, [count_url] * repeat, **auth),
    }

    every_p99 = [
        case["p99_ms"]
        for group in (search, search_api, api_pages, ui_pages, ui_counts)
        for case in group.values()
    ] + [deep["first_page"]["p99_ms"], deep["deep_page"]["p99_ms"], count["request"]["p99_ms"]]
    targets = {
        "search_p95_ms_le_30": max(c["p95_ms"] for c in search_api.values())
        <= TARGETS_MS["search_p95"],
        "filtered_first_page_api_p95_ms_le_50": max(c["p95_ms"] for c in api_pages.values())
        <= TARGETS_MS["filtered_first_page_p95"],
        "filtered_first_page_ui_p95_ms_le_50": max(c["p95_ms"] for c in ui_pages.values())
        <= TARGETS_MS["filtered_first_page_p95"],
        "deep_page_within_1_5x_first": deep["deep_page"]["p50_ms"]
        <= DEEP_PAGE_WITHIN * deep["first_page"]["p50_ms"],
        "every_request_p99_ms_le_200": max(every_p99) <= TARGETS_MS["every_request_p99"],
    }
    print(
        json.dumps(
            {
                "database": connection.vendor,
                "contacts": Contact.objects.count(),
                "repeat": repeat,
                "limit": limit,
                "search": search,
                "search_api_requests": search_api,
                "filtered_first_page_api": api_pages,
                "filtered_first_page_ui": ui_pages,
                "filtered_count_ui": ui_counts,
                "deep_page_api": deep,
                "count_api": count,
                "targets_met": targets,
                "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
            },
            ensure_ascii=False,
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
