"""Models that point at any record through (content_type, object_id), registered in one place.

Django's GenericRelation would cascade-delete these rows with their target (losing, say, the
audit entry that records a deletion), so the relation walker reads this registry instead.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class GenericReference:
    model_label: str
    content_type_field: str = "content_type"
    object_id_field: str = "object_id"


GENERIC_REFERENCES: list[GenericReference] = [GenericReference("audit.AuditEntry")]
