"""Response targets in office time, and how long a conversation has left.

Plain Python over already-loaded rows: the inbox builds one ResponseClock per page and
asks it about each displayed row, so a page costs the same few queries however long.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from townhall.respond.hours import OfficeHours
from townhall.triage.models import Priority

# Office minutes: an hour, half an office day, one office day, three office days.
DEFAULT_TARGET_MINUTES: dict[str, int] = {
    Priority.CRITICAL: 60,
    Priority.HIGH: 240,
    Priority.NORMAL: 480,
    Priority.LOW: 1440,
}
DEFAULT_WARN_AT_PERCENT = 80


@dataclass(frozen=True)
class Target:
    """Office seconds allowed: for the first response and, if set, for resolution."""

    first_response: int
    resolution: int | None = None


def _priority(priority: str) -> str:
    return priority if priority in Priority.values else Priority.NORMAL


class TargetTable:
    """A council's targets: by category and priority, then by priority, then defaults.

    rows: (category_id or None, priority, first-response minutes, resolution minutes or None).
    """

    def __init__(self, rows: Iterable[tuple[int | None, str, int, int | None]] = ()) -> None:
        self._rows: dict[tuple[int | None, str], Target] = {
            (category_id, priority): Target(first * 60, None if res is None else res * 60)
            for category_id, priority, first, res in rows}

    def all_targets(self) -> list[Target]:
        """The council's own rows (not the defaults)."""
        return list(self._rows.values())

    def target_for(self, *, priority: str, safeguarding: bool = False,
                   category_id: int | None = None) -> Target:
        """Safeguarding always gets the critical target, whatever its category."""
        if safeguarding:
            priority, category_id = Priority.CRITICAL, None
        priority = _priority(priority)
        found = self._rows.get((category_id, priority)) if category_id is not None else None
        found = found or self._rows.get((None, priority))
        return found or Target(DEFAULT_TARGET_MINUTES[priority] * 60)


@dataclass(frozen=True)
class Waiting:
    """How long a resident has waited, in office time, against the target."""

    waited: timedelta
    target: timedelta
    due_at: datetime
    warn_share: float = DEFAULT_WARN_AT_PERCENT / 100

    @property
    def overdue(self) -> bool:
        return self.waited > self.target

    @property
    def left(self) -> timedelta:
        return max(self.target - self.waited, timedelta(0))

    @property
    def over_by(self) -> timedelta:
        return max(self.waited - self.target, timedelta(0))

    @property
    def share(self) -> float:
        return self.waited / self.target if self.target else 0.0

    @property
    def near(self) -> bool:
        """Past the warning share of the target but not yet over it."""
        return not self.overdue and self.share >= self.warn_share


@dataclass(frozen=True)
class ResponseClock:
    hours: OfficeHours
    targets: TargetTable
    warn_share: float = DEFAULT_WARN_AT_PERCENT / 100

    @classmethod
    def default(cls) -> ResponseClock:
        return cls(OfficeHours.default(), TargetTable())

    def waiting(self, *, waiting_since: datetime | None, priority: str, safeguarding: bool,
                now: datetime, category_id: int | None = None) -> Waiting | None:
        if waiting_since is None:
            return None
        target = self.targets.target_for(priority=priority, safeguarding=safeguarding,
                                         category_id=category_id).first_response
        waited = self.hours.seconds_between(waiting_since, now)
        return Waiting(waited=timedelta(seconds=waited), target=timedelta(seconds=target),
                       due_at=self.hours.deadline(waiting_since, target),
                       warn_share=self.warn_share)
