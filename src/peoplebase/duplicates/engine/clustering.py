"""Clusters from likely pairs, without chaining different people into one giant group.

Pairs are joined best first (union-find). Two groups are only joined when no member of one
conflicts with a member of the other on a strong identifier (birthday, unique id, job-change
link, or two clearly different first names); such a link is dropped, so the cluster splits.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from peoplebase.duplicates.engine.records import PersonRecord
from peoplebase.duplicates.engine.scoring import first_names_conflict, strong_conflict

MAX_CLUSTER = 50


def records_conflict(a: PersonRecord, b: PersonRecord) -> bool:
    return bool(strong_conflict(a, b)) or first_names_conflict(a, b)


def cluster_pairs(
    pairs: Iterable[tuple[int, int, float]],
    record_of: Callable[[int], PersonRecord],
) -> list[list[int]]:
    """Groups of record ids (size >= 2) from scored (id_a, id_b, score) pairs."""
    parent: dict[int, int] = {}
    members: dict[int, list[int]] = {}

    def root(x: int) -> int:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b, _ in sorted(pairs, key=lambda p: -p[2]):
        ra, rb = root(a), root(b)
        if ra == rb:
            continue
        group_a, group_b = members.get(ra, [a]), members.get(rb, [b])
        if len(group_a) + len(group_b) > MAX_CLUSTER:
            continue
        if any(records_conflict(record_of(x), record_of(y)) for x in group_a for y in group_b):
            continue
        if len(group_a) < len(group_b):
            ra, rb, group_a, group_b = rb, ra, group_b, group_a
        parent[rb] = ra
        members[ra] = group_a + group_b
        members.pop(rb, None)
    return [sorted(group) for group in members.values() if len(group) > 1]
