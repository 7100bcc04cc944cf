"""Office-hours arithmetic: weekends, bank holidays, closures, clock changes, long spans."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from townhall.respond.hours import OfficeHours, bank_holidays

LONDON = ZoneInfo("Europe/London")
HOUR = 3600


def london(*args: int) -> datetime:
    return datetime(*args, tzinfo=LONDON)  # type: ignore[misc]


@pytest.fixture
def hours() -> OfficeHours:
    return OfficeHours.default()


def brute_force(hours: OfficeHours, start: datetime, end: datetime) -> int:
    """Count open quarter hours one by one: slow, obviously right, for comparison."""
    total, moment = 0, start
    while moment < end:
        total += 900 if hours.is_open(moment) else 0
        moment += timedelta(minutes=15)
    return total


def test_it_counts_only_the_open_part_of_a_day(hours) -> None:
    # Tuesday 7 January 2025: 08:45-17:15.
    assert hours.seconds_between(london(2025, 1, 7, 8, 0), london(2025, 1, 7, 10, 0)) == 75 * 60
    assert hours.seconds_between(london(2025, 1, 7, 0, 0), london(2025, 1, 8, 0, 0)) == 8.5 * HOUR


def test_it_closes_earlier_on_friday_and_skips_the_weekend(hours) -> None:
    friday_4pm = london(2025, 1, 10, 16, 0)
    monday_10am = london(2025, 1, 13, 10, 0)
    assert hours.seconds_between(friday_4pm, monday_10am) == 45 * 60 + 75 * 60
    # One office hour from Friday 16:00: 45 minutes on Friday, 15 on Monday morning.
    assert hours.deadline(friday_4pm, HOUR) == london(2025, 1, 13, 9, 0).astimezone(UTC)


def test_it_starts_the_clock_at_the_next_opening_for_a_message_out_of_hours(hours) -> None:
    saturday_night = london(2025, 1, 11, 23, 30)
    assert hours.deadline(saturday_night, 4 * HOUR) == london(2025, 1, 13, 12, 45).astimezone(UTC)
    assert hours.seconds_between(saturday_night, london(2025, 1, 13, 8, 45)) == 0


def test_it_skips_bank_holidays_of_the_councils_nation() -> None:
    # Monday 5 August 2024 is a bank holiday in Scotland only; 26 August in England only.
    england = OfficeHours.default()
    scotland = OfficeHours(england.weekly, nation="scotland")
    friday = london(2024, 8, 2, 16, 45)
    assert england.deadline(friday, HOUR) == london(2024, 8, 5, 9, 45).astimezone(UTC)
    assert scotland.deadline(friday, HOUR) == london(2024, 8, 6, 9, 45).astimezone(UTC)
    late_august = london(2024, 8, 23, 16, 45)
    assert england.deadline(late_august, HOUR) == london(2024, 8, 27, 9, 45).astimezone(UTC)
    assert scotland.deadline(late_august, HOUR) == london(2024, 8, 26, 9, 45).astimezone(UTC)


def test_it_knows_substitute_days_and_northern_irelands_holidays() -> None:
    # Christmas 2027 is a Saturday: Monday 27 and Tuesday 28 December are substitute days.
    assert {date(2027, 12, 27), date(2027, 12, 28)} <= bank_holidays("england-and-wales", 2027)
    assert date(2025, 7, 14) in bank_holidays("northern-ireland", 2025)
    assert date(2025, 3, 17) not in bank_holidays("england-and-wales", 2025)


def test_it_skips_the_councils_own_closure_days() -> None:
    shutdown = [date(2025, 12, 29), date(2025, 12, 30), date(2025, 12, 31)]
    hours = OfficeHours(OfficeHours.default().weekly, closed_dates=shutdown)
    # Wednesday 24 December at 17:00; 25, 26 bank holidays; 29-31 shut; 1 January too.
    assert hours.deadline(london(2025, 12, 24, 17, 0), HOUR) == \
        london(2026, 1, 2, 9, 30).astimezone(UTC)


def test_it_is_exact_across_the_spring_clock_change() -> None:
    # Open round the clock: the night of 30 March 2025 lost an hour.
    always = OfficeHours({d: [(time(0), time(23, 59, 59))] for d in range(7)}, nation=None)
    start, end = london(2025, 3, 30, 0, 0), london(2025, 3, 30, 4, 0)
    assert always.seconds_between(start, end) == 3 * HOUR
    assert always.deadline(start, 3 * HOUR) == end.astimezone(UTC)


def test_it_is_exact_across_the_autumn_clock_change() -> None:
    night = OfficeHours({d: [(time(0, 30), time(3, 0))] for d in range(7)}, nation=None)
    # 26 October 2025: 00:30 BST to 03:00 GMT is three and a half hours.
    day = london(2025, 10, 26, 0, 0)
    assert night.seconds_between(day, day + timedelta(days=1)) == int(3.5 * HOUR)
    assert night.day_seconds(date(2025, 10, 26)) == int(3.5 * HOUR)
    assert night.day_seconds(date(2025, 10, 27)) == int(2.5 * HOUR)


def test_office_hours_keep_local_time_after_the_clocks_go_forward(hours) -> None:
    # Friday 28 March (GMT) to Monday 31 March (BST): Monday opens at 08:45 local, 07:45 UTC.
    deadline = hours.deadline(london(2025, 3, 28, 16, 0), HOUR)
    assert deadline == datetime(2025, 3, 31, 8, 0, tzinfo=UTC)


def test_it_counts_a_whole_year(hours) -> None:
    start = datetime(2025, 1, 1, tzinfo=UTC)
    end = datetime(2026, 1, 1, tzinfo=UTC)
    # 2025: 261 weekdays, 52 of them Fridays; 8 bank holidays, all weekdays, 2 Fridays.
    fridays, other_days = 52 - 2, 261 - 52 - 6
    expected = fridays * 8 * HOUR + other_days * 8.5 * HOUR
    assert hours.seconds_between(start, end) == expected
    assert hours.deadline(start, int(expected)) == london(2025, 12, 31, 17, 15).astimezone(UTC)


def test_it_agrees_with_counting_quarter_hours_one_by_one() -> None:
    hours = OfficeHours({d: [(time(0, 30), time(3, 0)), (time(9), time(12, 30)),
                             (time(13, 30), time(17))] for d in range(6)},
                        nation="scotland", closed_dates=[date(2025, 4, 1)])
    start = london(2025, 3, 20, 0, 0)
    for step in range(0, 60 * 24 * 20, 60 * 7 + 15):
        first = start + timedelta(minutes=step)
        last = first + timedelta(minutes=15 * (step % 2000))
        counted = hours.seconds_between(first, last)
        assert counted == brute_force(hours, first, last)
        if counted:
            assert hours.seconds_between(first, hours.deadline(first, counted)) == counted


def test_it_lands_a_deadline_on_the_close_not_the_next_opening(hours) -> None:
    monday_4pm = london(2025, 1, 13, 16, 15)
    assert hours.deadline(monday_4pm, HOUR) == london(2025, 1, 13, 17, 15).astimezone(UTC)


def test_it_refuses_bad_opening_times_and_naive_datetimes(hours) -> None:
    with pytest.raises(ValueError, match="end after"):
        OfficeHours({0: [(time(17), time(9))]})
    with pytest.raises(ValueError, match="overlap"):
        OfficeHours({0: [(time(9), time(12)), (time(11), time(13))]})
    with pytest.raises(ValueError, match="open at least"):
        OfficeHours({})
    with pytest.raises(ValueError, match="nation"):
        OfficeHours(hours.weekly, nation="wales")
    with pytest.raises(ValueError, match="aware"):
        hours.seconds_between(datetime(2025, 1, 1), datetime(2025, 1, 2))  # noqa: DTZ001


def test_it_gives_no_time_for_an_end_before_the_start(hours) -> None:
    assert hours.seconds_between(london(2025, 1, 8, 12), london(2025, 1, 7, 12)) == 0
    assert hours.deadline(london(2025, 1, 8, 12), 0) == london(2025, 1, 8, 12)


# Split days: a lunchtime closure, and a day the office is shut every week ----------------


def brute_force_utc(hours: OfficeHours, start: datetime, end: datetime) -> int:
    """Like brute_force, stepping in UTC: local wall-clock steps go wrong on the days the
    clocks change, which these tests cross."""
    total, moment, end = 0, start.astimezone(UTC), end.astimezone(UTC)
    while moment < end:
        total += 900 if hours.is_open(moment) else 0
        moment += timedelta(minutes=15)
    return total


SPLIT = OfficeHours({0: [(time(8, 30), time(12, 30)), (time(13, 30), time(17))],
                     1: [(time(8, 30), time(12, 30)), (time(13, 30), time(17))],
                     2: [],  # closed on Wednesdays
                     3: [(time(8, 30), time(12, 30)), (time(13, 30), time(17))],
                     4: [(time(8, 30), time(12, 30)), (time(13, 30), time(16))]})


def test_a_split_day_leaves_out_lunch() -> None:
    # Monday 12 January 2026: 4 h in the morning, 3.5 h after lunch.
    monday = date(2026, 1, 12)
    assert SPLIT.day_seconds(monday) == int(7.5 * HOUR)
    assert SPLIT.seconds_between(london(2026, 1, 12, 12, 0), london(2026, 1, 12, 14, 0)) == HOUR
    assert SPLIT.deadline(london(2026, 1, 12, 12, 0), HOUR) == \
        london(2026, 1, 12, 14, 0).astimezone(UTC)
    assert not SPLIT.is_open(london(2026, 1, 12, 13, 0))
    # A message at lunch starts its clock when the office reopens.
    assert SPLIT.deadline(london(2026, 1, 12, 12, 45), 15 * 60) == \
        london(2026, 1, 12, 13, 45).astimezone(UTC)


def test_a_split_day_carries_over_the_weekend_and_a_closed_weekday() -> None:
    # Friday 16 January 2026 at 15:00: one hour left that day, then the weekend.
    friday = london(2026, 1, 16, 15, 0)
    assert SPLIT.deadline(friday, 2 * HOUR) == london(2026, 1, 19, 9, 30).astimezone(UTC)
    assert SPLIT.seconds_between(friday, london(2026, 1, 19, 9, 30)) == 2 * HOUR
    # Tuesday 20 January at 16:00: an hour on Tuesday, Wednesday closed, then Thursday.
    tuesday = london(2026, 1, 20, 16, 0)
    assert SPLIT.deadline(tuesday, 6 * HOUR) == london(2026, 1, 22, 14, 30).astimezone(UTC)


def test_a_split_day_skips_bank_holidays() -> None:
    # Thursday 2 April 2026, then Good Friday and Easter Monday (England and Wales).
    thursday = london(2026, 4, 2, 16, 30)
    assert SPLIT.deadline(thursday, HOUR) == london(2026, 4, 7, 9, 0).astimezone(UTC)
    scotland = OfficeHours(SPLIT.weekly, nation="scotland")  # no Easter Monday holiday
    assert scotland.deadline(thursday, HOUR) == london(2026, 4, 6, 9, 0).astimezone(UTC)


def test_a_split_day_keeps_local_time_across_the_clock_changes() -> None:
    # Friday 27 March 2026 (GMT) at 15:30: half an hour that day. Monday 30 March (BST):
    # four hours in the morning, then the afternoon opening at 13:30 local, 12:30 UTC.
    friday = london(2026, 3, 27, 15, 30)
    deadline = SPLIT.deadline(friday, 5 * HOUR)
    assert deadline == datetime(2026, 3, 30, 13, 0, tzinfo=UTC)
    assert SPLIT.seconds_between(friday, deadline) == 5 * HOUR
    # Friday 23 October 2026 (BST) to Monday 26 October (GMT).
    autumn = london(2026, 10, 23, 15, 0)
    assert SPLIT.deadline(autumn, 2 * HOUR) == datetime(2026, 10, 26, 9, 30, tzinfo=UTC)


def test_a_split_night_opening_is_exact_on_the_day_the_clocks_change() -> None:
    # Open 00:30-02:30 and 10:00-12:00 every day: on 29 March 2026 the clocks jump from
    # 01:00 to 02:00, so the first opening is an hour short; on 25 October it is an hour
    # long.
    nights = OfficeHours({d: [(time(0, 30), time(2, 30)), (time(10), time(12))]
                          for d in range(7)}, nation=None)
    assert nights.day_seconds(date(2026, 3, 29)) == 3 * HOUR
    assert nights.day_seconds(date(2026, 10, 25)) == 5 * HOUR
    assert nights.day_seconds(date(2026, 10, 26)) == 4 * HOUR
    spring = [london(2026, 3, 28, 0, 0), london(2026, 3, 31, 0, 0)]
    autumn = [london(2026, 10, 24, 11, 0), london(2026, 10, 26, 1, 0)]
    assert nights.seconds_between(*spring) == (4 + 3 + 4) * HOUR
    assert nights.seconds_between(*autumn) == (1 + 5 + 0.5) * HOUR
    for first, last in (spring, autumn):
        counted = nights.seconds_between(first, last)
        assert counted == brute_force_utc(nights, first, last)
        assert nights.seconds_between(first, nights.deadline(first, counted)) == counted


def test_split_days_agree_with_counting_quarter_hours_over_a_year_of_holidays() -> None:
    start = london(2026, 3, 20, 0, 0)
    for step in range(0, 60 * 24 * 240, 60 * 37 + 15):
        first = start + timedelta(minutes=step)
        last = first + timedelta(minutes=15 * (step % 3000))
        counted = SPLIT.seconds_between(first, last)
        assert counted == brute_force_utc(SPLIT, first, last)
        if counted:
            assert SPLIT.seconds_between(first, SPLIT.deadline(first, counted)) == counted
