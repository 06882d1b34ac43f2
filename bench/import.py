#!/usr/bin/env python3
"""Generate a messy contacts CSV, import it end to end, and report speed, memory and counts.

    .venv/bin/python bench/import.py --rows 100000
    .venv/bin/python bench/import.py --rows 1000000 --database-url postgres://postgres@127.0.0.1/bench

The file is deterministic for a given --rows and --seed: unique people with accented names,
mixed phone formats (E.164, national, dotted, other countries) and blank cells; about 5%
duplicates of earlier rows (the same email re-cased or padded, or the same phone re-formatted);
about 2% bad email addresses and 0.5% rows with neither name nor email. The generator knows
which rows must be created, skipped and rejected, and the benchmark checks the import's counts
against that truth exactly. It prints one JSON object (see bench/README.md).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import resource
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import seed as seeder

HEADER = [
    "First Name",
    "Last Name",
    "E-mail Address",
    "Mobile Phone",
    "Company",
    "Job Title",
    "City",
]
FIRST = (
    "Zoë", "José", "Ana", "Łukasz", "Søren", "Aurélie", "Mía", "Jürgen", "Chloé", "Noah",
    "Emma", "Liam", "Olivia", "Hiroshi", "Nguyễn", "Fatima", "Priya", "Oliver", "Sofía", "Björn",
)  # fmt: skip
LAST = (
    "García", "Müller", "Ångström", "O'Brien", "Dvořák", "Smith", "Nakamura", "Kowalski",
    "Ferrari", "Jensen", "Dubois", "Silva", "Novak", "Brown", "Öztürk", "Kim", "Patel", "Rossi",
)  # fmt: skip
COMPANY_WORDS = (
    "Acme", "Globex", "Initech", "Umbrella", "Stark", "Wayne", "Hooli", "Vandelay", "Soylent",
)  # fmt: skip
COMPANIES = tuple(f"{w} {k}" for w in COMPANY_WORDS for k in ("Inc", "GmbH", "Ltd", "SA"))
TITLES = ("CEO", "CTO", "Sales Manager", "Engineer", "", "", "Buyer", "Head of Ops")
CITIES = ("Paris", "Berlin", "New York", "", "São Paulo", "Kraków", "Tokyo", "")
SCATTER = 7_919  # coprime with 10**6: row numbers map one-to-one onto phone numbers
DUPLICATE, BAD_EMAIL, NO_IDENTITY = 0.05, 0.02, 0.005


def person(index: int, seed: int) -> dict[str, str]:
    """The unique person of row `index`: a pure function, so duplicates re-derive it."""
    rng = random.Random(seed * 1_000_003 + index)
    first, last = rng.choice(FIRST), rng.choice(LAST)
    local = (index * SCATTER) % 1_000_000
    kind = index % 5
    if kind == 0:
        phone = f"+1 212-5{local // 10000:02d}-{local % 10000:04d}"
    elif kind == 1:
        phone = f"(212) 5{local // 10000:02d}-{local % 10000:04d}"
    elif kind == 2:
        phone = f"212.5{local // 10000:02d}.{local % 10000:04d}"
    elif kind == 3:
        phone = f"+44 20 7{local // 10000:03d} {local % 10000:04d}"
    else:
        phone = ""  # blank cell
    return {
        "first": first,
        "last": last,
        "email": f"{ascii_fold(first)}.{ascii_fold(last)}.{index}@example.com",
        "phone": phone,
        "company": rng.choice(COMPANIES),
        "title": rng.choice(TITLES),
        "city": rng.choice(CITIES),
    }


def ascii_fold(text: str) -> str:
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if c.isascii() and c.isalnum()).lower() or "x"


def generate(path: Path, rows: int, seed: int) -> dict[str, int]:
    """Write the file and return the counts a correct import must produce."""
    rng = random.Random(seed)
    truth = {"created": 0, "updated": 0, "skipped": 0, "invalid": 0}
    uniques: list[int] = []  # row indexes of unique people, for duplicates to point at
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for index in range(rows):
            roll = rng.random()
            p = person(index, seed)
            if roll < DUPLICATE and uniques:
                p = person(uniques[rng.randrange(len(uniques))], seed)
                if p["phone"] and rng.random() < 0.5:
                    p["email"] = ""  # matched by the phone alone, written differently
                    p["phone"] = p["phone"].replace("-", " ").replace(".", " ")
                else:
                    p["email"] = f"  {p['email'].upper()} "
                truth["skipped"] += 1
            elif roll < DUPLICATE + BAD_EMAIL:
                p["email"] = p["email"].replace("@", " at ", 1)
                truth["invalid"] += 1
            elif roll < DUPLICATE + BAD_EMAIL + NO_IDENTITY:
                p["first"] = p["last"] = p["email"] = ""
                truth["invalid"] += 1
            else:
                uniques.append(index)
                truth["created"] += 1
            writer.writerow(
                [p["first"], p["last"], p["email"], p["phone"], p["company"], p["title"], p["city"]]
            )
    return truth


def peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def peak_cleaner_rss_mb() -> float:
    """The largest peak of the finished child processes (the cleaning processes)."""
    return round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1)


def process_cpu_seconds(who: int) -> float:
    """User + system CPU of this process (RUSAGE_SELF) or of its finished children
    (RUSAGE_CHILDREN: the cleaning processes): unlike wall-clock seconds, barely changed by
    other jobs sharing the machine."""
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def server_cpu_seconds() -> float | None:
    """CPU used so far by the PostgreSQL server, when it runs on this machine (read from
    /proc): every server process, plus what the postmaster has collected from those that have
    ended (the import writes on a connection of its own thread, and builds indexes on two
    more). The server's share of the import, which `cpu_seconds` leaves out; None on SQLite,
    when the server is elsewhere, or with another workload on it."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    ticks, found_postmaster = 0, False
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue  # ended meanwhile
        name = text[text.index("(") + 1 : text.rindex(")")]
        # The split below starts at field 3 (state); utime, stime, cutime and cstime are
        # fields 14 to 17.
        fields = text.rsplit(")", 1)[1].split()
        if name != "postgres" and not name.startswith("postgres:"):
            continue
        ticks += int(fields[11]) + int(fields[12])
        parent = Path(f"/proc/{fields[1]}/comm")
        if not parent.exists() or "postgres" not in parent.read_text():
            found_postmaster = True
            ticks += int(fields[13]) + int(fields[14])  # its ended children
    return ticks / os.sysconf("SC_CLK_TCK") if found_postmaster else None


