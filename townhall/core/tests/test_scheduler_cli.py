"""`townhall schedule list` and `townhall schedule run NAME`."""

from datetime import timedelta

import pytest
from django.utils import timezone

from townhall.cli import main
from townhall.core.models import ScheduledTask
from townhall.core.tests import scheduled

TASKS = "townhall.core.tests.scheduled"


@pytest.fixture(autouse=True)
def _schedule(settings) -> None:
    settings.CELERY_BEAT_SCHEDULE = {
        "count-things": {"task": f"{TASKS}.count", "schedule": 300},
        "explode": {"task": f"{TASKS}.explode", "schedule": 60},
    }


def test_it_runs_a_task_now_and_records_it(db, capsys) -> None:
    assert main(["schedule", "run", "count-things"]) == 0
    out = capsys.readouterr().out
    assert "count-things succeeded: 1" in out
    assert scheduled.calls == ["count"]
    row = ScheduledTask.objects.get(name="count-things")
    assert row.last_outcome == "succeeded" and row.runs == 1 and row.lease_owner == ""
    # Counted as the last run: the next is due five minutes after this one.
    assert row.next_due_at == row.last_run_at + timedelta(minutes=5)


def test_it_says_why_a_task_failed_without_its_secrets(db, capsys) -> None:
    assert main(["schedule", "run", "explode"]) == 1
    out = capsys.readouterr().out
    assert "explode failed: RuntimeError: could not reach postgres://[hidden]@db.internal" in out
    assert "hunter2-secret" not in out and "EAAB-very-secret" not in out


def test_it_refuses_to_run_a_task_another_process_is_running(db, capsys) -> None:
    main(["schedule", "run", "count-things"])
    scheduled.reset()
    ScheduledTask.objects.filter(name="count-things").update(
        lease_owner="web-1:4242:abc123", lease_until=timezone.now() + timedelta(minutes=5))
    capsys.readouterr()
    assert main(["schedule", "run", "count-things"]) == 1
    out = capsys.readouterr().out
    assert "count-things did not run. It is running now (started by web-1:4242:abc123)." in out
    assert scheduled.calls == []


def test_it_names_the_tasks_when_asked_for_one_that_does_not_exist(db, capsys) -> None:
    assert main(["schedule", "run", "email-reports"]) == 2
    assert ("No scheduled task is called 'email-reports'. The tasks are: count-things, "
            "explode.") in capsys.readouterr().out


def test_it_lists_each_task_with_its_last_run_result_and_next_due(db, capsys) -> None:
    main(["schedule", "run", "count-things"])
    main(["schedule", "run", "explode"])
    capsys.readouterr()

    assert main(["schedule", "list"]) == 0

    out = capsys.readouterr().out
    assert out.startswith("The schedule runs inside `townhall serve` (no REDIS_URL).")
    count_block = out.split("count-things: ")[1].split("\n\n")[0]
    assert "(every 5 minutes)" in count_block
    assert "Last run: " in count_block and "today, succeeded in" in count_block
    assert "Result: 1" in count_block
    assert "Next due: " in count_block and "today" in count_block
    explode_block = out.split("explode: ")[1]
    assert "failed in" in explode_block
    assert "Error: RuntimeError: could not reach postgres://[hidden]@" in explode_block


def test_it_says_when_something_else_runs_the_schedule(db, capsys, settings) -> None:
    settings.TOWNHALL_SCHEDULER = False
    main(["schedule", "list"])
    assert "TOWNHALL_SCHEDULER is off" in capsys.readouterr().out
    settings.REDIS_URL = "redis://127.0.0.1:6379/0"
    main(["schedule", "list"])
    assert "Celery beat runs the schedule" in capsys.readouterr().out
