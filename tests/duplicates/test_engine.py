"""The pure matching engine: each signal, each trap, blocking completeness, clustering."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

from peoplebase.duplicates.engine import LIKELY, POSSIBLE, make_record, scan, score_pair
from peoplebase.duplicates.engine.blocking import (
    MAX_BLOCK,
    NEIGHBOUR_WINDOW,
    block_pairs,
    blocking_keys,
    name_key,
    phonetic,
)
from peoplebase.duplicates.engine.clustering import cluster_pairs
from peoplebase.duplicates.engine.scoring import DEFAULT_THRESHOLDS
from peoplebase.normalize.people import canonical_mailbox

BASE = {
    "first": "Robert",
    "last": "Jansen",
    "emails": ["robert.jansen@acme.com"],
    "phones": ["+14155550100"],
    "company": "Acme Inc",
    "city": "Boston",
    "postcode": "02110",
}


def rec(rid: int, **over: object):
    return make_record(rid, **{**BASE, **over})  # type: ignore[arg-type]


def band(match) -> str:
    return DEFAULT_THRESHOLDS.band(match.score) if match else ""


# --- records ----------------------------------------------------------------------------------


def test_gmail_dots_and_plus_tags_name_one_mailbox() -> None:
    assert canonical_mailbox("Jo.Doe+news@googlemail.com") == "jodoe@gmail.com"
    assert canonical_mailbox("jo.doe+x@acme.com") == "jo.doe@acme.com"


def test_record_folds_names_expands_nicknames_and_strips_company_suffixes() -> None:
    r = make_record(1, first="Bób", last="Müller", company="Müller GmbH", emails=["info@x.de"])
    assert (r.first, r.given, r.last) == ("bob", "robert", "muller")
    assert r.company == "muller"
    assert r.role_emails == ("info@x.de",) and r.emails == ()


def test_free_mail_domain_is_not_a_company_domain() -> None:
    assert make_record(1, full="A B", emails=["a@gmail.com"]).domain == ""
    assert make_record(1, full="A B", emails=["a@acme.com"]).domain == "acme.com"


# --- signals ----------------------------------------------------------------------------------


def test_same_email_is_strong_evidence() -> None:
    match = score_pair(rec(1), rec(2, phones=[], company="", city="", postcode=""))
    assert band(match) == LIKELY
    assert "same email robert.jansen@acme.com" in match.reasons


def test_same_phone_with_the_same_name_is_likely() -> None:
    match = score_pair(rec(1), rec(2, emails=[]))
    assert band(match) == LIKELY
    assert "same phone +14155550100" in match.reasons


def test_nickname_initial_and_accents_count_as_the_same_first_name() -> None:
    for first in ("Bob", "R.", "Róbert"):
        match = score_pair(rec(1), rec(2, first=first, emails=[]))
        assert band(match) == LIKELY, first


def test_swapped_first_and_last_name_is_recognised() -> None:
    match = score_pair(rec(1), rec(2, first="Jansen", last="Robert", emails=[]))
    assert band(match) == LIKELY
    assert "first and last name swapped" in match.reasons


def test_typo_in_surname_scores_below_the_exact_name() -> None:
    exact = score_pair(rec(1), rec(2, emails=[]))
    typo = score_pair(rec(1), rec(2, last="Jansem", emails=[]))
    assert typo is not None and exact is not None and typo.score < exact.score


def test_company_and_address_alone_with_the_name_reach_possible_at_most() -> None:
    match = score_pair(rec(1, phones=[], emails=[]), rec(2, phones=[], emails=[]))
    assert band(match) in (POSSIBLE, LIKELY)
    assert "same company" in match.reasons and "same postcode" in match.reasons


def test_same_birthday_and_unique_id_add_evidence_and_different_ones_veto() -> None:
    a = rec(1, emails=[], phones=[], birthday="1980-01-02")
    assert (
        "same birthday"
        in score_pair(a, rec(2, emails=[], phones=[], birthday="1980-01-02")).reasons
    )
    assert score_pair(rec(1, birthday="1980-01-02"), rec(2, birthday="1981-05-05")) is None
    assert score_pair(rec(1, uid="X1"), rec(2, uid="X2")) is None


def test_birthday_without_a_year_is_weak_support_and_another_day_vetoes() -> None:
    bare = {"emails": [], "phones": []}
    full = rec(1, **bare, birthday="1980-03-07")
    same_full = score_pair(full, rec(2, **bare, birthday="1980-03-07"))
    day_only = score_pair(full, rec(3, **bare, birthday="--03-07"))
    nothing = score_pair(full, rec(4, **bare))
    assert same_full and day_only and nothing
    assert "same birthday" in same_full.reasons
    assert "same birthday day and month (year unknown)" in day_only.reasons
    assert same_full.score > day_only.score > nothing.score
    assert score_pair(full, rec(5, birthday="--03-08")) is None  # another day, even with email
    assert score_pair(full, rec(6, birthday="1981-03-07")) is None  # another year
    assert score_pair(rec(7, birthday="--03-07"), rec(8, birthday="--03-08")) is None


def test_birthday_without_a_year_shares_a_blocking_key_with_the_full_date() -> None:
    a = rec(1, emails=[], phones=[], birthday="1980-03-07", first="Anna", last="Berg")
    b = rec(2, emails=[], phones=[], birthday="--03-07", first="Anna", last="Nyberg")
    shared = set(blocking_keys(a)) & set(blocking_keys(b))
    assert any(key.startswith("d") for key in shared)


# --- traps ------------------------------------------------------------------------------------


def test_role_address_is_weak_evidence_not_identity() -> None:
    a = make_record(1, first="Anna", last="Berg", emails=["info@acme.com"])
    b = make_record(2, first="Tom", last="Hill", emails=["info@acme.com"])
    assert score_pair(a, b) is None
    same = score_pair(
        make_record(1, first="Anna", last="Berg", emails=["info@acme.com"], company="Acme"),
        make_record(2, first="Anna", last="Berg", emails=["sales@acme.com"], company="Acme"),
    )
    assert same is None or "shared mailbox" not in same.explanation


def test_relatives_sharing_surname_phone_and_city_are_not_duplicates() -> None:
    father = rec(1, first="Peter", emails=["peter@home.net"])
    daughter = rec(2, first="Laura", emails=["laura@home.net"])
    assert score_pair(father, daughter) is None


def test_email_username_repeating_the_name_is_not_counted_twice() -> None:
    a = rec(1, emails=["robert.jansen@old.com"], phones=[], company="", city="", postcode="")
    b = rec(2, emails=["robert.jansen@new.com"], phones=[], company="", city="", postcode="")
    match = score_pair(a, b)
    assert match is None or match.score < DEFAULT_THRESHOLDS.likely
    c = rec(3, emails=["xq77@old.com"], phones=[], company="", city="", postcode="")
    d = rec(4, emails=["xq77@new.com"], phones=[], company="", city="", postcode="")
    assert score_pair(c, d).score > (match.score if match else 0)


def test_common_names_need_more_evidence_than_rare_ones() -> None:
    a, b = rec(1, emails=[], phones=[]), rec(2, emails=[], phones=[])
    rare = score_pair(a, b, name_count=2)
    common = score_pair(a, b, name_count=500)
    assert rare is not None and (common is None or common.score < rare.score)


def test_job_change_linked_records_are_never_suggested() -> None:
    old = rec(1, links=[2])
    new = rec(2, company="Globex", emails=["robert.jansen@globex.com"])
    assert score_pair(old, new) is None
    assert score_pair(rec(1), rec(2, links=[1])) is None


def test_namesakes_with_nothing_else_in_common_are_not_suggested() -> None:
    a = make_record(1, first="John", last="Smith", city="Leeds", emails=["js@a.com"])
    b = make_record(2, first="John", last="Smith", city="Paris", emails=["john@b.org"])
    assert score_pair(a, b) is None


# --- blocking ---------------------------------------------------------------------------------


def test_phonetic_key_groups_sound_alikes() -> None:
    assert phonetic("smith") == phonetic("smyth")
    assert phonetic("philips") == phonetic("filips")


def test_swapped_names_and_nicknames_share_a_blocking_key() -> None:
    a, b = rec(1, emails=[], phones=[]), rec(2, first="Jansen", last="Bob", emails=[], phones=[])
    assert set(blocking_keys(a)) & set(blocking_keys(b))


def test_oversized_block_is_compared_with_neighbours_not_all_pairs() -> None:
    records = [rec(i, first="John", last="Smith", city=f"c{i}") for i in range(5000)]
    pairs = block_pairs(list(range(5000)), records)
    assert len(pairs) <= 5000 * NEIGHBOUR_WINDOW
    small = block_pairs(list(range(MAX_BLOCK)), records)
    assert len(small) == MAX_BLOCK * (MAX_BLOCK - 1) // 2


def _bench():
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
    import duplicates as bench  # type: ignore[import-not-found]

    return bench


def test_blocking_catches_nearly_every_true_pair_of_a_generated_set() -> None:
    bench = _bench()
    rows = list(bench.generate(3000, seed=11))
    records = [r for r, _ in rows]
    truth = bench.Truth(np.array([e for _, e in rows], dtype=np.int32))
    covered = sum(
        1
        for a, b in truth.iter_pairs()
        if set(blocking_keys(records[a - 1])) & set(blocking_keys(records[b - 1]))
    )
    assert covered / truth.pairs >= 0.98


def test_bench_truth_counts_the_pairs_of_each_entity() -> None:
    bench = _bench()
    truth = bench.Truth(np.array([1, 1, 2, 3, 3, 3, 4], dtype=np.int32))
    assert sorted(truth.iter_pairs()) == [(1, 2), (4, 5), (4, 6), (5, 6)]
    assert truth.pairs == 4
    found = bench.pair_quality(np.array([1, 4, 3]), np.array([2, 6, 4]), truth)
    assert (found["pairs"], found["precision"], found["recall"]) == (3, 0.6667, 0.5)
    clustered = bench.cluster_quality([[4, 5, 6], [1, 3]], truth)
    assert (clustered["precision"], clustered["recall"]) == (0.75, 0.75)


def test_scan_finds_the_generated_duplicates_with_high_precision() -> None:
    bench = _bench()
    rows = list(bench.generate(3000, seed=5))
    records = [r for r, _ in rows]
    truth = bench.Truth(np.array([e for _, e in rows], dtype=np.int32))
    result = scan(records, workers=1)
    found = np.array([(a, b) for a, b, _, _ in result.pairs]).reshape(-1, 2)
    quality = bench.pair_quality(found[:, 0], found[:, 1], truth)
    assert quality["precision"] >= 0.97 and quality["recall"] >= 0.93
    assert result.candidate_pairs < len(records) * 20  # blocking, never all pairs


def test_candidate_codes_are_merged_and_split_without_copies_changing_them() -> None:
    from peoplebase.duplicates.engine.scan import _merged, _split_codes

    rng = np.random.default_rng(1)
    parts = [rng.integers(0, 1000, size=k, dtype=np.int64) for k in (0, 1, 50, 400)]
    expected = np.unique(np.concatenate(parts))
    merged = _merged([p.copy() for p in parts])
    assert merged.tolist() == expected.tolist()
    a, b = _split_codes(merged, 37)
    assert a.dtype == np.int32 and (a.astype(np.int64) * 37 + b).tolist() == expected.tolist()


def test_incremental_scan_only_scores_pairs_touching_changed_records() -> None:
    records = [
        rec(1),
        rec(2, emails=[]),
        make_record(3, full="Ann Lee", phones=["+4930123456"]),
        make_record(4, full="Ann Lee", phones=["+4930123456"]),
    ]
    full = scan(records, workers=1)
    assert {(a, b) for a, b, _, _ in full.pairs} == {(1, 2), (3, 4)}
    partial = scan(records, workers=1, changed_ids={4})
    assert {(a, b) for a, b, _, _ in partial.pairs} == {(3, 4)}


def test_parallel_scan_matches_the_single_process_scan() -> None:
    bench = _bench()
    records = [r for r, _ in bench.generate(6000, seed=3)]
    one = scan(records, workers=1)
    two = scan(records, workers=2)
    assert {(a, b) for a, b, _, _ in one.pairs} == {(a, b) for a, b, _, _ in two.pairs}


def _exhaustive(records: list) -> set[tuple[int, int, float]]:
    """score_pair over every pair the blocking makes candidates, one by one (the reference)."""
    blocks: dict[str, set[int]] = {}
    for i, r in enumerate(records):
        for key in blocking_keys(r):
            blocks.setdefault(key, set()).add(i)
    counts: dict[str, int] = {}
    for r in records:
        counts[name_key(r)] = counts.get(name_key(r), 0) + 1
    found = set()
    pairs = {p for members in blocks.values() for p in block_pairs(sorted(members), records)}
    for a, b in pairs:
        ra, rb = records[a], records[b]
        alike = max(counts[name_key(ra)], counts[name_key(rb)])
        match = score_pair(ra, rb, name_count=alike)
        if match:
            found.add((min(ra.id, rb.id), max(ra.id, rb.id), match.score))
    return found


def test_bounded_scan_finds_exactly_what_scoring_every_candidate_finds() -> None:
    bench = _bench()
    records = [r for r, _ in bench.generate(4000, seed=9)]
    tricky = [
        rec(9001, emails=["a@x.com", "b@x.com", "c@x.com"]),  # more emails than compared
        rec(9002, emails=["c@x.com"], first="Bob"),
        rec(9003, first="J", birthday="--01-02"),
        rec(9004, first="John", birthday="1970-01-02", emails=[]),
        rec(9005, first="Jansen", last="Robert", emails=[], uid="U1"),
        rec(9006, uid="U1", emails=[], phones=[]),
        *[rec(9100 + i, first="John", last="Smith", city=f"c{i}", emails=[]) for i in range(60)],
    ]
    records += tricky
    result = scan(records, workers=1)
    assert {(a, b, s) for a, b, s, _ in result.pairs} == _exhaustive(records)


# --- clustering -------------------------------------------------------------------------------


def test_clusters_join_likely_pairs() -> None:
    records = {i: rec(i) for i in (1, 2, 3)}
    assert cluster_pairs([(1, 2, 0.9), (2, 3, 0.8)], records.__getitem__) == [[1, 2, 3]]


def test_chaining_through_conflicting_members_splits_the_cluster() -> None:
    records = {
        1: rec(1, birthday="1980-01-01"),
        2: rec(2),
        3: rec(3, birthday="1990-09-09"),
    }
    clusters = cluster_pairs([(1, 2, 0.9), (2, 3, 0.8)], records.__getitem__)
    assert clusters == [[1, 2]]


@pytest.mark.parametrize("first", ["Laura", "Peter"])
def test_different_first_names_do_not_chain(first: str) -> None:
    records = {1: rec(1, first="Robert"), 2: rec(2, first="R"), 3: rec(3, first=first)}
    clusters = cluster_pairs([(1, 2, 0.9), (2, 3, 0.9)], records.__getitem__)
    assert all(not {1, 3} <= set(group) for group in clusters)
