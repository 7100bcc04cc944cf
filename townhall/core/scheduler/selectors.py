"""What the schedule looks like now: for `townhall schedule list` and the Background work page."""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.utils import timezone

from townhall.core.models import RunOutcome, ScheduledTask
from townhall.core.scheduler.schedule import Entry, due, schedule_entries

# A run whose lease ran out before it finished: its process stopped (a restart, a crash).
STOPPED = "stopped"


@dataclass(frozen=True)
class TaskStatus:
    name: str
    description: str
    how_often: str
    last_run_at: datetime | None
    last_finished_at: datetime | None
    # "", running, succeeded, failed or stopped.
    outcome: str
    # The task's own words and its error, for operators: they may name councils, so
    # the web page never shows them.
    result: str
    error: str
    duration: float | None
    failures_in_a_row: int
    # None until a scheduler (or Celery worker) has seen the task.
    next_due_at: datetime | None

    @property
    def overdue(self) -> bool:
        return self.next_due_at is not None and self.next_due_at <= timezone.now()


def schedule_mode() -> str:
    """"celery" (beat runs the schedule), "embedded" (`townhall serve` does) or "off"."""
    if settings.REDIS_URL:
        return "celery"
    return "embedded" if settings.TOWNHALL_SCHEDULER else "off"


def schedule_status(*, now: datetime | None = None,
                    entries: list[Entry] | None = None) -> list[TaskStatus]:
    now = now or timezone.now()
    entries = schedule_entries() if entries is None else entries
    rows = {r.name: r for r in ScheduledTask.objects.filter(name__in=[e.name for e in entries])}
    return [_status(entry, rows.get(entry.name), now) for entry in entries]


def _status(entry: Entry, row: ScheduledTask | None, now: datetime) -> TaskStatus:
    if row is None:
        return TaskStatus(entry.name, entry.description, entry.how_often, None, None, "", "",
                          "", None, 0, None)
    outcome = row.last_outcome
    if outcome == RunOutcome.RUNNING and (row.lease_until is None or row.lease_until <= now):
        outcome = STOPPED
    next_due = due(entry, last_run_at=row.last_run_at or row.first_seen_at, now=now).at
    return TaskStatus(entry.name, entry.description, entry.how_often, row.last_run_at,
                      row.last_finished_at, outcome, row.last_result, row.last_error,
                      row.last_duration, row.failures_in_a_row, next_due)
