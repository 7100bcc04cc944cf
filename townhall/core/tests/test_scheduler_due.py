"""When each task is due: Celery's own schedules, read the way beat reads them."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from celery.schedules import crontab
from django.utils.module_loading import import_string

from townhall.core.models import ScheduledTask
from townhall.core.scheduler.loop import Scheduler
from townhall.core.scheduler.schedule import DESCRIPTIONS, Entry, due, schedule_entries
from townhall.core.tests import scheduled

LONDON = ZoneInfo("Europe/London")
COUNT = "townhall.core.tests.scheduled.count"


def entry(schedule, name="count", task=COUNT, **kwargs) -> Entry:
    return schedule_entries({name: {"task": task, "schedule": schedule, **kwargs}})[0]


def test_an_interval_task_is_due_once_its_interval_has_passed() -> None:
    every_five = entry(5 * 60)
    last = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
    assert due(every_five, last_run_at=last, now=datetime(2026, 3, 2, 12, 4, 59, tzinfo=UTC)) \
        .now is False
    at_five = due(every_five, last_run_at=last, now=datetime(2026, 3, 2, 12, 5, tzinfo=UTC))
    assert at_five.now is True
    assert at_five.at == datetime(2026, 3, 2, 12, 5, tzinfo=UTC)


def test_a_crontab_task_is_due_at_its_time_in_london_across_the_clock_change() -> None:
    monthly = entry(crontab(day_of_month=1, hour=7, minute=0), name="email-committee-reports")
    # British Summer Time: 07:00 in London on 1 June is 06:00 UTC.
    last = datetime(2026, 5, 20, 9, 0, tzinfo=UTC)
    assert due(monthly, last_run_at=last, now=datetime(2026, 6, 1, 5, 59, tzinfo=UTC)).now is False
    on_time = due(monthly, last_run_at=last, now=datetime(2026, 6, 1, 6, 0, tzinfo=UTC))
    assert on_time.now is True
    after = due(monthly, last_run_at=datetime(2026, 6, 1, 6, 0, 2, tzinfo=UTC),
                now=datetime(2026, 6, 1, 6, 0, 3, tzinfo=UTC))
    assert after.now is False
    assert after.at == datetime(2026, 7, 1, 7, 0, tzinfo=LONDON)
    # Winter: 07:00 on 1 December is 07:00 UTC.
    winter = due(monthly, last_run_at=datetime(2026, 11, 1, 7, 0, tzinfo=UTC),
                 now=datetime(2026, 11, 20, tzinfo=UTC))
    assert winter.at == datetime(2026, 12, 1, 7, 0, tzinfo=UTC)


def test_a_new_task_waits_for_its_first_slot_rather_than_running_at_start(db, clock) -> None:
    scheduler = Scheduler(entries=[entry(60)], clock=clock)
    ran, wait = scheduler.tick()
    assert ran == [] and scheduled.calls == []
    assert wait == 30  # the longest it sleeps
    clock.advance(seconds=60)
    ran, _ = scheduler.tick()
    assert [r.ok for r in ran] == [True] and scheduled.calls == ["count"]


def test_missed_interval_runs_after_downtime_run_once(db, clock) -> None:
    scheduler = Scheduler(entries=[entry(60)], clock=clock)
    scheduler.tick()
    clock.advance(hours=3)  # 180 runs missed while the server was off
    scheduler.tick()
    scheduler.tick()
    assert scheduled.calls == ["count"]
    row = ScheduledTask.objects.get(name="count")
    assert row.last_run_at == clock.now and row.runs == 1
    assert row.next_due_at == datetime(2026, 3, 2, 15, 1, tzinfo=UTC)


def test_missed_nightly_runs_after_downtime_run_once(db, clock) -> None:
    nightly = entry(crontab(hour=2, minute=30), name="recount-analytics")
    scheduler = Scheduler(entries=[nightly], clock=clock)
    scheduler.tick()  # first seen Monday 12:00
    clock.advance(days=3)  # Tuesday, Wednesday and Thursday nights missed
    scheduler.tick()
    scheduler.tick()
    assert scheduled.calls == ["count"]
    row = ScheduledTask.objects.get(name="recount-analytics")
    assert row.next_due_at == datetime(2026, 3, 6, 2, 30, tzinfo=UTC)
    clock.now = datetime(2026, 3, 6, 2, 30, tzinfo=UTC)
    scheduler.tick()
    assert scheduled.calls == ["count", "count"]


def test_the_scheduler_sleeps_until_the_next_task_is_due_but_never_long(db, clock) -> None:
    scheduler = Scheduler(entries=[entry(60, name="a"), entry(3600, name="b")], clock=clock)
    assert scheduler.tick()[1] == 30  # at most 30 s, so other processes' runs are noticed
    clock.advance(seconds=50)
    assert scheduler.tick()[1] == 10


def test_args_and_kwargs_in_the_schedule_reach_the_task(db, clock) -> None:
    scheduler = Scheduler(entries=[entry(60, kwargs={"label": "with kwargs"})], clock=clock)
    scheduler.tick()
    clock.advance(seconds=60)
    scheduler.tick()
    assert scheduled.calls == ["with kwargs"]


def test_every_task_in_the_settings_exists_and_is_described_in_plain_words() -> None:
    entries = schedule_entries()
    assert {e.name for e in entries} == set(DESCRIPTIONS)
    for each in entries:
        assert callable(import_string(each.task)), each.task
        assert not each.how_often.startswith("On a timetable"), each.name
    by_name = {e.name: e for e in entries}
    assert by_name["email-committee-reports"].how_often == "On the 1st of each month at 07:00"
    assert by_name["recount-analytics"].how_often == "Every day at 02:30"
    assert by_name["recheck-channels"].how_often == "Every 6 hours"
    assert by_name["send-queued-replies"].how_often == "Every minute"
