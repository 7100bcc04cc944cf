"""How long a conversation may wait for an answer, and how long it has waited.

One place for the response target, so issue 6 can replace the simple per-priority
clock with office hours and each council's own targets.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from townhall.triage.models import Priority

TARGETS = {
    Priority.CRITICAL: timedelta(hours=1),
    Priority.HIGH: timedelta(hours=4),
    Priority.NORMAL: timedelta(hours=24),
    Priority.LOW: timedelta(hours=72),
}


def response_target(*, priority: str, safeguarding: bool = False) -> timedelta:
    """The time within which a resident should get an answer."""
    if safeguarding:
        return TARGETS[Priority.CRITICAL]
    return TARGETS.get(Priority(priority) if priority in Priority.values else Priority.NORMAL,
                       TARGETS[Priority.NORMAL])


@dataclass(frozen=True)
class Waiting:
    waited: timedelta
    target: timedelta

    @property
    def overdue(self) -> bool:
        return self.waited > self.target

    @property
    def share(self) -> float:
        return self.waited / self.target if self.target else 0.0


def waiting(*, waiting_since: datetime | None, priority: str, safeguarding: bool,
            now: datetime) -> Waiting | None:
    if waiting_since is None:
        return None
    return Waiting(waited=max(now - waiting_since, timedelta(0)),
                   target=response_target(priority=priority, safeguarding=safeguarding))


def duration_text(value: timedelta) -> str:
    """'45 min', '3 h 20 min', '2 days 4 h': short, for a table cell."""
    from django.utils.translation import gettext as _
    from django.utils.translation import ngettext

    minutes = int(value.total_seconds() // 60)
    days, rest = divmod(minutes, 60 * 24)
    hours, mins = divmod(rest, 60)
    if days:
        text = ngettext("%(n)d day", "%(n)d days", days) % {"n": days}
        return f"{text} {hours} h" if hours else text
    if hours:
        return _("%(h)d h %(m)d min") % {"h": hours, "m": mins} if mins else f"{hours} h"
    return _("%(m)d min") % {"m": mins}
