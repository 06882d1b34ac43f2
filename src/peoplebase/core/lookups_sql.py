"""A boolean equality lookup that databases can match against a composite index.

Django renders `flag=False` as `NOT "flag"`. SQLite cannot use that as the equality prefix of an
index such as (is_archived, sort_name, id), so list pages scanned and sorted a million rows;
`flag = false` lets SQLite and PostgreSQL seek straight to the first row.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Lookup


@models.BooleanField.register_lookup
class BooleanEquals(Lookup):
    """`field__is=value`: rendered as `field = %s`, never folded into `NOT field`."""

    lookup_name = "is"

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lhs_sql, lhs_params = self.process_lhs(compiler, connection)
        rhs_sql, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs_sql} = {rhs_sql}", [*lhs_params, *rhs_params]
