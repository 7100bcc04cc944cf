"""When officers are at their desks, and so how long a resident waits for a reply."""

from __future__ import annotations

import datetime as dt
import math
import random
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")
UTC = dt.UTC

# Staffed hours in local time. The contact centre and social media team cover weekdays 8am to
# 8pm; a communications officer keeps a short watch at weekends and on bank holidays.
WEEKDAY_HOURS = ((8, 0), (20, 0))
WEEKEND_HOURS = ((10, 0), (13, 0))

# Median working minutes before a first reply, by priority.
MEDIAN_MINUTES = {"critical": 10, "high": 30, "normal": 75, "low": 150}
PLATFORM_PACE = {"email": 3.0, "webchat": 0.1, "nextdoor": 1.5, "instagram": 1.3}


def local_midnight(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=LONDON).astimezone(UTC)


def end_of_day(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, 23, 59, 59, tzinfo=LONDON).astimezone(UTC)


class Staffing:
    """Answers "when would a reply go out?" against staffed hours and bank holidays."""

    def __init__(self, holidays: set[dt.date]) -> None:
        self._holidays = holidays
        self._windows: dict[dt.date, tuple[dt.datetime, dt.datetime]] = {}

    def window(self, day: dt.date) -> tuple[dt.datetime, dt.datetime]:
        if day not in self._windows:
            quiet = day.weekday() >= 5 or day in self._holidays
            (h1, m1), (h2, m2) = WEEKEND_HOURS if quiet else WEEKDAY_HOURS
            start = dt.datetime(day.year, day.month, day.day, h1, m1, tzinfo=LONDON)
            end = dt.datetime(day.year, day.month, day.day, h2, m2, tzinfo=LONDON)
            self._windows[day] = (start.astimezone(UTC), end.astimezone(UTC))
        return self._windows[day]

    def is_staffed(self, moment: dt.datetime) -> bool:
        start, end = self.window(moment.astimezone(LONDON).date())
        return start <= moment < end

    def add_working_minutes(self, moment: dt.datetime, minutes: float) -> dt.datetime:
        day = moment.astimezone(LONDON).date()
        for _ in range(60):
            start, end = self.window(day)
            if end > moment:
                begin = max(start, moment)
                available = (end - begin).total_seconds() / 60
                if minutes <= available:
                    return begin + dt.timedelta(minutes=minutes)
                minutes -= available
            day += dt.timedelta(days=1)
        return moment + dt.timedelta(days=60)

    def first_reply(self, rng: random.Random, moment: dt.datetime, *, priority: str,
                    platform: str) -> dt.datetime:
        """When the first reply goes out: minutes in office hours, the next morning otherwise."""
        median = MEDIAN_MINUTES[priority] * PLATFORM_PACE.get(platform, 1.0)
        minutes = max(1.0, rng.lognormvariate(math.log(median), 0.9))
        if priority in ("normal", "low") and rng.random() < 0.06:
            # A few replies wait for a specialist to come back with an answer.
            minutes += rng.uniform(1, 3) * 12 * 60
        return self.add_working_minutes(moment, minutes) + dt.timedelta(
            seconds=rng.randint(0, 59))
