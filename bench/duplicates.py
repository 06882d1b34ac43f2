#!/usr/bin/env python3
"""Duplicate-detection benchmark: generated people with known duplicates, scored against truth.

    .venv/bin/python bench/duplicates.py --size 10000
    .venv/bin/python bench/duplicates.py --size 100000 --splink
    .venv/bin/python bench/duplicates.py --on-create --data-dir /tmp/pb-1m --samples 300
    .venv/bin/python bench/duplicates.py --on-create --database-url postgres://…/bench1m

The generator is deterministic (--seed). About a fifth of the people get one or two extra
records with realistic drift: typos, nicknames, swapped names, initials, missing fields, a new
email domain or address, other phone formats, company suffixes, city typos. Hard
non-duplicates are mixed in: relatives sharing surname, phone and city; namesakes; colleagues
sharing a role address; and job changes (the same person at a new employer, linked, which must
not be suggested). Prints one JSON object: candidate pairs, pair completeness, precision,
recall and F1 per pair and after clustering, seconds and peak RSS; with --splink, Splink
(DuckDB) on the same data beside ours.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import sys
import time
from array import array
from collections.abc import Iterator
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from peoplebase.duplicates.engine import PersonRecord, make_record, scan
from peoplebase.duplicates.engine.blocking import blocking_keys
from peoplebase.duplicates.engine.clustering import cluster_pairs
from peoplebase.duplicates.engine.scoring import DEFAULT_THRESHOLDS

FIRST = [
    "james",
    "robert",
    "john",
    "michael",
    "william",
    "david",
    "richard",
    "joseph",
    "thomas",
    "charles",
    "christopher",
    "daniel",
    "matthew",
    "anthony",
    "mark",
    "donald",
    "steven",
    "paul",
    "andrew",
    "joshua",
    "kenneth",
    "kevin",
    "brian",
    "george",
    "timothy",
    "mary",
    "patricia",
    "jennifer",
    "linda",
    "elizabeth",
    "barbara",
    "susan",
    "jessica",
    "sarah",
    "karen",
    "lisa",
    "nancy",
    "betty",
    "margaret",
    "sandra",
    "ashley",
    "kimberly",
    "emily",
    "donna",
    "michelle",
    "carol",
    "amanda",
    "melissa",
    "deborah",
    "stephanie",
    "rebecca",
    "sharon",
    "laura",
    "cynthia",
    "amy",
    "kathleen",
    "angela",
    "shirley",
    "anna",
    "brenda",
    "pamela",
    "emma",
    "nicole",
    "helen",
    "samantha",
    "katherine",
    "christine",
    "debra",
    "rachel",
    "carolyn",
    "janet",
    "maria",
    "olivia",
    "heather",
    "diane",
    "julie",
    "joyce",
    "victoria",
    "ruth",
    "virginia",
    "lauren",
    "kelly",
    "christina",
    "joan",
    "evelyn",
    "judith",
    "andrea",
    "hannah",
    "jacqueline",
    "martha",
    "gloria",
    "teresa",
    "ann",
    "sara",
    "madison",
    "frances",
    "kathryn",
    "janice",
    "jean",
    "abigail",
    "alice",
    "lukas",
    "felix",
    "jonas",
    "leon",
    "noah",
    "elias",
    "finn",
    "paul",
    "luis",
    "hugo",
    "louis",
    "jules",
    "arthur",
    "raphael",
    "gabriel",
    "sofia",
    "lucia",
    "marta",
    "giulia",
    "chiara",
    "francesca",
    "ingrid",
    "astrid",
    "freya",
    "sven",
    "lars",
    "nils",
    "bjorn",
    "oskar",
]
LAST = [
    "smith",
    "johnson",
    "williams",
    "brown",
    "jones",
    "garcia",
    "miller",
    "davis",
    "rodriguez",
    "martinez",
    "hernandez",
    "lopez",
    "gonzalez",
    "wilson",
    "anderson",
    "thomas",
    "taylor",
    "moore",
    "jackson",
    "martin",
    "lee",
    "perez",
    "thompson",
    "white",
    "harris",
    "sanchez",
    "clark",
    "ramirez",
    "lewis",
    "robinson",
    "walker",
    "young",
    "allen",
    "king",
    "wright",
    "scott",
    "torres",
    "nguyen",
    "hill",
    "flores",
    "green",
    "adams",
    "nelson",
    "baker",
    "hall",
    "rivera",
    "campbell",
    "mitchell",
    "carter",
    "roberts",
    "muller",
    "schmidt",
    "schneider",
    "fischer",
    "weber",
    "meyer",
    "wagner",
    "becker",
    "schulz",
    "hoffmann",
    "koch",
    "richter",
    "klein",
    "wolf",
    "schroder",
    "neumann",
    "schwarz",
    "zimmermann",
    "braun",
    "kruger",
    "hofmann",
    "hartmann",
    "lange",
    "schmitt",
    "werner",
    "dubois",
    "durand",
    "lefebvre",
    "moreau",
    "laurent",
    "simon",
    "michel",
    "leroy",
    "roux",
    "david",
    "bertrand",
    "morel",
    "fournier",
    "rossi",
    "russo",
    "ferrari",
    "esposito",
    "bianchi",
    "romano",
    "colombo",
    "ricci",
    "marino",
    "greco",
    "bruno",
    "gallo",
    "conti",
    "andersson",
    "johansson",
    "karlsson",
    "nilsson",
    "eriksson",
    "larsson",
    "olsson",
    "persson",
    "svensson",
    "gustafsson",
]
SYLLABLES = [
    "ka",
    "lo",
    "mi",
    "ra",
    "ven",
    "tor",
    "sel",
    "bru",
    "dan",
    "fel",
    "gor",
    "han",
    "jen",
    "kor",
    "lin",
    "mar",
    "nor",
    "pel",
    "quin",
    "ros",
]
CITIES = [
    "london",
    "paris",
    "berlin",
    "madrid",
    "rome",
    "vienna",
    "zurich",
    "munich",
    "hamburg",
    "lyon",
    "milan",
    "turin",
    "boston",
    "chicago",
    "denver",
    "austin",
    "seattle",
    "portland",
    "dublin",
    "leeds",
    "bristol",
    "oslo",
    "stockholm",
]
SUFFIXES = ("Inc", "Ltd", "GmbH", "SA", "LLC", "")
WORK_DOMAINS = ("{c}.com", "{c}.de", "{c}.io")
FREE = ("gmail.com", "yahoo.com", "outlook.com", "gmx.de")
NICK = {
    "robert": "bob",
    "william": "bill",
    "margaret": "peggy",
    "james": "jim",
    "michael": "mike",
    "richard": "rick",
    "thomas": "tom",
    "elizabeth": "liz",
    "katherine": "kate",
    "christopher": "chris",
    "daniel": "dan",
    "david": "dave",
    "joseph": "joe",
    "anthony": "tony",
    "andrew": "andy",
    "matthew": "matt",
    "jennifer": "jen",
    "patricia": "pat",
    "steven": "steve",
    "timothy": "tim",
}


def surname(rng: random.Random) -> str:
    # Half common surnames, half rare made-up ones: real workspaces have both.
    if rng.random() < 0.5:
        return rng.choice(LAST)
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3)))


def typo(rng: random.Random, word: str) -> str:
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word) - 1)
    kind = rng.randrange(3)
    if kind == 0:
        return word[:i] + word[i + 1 :]
    if kind == 1:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    return word[:i] + rng.choice("aeiourstnl") + word[i + 1 :]


class Person:
    __slots__ = ("birthday", "city", "company", "email", "first", "last", "phone", "postcode")

    def __init__(self, rng: random.Random, last: str | None = None) -> None:
        self.first = rng.choice(FIRST)
        self.last = last or surname(rng)
        company = "".join(rng.choice(SYLLABLES) for _ in range(3))
        self.company = f"{company.title()} {rng.choice(SUFFIXES)}".strip()
        if rng.random() < 0.6:
            domain = rng.choice(WORK_DOMAINS).format(c=company)
        else:
            domain = rng.choice(FREE)
        sep = rng.choice((".", "", "_"))
        self.email = f"{self.first}{sep}{self.last}{rng.randint(1, 99)}@{domain}"
        self.phone = f"+{rng.choice((1, 44, 49, 33))}{rng.randint(2000000000, 9999999999)}"
        self.city = rng.choice(CITIES)
        self.postcode = str(rng.randint(10000, 99999))
        self.birthday = (
            f"19{rng.randint(50, 99)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            if rng.random() < 0.3
            else ""
        )


def as_record(rid: int, p: Person, **over: object) -> PersonRecord:
    values = {
        "first": p.first,
        "last": p.last,
        "emails": [p.email] if p.email else [],
        "phones": [p.phone] if p.phone else [],
        "company": p.company,
        "city": p.city,
        "postcode": p.postcode,
        "birthday": p.birthday,
    }
    values.update(over)
    return make_record(rid, **values)  # type: ignore[arg-type]


def drift(rng: random.Random, rid: int, p: Person) -> PersonRecord:
    """Another record of the same person, changed in one to three realistic ways."""
    first, last = p.first, p.last
    email, phone = p.email, p.phone
    company, city, postcode = p.company, p.city, p.postcode
    for _ in range(rng.randint(1, 3)):
        change = rng.randrange(10)
        if change == 0:
            first = typo(rng, first)
        elif change == 1:
            last = typo(rng, last)
        elif change == 2:
            first = NICK.get(first, first[0])
        elif change == 3:
            first, last = last, first
        elif change == 4:
            first = first[0]
        elif change == 5:
            email = ""
        elif change == 6 and email:
            email = email.split("@")[0] + "@" + rng.choice(FREE)
        elif change == 7:
            city, postcode = rng.choice(CITIES), str(rng.randint(10000, 99999))
        elif change == 8:
            phone = ""
        else:
            city = typo(rng, city)
            company = company.rsplit(" ", 1)[0]
    return make_record(
        rid,
        first=first,
        last=last,
        emails=[email] if email else [],
        phones=[phone] if phone else [],
        company=company,
        city=city,
        postcode=postcode,
        birthday=p.birthday,
    )


def generate(size: int, seed: int = 7) -> Iterator[tuple[PersonRecord, int]]:
    """(record, entity) in a deterministic order; records of one entity are true duplicates."""
    rng = random.Random(seed)
    rid = 0
    entity = 0
    while rid < size:
        entity += 1
        p = Person(rng)
        rid += 1
        yield as_record(rid, p), entity
        roll = rng.random()
        if roll < 0.2:  # one or two duplicates
            for _ in range(1 if rng.random() < 0.8 else 2):
                rid += 1
                yield drift(rng, rid, p), entity
        elif roll < 0.26:  # a relative: same surname, phone and city, another first name
            entity += 1
            q = Person(rng, last=p.last)
            while q.first == p.first:
                q.first = rng.choice(FIRST)
            rid += 1
            yield as_record(rid, q, phones=[p.phone], city=p.city, postcode=p.postcode), entity
        elif roll < 0.30:  # a namesake: same common name, nothing else in common
            entity += 1
            q = Person(rng, last=p.last)
            rid += 1
            yield as_record(rid, q, first=p.first), entity
        elif roll < 0.33:  # colleagues sharing a role address
            entity += 1
            q = Person(rng)
            shared = "info@" + p.company.split()[0].lower() + ".com"
            rid += 1
            yield as_record(rid, q, emails=[shared], company=p.company), entity
        elif roll < 0.36:  # a job change: same person, new employer, linked to the old record
            entity += 1
            q = Person(rng)
            rid += 1
            yield (
                as_record(
                    rid, p, emails=[q.email], phones=[q.phone], company=q.company, links=[rid - 1]
                ),
                entity,
            )


class Truth:
    """The true duplicates, column-wise: one entity number per record (records[i] has id
    i + 1), so a million records cost 4 MB instead of a set of pair tuples."""

    def __init__(self, entities: np.ndarray) -> None:
        self.entities = entities
        _, counts = np.unique(entities, return_counts=True)
        self.pairs = int((counts.astype(np.int64) * (counts - 1) // 2).sum())

    def is_true(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """Per pair of record ids: are they one entity?"""
        return self.entities[a - 1] == self.entities[b - 1]

    def iter_pairs(self) -> Iterator[tuple[int, int]]:
        """Every true pair of record ids, generated one entity at a time."""
        order = np.argsort(self.entities, kind="stable")
        ordered = self.entities[order]
        starts = np.flatnonzero(np.diff(ordered, prepend=ordered[:1] - 1))
        ends = np.append(starts[1:], len(ordered))
        big = ends - starts > 1
        for lo, hi in zip(starts[big].tolist(), ends[big].tolist(), strict=True):
            ids = (order[lo:hi] + 1).tolist()
            for i, a in enumerate(ids):
                for b in ids[i + 1 :]:
                    yield a, b


def quality(true_found: int, found: int, truth: Truth) -> dict[str, float]:
    precision = true_found / found if found else 0.0
    recall = true_found / truth.pairs if truth.pairs else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}


def pair_quality(a: np.ndarray, b: np.ndarray, truth: Truth) -> dict[str, float]:
    """Quality of distinct found pairs of record ids (a[i], b[i])."""
    return {"pairs": len(a), **quality(int(truth.is_true(a, b).sum()), len(a), truth)}


def cluster_quality(clusters: list[list[int]], truth: Truth) -> dict[str, float]:
    """Every pair inside a cluster counts as found; true ones share an entity."""
    found = true_found = 0
    for group in clusters:
        found += len(group) * (len(group) - 1) // 2
        _, counts = np.unique(truth.entities[np.asarray(group) - 1], return_counts=True)
        true_found += int((counts * (counts - 1) // 2).sum())
    return {"count": len(clusters), **quality(true_found, found, truth)}


def peak_rss_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return round((own + children) / 1024, 1)


def own_peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _id_columns(pairs: Iterator[tuple[int, int]]) -> tuple[np.ndarray, np.ndarray]:
    flat = np.fromiter((x for pair in pairs for x in pair), dtype=np.int64)
    return flat[0::2], flat[1::2]


def run_ours(records: list[PersonRecord], truth: Truth, workers: int) -> dict:
    before = own_peak_rss_mb()  # the generated records and the truth, held by the benchmark
    started = time.perf_counter()
    result = scan(records, workers=workers)
    seconds = time.perf_counter() - started
    likely_floor = DEFAULT_THRESHOLDS.likely
    likely = _id_columns((a, b) for a, b, s, _ in result.pairs if s >= likely_floor)
    both = _id_columns((a, b) for a, b, _, _ in result.pairs)
    clusters = cluster_pairs(
        ((a, b, s) for a, b, s, _ in result.pairs if s >= likely_floor),
        lambda rid: records[rid - 1],
    )
    covered = sum(
        1
        for a, b in truth.iter_pairs()
        if set(blocking_keys(records[a - 1])) & set(blocking_keys(records[b - 1]))
    )
    return {
        "seconds": round(seconds, 2),
        "rss_before_scan_mb": before,
        "main_process_peak_rss_mb": own_peak_rss_mb(),
        "largest_worker_peak_rss_mb": round(
            resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1
        ),
        "candidate_pairs": result.candidate_pairs,
        "pair_completeness": round(covered / truth.pairs, 4) if truth.pairs else 1.0,
        "likely": pair_quality(*likely, truth),
        "likely_and_possible": pair_quality(*both, truth),
        "clusters": cluster_quality(clusters, truth),
    }


def run_splink(records: list[PersonRecord], truth: Truth) -> dict:
    try:
        import pandas as pd
        import splink.comparison_library as cl
        from splink import DuckDBAPI, Linker, SettingsCreator, block_on
    except ImportError:
        return {"skipped": "splink is not installed: pip install -e '.[bench]'"}
    frame = pd.DataFrame(
        {
            "unique_id": [r.id for r in records],
            "first_name": [r.given or None for r in records],
            "surname": [r.last or None for r in records],
            "email": [r.emails[0] if r.emails else None for r in records],
            "phone": [r.phones[0] if r.phones else None for r in records],
            "city": [r.city or None for r in records],
            "company": [r.company or None for r in records],
        }
    )
    started = time.perf_counter()
    settings = SettingsCreator(
        link_type="dedupe_only",
        comparisons=[
            cl.JaroWinklerAtThresholds("first_name", [0.9, 0.8]),
            cl.JaroWinklerAtThresholds("surname", [0.9, 0.8]),
            cl.ExactMatch("email"),
            cl.ExactMatch("phone"),
            cl.ExactMatch("city"),
            cl.ExactMatch("company"),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("email"),
            block_on("phone"),
            block_on("first_name", "surname"),
            block_on("surname", "city"),
        ],
    )
    linker = Linker(frame, settings, db_api=DuckDBAPI())
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("surname"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("email"))
    predictions = linker.inference.predict(threshold_match_probability=0.5).as_pandas_dataframe()
    seconds = time.perf_counter() - started
    found = {
        (min(a, b), max(a, b))
        for a, b in zip(predictions["unique_id_l"], predictions["unique_id_r"], strict=True)
    }
    return {"seconds": round(seconds, 2), **pair_quality(*_id_columns(iter(found)), truth)}


def _probes(samples: int) -> list[dict]:
    """What someone would type for `samples` contacts picked at random (seed 3), read before
    the clock starts: primary email and phone, full name, company."""
    from peoplebase.contacts.models import Contact

    rng = random.Random(3)
    top = Contact.objects.order_by("-id").values_list("id", flat=True).first() or 0
    fields = ("first_name", "last_name", "email", "phone", "company_id", "company__name")
    probes = []
    for _ in range(samples):
        row = (
            Contact.objects.filter(id__gte=rng.randint(1, max(top, 1)))
            .order_by("id")
            .values_list(*fields)
            .first()
        )
        if row is not None:
            first, last, email, phone, company_id, company = row
            probes.append(
                {
                    "emails": [email] if email else [],
                    "phones": [phone] if phone else [],
                    "full_name": f"{first} {last}",
                    "company_id": company_id,
                    "company_name": company,
                }
            )
    return probes


def on_create(data_dir: str, database_url: str, samples: int) -> dict:
    """p50/p95/p99 and CPU time of find_duplicate_candidates against an existing (seeded)
    database; reads only."""
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    elif data_dir:
        os.environ["PEOPLEBASE_DATA_DIR"] = data_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peoplebase.settings")
    import inspect

    import django

    django.setup()
    from django.db import connection

    from peoplebase.contacts.duplicates import find_duplicate_candidates
    from peoplebase.contacts.models import Contact

    probes = _probes(samples)
    # The contact form passes the company it resolved; code from before that takes the id only.
    if "company_name" not in inspect.signature(find_duplicate_candidates).parameters:
        for probe in probes:
            del probe["company_name"]
    timings, found = [], 0
    cpu_started = time.process_time()
    for probe in probes:
        started = time.perf_counter()
        found += len(find_duplicate_candidates(**probe))
        timings.append((time.perf_counter() - started) * 1000)
    cpu_ms = (time.process_time() - cpu_started) * 1000
    timings.sort()
    pick = lambda q: round(timings[min(len(timings) - 1, int(q * len(timings)))], 2)  # noqa: E731
    return {
        "database": connection.vendor,
        "contacts": Contact.objects.count(),
        "samples": len(timings),
        "p50_ms": pick(0.5),
        "p95_ms": pick(0.95),
        "p99_ms": pick(0.99),
        # This process only: PostgreSQL's own server time is not in it.
        "cpu_ms_per_call": round(cpu_ms / max(len(timings), 1), 2),
        "candidates_per_call": round(found / max(len(timings), 1), 2),
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--splink", action="store_true", help="also run Splink (DuckDB)")
    parser.add_argument("--on-create", action="store_true", help="time the on-create check")
    parser.add_argument("--data-dir", default="", help="seeded SQLite data dir for --on-create")
    parser.add_argument(
        "--database-url", default="", help="seeded PostgreSQL database for --on-create"
    )
    parser.add_argument("--samples", type=int, default=200, help="checks timed by --on-create")
    args = parser.parse_args()
    if args.on_create:
        print(json.dumps(on_create(args.data_dir, args.database_url, args.samples), indent=2))
        return 0
    started = time.perf_counter()
    records: list[PersonRecord] = []
    entities = array("i")
    for record, entity in generate(args.size, args.seed):
        records.append(record)
        entities.append(entity)
    del records[args.size :], entities[args.size :]
    truth = Truth(np.frombuffer(entities, dtype=np.int32))
    out = {
        "size": len(records),
        "true_pairs": truth.pairs,
        "generate_seconds": round(time.perf_counter() - started, 2),
        "peoplebase": run_ours(records, truth, args.workers),
    }
    out["peak_rss_mb"] = peak_rss_mb()
    if args.splink:
        out["splink"] = run_splink(records, truth)
    print(json.dumps(out, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
