"""Running one scheduled task: take its lease, call it in this process, record the outcome.

The lease is a row update that succeeds for one caller only (decision 0006): on SQLite
and PostgreSQL alike an UPDATE ... WHERE is atomic, so of two server processes that both
find a task due, one runs it and the other moves on. While a task runs, a heartbeat
thread keeps extending its lease; if the process dies, the lease runs out and the
next due run goes ahead.
"""

import json
import logging
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import connections
from django.db.models import F, Q
from django.utils import timezone
from django.utils.module_loading import import_string

from townhall.core.lib.redact import redact
from townhall.core.models import RunOutcome, ScheduledTask
from townhall.core.scheduler.schedule import Entry, due

logger = logging.getLogger(__name__)

LEASE = timedelta(minutes=10)
HEARTBEAT_SECONDS = 60.0
RESULT_LIMIT = 1000


@dataclass(frozen=True)
class RunResult:
    name: str
    ran: bool
    ok: bool = False
    result: str = ""
    error: str = ""
    # Why it did not run: another process holds the lease, or it ran meanwhile.
    skipped: str = ""


def task_rows_ensure(*, entries: list[Entry], now: datetime) -> dict[str, ScheduledTask]:
    """The row of every entry, made on first sight; two processes may race to make one."""
    rows = {row.name: row for row in ScheduledTask.objects.filter(
        name__in=[e.name for e in entries])}
    missing = [ScheduledTask(name=e.name, first_seen_at=now,
                             next_due_at=due(e, last_run_at=now, now=now).at)
               for e in entries if e.name not in rows]
    if missing:
        ScheduledTask.objects.bulk_create(missing, ignore_conflicts=True)
        rows = {row.name: row for row in ScheduledTask.objects.filter(
            name__in=[e.name for e in entries])}
    return rows


def _claim(*, row: ScheduledTask, owner: str, now: datetime, force: bool) -> bool:
    free = Q(lease_until__isnull=True) | Q(lease_until__lte=now)
    query = ScheduledTask.objects.filter(free, pk=row.pk)
    if not force:
        # Still as this scheduler read it: nobody has run it since.
        query = query.filter(last_run_at=row.last_run_at) if row.last_run_at else \
            query.filter(last_run_at__isnull=True)
    return query.update(lease_owner=owner, lease_until=now + LEASE, last_run_at=now,
                        last_outcome=RunOutcome.RUNNING) == 1


def task_run(*, entry: Entry, row: ScheduledTask, owner: str,
             clock: Callable[[], datetime] = timezone.now, force: bool = False) -> RunResult:
    """Run `entry` once if its lease can be taken; never raises for the task's failure."""
    started = clock()
    if not _claim(row=row, owner=owner, now=started, force=force):
        holder = ScheduledTask.objects.filter(pk=row.pk).first()
        busy = holder is not None and holder.lease_until is not None and \
            holder.lease_until > started
        return RunResult(name=entry.name, ran=False, skipped=(
            f"It is running now (started by {holder.lease_owner})." if busy and holder
            else "It ran a moment ago in another process."))
    logger.info("Running scheduled task %s.", entry.name)
    heartbeat = _Heartbeat(row_id=row.pk, owner=owner, clock=clock)
    heartbeat.start()
    begun = time.monotonic()
    try:
        task = import_string(entry.task)
        value = task(*entry.args, **entry.kwargs)
    except Exception as error:
        heartbeat.stop()
        text = redact(f"{type(error).__name__}: {error}")[:RESULT_LIMIT]
        logger.error("Scheduled task %s failed; it will run again when next due.\n%s",
                     entry.name, redact("".join(traceback.format_exception(error))))
        _finish(row=row, entry=entry, owner=owner, started=started, clock=clock,
                seconds=time.monotonic() - begun, ok=False, result="", error=text)
        return RunResult(name=entry.name, ran=True, ok=False, error=text)
    heartbeat.stop()
    summary = summarise(value)
    _finish(row=row, entry=entry, owner=owner, started=started, clock=clock,
            seconds=time.monotonic() - begun, ok=True, result=summary, error="")
    logger.info("Scheduled task %s finished in %.1f s.", entry.name, time.monotonic() - begun)
    return RunResult(name=entry.name, ran=True, ok=True, result=summary)


def _finish(*, row: ScheduledTask, entry: Entry, owner: str, started: datetime,
            clock: Callable[[], datetime], seconds: float, ok: bool, result: str,
            error: str) -> None:
    finished = clock()
    fields: dict[str, Any] = {
        "last_finished_at": finished, "last_duration": round(seconds, 3),
        "last_outcome": RunOutcome.SUCCEEDED if ok else RunOutcome.FAILED,
        "last_result": result, "last_error": error, "runs": F("runs") + 1,
        "failures_in_a_row": 0 if ok else F("failures_in_a_row") + 1,
        "next_due_at": due(entry, last_run_at=started, now=finished).at,
    }
    kept = ScheduledTask.objects.filter(pk=row.pk, lease_owner=owner).update(
        lease_owner="", lease_until=None, **fields)
    if not kept:
        # The lease ran out and another process took it: record what happened without
        # touching the other process's lease.
        logger.warning("Scheduled task %s finished after its lease had passed to another "
                       "process.", entry.name)
        ScheduledTask.objects.filter(pk=row.pk).update(**fields)


def summarise(value: Any) -> str:
    """What a task returned, short enough to show in a table cell."""
    if value is None:
        text = "Done."
    elif isinstance(value, str):
        text = value
    elif isinstance(value, list | tuple | dict) and not value:
        text = "Nothing to do."
    elif isinstance(value, list | tuple):
        text = "; ".join(str(v) for v in value)
    else:
        try:
            text = json.dumps(value, default=str, ensure_ascii=False)
        except (TypeError, ValueError):
            text = repr(value)
    return redact(text)[:RESULT_LIMIT]


class _Heartbeat:
    """Extends a running task's lease, so a long run is never taken for a dead one."""

    def __init__(self, *, row_id: int, owner: str, clock: Callable[[], datetime],
                 every: float | None = None) -> None:
        self.row_id, self.owner, self.clock = row_id, owner, clock
        self.every = HEARTBEAT_SECONDS if every is None else every
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="townhall-lease", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=30)

    def _run(self) -> None:
        try:
            while not self._stop.wait(self.every):
                try:
                    ScheduledTask.objects.filter(pk=self.row_id, lease_owner=self.owner).update(
                        lease_until=self.clock() + LEASE)
                except Exception as error:
                    # SQLite may be busy with the task's own long write; the lease has
                    # minutes to run, so the next beat tries again.
                    logger.warning("Could not extend the lease of a scheduled task (%s); "
                                   "trying again shortly.", redact(str(error)))
        finally:
            connections.close_all()


def task_run_recorded(*, entry: Entry, started: datetime, finished: datetime, ok: bool,
                      value: Any = None, error: BaseException | None = None) -> None:
    """Record a run something else made: a Celery worker running what beat sent."""
    task_rows_ensure(entries=[entry], now=started)
    ScheduledTask.objects.filter(name=entry.name).update(
        last_run_at=started, last_finished_at=finished,
        last_duration=round((finished - started).total_seconds(), 3),
        last_outcome=RunOutcome.SUCCEEDED if ok else RunOutcome.FAILED,
        last_result=summarise(value) if ok else "",
        last_error="" if ok else redact(f"{type(error).__name__}: {error}")[:RESULT_LIMIT],
        runs=F("runs") + 1, failures_in_a_row=0 if ok else F("failures_in_a_row") + 1,
        next_due_at=due(entry, last_run_at=started, now=finished).at)
