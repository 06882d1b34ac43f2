"""A scan: block, bound every candidate pair's score in bulk, score the promising ones exactly.

Everything that grows with the number of candidate pairs runs on numpy arrays of compact record
indexes, never on per-pair Python objects:

1. Blocking keys are hashed to int64 (worker processes each take a slice of the records and
   send back arrays); sorting the (key, record) arrays groups the blocks.
2. Candidate pairs are generated per block-size class with triangular index tables, oversized
   blocks by a sliding window over a precomputed neighbour order, and deduplicated as int64
   codes with np.unique.
3. For every pair an upper bound of `score_pair` is computed column-wise (rapidfuzz `cpdist`
   for the Jaro-Winkler similarities, hashed identifiers for equality). It repeats the
   scorer's rules, leaving out only the ones that can lower a score (job-change links, the
   name-repeating email username), so a pair it drops cannot reach the "possible" band.
4. Only the pairs that survive (a few per cent) are scored by `score_pair`, which stays the
   single source of truth for scores and reasons.
"""

from __future__ import annotations

import math
import multiprocessing
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from rapidfuzz.distance import JaroWinkler
from rapidfuzz.process import cpdist

from peoplebase.duplicates.engine.blocking import (
    MAX_BLOCK,
    NEIGHBOUR_WINDOW,
    blocking_keys,
    name_key,
    neighbour_sort_key,
)
from peoplebase.duplicates.engine.records import PersonRecord
from peoplebase.duplicates.engine.scoring import (
    BIRTHDAY_DAY_POINTS,
    BIRTHDAY_POINTS,
    COMMON_NAME_FROM,
    DEFAULT_THRESHOLDS,
    Thresholds,
    birthday_parts,
    score_pair,
)

ScoredPair = tuple[int, int, float, str]  # (id_a < id_b, score, reasons joined by "; ")

PARALLEL_FROM = 5000  # records; below this, forking workers costs more than it saves
KEY_SLICE = 50_000  # records per blocking-key task
PAIR_CHUNK = 250_000  # candidate pairs bounded at once (keeps the float arrays small)
MULTI = 2  # emails / phones per record compared column-wise; records with more are scored exactly
# The bound is computed in float64 like the scorer; the slack absorbs rounding at a boundary.
SLACK = 0.5

_STATE: dict[str, Any] = {}


@dataclass
class ScanResult:
    pairs: list[ScoredPair] = field(default_factory=list)
    candidate_pairs: int = 0
    blocks: int = 0


# --- workers ---------------------------------------------------------------------------------


def _map(fn: Callable[[Any], Any], tasks: list[Any], workers: int) -> list[Any]:
    """fn over tasks, in forked workers that read _STATE copy-on-write (no records pickled)."""
    if workers <= 1 or len(tasks) <= 1:
        return [fn(t) for t in tasks]
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(workers) as pool:
        return pool.map(fn, tasks, chunksize=1)


def _key_slice(bounds: tuple[int, int]) -> tuple[np.ndarray, np.ndarray]:
    records = _STATE["records"]
    hashes: list[int] = []
    owners: list[int] = []
    for i in range(*bounds):
        for key in blocking_keys(records[i]):
            hashes.append(hash(key))
            owners.append(i)
    return (
        np.fromiter(hashes, dtype=np.int64, count=len(hashes)),
        np.fromiter(owners, dtype=np.int32, count=len(owners)),
    )


def _score_slice(bounds: tuple[int, int]) -> list[ScoredPair]:
    records, pairs_a, pairs_b = _STATE["records"], _STATE["pairs_a"], _STATE["pairs_b"]
    counts, thresholds = _STATE["counts"], _STATE["thresholds"]
    found: list[ScoredPair] = []
    lo, hi = bounds
    for a, b in zip(pairs_a[lo:hi].tolist(), pairs_b[lo:hi].tolist(), strict=True):
        ra, rb = records[a], records[b]
        match = score_pair(ra, rb, name_count=max(counts[a], counts[b]), thresholds=thresholds)
        if match is not None:
            low, high = (ra.id, rb.id) if ra.id < rb.id else (rb.id, ra.id)
            found.append((low, high, match.score, match.explanation))
    return found


def _slices(total: int, size: int) -> list[tuple[int, int]]:
    return [(lo, min(lo + size, total)) for lo in range(0, total, size)]


# --- blocking and candidate pairs ------------------------------------------------------------


