"""The periodic tasks, read from CELERY_BEAT_SCHEDULE, and when each is due.

Due-ness is Celery's own (`is_due` and `remaining_estimate` of celery.schedules), so a
task runs at the same moments whether Celery beat or the in-process scheduler runs it.
"""

import copy
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from celery.schedules import BaseSchedule, crontab, maybe_schedule
from celery.schedules import schedule as interval
from django.conf import settings
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

# What each entry does, in words for the Background work page and the command line.
DESCRIPTIONS = {
    "send-queued-replies": gettext_lazy("Send replies waiting to go out"),
    "reconcile-channels": gettext_lazy("Fetch messages that webhooks missed"),
    "sweep-webhook-bodies": gettext_lazy("Store webhook deliveries left waiting"),
    "retrain-triage-models": gettext_lazy("Retrain each council's triage model"),
    "warn-before-response-breach": gettext_lazy(
        "Warn supervisors before response targets are missed"),
    "open311-sweep": gettext_lazy(
        "Send service requests to the back office and fetch their updates"),
    "refresh-analytics": gettext_lazy("Bring the dashboard figures up to date"),
    "recount-analytics": gettext_lazy("Count the dashboard figures again from the start"),
    "email-committee-reports": gettext_lazy("Email last month's committee report"),
    "recheck-channels": gettext_lazy("Check that each connected channel still works"),
}


@dataclass(frozen=True)
class Entry:
    name: str
    task: str
    schedule: BaseSchedule
    args: tuple[Any, ...] = ()
    kwargs: dict[str, Any] = field(default_factory=dict)

    @property
    def description(self) -> str:
        return str(DESCRIPTIONS.get(self.name, self.name))

    @property
    def how_often(self) -> str:
        return how_often(self.schedule)


def schedule_entries(beat_schedule: dict[str, dict[str, Any]] | None = None) -> list[Entry]:
    """Every entry of the beat schedule, in name order."""
    configured = settings.CELERY_BEAT_SCHEDULE if beat_schedule is None else beat_schedule
    entries = []
    for name, spec in sorted(configured.items()):
        entries.append(Entry(name=name, task=spec["task"],
                             schedule=maybe_schedule(spec["schedule"]),  # type: ignore[arg-type]
                             args=tuple(spec.get("args", ())),
                             kwargs=dict(spec.get("kwargs", {}))))
    return entries


def entry_named(name: str, entries: list[Entry] | None = None) -> Entry | None:
    return next((e for e in entries or schedule_entries() if e.name == name), None)


@dataclass(frozen=True)
class Due:
    now: bool
    # When the next run is due; in the past when a run is overdue.
    at: datetime


def due(entry: Entry, *, last_run_at: datetime, now: datetime) -> Due:
    """Whether `entry` should run at `now`, having last run (or been first seen) then.

    However many runs were missed, this is one answer: a task that was due five times
    while the server was off runs once, and its next run counts from that one.
    """
    at_now = copy.copy(entry.schedule)
    at_now.nowfun = lambda: now
    is_due, _next = at_now.is_due(last_run_at)
    return Due(now=bool(is_due), at=now + at_now.remaining_estimate(last_run_at))


def how_often(schedule: BaseSchedule) -> str:
    if isinstance(schedule, interval):
        return _every(schedule.run_every)
    if isinstance(schedule, crontab):
        return _when(schedule)
    return str(schedule)


def _every(every: timedelta) -> str:
    seconds = int(every.total_seconds())
    for unit, singular, plural in [
        (7 * 86400, _("Every week"), _("Every %(n)d weeks")),
        (86400, _("Every day"), _("Every %(n)d days")),
        (3600, _("Every hour"), _("Every %(n)d hours")),
        (60, _("Every minute"), _("Every %(n)d minutes")),
    ]:
        if seconds and seconds % unit == 0:
            n = seconds // unit
            return singular if n == 1 else plural % {"n": n}
    return _("Every %(n)d seconds") % {"n": seconds}


# Welsh ordinals written with figures ("1af", "2il"); from the 21st on they end in "ain".
# The article before them is "yr" where the spoken ordinal starts with a vowel (ail,
# wythfed, unfed ar ddeg, ugeinfed...), else "y".
_WELSH_SUFFIXES = {1: "af", 2: "il", 3: "ydd", 4: "ydd", 5: "ed", 6: "ed", 7: "fed", 8: "fed",
                   9: "fed", 10: "fed", 11: "eg", 12: "fed", 13: "eg", 14: "eg", 15: "fed",
                   16: "eg", 17: "eg", 18: "fed", 19: "eg", 20: "fed"}
_WELSH_YR = {2, 8, 11, 16, 17, 20, 21, 22, 28, 31}


def _ordinal(day: int) -> str:
    """'1st' in English. In Welsh 'y 1af', 'yr 2il': the article comes with the number,
    because which one it takes depends on how the number is said."""
    if (get_language() or "").startswith("cy"):
        article = "yr" if day in _WELSH_YR else "y"
        return f"{article} {day}{_WELSH_SUFFIXES.get(day, 'ain')}"
    suffix = "th" if 10 <= day % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


DAY_NAMES = [gettext_lazy("Sunday"), gettext_lazy("Monday"), gettext_lazy("Tuesday"),
             gettext_lazy("Wednesday"), gettext_lazy("Thursday"), gettext_lazy("Friday"),
             gettext_lazy("Saturday")]


def _when(cron: crontab) -> str:
    if len(cron.minute) != 1 or len(cron.hour) != 1 or len(cron.month_of_year) != 12:
        return _("On a timetable (%(cron)s)") % {"cron": cron}
    time = f"{min(cron.hour):02d}:{min(cron.minute):02d}"
    every_day, every_weekday = len(cron.day_of_month) == 31, len(cron.day_of_week) == 7
    if every_day and every_weekday:
        return _("Every day at %(time)s") % {"time": time}
    if every_weekday and len(cron.day_of_month) == 1:
        # Translators: %(day)s is "1st" in English, and "y 1af" or "yr 2il" in Welsh, with
        # its article, so the Welsh sentence has no "y" of its own.
        return _("On the %(day)s of each month at %(time)s") % {
            "day": _ordinal(min(cron.day_of_month)), "time": time}
    if every_day and len(cron.day_of_week) == 1:
        return _("Every %(day)s at %(time)s") % {"day": DAY_NAMES[min(cron.day_of_week)],
                                                  "time": time}
    return _("On a timetable (%(cron)s)") % {"cron": cron}
