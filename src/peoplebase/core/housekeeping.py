"""Periodic clean-up the background worker runs: on start, and every `INTERVAL` seconds.

Kept apart from any page view, so expired files go even when nobody opens the list that used
to trigger their removal. Each job is idempotent and cheap when there is nothing to do.
"""

from __future__ import annotations

import logging

logger = logging.getLogger("peoplebase.worker")

# How often a long-running worker repeats the clean-up.
INTERVAL = 3600.0


def run_housekeeping() -> dict[str, int]:
    """Run every clean-up job; returns what each removed. Never raises: a failed clean-up
    is logged and retried next time, it must not stop the worker."""
    from peoplebase.exports.services import purge_expired_exports
    from peoplebase.imports.bulkload import restore_indexes

    done: dict[str, int] = {}
    for name, job in (
        ("expired_exports", purge_expired_exports),
        # Indexes an import set aside and could not build again (its process died).
        ("restored_indexes", restore_indexes),
    ):
        try:
            done[name] = job()
        except Exception:
            logger.exception("Housekeeping failed; it runs again in %ss", INTERVAL)
    return done
