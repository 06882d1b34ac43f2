"""A scan: block, score every candidate pair once, in parallel, keep the pairs in a band.

Keys are hashed into numpy arrays and grouped by sorting, so a million records with ~10 keys
each need ~100 MB for blocking rather than gigabytes of dicts. Worker processes are forked and
read the records copy-on-write; each scores the pairs whose ids fall in its half.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from peoplebase.duplicates.engine.blocking import block_pairs, blocking_keys, name_key
from peoplebase.duplicates.engine.records import PersonRecord
from peoplebase.duplicates.engine.scoring import DEFAULT_THRESHOLDS, Thresholds, score_pair

ScoredPair = tuple[int, int, float, str]  # (id_a < id_b, score, reasons joined by "; ")

_STATE: dict[str, Any] = {}


@dataclass
class ScanResult:
    pairs: list[ScoredPair] = field(default_factory=list)
    candidate_pairs: int = 0
    blocks: int = 0


def _groups(records: Sequence[PersonRecord]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(record index sorted by key hash, group starts, group ends) for groups of >= 2."""
    hashes: list[int] = []
    owners: list[int] = []
    for i, record in enumerate(records):
        for key in blocking_keys(record):
            hashes.append(hash(key))
            owners.append(i)
    h = np.fromiter(hashes, dtype=np.int64, count=len(hashes))
    o = np.fromiter(owners, dtype=np.int32, count=len(owners))
    del hashes, owners
    order = np.argsort(h, kind="stable")
    h, o = h[order], o[order]
    if len(h) == 0:
        empty = np.zeros(0, dtype=np.int64)
        return o, empty, empty
    change = np.flatnonzero(h[1:] != h[:-1]) + 1
    starts = np.concatenate(([0], change))
    ends = np.concatenate((change, [len(h)]))
    big = (ends - starts) >= 2
    return o, starts[big], ends[big]


def _name_counts(records: Sequence[PersonRecord]) -> np.ndarray:
    """How many records share each record's name, per record index."""
    h = np.fromiter((hash(name_key(r)) for r in records), dtype=np.int64, count=len(records))
    _, inverse, counts = np.unique(h, return_inverse=True, return_counts=True)
    return counts[inverse].astype(np.int32)


def _work(part: int) -> tuple[list[ScoredPair], int]:
    records = _STATE["records"]
    owners, starts, ends = _STATE["owners"], _STATE["starts"], _STATE["ends"]
    counts, changed, parts = _STATE["counts"], _STATE["changed"], _STATE["parts"]
    thresholds: Thresholds = _STATE["thresholds"]
    seen: set[int] = set()
    found: list[ScoredPair] = []
    shift = len(records) + 1
    for start, end in zip(starts.tolist(), ends.tolist(), strict=True):
        members = sorted(set(owners[start:end].tolist()))
        if len(members) < 2:
            continue
        for a, b in block_pairs(members, records):
            if (a + b) % parts != part:
                continue
            if changed is not None and not (changed[a] or changed[b]):
                continue
            code = a * shift + b
            if code in seen:
                continue
            seen.add(code)
            ra, rb = records[a], records[b]
            match = score_pair(
                ra, rb, name_count=int(max(counts[a], counts[b])), thresholds=thresholds
            )
            if match is not None:
                low, high = (ra.id, rb.id) if ra.id < rb.id else (rb.id, ra.id)
                found.append((low, high, match.score, match.explanation))
    return found, len(seen)


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
    owners, starts, ends = _groups(records)
    say(f"blocked {len(records)} records into {len(starts)} blocks")
    changed = None
    if changed_ids is not None:
        changed = np.fromiter(
            (r.id in changed_ids for r in records), dtype=np.bool_, count=len(records)
        )
    _STATE.update(
        records=records,
        owners=owners,
        starts=starts,
        ends=ends,
        counts=_name_counts(records),
        changed=changed,
        thresholds=thresholds,
        parts=max(1, workers),
    )
    try:
        if workers <= 1 or len(records) < 5000:
            _STATE["parts"] = 1
            outputs = [_work(0)]
        else:
            ctx = multiprocessing.get_context("fork")
            with ctx.Pool(workers) as pool:
                outputs = pool.map(_work, range(workers))
    finally:
        _STATE.clear()
    result = ScanResult(blocks=len(starts))
    for found, candidates in outputs:
        result.pairs.extend(found)
        result.candidate_pairs += candidates
    result.pairs.sort(key=lambda p: (-p[2], p[0], p[1]))
    say(f"scored {result.candidate_pairs} candidate pairs, {len(result.pairs)} suggested")
    return result
