"""Office hours arithmetic: how many office seconds lie between two moments, and when a
number of office seconds will have passed.

Plain Python with no Django import, so analytics, tasks and tests can use it anywhere.

Opening times are local wall-clock times (for example 08:45 to 17:15 in Europe/London);
the moments passed in and returned are aware datetimes, and results are in UTC. A day's
openings are converted to UTC one interval at a time, so clock changes are exact: an
opening that straddles the change really is an hour shorter or longer.

Speed: a span is never walked minute by minute. Whole weeks cost the weekly total, then
closed days and clock-change days in the span are corrected one by one, so a year costs
a few dozen operations.
"""

from __future__ import annotations

import bisect
import functools
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays

Interval = tuple[time, time]

#: The UK nations whose bank holidays a council can follow, mapped to the `holidays`
#: package's subdivision of GB. Wales shares England's bank holidays.
NATIONS: dict[str, str] = {
    "england-and-wales": "ENG",
    "scotland": "SCT",
    "northern-ireland": "NIR",
}

DEFAULT_TIMEZONE = "Europe/London"

#: Monday is 0, as in `date.weekday()`.
DEFAULT_WEEK: dict[int, list[Interval]] = {
    0: [(time(8, 45), time(17, 15))],
    1: [(time(8, 45), time(17, 15))],
    2: [(time(8, 45), time(17, 15))],
    3: [(time(8, 45), time(17, 15))],
    4: [(time(8, 45), time(16, 45))],
    5: [],
    6: [],
}

# Clock-change days by (zone, week, year): the same for every council with the same hours.
_CLOCK_CHANGES: dict[tuple[str, tuple[tuple[Interval, ...], ...], int], dict[date, int]] = {}

# A deadline search gives up after this many days without finding an open day, which
# only happens when the closed dates swallow every opening (a configuration mistake).
_MAX_CLOSED_RUN_DAYS = 3 * 366


@functools.lru_cache(maxsize=256)
def bank_holidays(nation: str, year: int) -> frozenset[date]:
    """The bank holidays (with substitute days) of one UK nation in one year.

    Cached for the process: every request builds a new OfficeHours, and the holidays
    package takes a millisecond or so per nation and year."""
    try:
        subdiv = NATIONS[nation]
    except KeyError:
        raise ValueError(f"Unknown nation {nation!r}: use one of {', '.join(NATIONS)}.") from None
    return frozenset(holidays.country_holidays("GB", subdiv=subdiv, years=year).keys())


def _seconds(t: time) -> int:
    return t.hour * 3600 + t.minute * 60 + t.second


