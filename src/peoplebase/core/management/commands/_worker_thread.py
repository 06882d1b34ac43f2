"""A django-tasks-db worker running in a daemon thread of the web server process."""

from __future__ import annotations

import logging
import os
import socket
import threading
import time

from django.db import connections
from django_tasks_db.compat import DEFAULT_TASK_BACKEND_ALIAS
from django_tasks_db.management.commands.db_worker import Worker

from peoplebase.core import housekeeping
from peoplebase.core.housekeeping import run_housekeeping

logger = logging.getLogger("peoplebase.worker")


class WorkerThread:
    """Polls the task table every `interval` seconds until `stop()`; runs tasks of every queue.

    Each poll drains the queue in django-tasks-db's batch mode, then waits on an Event, so
    stopping never has to sit out a sleep.
    """

    def __init__(self, *, interval: float = 1.0, queue_names: tuple[str, ...] = ("*",)) -> None:
        self.interval = interval
        self.queue_names = list(queue_names)
        self.worker_id = f"{socket.gethostname()}-{os.getpid()}-serve"[:64]
        self._stopping = threading.Event()
        self._current: Worker | None = None
        self._thread = threading.Thread(target=self._run, name="peoplebase-worker", daemon=True)

    @property
    def is_alive(self) -> bool:
        return self._thread.is_alive()

    def start(self) -> WorkerThread:
        self._thread.start()
        return self

    def stop(self, timeout: float = 30.0) -> None:
        """Ask the worker to finish its current task and return; wait up to `timeout` seconds."""
        self._stopping.set()
        if self._current is not None:
            self._current.running = False
        if self._thread.is_alive():
            self._thread.join(timeout)

    def _new_worker(self) -> Worker:
        return Worker(
            queue_names=self.queue_names,
            interval=0,
            batch=True,
            backend_name=DEFAULT_TASK_BACKEND_ALIAS,
            startup_delay=False,
            max_tasks=None,
            worker_id=self.worker_id,
            excluded_queue_names=[],
        )

    def _run(self) -> None:
        next_housekeeping = 0.0
        try:
            while not self._stopping.is_set():
                if time.monotonic() >= next_housekeeping:
                    run_housekeeping()  # at start, then about every INTERVAL seconds
                    next_housekeeping = time.monotonic() + housekeeping.INTERVAL
                self._current = self._new_worker()
                try:
                    self._current.run()
                except Exception:
                    # A database hiccup must not end background work for the server's lifetime.
                    logger.exception("Background worker failed; retrying in %ss", self.interval)
                self._stopping.wait(self.interval)
        finally:
            connections.close_all()
