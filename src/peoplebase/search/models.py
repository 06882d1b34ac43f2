"""The typo table; the full-text index itself is a raw, vendor-specific table (see engines.py)."""

from __future__ import annotations

from django.db import models


class NameTermVariant(models.Model):
    """A name token (`term`) reachable from `variant` by at most one deletion (SymSpell).

    Rows are only ever added: a term nobody carries any more costs a lookup, never a wrong hit,
    because every expanded term is searched for in the live index.
    """

    variant = models.CharField(max_length=100)
    term = models.CharField(max_length=100)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["variant", "term"], name="unique_name_term_variant")
        ]

    def __str__(self) -> str:
        return f"{self.variant} → {self.term}"