def _blocks(workers: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(record index sorted by key hash then index, group starts, group ends), groups >= 2."""
    n = len(_STATE["records"])
    parts = _map(_key_slice, _slices(n, KEY_SLICE), workers)
    h = np.concatenate([p[0] for p in parts]) if parts else np.zeros(0, np.int64)
    o = np.concatenate([p[1] for p in parts]) if parts else np.zeros(0, np.int32)
    del parts
    # Owners come in ascending order (slices in order, records in order within each), so a
    # stable sort on the key alone orders by (key, owner).
    order = np.argsort(h, kind="stable")
    o = o[order]
    h = h[order]
    del order
    if len(h):
        # One record listed twice under one key (two emails with one mailbox name) counts once.
        keep = np.ones(len(h), dtype=bool)
        keep[1:] = (h[1:] != h[:-1]) | (o[1:] != o[:-1])
        h, o = h[keep], o[keep]
    if len(h) == 0:
        empty = np.zeros(0, dtype=np.int64)
        return o, empty, empty
    change = np.flatnonzero(h[1:] != h[:-1]) + 1
    starts = np.concatenate(([0], change))
    ends = np.concatenate((change, [len(h)]))
    big = (ends - starts) >= 2
    return o, starts[big], ends[big]


def _neighbour_rank(records: Sequence[PersonRecord], members: np.ndarray) -> np.ndarray:
    """Each member's position in neighbour order (only oversized blocks' members are sorted)."""
    unique = np.unique(members)
    order = sorted(unique.tolist(), key=lambda i: (neighbour_sort_key(records[i]), i))
    rank = np.zeros(len(records), dtype=np.int64)
    rank[np.asarray(order, dtype=np.int64)] = np.arange(len(order), dtype=np.int64)
    return rank[members]


def _unique_in_place(codes: np.ndarray) -> np.ndarray:
    """The distinct values of an array this code owns, sorted in place (np.unique would copy
    it first: at ten million pairs that copy was the scan's memory peak)."""
    if len(codes) < 2:
        return codes
    codes.sort()
    keep = np.empty(len(codes), dtype=bool)
    keep[0] = True
    np.not_equal(codes[1:], codes[:-1], out=keep[1:])
    return codes[keep]


def _merged(parts: list[np.ndarray]) -> np.ndarray:
    """The distinct codes of all parts; each part is freed as soon as it is copied over."""
    if not parts:
        return np.zeros(0, dtype=np.int64)
    merged = np.empty(sum(len(p) for p in parts), dtype=np.int64)
    at = 0
    while parts:
        part = parts.pop()
        merged[at : at + len(part)] = part
        at += len(part)
        del part
    return _unique_in_place(merged)


def _candidate_codes(
    owners: np.ndarray, starts: np.ndarray, ends: np.ndarray, records: Sequence[PersonRecord]
) -> np.ndarray:
    """Unique pair codes a * n + b (a < b, record indexes) to compare, as block_pairs does:
    every pair of a small block, near neighbours of an oversized one."""
    n = len(records)
    sizes = ends - starts
    codes: list[np.ndarray] = []
    for size in np.unique(sizes[sizes <= MAX_BLOCK]).tolist():
        first = starts[sizes == size]
        members = owners[first[:, None] + np.arange(size)].astype(np.int64)  # ascending rows
        i, j = np.triu_indices(size, 1)
        part = members[:, i].ravel() * n
        part += members[:, j].ravel()
        codes.append(_unique_in_place(part))
    large = sizes > MAX_BLOCK
    if large.any():
        lengths = sizes[large]
        group = np.repeat(np.arange(len(lengths), dtype=np.int32), lengths)
        spans = zip(starts[large], ends[large], strict=True)
        index = np.concatenate([np.arange(s, e) for s, e in spans])
        members = owners[index].astype(np.int64)
        del index
        order = np.lexsort((_neighbour_rank(records, members), group))
        members, group = members[order], group[order]
        del order
        for step in range(1, NEIGHBOUR_WINDOW + 1):
            same = group[step:] == group[:-step]
            a, b = members[:-step][same], members[step:][same]
            part = np.minimum(a, b) * n
            part += np.maximum(a, b)
            del a, b, same
            codes.append(_unique_in_place(part))
    return _merged(codes)


def _split_codes(codes: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """(a, b) record indexes of pair codes, as int32 (half the memory of int64 at ten million
    candidates), converted a chunk at a time so no full-length int64 temporary is made."""
    a = np.empty(len(codes), dtype=np.int32)
    b = np.empty(len(codes), dtype=np.int32)
    for lo, hi in _slices(len(codes), PAIR_CHUNK * 4):
        a[lo:hi], b[lo:hi] = np.divmod(codes[lo:hi], n)
    return a, b


# --- the score bound -------------------------------------------------------------------------


def _hash_or_zero(value: str) -> int:
    return hash(value) or 1 if value else 0


def _hashes(values: list[tuple[str, ...]]) -> np.ndarray:
    out = np.zeros((len(values), MULTI), dtype=np.int64)
    for i, row in enumerate(values):
        for j, value in enumerate(row[:MULTI]):
            out[i, j] = _hash_or_zero(value)
    return out


def _columns(records: Sequence[PersonRecord]) -> dict[str, np.ndarray]:
    def strings(name: str) -> np.ndarray:
        return np.array([getattr(r, name) for r in records], dtype=object)

    def hashed(values: list[str]) -> np.ndarray:
        return np.fromiter((_hash_or_zero(v) for v in values), dtype=np.int64, count=len(values))

    firsts = [r.first for r in records]
    return {
        "first": np.array(firsts, dtype=object),
        "given": strings("given"),
        "last": strings("last"),
        "company": strings("company"),
        "city": strings("city"),
        "first_len": np.fromiter(map(len, firsts), dtype=np.int32, count=len(records)),
        "initial": hashed([f[:1] for f in firsts]),
        "given_h": hashed([r.given for r in records]),
        "domain": hashed([r.domain for r in records]),
        "postcode": hashed([r.postcode for r in records]),
        "born": hashed([birthday_parts(r.birthday)[0] for r in records]),
        "born_day": hashed([birthday_parts(r.birthday)[1] if r.birthday else "" for r in records]),
        "uid": hashed([r.uid for r in records]),
        "emails": _hashes([r.emails for r in records]),
        "locals": _hashes([tuple(e.split("@", 1)[0] for e in r.emails) for r in records]),
        "roles": _hashes([r.role_emails for r in records]),
        "phones": _hashes([r.phones for r in records]),
        "overflow": np.fromiter(
            (
                len(r.emails) > MULTI or len(r.phones) > MULTI or len(r.role_emails) > MULTI
                for r in records
            ),
            dtype=bool,
            count=len(records),
        ),
    }


def _jw(x: np.ndarray, y: np.ndarray, workers: int) -> np.ndarray:
    return cpdist(x, y, scorer=JaroWinkler.normalized_similarity, dtype=np.float64, workers=workers)


def _any_shared(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    shared = np.zeros(len(x), dtype=bool)
    for i in range(MULTI):
        for j in range(MULTI):
            shared |= (x[:, i] == y[:, j]) & (x[:, i] != 0)
    return shared


def _both_equal(col: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return (col[a] == col[b]) & (col[a] != 0)


def _both_known(col: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return (col[a] != 0) & (col[b] != 0)


def _name_parts(c: dict[str, np.ndarray], a: np.ndarray, b: np.ndarray, workers: int) -> Any:
    """(given, surname) similarity per pair, as scoring.name_similarity computes them."""
    first_a, first_b = c["first"][a], c["first"][b]
    last_a, last_b = c["last"][a], c["last"][b]
    len_a, len_b = c["first_len"][a], c["first_len"][b]
    known = (len_a > 0) & (len_b > 0)
    given = np.maximum(_jw(c["given"][a], c["given"][b], workers), _jw(first_a, first_b, workers))
    initials = (len_a == 1) | (len_b == 1)
    same_initial = c["initial"][a] == c["initial"][b]
    given = np.where(initials, np.where(same_initial, 0.85, 0.0), given)
    given = np.where(c["given_h"][a] == c["given_h"][b], 1.0, given)
    given = np.where(known, given, 0.5)
    last = _jw(last_a, last_b, workers)
    swapped_given = np.where(len_a > 1, _jw(first_a, last_b, workers), 0.0)
    swapped_last = _jw(last_a, first_b, workers)
    swap = known & (swapped_given + swapped_last > given + last + 0.05)
    given, last = np.where(swap, swapped_given, given), np.where(swap, swapped_last, last)
    return given, last, known, (last_a != "") & (last_b != "")


def _upper_bound(
    c: dict[str, np.ndarray], counts: np.ndarray, a: np.ndarray, b: np.ndarray, workers: int
) -> np.ndarray:
    """Points (0-100) no lower than score_pair would give each pair; -1 where it refuses."""
    email = _any_shared(c["emails"][a], c["emails"][b])
    strong = email | _both_equal(c["uid"], a, b)
    conflict = _both_known(c["born_day"], a, b) & (c["born_day"][a] != c["born_day"][b])
    conflict |= _both_known(c["born"], a, b) & (c["born"][a] != c["born"][b])
    conflict |= _both_known(c["uid"], a, b) & (c["uid"][a] != c["uid"][b])
    points = np.where(email, 45.0, np.where(_any_shared(c["locals"][a], c["locals"][b]), 20.0, 0))
    points += np.where(_any_shared(c["roles"][a], c["roles"][b]), 4.0, 0.0)
    points += np.where(_any_shared(c["phones"][a], c["phones"][b]), 35.0, 0.0)
    same_day = np.where(_both_equal(c["born_day"], a, b), BIRTHDAY_DAY_POINTS, 0.0)
    points += np.where(_both_equal(c["born"], a, b), BIRTHDAY_POINTS, same_day)
    points += np.where(_both_equal(c["uid"], a, b), 60.0, 0.0)
    given, last, known, both_last = _name_parts(c, a, b, workers)
    refused = conflict | (~strong & ((known & (given < 0.8)) | (both_last & (last < 0.8))))
    combined = 0.45 * given + 0.55 * last
    name = np.select(
        [combined >= 0.97, combined >= 0.92, combined >= 0.85], [30.0, 24.0, 16.0], 0.0
    )
    alike = np.maximum(counts[a], counts[b]).astype(np.float64)
    penalty = np.minimum(16.0, 5.0 * np.log2(np.maximum(alike, 1) / COMMON_NAME_FROM))
    points += np.where((name > 0) & (alike > COMMON_NAME_FROM), name - penalty, name)
    company_a, company_b = c["company"][a], c["company"][b]
    company = (company_a != "") & (company_b != "") & (_jw(company_a, company_b, workers) >= 0.92)
    points += np.where(company, 10.0, 0.0)
    points += np.where(_both_equal(c["domain"], a, b) & ~email, 6.0, 0.0)
    city_a, city_b = c["city"][a], c["city"][b]
    city = (city_a != "") & (city_b != "") & (_jw(city_a, city_b, workers) >= 0.9)
    points += np.where(_both_equal(c["postcode"], a, b), 8.0, np.where(city, 5.0, 0.0))
    points = np.where(c["overflow"][a] | c["overflow"][b], 100.0, points)
    return np.where(refused & ~c["overflow"][a] & ~c["overflow"][b], -1.0, points)


def _name_counts(records: Sequence[PersonRecord]) -> np.ndarray:
    """How many records share each record's name, per record index."""
    h = np.fromiter((hash(name_key(r)) for r in records), dtype=np.int64, count=len(records))
    _, inverse, counts = np.unique(h, return_inverse=True, return_counts=True)
    return counts[inverse].astype(np.int32)


# --- the scan --------------------------------------------------------------------------------


def scan(
    records: Sequence[PersonRecord],
    *,
    workers: int = 2,
    changed_ids: set[int] | None = None,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    progress: Callable[[str], None] | None = None,
) -> ScanResult:
    """Score candidate pairs; with `changed_ids`, only pairs touching a changed record."""
    say = progress or (lambda _msg: None)
    n = len(records)
    parallel = workers if workers > 1 and n >= PARALLEL_FROM else 1
    _STATE.update(records=records, thresholds=thresholds)
    try:
        owners, starts, ends = _blocks(parallel)
        say(f"blocked {n} records into {len(starts)} blocks")
        codes = _candidate_codes(owners, starts, ends, records)
        del owners
        pairs_a, pairs_b = _split_codes(codes, max(n, 1))
        del codes
        if changed_ids is not None:
            changed = np.fromiter((r.id in changed_ids for r in records), dtype=bool, count=n)
            touching = changed[pairs_a] | changed[pairs_b]
            pairs_a, pairs_b = pairs_a[touching], pairs_b[touching]
        candidates = len(pairs_a)
        counts = _name_counts(records)
        columns = _columns(records)
        floor = thresholds.possible * 100 - SLACK
        keep = np.zeros(candidates, dtype=bool)
        for lo, hi in _slices(candidates, PAIR_CHUNK):
            bound = _upper_bound(columns, counts, pairs_a[lo:hi], pairs_b[lo:hi], parallel)
            keep[lo:hi] = bound >= floor
        del columns
        _STATE.update(pairs_a=pairs_a[keep], pairs_b=pairs_b[keep], counts=counts.tolist())
        survivors = int(keep.sum())
        say(f"bounded {candidates} candidate pairs, {survivors} worth scoring")
        step = max(1, math.ceil(survivors / (parallel * 4)))
        outputs = _map(_score_slice, _slices(survivors, step), parallel)
    finally:
        _STATE.clear()
    result = ScanResult(blocks=len(starts), candidate_pairs=candidates)
    for found in outputs:
        result.pairs.extend(found)
    result.pairs.sort(key=lambda p: (-p[2], p[0], p[1]))
    say(f"scored {result.candidate_pairs} candidate pairs, {len(result.pairs)} suggested")
    return result
