"""Committing an import's decided batches: in the importing thread, or on a thread of its own
that runs one batch behind it.

On a thread, each batch's database work (PostgreSQL processing a COPY, SQLite inserting rows,
both waited on with the interpreter lock released) overlaps the importing thread's reading and
matching of the next batch; the two used to take turns. The thread has its own database
connection, so it is used only outside any open transaction (whose rows that connection could
not see), like the cleaning processes.

Matching stays right one batch behind: a row is matched first against the file's earlier rows
(`matching.SeenInFile`, kept by the importing thread), which covers everything the thread has
not committed yet; contacts already there are read from committed data as before.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from types import TracebackType
from typing import TYPE_CHECKING

from django.db import connections

from peoplebase.imports.bulkload import unchecked_references
from peoplebase.imports.bulkwrite import tune_for_bulk_writes

if TYPE_CHECKING:
    from peoplebase.imports.pipeline import PreparedRow

Batch = list["PreparedRow"]


class BatchSink:
    """Hands batches to `commit` (which writes one in a transaction of its own), in order.

    Threaded, `write` returns once the thread has taken the batch (so it is written while the
    next one is read), and an error the thread met is raised from the next `write` or `close`;
    batches after a failed one are not written. `close` waits for every batch handed over, so
    a job that stops (done, cancelled, failed, interrupted) has each of them whole or not at all.
    """

    def __init__(
        self, commit: Callable[[Batch], None], *, threaded: bool, unchecked: bool = False
    ) -> None:
        # `unchecked`: the job set its indexes aside, so this connection loads without
        # reference checks and with the smaller cache, as the importing one does.
        self.commit = commit
        self.unchecked = unchecked
        self.failure: BaseException | None = None
        self.waiting: queue.Queue[Batch | None] = queue.Queue(maxsize=1)
        self.thread = (
            threading.Thread(target=self._run, name="import-writer", daemon=True)
            if threaded
            else None
        )

    def __enter__(self) -> BatchSink:
        if self.thread is not None:
            self.thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close(raise_failure=error is None)

    def write(self, batch: Batch) -> None:
        if self.thread is None:
            self.commit(batch)
            return
        self._raise_failure()
        self.waiting.put(batch)
        # Back only once the thread has taken it: two batches alive (the one being written and
        # the next being read) rather than a third waiting in between (memory).
        self.waiting.join()

    def close(self, *, raise_failure: bool = True) -> None:
        """Wait until every batch handed over is written (or refused after a failure)."""
        if self.thread is not None and self.thread.is_alive():
            self.waiting.put(None)
            self.thread.join()
        if raise_failure:
            self._raise_failure()

    def _raise_failure(self) -> None:
        if self.failure is not None:
            failure, self.failure = self.failure, None
            raise failure

    def _run(self) -> None:
        try:
            # This connection is new: it needs the bulk settings the importing one was given.
            tune_for_bulk_writes(indexes_set_aside=self.unchecked)
            if self.unchecked:
                with unchecked_references():
                    self._commit_each()
            else:
                self._commit_each()
        except BaseException as exc:  # setting up the connection failed: nothing written
            self.failure = exc
            self._drain()
        finally:
            connections.close_all()  # this thread's own connection

    def _commit_each(self) -> None:
        while (batch := self._take()) is not None:
            try:
                self.commit(batch)
            except BaseException as exc:
                self.failure = exc
                self._drain()
                return

    def _take(self) -> Batch | None:
        batch = self.waiting.get()
        self.waiting.task_done()  # taken: `write` may return
        return batch

    def _drain(self) -> None:
        """Take, unwritten, whatever is handed over until `close`, so no `write` blocks."""
        while self._take() is not None:
            pass
