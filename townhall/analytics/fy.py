"""Financial years (April to March) and London days, the two calendars reports use.

Plain Python with no Django import. A financial year is named by the calendar year it
starts in: 2026 is 1 April 2026 to 31 March 2027.
"""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")


def fy_start(year: int) -> date:
    return date(year, 4, 1)


def fy_end(year: int) -> date:
    """The last day of the financial year, inclusive."""
    return date(year + 1, 3, 31)


def fy_of(day: date) -> int:
    return day.year if day.month >= 4 else day.year - 1


def fy_label(year: int) -> str:
    """As GOV.UK writes a financial year: "2026 to 2027"."""
    return f"{year} to {year + 1}"


def month_start(day: date) -> date:
    return day.replace(day=1)


def next_month(day: date) -> date:
    return (day.replace(day=1) + timedelta(days=32)).replace(day=1)


def month_end(day: date) -> date:
    """The last day of the month, inclusive."""
    return next_month(day) - timedelta(days=1)


def fy_months(year: int) -> list[date]:
    """The first day of each month of the financial year, April first."""
    months = [fy_start(year)]
    while len(months) < 12:
        months.append(next_month(months[-1]))
    return months


def london_day(moment: datetime) -> date:
    return moment.astimezone(LONDON).date()


def day_start_utc(day: date) -> datetime:
    """The moment a London day begins, in UTC (clock changes included)."""
    return datetime.combine(day, time(0), tzinfo=LONDON).astimezone(UTC)


def days_between(first: date, last: date) -> list[date]:
    """Every day from first to last, both included."""
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]