class OfficeHours:
    """A council's opening times, time zone and closed days.

    weekly: for each weekday (0 = Monday ... 6 = Sunday) a list of (start, end) local
        times, end after start, not overlapping. Missing weekdays are closed.
    timezone: an IANA name, normally "Europe/London".
    nation: whose bank holidays close the office ("england-and-wales", "scotland",
        "northern-ireland"), or None for no bank holidays.
    closed_dates: the council's own closure days (for example the Christmas shutdown).
    """

    def __init__(
        self,
        weekly: Mapping[int, Sequence[Interval]],
        *,
        timezone: str = DEFAULT_TIMEZONE,
        nation: str | None = "england-and-wales",
        closed_dates: Iterable[date] = (),
    ) -> None:
        if nation is not None and nation not in NATIONS:
            raise ValueError(f"Unknown nation {nation!r}: use one of {', '.join(NATIONS)}.")
        self.timezone = timezone
        self.tz = ZoneInfo(timezone)
        self.nation = nation
        self.weekly: dict[int, tuple[Interval, ...]] = {}
        for weekday in range(7):
            intervals = sorted(weekly.get(weekday, ()))
            for start, end in intervals:
                if not end > start:
                    raise ValueError(f"Opening {start:%H:%M}-{end:%H:%M} must end after it starts.")
            for (_, end), (start, _) in zip(intervals, intervals[1:], strict=False):
                if start < end:
                    raise ValueError("Openings on the same day must not overlap.")
            self.weekly[weekday] = tuple(intervals)
        self.council_closed: frozenset[date] = frozenset(closed_dates)
        # Wall-clock seconds open on each weekday (exact on every day without a clock change).
        self._wall = [sum(_seconds(e) - _seconds(s) for s, e in self.weekly[w]) for w in range(7)]
        self._week_total = sum(self._wall)
        if self._week_total == 0:
            raise ValueError("The office must be open at least once a week.")
        self._week_key = tuple(self.weekly[d] for d in range(7))
        self._closed_by_year: dict[int, list[date]] = {}
        self._changes_by_year: dict[int, dict[date, int]] = {}

    @classmethod
    def default(cls) -> OfficeHours:
        """Mon-Thu 08:45-17:15, Fri 08:45-16:45, Europe/London, England and Wales."""
        return cls(DEFAULT_WEEK)

    def __repr__(self) -> str:
        return f"OfficeHours(timezone={self.timezone!r}, nation={self.nation!r})"

    # Closed days and clock changes, computed once per year and cached.

    def _closed_in(self, year: int) -> list[date]:
        found = self._closed_by_year.get(year)
        if found is None:
            days = {d for d in self.council_closed if d.year == year}
            if self.nation is not None:
                days |= bank_holidays(self.nation, year)
            found = self._closed_by_year[year] = sorted(days)
        return found

    def is_closed_day(self, day: date) -> bool:
        """True on bank holidays and the council's own closure days."""
        closed = self._closed_in(day.year)
        i = bisect.bisect_left(closed, day)
        return i < len(closed) and closed[i] == day

    def _offset(self, day: date) -> timedelta | None:
        return datetime.combine(day, time(0), tzinfo=self.tz).utcoffset()

    def _clock_changes(self, year: int) -> dict[date, int]:
        """Days of the year whose real opening seconds differ from the wall clock's.

        Shared by every OfficeHours with the same zone and week, for the process."""
        found = self._changes_by_year.get(year)
        if found is not None:
            return found
        key = (self.timezone, self._week_key, year)
        found = _CLOCK_CHANGES.get(key)
        if found is not None:
            self._changes_by_year[year] = found
            return found
        found = {}
        bounds = [date(year, m, 1) for m in range(1, 13)] + [date(year + 1, 1, 1)]
        for lo, hi in zip(bounds, bounds[1:], strict=False):
            # Offsets only change at transitions, months apart: bisect each month.
            stack = [(lo, hi)]
            while stack:
                a, b = stack.pop()
                if self._offset(a) == self._offset(b):
                    continue
                if (b - a).days == 1:
                    actual = self._day_seconds_exact(a)
                    if actual != self._wall[a.weekday()]:
                        found[a] = actual
                    continue
                mid = a + timedelta(days=(b - a).days // 2)
                stack += [(a, mid), (mid, b)]
        self._changes_by_year[year] = _CLOCK_CHANGES[key] = found
        return found

    def _intervals_utc(self, day: date) -> list[tuple[datetime, datetime]]:
        return [
            (
                datetime.combine(day, s, tzinfo=self.tz).astimezone(UTC),
                datetime.combine(day, e, tzinfo=self.tz).astimezone(UTC),
            )
            for s, e in self.weekly[day.weekday()]
        ]

    def _day_seconds_exact(self, day: date) -> int:
        return int(sum(((e - s).total_seconds() for s, e in self._intervals_utc(day)), 0.0))

    def day_seconds(self, day: date) -> int:
        """Office seconds on one local day (0 when closed)."""
        if self.is_closed_day(day):
            return 0
        return self._clock_changes(day.year).get(day, self._wall[day.weekday()])

    def _days_seconds(self, first: date, last: date) -> int:
        """Office seconds on the whole local days first..last inclusive."""
        if last < first:
            return 0
        n = (last - first).days + 1
        weeks, rest = divmod(n, 7)
        start_wd = first.weekday()
        total = weeks * self._week_total + sum(self._wall[(start_wd + i) % 7] for i in range(rest))
        for year in range(first.year, last.year + 1):
            closed = self._closed_in(year)
            lo, hi = bisect.bisect_left(closed, first), bisect.bisect_right(closed, last)
            for day in closed[lo:hi]:
                total -= self._wall[day.weekday()]
            for day, actual in self._clock_changes(year).items():
                if first <= day <= last and not self.is_closed_day(day):
                    total += actual - self._wall[day.weekday()]
        return total

    def _overlap(self, day: date, lo: datetime | None, hi: datetime | None) -> float:
        if self.is_closed_day(day):
            return 0.0
        total = 0.0
        for s, e in self._intervals_utc(day):
            s2 = s if lo is None or s > lo else lo
            e2 = e if hi is None or e < hi else hi
            if e2 > s2:
                total += (e2 - s2).total_seconds()
        return total

    def _local_date(self, moment: datetime) -> date:
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise ValueError("Office hours need aware datetimes (with a time zone).")
        return moment.astimezone(self.tz).date()

    # The public arithmetic.

    def seconds_between(self, start: datetime, end: datetime) -> int:
        """Office seconds between two aware datetimes (0 if end is not after start)."""
        first, last = self._local_date(start), self._local_date(end)
        # In UTC, because Python subtracts two datetimes of the same zone by wall clock.
        start, end = start.astimezone(UTC), end.astimezone(UTC)
        if end <= start:
            return 0
        if first == last:
            return int(self._overlap(first, start, end))
        partial = self._overlap(first, start, None) + self._overlap(last, None, end)
        return int(partial) + self._days_seconds(first + timedelta(days=1), last - timedelta(days=1))

    def deadline(self, start: datetime, office_seconds: int) -> datetime:
        """The aware UTC datetime when office_seconds of office time have passed after start.

        A message that arrives out of hours starts the clock at the next opening. The
        deadline lands inside an opening, or exactly on its close.
        """
        if office_seconds < 0:
            raise ValueError("office_seconds must not be negative.")
        day = self._local_date(start)
        start = start.astimezone(UTC)
        remaining = float(office_seconds)
        if remaining == 0:
            return start
        hit = self._find_in_day(day, start, remaining)
        if isinstance(hit, datetime):
            return hit
        remaining -= hit
        day += timedelta(days=1)
        idle_days = 0
        while True:
            # Jump whole weeks while at least two weeks of office time remain. Closed
            # days only shorten a jump, so it can overshoot only through a clock change.
            weeks = int(remaining // self._week_total) - 1
            if weeks > 0:
                last = day + timedelta(days=7 * weeks - 1)
                span = self._days_seconds(day, last)
                if 0 < span < remaining:
                    remaining -= span
                    day = last + timedelta(days=1)
                    continue
            seconds = self.day_seconds(day)
            if seconds >= remaining and seconds > 0:
                found = self._find_in_day(day, None, remaining)
                assert isinstance(found, datetime)
                return found
            remaining -= seconds
            idle_days = 0 if seconds else idle_days + 1
            if idle_days > _MAX_CLOSED_RUN_DAYS:
                raise ValueError("The office is closed for years on end: check the closed dates.")
            day += timedelta(days=1)

    def _find_in_day(self, day: date, after: datetime | None, remaining: float) -> datetime | float:
        """The moment in `day` when `remaining` seconds have passed, or the seconds used up."""
        if self.is_closed_day(day):
            return 0.0
        used = 0.0
        for s, e in self._intervals_utc(day):
            if after is not None and e <= after:
                continue
            begin = s if after is None or s > after else after
            length = (e - begin).total_seconds()
            if remaining - used <= length:
                return begin + timedelta(seconds=remaining - used)
            used += length
        return used

    def is_open(self, moment: datetime) -> bool:
        """True if the office is open at this aware moment."""
        day = self._local_date(moment)
        moment = moment.astimezone(UTC)
        if self.is_closed_day(day):
            return False
        return any(s <= moment < e for s, e in self._intervals_utc(day))