def run(args: argparse.Namespace) -> dict[str, Any]:
    data_dir = seeder.configure(args, prefix="peoplebase-import-bench-")
    from django.core.management import call_command

    from peoplebase.contacts.models import Contact
    from peoplebase.imports import reports, services
    from peoplebase.users.models import User

    call_command("migrate", verbosity=0)
    path = Path(data_dir) / f"bench-{args.rows}.csv"
    started = time.perf_counter()
    truth = generate(path, args.rows, args.seed)
    generated = time.perf_counter() - started
    actor = User.objects.filter(email="bench-import@example.com").first()
    actor = actor or User.objects.create_user("bench-import@example.com", role="manager")
    before = Contact.objects.count()

    started, server_before = time.perf_counter(), server_cpu_seconds()
    own_before = process_cpu_seconds(resource.RUSAGE_SELF)
    children_before = process_cpu_seconds(resource.RUSAGE_CHILDREN)
    job = services.create_import_from_path(actor, path)
    upload_seconds = time.perf_counter() - started
    job = services.run_import_now(actor, job)
    total = time.perf_counter() - started
    own_cpu = process_cpu_seconds(resource.RUSAGE_SELF) - own_before
    cleaning_cpu = process_cpu_seconds(resource.RUSAGE_CHILDREN) - children_before
    server_after = server_cpu_seconds()
    server_cpu = None
    if server_before is not None and server_after is not None:
        server_cpu = round(server_after - server_before, 2)
    counts = {name: getattr(job, name) for name in truth}
    return {
        "rows": args.rows,
        "database": "postgresql" if args.database_url else "sqlite",
        "status": job.status,
        "rows_per_second": round(args.rows / total),
        "seconds_end_to_end": round(total, 2),
        "cpu_seconds": round(own_cpu + cleaning_cpu, 2),
        # The importing process (matching, writing, building indexes) and the cleaning ones.
        "cpu_seconds_importing": round(own_cpu, 2),
        "cpu_seconds_cleaning": round(cleaning_cpu, 2),
        "server_cpu_seconds": server_cpu,
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "seconds_per_stage": {"upload_and_count": round(upload_seconds, 2), **job.timings},
        "seconds_generating_file": round(generated, 2),
        "peak_rss_mb": peak_rss_mb(),
        "peak_rss_cleaner_mb": peak_cleaner_rss_mb(),
        "counts": counts,
        "expected": truth,
        "counts_exact": counts == truth and Contact.objects.count() - before == truth["created"],
        "mapping": reports.import_report(job)["mapping"],
        "cpu_count": os.cpu_count(),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--rows", type=int, default=100_000, help="default: %(default)s")
    parser.add_argument("--seed", type=int, default=1, help="default: %(default)s")
    parser.add_argument("--database-url", default="", help="PostgreSQL URL; default SQLite")
    parser.add_argument("--data-dir", default="", help="default: a new temporary directory")
    args = parser.parse_args(argv)
    if args.rows < 1:
        parser.error("--rows must be at least 1")
    result = run(args)
    print(json.dumps(result, indent=2, ensure_ascii=False))
    return 0 if result["counts_exact"] else 1


if __name__ == "__main__":
    sys.exit(main())
