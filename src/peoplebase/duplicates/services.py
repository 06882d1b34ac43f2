"""Duplicate scans and the review queue: start, run, list, dismiss and skip.

Permissions: anyone who may create records (not read-only) may start a scan; dismissing or
skipping a pair changes what the team sees about two records, so it takes the right to edit
both of them (a rep cannot dismiss a pair involving someone else's contact).
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from peoplebase.audit.services import AuditAction, record_change
from peoplebase.contacts.models import Contact
from peoplebase.core.errors import Conflict, NotFound, ValidationFailed
from peoplebase.core.lookups import parse_id
from peoplebase.core.permissions import (
    ensure_can_administer,
    ensure_can_create,
    ensure_can_edit,
    ensure_can_view,
)
from peoplebase.duplicates.engine import scan as engine_scan
from peoplebase.duplicates.engine.clustering import cluster_pairs
from peoplebase.duplicates.engine.scoring import DEFAULT_THRESHOLDS, Thresholds
from peoplebase.duplicates.models import (
    Band,
    DuplicateScan,
    DuplicateSettings,
    DuplicateSuggestion,
    NotDuplicate,
    ScanStatus,
    SuggestionStatus,
)
from peoplebase.duplicates.records import load_records
from peoplebase.users.models import User

logger = logging.getLogger("peoplebase.duplicates")

# Below this many contacts a scan runs inside the request; above, on the background worker.
SYNC_LIMIT = 2000
QUEUE_URL = "/duplicates/"
PARALLEL_FROM = 5000


def thresholds() -> Thresholds:
    settings = DuplicateSettings.load()
    return Thresholds(likely=settings.likely_threshold, possible=settings.possible_threshold)


def _scope(scan: DuplicateScan) -> QuerySet[Contact]:
    if scan.view_id:
        from peoplebase.segments.services import contacts_in_view

        return contacts_in_view(scan.actor, scan.view)  # type: ignore[arg-type]
    return Contact.objects.filter(is_archived=False)


def _previous_watermark(view_id: int | None, limits: Thresholds) -> Any:
    """Where an incremental scan starts: the last finished scan's watermark, unless that scan
    cut at a higher "possible" than now (the pairs in between were never stored: a full scan
    finds them). Scans from before thresholds were recorded say nothing; lowering through the
    settings cleared their watermarks already."""
    last = (
        DuplicateScan.objects.filter(status=ScanStatus.DONE, view_id=view_id)
        .exclude(watermark=None)
        .order_by("-watermark")
        .first()
    )
    if last is None:
        return None
    if last.possible_threshold is not None and limits.possible < last.possible_threshold:
        return None
    return last.watermark


def start_scan(
    actor: User,
    *,
    view: str | int | None = None,
    run_now: bool | None = None,
    progress: Callable[[str], None] | None = None,
) -> DuplicateScan:
    """Queue a scan of the workspace or one saved view (by id or name).

    `run_now` runs it in this process (the CLI); by default small workspaces run at once and
    bigger ones go to the background worker.
    """
    ensure_can_create(actor, "duplicate scans")
    saved_view = _resolve_view(actor, view) if view not in (None, "") else None
    scan = DuplicateScan.objects.create(actor=actor, view=saved_view)
    scan.total = _scope(scan).count()
    scan.save(update_fields=["total"])
    if run_now or (run_now is None and scan.total <= SYNC_LIMIT):
        run_scan(scan.pk, progress=progress)
    else:
        from peoplebase.duplicates.tasks import run_duplicate_scan

        run_duplicate_scan.enqueue(scan.pk)
    scan.refresh_from_db()
    return scan


def _resolve_view(actor: User, view: str | int) -> Any:
    from peoplebase.segments.services import get_view, visible_views

    if isinstance(view, int) or str(view).isdigit():
        return get_view(actor, view)
    found = visible_views(actor).filter(name__iexact=str(view)).first()
    if found is None:
        raise ValidationFailed.single("view", f"No saved view is called “{view}”.")
    return found


def get_scan(actor: User, scan_id: Any) -> DuplicateScan:
    ensure_can_view(actor)
    scan = DuplicateScan.objects.filter(pk=parse_id(scan_id)).first()
    if scan is None:
        raise NotFound("No such duplicate scan.")
    return scan


def run_scan(scan_id: int, progress: Callable[[str], None] | None = None) -> str:
    """Run a queued scan; failures are recorded on the scan, never lost."""
    scan = DuplicateScan.objects.get(pk=scan_id)
    if scan.is_finished:
        return scan.status
    started = timezone.now()
    scan.status, scan.started_at = ScanStatus.RUNNING, started
    scan.save(update_fields=["status", "started_at"])
    try:
        _run(scan, started, progress)
    except Exception as exc:  # recorded on the job for the user; the traceback goes to the log
        logger.exception("duplicate scan %s failed", scan.pk)
        scan.status, scan.error = ScanStatus.FAILED, str(exc)[:500]
    else:
        scan.status = ScanStatus.DONE
    scan.finished_at = timezone.now()
    scan.save()
    return scan.status


def _run(scan: DuplicateScan, started: Any, progress: Callable[[str], None] | None) -> None:
    say = progress or (lambda _msg: None)
    contacts = _scope(scan)
    limits = thresholds()
    scan.likely_threshold, scan.possible_threshold = limits.likely, limits.possible
    watermark = _previous_watermark(scan.view_id, limits)
    records = load_records(
        contacts,
        on_batch=lambda n: DuplicateScan.objects.filter(pk=scan.pk).update(processed=n),
    )
    scan.total = scan.processed = len(records)
    changed_ids = None
    if watermark is not None:
        changed_ids = set(contacts.filter(updated_at__gt=watermark).values_list("id", flat=True))
        scan.incremental, scan.changed = True, len(changed_ids)
    else:
        scan.changed = len(records)
    say(f"read {len(records)} contacts ({scan.changed} to check)")
    result = engine_scan(
        records,
        workers=2 if len(records) >= PARALLEL_FROM else 1,
        changed_ids=changed_ids,
        thresholds=limits,
        progress=say,
    )
    scan.candidate_pairs = result.candidate_pairs
    scan.suggestions = _store(scan, result.pairs, records, limits, changed_ids)
    # Edits made while the scan ran are after `started`, so the next scan re-checks them.
    scan.watermark = started


def _store(
    scan: DuplicateScan,
    pairs: list[tuple[int, int, float, str]],
    records: list[Any],
    limits: Thresholds,
    changed_ids: set[int] | None,
) -> int:
    # A merge may leave a remembered pair in either order: compare it both ways.
    remembered = {
        (min(a, b), max(a, b))
        for a, b in NotDuplicate.objects.values_list("contact_a_id", "contact_b_id")
    }
    # "Skipped" means "later": a re-scan brings those pairs back; only decisions stay closed.
    closed = set(
        DuplicateSuggestion.objects.exclude(
            status__in=(SuggestionStatus.OPEN, SuggestionStatus.SKIPPED)
        ).values_list("contact_a_id", "contact_b_id")
    )
    keep = [p for p in pairs if (p[0], p[1]) not in remembered and (p[0], p[1]) not in closed]
    by_id = {r.id: r for r in records}
    likely = [(a, b, s) for a, b, s, _ in keep if s >= limits.likely]
    cluster_of = {
        member: group[0] for group in cluster_pairs(likely, by_id.__getitem__) for member in group
    }
    ids = set(by_id)
    with transaction.atomic():
        in_scope = DuplicateSuggestion.objects.all()
        if scan.view_id:
            in_scope = in_scope.filter(Q(contact_a_id__in=ids) | Q(contact_b_id__in=ids))
        # Skipped pairs re-open; those whose contacts changed are re-scored below like any other.
        in_scope.filter(status=SuggestionStatus.SKIPPED).update(
            status=SuggestionStatus.OPEN, updated_at=timezone.now()
        )
        stale = in_scope.filter(status=SuggestionStatus.OPEN)
        if changed_ids is not None:
            stale = stale.filter(Q(contact_a_id__in=changed_ids) | Q(contact_b_id__in=changed_ids))
        stale.delete()
        rows = [
            DuplicateSuggestion(
                contact_a_id=a,
                contact_b_id=b,
                score=score,
                band=Band.LIKELY if score >= limits.likely else Band.POSSIBLE,
                reasons=reasons.split("; "),
                cluster=cluster_of.get(a) if cluster_of.get(a) == cluster_of.get(b) else None,
                scan=scan,
            )
            for a, b, score, reasons in keep
        ]
        DuplicateSuggestion.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
        _reband_if_changed(limits)
    return len(rows)


def _reband_if_changed(used: Thresholds) -> None:
    """Thresholds changed while the scan ran: its pairs were banded by the old ones, after the
    change re-banded the queue. Band the whole queue again by the thresholds in force, with
    the settings row locked so that no change slips in between (PostgreSQL; SQLite writes
    one at a time anyway). A lower "possible" is left to the next scan, which runs in full
    because this one records the higher cut-off."""
    current = DuplicateSettings.objects.select_for_update().filter(pk=1).first()
    if current is None:
        return
    now = Thresholds(likely=current.likely_threshold, possible=current.possible_threshold)
    if now != used:
        _reband(current, now, lowered=False)


# --- the review queue ------------------------------------------------------------------------


def open_suggestions(actor: User, band: str = "") -> QuerySet[DuplicateSuggestion]:
    """Open pairs, best first; pairs whose contact was merged away or deleted are gone already
    (their rows cascade), archived contacts are left out."""
    ensure_can_view(actor)
    qs = DuplicateSuggestion.objects.filter(
        status=SuggestionStatus.OPEN,
        contact_a__is_archived=False,
        contact_b__is_archived=False,
    )
    if band:
        if band not in Band.values:
            raise ValidationFailed.single("band", "Band must be “likely” or “possible”.")
        qs = qs.filter(band=band)
    return qs.select_related("contact_a__company", "contact_b__company").order_by("-score", "id")


def get_suggestion(actor: User, suggestion_id: Any) -> DuplicateSuggestion:
    ensure_can_view(actor)
    found = (
        DuplicateSuggestion.objects.select_related("contact_a", "contact_b")
        .filter(pk=parse_id(suggestion_id))
        .first()
    )
    if found is None:
        raise NotFound("No such duplicate suggestion (its contacts may have been merged).")
    return found


def _decide(actor: User, suggestion_id: Any, status: str) -> DuplicateSuggestion:
    suggestion = get_suggestion(actor, suggestion_id)
    ensure_can_edit(actor, suggestion.contact_a)
    ensure_can_edit(actor, suggestion.contact_b)
    if suggestion.status != SuggestionStatus.OPEN:
        raise Conflict(f"This pair was already marked “{suggestion.get_status_display()}”.")
    suggestion.status = status
    suggestion.save(update_fields=["status", "updated_at"])
    return suggestion


def dismiss_suggestion(actor: User, suggestion_id: Any) -> DuplicateSuggestion:
    """Not a duplicate: remembered, so no later scan or check suggests the pair again."""
    with transaction.atomic():
        suggestion = _decide(actor, suggestion_id, SuggestionStatus.DISMISSED)
        NotDuplicate.objects.get_or_create(
            contact_a_id=suggestion.contact_a_id,
            contact_b_id=suggestion.contact_b_id,
            defaults={"decided_by": actor},
        )
    return suggestion


def skip_suggestion(actor: User, suggestion_id: Any) -> DuplicateSuggestion:
    """Leave the pair for later: it leaves the queue without a decision being remembered, and
    the next scan (full or incremental) puts it back in the queue."""
    return _decide(actor, suggestion_id, SuggestionStatus.SKIPPED)


def merge_url(suggestion: DuplicateSuggestion) -> str:
    """The merges page for the pair, coming back to the queue afterwards."""
    query = urlencode(
        [("ids", suggestion.contact_a_id), ("ids", suggestion.contact_b_id), ("next", QUEUE_URL)]
    )
    return f"/contacts/merge/?{query}"


def is_remembered_different(a: int, b: int) -> bool:
    low, high = min(a, b), max(a, b)
    return NotDuplicate.objects.filter(
        Q(contact_a_id=low, contact_b_id=high) | Q(contact_a_id=high, contact_b_id=low)
    ).exists()


# --- band thresholds (Settings › Deduplication) ----------------------------------------------

# What bench/duplicates.py measured at the default bands (docs/duplicates.md, "Choosing the
# bands"). The page shows them as the benchmark's figures, never as a measure of this workspace.
DEFAULT_BAND_QUALITY = {
    "measured_on": "100,000 generated people (bench/duplicates.py, 2026-12-06)",
    "likely_precision": 0.997,
    "likely_recall": 0.964,
    "likely_f1": 0.980,
}


@dataclass(frozen=True)
class ThresholdChange:
    """The saved thresholds and what happened to the open suggestions because of them."""

    settings: DuplicateSettings
    to_likely: int = 0
    to_possible: int = 0
    dropped: int = 0
    next_scan_full: bool = False


def settings_summary(settings: DuplicateSettings) -> dict[str, Any]:
    """The thresholds as plain data (API, CLI --json), with the defaults beside them."""
    return {
        "likely": settings.likely_threshold,
        "possible": settings.possible_threshold,
        "defaults": {"likely": DEFAULT_THRESHOLDS.likely, "possible": DEFAULT_THRESHOLDS.possible},
    }


def get_duplicate_settings(actor: User) -> DuplicateSettings:
    """Everyone signed in may read the bands (the queue shows them); only admins change them."""
    ensure_can_view(actor)
    return DuplicateSettings.load()


def _threshold(value: Any, field: str, errors: dict[str, list[str]]) -> float | None:
    if isinstance(value, bool):
        value = None  # True would read as 1.0: refuse it rather than guess
    try:
        number = float(str(value).strip().replace(",", "."))
    except ValueError:
        number = math.nan
    if not math.isfinite(number) or not 0 < number <= 1:
        errors[field] = [f"Give the {field} threshold as a number above 0 and at most 1."]
        return None
    return number


def update_duplicate_settings(
    actor: User, *, likely: Any = None, possible: Any = None
) -> ThresholdChange:
    """Admins set the bands (0 < possible ≤ likely ≤ 1); None keeps a threshold as it is.

    Open suggestions are re-banded by their stored score at once, and those now below
    "possible" leave the queue. Pairs that scored under the old "possible" were never stored,
    so lowering it makes the next scan a full one (each scan's watermark is cleared).
    """
    ensure_can_administer(actor)
    current = DuplicateSettings.load()
    errors: dict[str, list[str]] = {}
    new_likely = (
        current.likely_threshold if likely is None else _threshold(likely, "likely", errors)
    )
    new_possible = (
        current.possible_threshold if possible is None else _threshold(possible, "possible", errors)
    )
    if not errors and new_possible > new_likely:  # type: ignore[operator]
        field = "possible" if possible is not None else "likely"
        errors[field] = [
            f"“possible” ({new_possible:g}) may not be above “likely” ({new_likely:g})."
        ]
    if errors:
        raise ValidationFailed(errors)
    assert new_likely is not None and new_possible is not None
    return _save_thresholds(actor, current, Thresholds(likely=new_likely, possible=new_possible))


def _save_thresholds(
    actor: User, current: DuplicateSettings, limits: Thresholds
) -> ThresholdChange:
    with transaction.atomic():
        # Locked: a scan finishing now re-bands under the same lock, before or after this.
        current = DuplicateSettings.objects.select_for_update().get(pk=current.pk)
        before = {"likely": current.likely_threshold, "possible": current.possible_threshold}
        after = {"likely": limits.likely, "possible": limits.possible}
        if before == after:
            return ThresholdChange(settings=current)
        lowered = limits.possible < current.possible_threshold
        changed = {f"{k}_threshold": [before[k], after[k]] for k in before if before[k] != after[k]}
        current.likely_threshold, current.possible_threshold = limits.likely, limits.possible
        current.save()
        change = _reband(current, limits, lowered)
        record_change(
            actor,
            current,
            AuditAction.UPDATE,
            {
                **changed,
                "open_suggestions": {
                    "to_likely": change.to_likely,
                    "to_possible": change.to_possible,
                    "dropped": change.dropped,
                },
            },
        )
    return change


def _reband(settings: DuplicateSettings, limits: Thresholds, lowered: bool) -> ThresholdChange:
    """Move open pairs to the band their stored score now reaches; no rescan needed."""
    open_pairs = DuplicateSuggestion.objects.filter(status=SuggestionStatus.OPEN)
    _, deleted = open_pairs.filter(score__lt=limits.possible).delete()
    dropped = deleted.get(DuplicateSuggestion._meta.label, 0)
    now = timezone.now()
    to_likely = open_pairs.filter(band=Band.POSSIBLE, score__gte=limits.likely).update(
        band=Band.LIKELY, updated_at=now
    )
    to_possible = open_pairs.filter(band=Band.LIKELY, score__lt=limits.likely).update(
        band=Band.POSSIBLE, updated_at=now
    )
    if lowered:
        DuplicateScan.objects.exclude(watermark=None).update(watermark=None)
    return ThresholdChange(settings, to_likely, to_possible, dropped, next_scan_full=lowered)
