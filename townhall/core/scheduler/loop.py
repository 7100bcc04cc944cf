"""The embedded mode's scheduler: a thread in each `townhall serve` worker process.

Each tick reads every task's row, runs the ones that are due one after another, then
sleeps until the next is due (at most MAX_SLEEP_SECONDS, so a run another process made,
or a new row, is noticed soon). Several processes may run a scheduler; the lease on
each row lets only one of them run a task (runs.py).
"""

import logging
import os
import socket
import threading
import uuid
from collections.abc import Callable
from datetime import datetime

from django.conf import settings
from django.db import close_old_connections, connections
from django.utils import timezone

from townhall.core.lib.redact import redact
from townhall.core.scheduler.runs import RunResult, task_rows_ensure, task_run
from townhall.core.scheduler.schedule import Entry, due, schedule_entries

logger = logging.getLogger(__name__)

MAX_SLEEP_SECONDS = 30.0
MIN_SLEEP_SECONDS = 1.0


def new_owner() -> str:
    """Names this scheduler in a lease: host and process, so an operator can find it."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


class Scheduler:
    def __init__(self, *, entries: list[Entry] | None = None,
                 clock: Callable[[], datetime] = timezone.now, owner: str | None = None) -> None:
        self.entries = schedule_entries() if entries is None else entries
        self.clock = clock
        self.owner = owner or new_owner()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def tick(self) -> tuple[list[RunResult], float]:
        """Run what is due now; return what ran and the seconds until the next check."""
        results: list[RunResult] = []
        now = self.clock()
        rows = task_rows_ensure(entries=self.entries, now=now)
        order = sorted(self.entries,
                       key=lambda e: due(e, last_run_at=_last(rows[e.name]), now=now).at)
        for entry in order:
            if self._stop.is_set():
                break
            row = rows[entry.name]
            if due(entry, last_run_at=_last(row), now=self.clock()).now:
                results.append(task_run(entry=entry, row=row, owner=self.owner,
                                        clock=self.clock))
        return results, self._sleep()

    def _sleep(self) -> float:
        rows = task_rows_ensure(entries=self.entries, now=self.clock())
        now = self.clock()
        waits = [(due(e, last_run_at=_last(rows[e.name]), now=now).at - now).total_seconds()
                 for e in self.entries]
        return min([MAX_SLEEP_SECONDS, *waits]) if waits else MAX_SLEEP_SECONDS

    # The thread ------------------------------------------------------------------

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="townhall-scheduler",
                                        daemon=True)
        self._thread.start()

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def stop(self, timeout: float = 10.0) -> None:
        """Stop after the task running now, if any, finishes (waiting up to `timeout`)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def _run(self) -> None:
        logger.info("The scheduler is running in this process (%s).", self.owner)
        while not self._stop.is_set():
            close_old_connections()
            try:
                _, wait = self.tick()
            except Exception as error:
                # A missing table before `townhall migrate`, a database restarting: say
                # so, and try again, rather than stop scheduling for good.
                logger.error("The scheduler could not check its tasks: %s",
                             redact(f"{type(error).__name__}: {error}"))
                wait = MAX_SLEEP_SECONDS
            finally:
                connections.close_all()
            self._stop.wait(max(MIN_SLEEP_SECONDS, wait))


def _last(row: object) -> datetime:
    return row.last_run_at or row.first_seen_at  # type: ignore[attr-defined,no-any-return]


# One scheduler per process, started by `townhall serve` (config/gunicorn.py). ---------

_process_scheduler: Scheduler | None = None
_process_lock = threading.Lock()


def scheduler_wanted() -> bool:
    """In embedded mode only: with REDIS_URL set, Celery beat runs the schedule."""
    return not settings.REDIS_URL and settings.TOWNHALL_SCHEDULER


def scheduler_start() -> Scheduler | None:
    """Start this process's scheduler if the settings want one; idempotent."""
    global _process_scheduler
    if not scheduler_wanted():
        return None
    with _process_lock:
        if _process_scheduler is None or not _process_scheduler.running:
            _process_scheduler = Scheduler()
            _process_scheduler.start()
        return _process_scheduler


def scheduler_stop(timeout: float = 10.0) -> None:
    with _process_lock:
        if _process_scheduler is not None:
            _process_scheduler.stop(timeout)


def scheduler_running_here() -> bool:
    return _process_scheduler is not None and _process_scheduler.running
