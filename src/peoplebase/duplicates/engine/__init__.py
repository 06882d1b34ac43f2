"""The matching engine: normalised records, blocking keys, explainable scores and clusters."""

from peoplebase.duplicates.engine.records import PersonRecord, make_record
from peoplebase.duplicates.engine.scan import ScanResult, scan
from peoplebase.duplicates.engine.scoring import LIKELY, POSSIBLE, Match, Thresholds, score_pair

__all__ = [
    "LIKELY",
    "POSSIBLE",
    "Match",
    "PersonRecord",
    "ScanResult",
    "Thresholds",
    "make_record",
    "scan",
    "score_pair",
]
