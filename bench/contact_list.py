#!/usr/bin/env python3
"""Time the contact list page as a signed-in user sees it, near the start and deep in the list.

    .venv/bin/python bench/contact_list.py --data-dir /tmp/pb-1m            # SQLite
    .venv/bin/python bench/contact_list.py --database-url postgres://…/bench  # PostgreSQL

Run it on a database seeded by bench/seed.py. Each case renders /contacts/ through Django's test
client (URL routing, the view, the service query, the template) `--repeat` times and reports
p50/p95/max in milliseconds. "deep" cases start from a cursor taken at the middle of the list,
which is where OFFSET pagination would be slowest; keyset pagination should cost the same.
Prints one line of JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

SORTS = ("name", "-created", "-score", "email", "-last_activity")
FILTERS = {
    "status=inactive": {"status": "inactive"},
    "owner=none": {"owner": "none"},
    "tag=VIP": {"tag": "VIP"},
    "consent=opted_in": {"consent_status": "opted_in"},
    # The foundation's search is a substring scan; the search issue replaces it with FTS.
    "q=no match (worst case)": {"q": "qqxxzz"},
}


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="", help="PostgreSQL URL; default SQLite")
    parser.add_argument("--data-dir", default="", help="PEOPLEBASE_DATA_DIR holding the SQLite DB")
    parser.add_argument("--repeat", type=int, default=30, help="renders per case (default 30)")
    return parser.parse_args()


def setup(args: argparse.Namespace) -> None:
    if args.data_dir:
        os.environ["PEOPLEBASE_DATA_DIR"] = args.data_dir
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peoplebase.settings")
    import django

    django.setup()


def timed(client: Any, url: str, repeat: int) -> dict[str, float]:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - start) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
    samples.sort()
    return {
        "p50_ms": round(statistics.median(samples), 1),
        "p95_ms": round(samples[max(0, int(len(samples) * 0.95) - 1)], 1),
        "max_ms": round(samples[-1], 1),
    }


def middle_cursor(sort_key: str) -> str:
    """A next-page cursor at the list's midpoint (found once with OFFSET, outside the timing)."""
    from peoplebase.contacts.models import Contact
    from peoplebase.contacts.services import CONTACT_SORTS
    from peoplebase.core.pagination import encode_cursor, ordering

    sort = CONTACT_SORTS[sort_key]
    rows = Contact.objects.filter(is_archived=False)
    middle = rows.count() // 2
    row = rows.order_by(*ordering(sort))[middle]
    return encode_cursor(sort, row, "next")


def main() -> None:
    args = parse_args()
    setup(args)
    from urllib.parse import urlencode

    from django.conf import settings
    from django.db import connection
    from django.test import Client

    from peoplebase.contacts.models import Contact
    from peoplebase.users.models import Role, User

    settings.ALLOWED_HOSTS = ["*"]
    user, _ = User.objects.get_or_create(
        email="bench-reader@example.com", defaults={"role": Role.MANAGER}
    )
    client = Client()
    client.force_login(user)
    cases: dict[str, Any] = {}
    for sort in SORTS:
        cases[f"sort={sort} first page"] = timed(client, f"/contacts/?sort={sort}", args.repeat)
        cursor = middle_cursor(sort)
        query = urlencode({"sort": sort, "cursor": cursor})
        cases[f"sort={sort} middle page"] = timed(client, f"/contacts/?{query}", args.repeat)
    for label, params in FILTERS.items():
        cases[f"{label} first page"] = timed(client, f"/contacts/?{urlencode(params)}", args.repeat)
    print(
        json.dumps(
            {
                "database": connection.vendor,
                "contacts": Contact.objects.count(),
                "repeat": args.repeat,
                "cases": cases,
                "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
            }
        )
    )


if __name__ == "__main__":
    main()
