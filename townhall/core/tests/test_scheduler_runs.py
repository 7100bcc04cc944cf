"""Running tasks: one copy at a time across processes, and a failure never stops the rest."""

import logging
import threading
from datetime import timedelta

import pytest

from townhall.core.models import ScheduledTask
from townhall.core.scheduler import runs
from townhall.core.scheduler.loop import Scheduler
from townhall.core.scheduler.runs import task_rows_ensure, task_run
from townhall.core.scheduler.schedule import schedule_entries
from townhall.core.scheduler.selectors import schedule_status
from townhall.core.tests import scheduled

TASKS = "townhall.core.tests.scheduled"


def entries(*names: str, every: int = 60) -> list:
    return schedule_entries({name: {"task": f"{TASKS}.{name}", "schedule": every}
                             for name in names})


def test_a_second_scheduler_leaves_alone_a_task_the_first_is_running(db, clock) -> None:
    first = Scheduler(entries=entries("count"), clock=clock, owner="worker 1")
    second = Scheduler(entries=entries("count"), clock=clock, owner="worker 2")
    first.tick()
    clock.advance(seconds=61)
    inside: list = []

    def meanwhile() -> None:
        inside.extend(second.tick()[0])
        # Even asked to run it regardless (`townhall schedule run`), it does not.
        [entry] = second.entries
        row = ScheduledTask.objects.get(name="count")
        inside.append(task_run(entry=entry, row=row, owner="worker 2", clock=clock, force=True))

    scheduled.during = meanwhile

    ran, _ = first.tick()

    assert scheduled.calls == ["count"]
    assert [r.ran for r in ran] == [True]
    assert [(r.ran, r.skipped) for r in inside] == [
        (False, "It is running now (started by worker 1).")]


def test_a_scheduler_that_read_the_row_before_another_ran_it_does_not_run_it_again(
        db, clock) -> None:
    [entry] = entries("count")
    task_rows_ensure(entries=[entry], now=clock())
    clock.advance(seconds=61)
    stale = task_rows_ensure(entries=[entry], now=clock())["count"]
    assert task_run(entry=entry, row=stale, owner="worker 1", clock=clock).ran
    clock.advance(seconds=1)

    again = task_run(entry=entry, row=stale, owner="worker 2", clock=clock)

    assert not again.ran and again.skipped == "It ran a moment ago in another process."
    assert scheduled.calls == ["count"]


