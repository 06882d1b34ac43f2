#!/usr/bin/env python3
"""Time GDPR access exports and erasures on a seeded workspace, and print JSON.

    .venv/bin/python bench/gdpr.py --contacts 100000 --data-dir /tmp/pb-gdpr-bench
    .venv/bin/python bench/gdpr.py --contacts 100000 --database-url postgres://postgres@127.0.0.1/bench

Seeds with bench/seed.py when the database holds fewer contacts than asked (and builds the
search index), then exports and erases `--erasures` contacts picked at random. An erasure's
cost is dominated by the final sweep, a full scan of every text and JSON column of every table
for the person's addresses and phones; `sweep_seconds` times that scan on its own.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import seed as seeder


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--contacts", type=int, default=100_000, help="default: %(default)s")
    parser.add_argument("--erasures", type=int, default=5, help="default: %(default)s")
    parser.add_argument("--seed", type=int, default=3, help="random seed for the picks")
    parser.add_argument("--database-url", default="", help="PostgreSQL URL; default SQLite")
    parser.add_argument("--data-dir", default="", help="PEOPLEBASE_DATA_DIR (default: temp)")
    args = parser.parse_args()
    args.batch, args.index = 5_000, True
    return args


def ms(values: list[float]) -> dict[str, float]:
    return {
        "p50_ms": round(statistics.median(values) * 1000, 1),
        "max_ms": round(max(values) * 1000, 1),
    }


def main() -> int:
    args = parse_args()
    data_dir = seeder.configure(args)
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", interactive=False, verbosity=0)
    from peoplebase.compliance.erasure import sweep_values
    from peoplebase.compliance.services import build_access_document, erase_contact
    from peoplebase.contacts.models import Contact
    from peoplebase.core.errors import Conflict
    from peoplebase.search.services import rebuild_index
    from peoplebase.users.models import Role, User

    stats: dict = {"database": connection.vendor, "data_dir": data_dir}
    have = Contact.objects.count()
    if have < args.contacts:
        stats["seeded"] = seeder.seed(contacts=args.contacts - have, seed=args.seed)
        stats["index_seconds"] = rebuild_index().seconds
    admin = User.objects.filter(role=Role.ADMIN).first() or User.objects.create_user(
        "bench-admin@example.com", None, role=Role.ADMIN
    )
    stats["contacts"] = Contact.objects.count()

    started = time.perf_counter()
    sweep_values(["nobody.here@bench.invalid", "+19995550100"])
    stats["sweep_seconds"] = round(time.perf_counter() - started, 2)

    rng = random.Random(args.seed)
    top = Contact.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    exports, erasures, counts, skipped = [], [], {}, 0
    while len(erasures) < args.erasures:
        contact = Contact.objects.filter(pk__gte=rng.randint(1, top), email__gt="").first()
        if contact is None:
            continue
        started = time.perf_counter()
        build_access_document(admin, contact)
        exports.append(time.perf_counter() - started)
        started = time.perf_counter()
        try:
            log = erase_contact(admin, contact, reason="benchmark", suppress=True)
        except Conflict:
            skipped += 1
            continue
        erasures.append(time.perf_counter() - started)
        counts = log.counts
    stats["access_export"] = ms(exports)
    stats["erasure"] = ms(erasures)
    stats["erasures"] = len(erasures)
    stats["skipped_shared_address"] = skipped
    stats["last_erasure_counts"] = counts
    stats["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    print(json.dumps(stats))
    return 0


if __name__ == "__main__":
    sys.exit(main())