@pytest.mark.django_db(transaction=True)
def test_two_schedulers_at_the_same_moment_run_a_task_once(clock) -> None:
    shared = entries("slowly")
    first = Scheduler(entries=shared, clock=clock, owner="worker 1")
    first.tick()
    clock.advance(seconds=61)
    schedulers = [first, Scheduler(entries=shared, clock=clock, owner="worker 2")]
    start = threading.Barrier(2)
    results: list = []
    problems: list = []

    def run(scheduler: Scheduler) -> None:
        start.wait()
        try:
            results.extend(scheduler.tick()[0])
        except Exception as error:  # a database refusing a writer would show here
            problems.append(error)

    threads = [threading.Thread(target=run, args=(s,)) for s in schedulers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert problems == []
    assert scheduled.calls == ["slowly"]
    assert sorted(r.ran for r in results) in ([True], [False, True])
    assert ScheduledTask.objects.get(name="slowly").runs == 1


@pytest.mark.django_db(transaction=True)
def test_a_long_run_keeps_its_lease_so_no_second_copy_starts(clock, monkeypatch) -> None:
    monkeypatch.setattr(runs, "HEARTBEAT_SECONDS", 0.05)
    [entry] = entries("count")
    task_rows_ensure(entries=[entry], now=clock())
    clock.advance(seconds=61)
    seen: list = []

    def meanwhile() -> None:
        clock.advance(minutes=9)  # the run has taken 9 of its lease's 10 minutes
        threading.Event().wait(0.5)  # time for the heartbeat to extend the lease
        clock.advance(minutes=3)  # past the first lease: only the heartbeat protects it
        row = ScheduledTask.objects.get(name="count")
        seen.append(task_run(entry=entry, row=row, owner="worker 2", clock=clock, force=True))

    scheduled.during = meanwhile
    row = ScheduledTask.objects.get(name="count")
    assert task_run(entry=entry, row=row, owner="worker 1", clock=clock).ok
    assert [s.ran for s in seen] == [False]
    assert scheduled.calls == ["count"]


def test_a_run_whose_process_died_shows_as_stopped_and_runs_again_when_due(db, clock) -> None:
    [entry] = entries("count")
    task_rows_ensure(entries=[entry], now=clock())
    ScheduledTask.objects.filter(name="count").update(
        lease_owner="gone:123", lease_until=clock() + timedelta(minutes=10),
        last_run_at=clock(), last_outcome="running")
    assert schedule_status(now=clock(), entries=[entry])[0].outcome == "running"
    clock.advance(minutes=11)
    assert schedule_status(now=clock(), entries=[entry])[0].outcome == "stopped"

    ran, _ = Scheduler(entries=[entry], clock=clock).tick()

    assert [r.ok for r in ran] == [True]
    assert ScheduledTask.objects.get(name="count").lease_owner == ""


def test_a_task_that_raises_is_recorded_and_the_next_task_still_runs(db, clock,
                                                                     caplog) -> None:
    # explode is due first (every 30 s), count after it (every 60 s).
    scheduler = Scheduler(entries=entries("explode", every=30) + entries("count"), clock=clock)
    scheduler.tick()
    clock.advance(seconds=60)

    with caplog.at_level(logging.INFO, logger="townhall.core.scheduler"):
        ran, _ = scheduler.tick()

    assert scheduled.calls == ["explode", "count"]
    assert [(r.name, r.ok) for r in ran] == [("explode", False), ("count", True)]
    failed = ScheduledTask.objects.get(name="explode")
    assert failed.last_outcome == "failed" and failed.failures_in_a_row == 1
    assert failed.last_error.startswith("RuntimeError: could not reach postgres://")
    assert failed.lease_owner == "" and failed.last_finished_at == clock.now
    assert "Scheduled task explode failed" in caplog.text
    assert "RuntimeError" in caplog.text
    for secret in ("hunter2-secret", "EAAB-very-secret"):
        assert secret not in failed.last_error
        assert secret not in caplog.text


def test_failures_in_a_row_are_counted_until_a_run_succeeds(db, clock, monkeypatch) -> None:
    scheduler = Scheduler(entries=entries("explode"), clock=clock)
    scheduler.tick()
    for _ in range(3):
        clock.advance(seconds=60)
        scheduler.tick()
    assert ScheduledTask.objects.get(name="explode").failures_in_a_row == 3
    monkeypatch.setattr(scheduled, "explode", lambda: "fixed")
    clock.advance(seconds=60)
    scheduler.tick()
    row = ScheduledTask.objects.get(name="explode")
    assert (row.last_outcome, row.failures_in_a_row, row.last_error, row.last_result) == (
        "succeeded", 0, "", "fixed")
    assert row.runs == 4


def test_a_task_the_settings_name_wrongly_is_a_recorded_failure(db, clock) -> None:
    wrong = schedule_entries({"typo": {"task": "townhall.nowhere.tasks.sweep", "schedule": 60}})
    scheduler = Scheduler(entries=wrong, clock=clock)
    scheduler.tick()
    clock.advance(seconds=60)
    [result] = scheduler.tick()[0]
    assert not result.ok and "townhall.nowhere" in result.error


def test_what_a_task_returns_is_kept_short_and_readable() -> None:
    assert runs.summarise(None) == "Done."
    assert runs.summarise({}) == "Nothing to do."
    assert runs.summarise({"processed": 2, "still_waiting": 0}) == \
        '{"processed": 2, "still_waiting": 0}'
    assert runs.summarise(["afon: kept", "elsewhere: switched on"]) == \
        "afon: kept; elsewhere: switched on"
    assert len(runs.summarise("x" * 5000)) == runs.RESULT_LIMIT
