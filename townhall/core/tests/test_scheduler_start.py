"""Who runs the schedule: `townhall serve` in embedded mode, Celery beat with Redis."""

import os
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from celery.signals import task_postrun, task_prerun

import config.gunicorn
from townhall.connectors.tasks import sweep_replies
from townhall.core.models import ScheduledTask
from townhall.core.scheduler import celery_record
from townhall.core.scheduler.loop import scheduler_running_here, scheduler_start, scheduler_wanted
from townhall.core.scheduler.schedule import schedule_entries

ROOT = Path(__file__).resolve().parents[3]


class FakeWorker:
    pid = 4242

    class log:  # noqa: N801 - gunicorn's worker.log is an attribute with .info()
        lines: list[str] = []

        @classmethod
        def info(cls, message: str, *args: object) -> None:
            cls.lines.append(message % args)


def test_embedded_mode_wants_a_scheduler_unless_it_is_switched_off(settings) -> None:
    settings.REDIS_URL = ""
    settings.TOWNHALL_SCHEDULER = True
    assert scheduler_wanted()
    settings.TOWNHALL_SCHEDULER = False
    assert not scheduler_wanted()


def test_with_redis_celery_beat_runs_the_schedule_not_the_web_server(settings) -> None:
    settings.REDIS_URL = "redis://127.0.0.1:6379/0"
    settings.TOWNHALL_SCHEDULER = True
    assert not scheduler_wanted()
    config.gunicorn.post_worker_init(FakeWorker())
    assert scheduler_start() is None and not scheduler_running_here()
    assert FakeWorker.log.lines == []


def test_the_test_suite_never_starts_a_scheduler_by_itself() -> None:
    assert not scheduler_running_here()


def test_a_celery_worker_records_the_runs_of_scheduled_tasks(db) -> None:
    celery_record.connect()
    try:
        sweep_replies.apply()
    finally:
        task_prerun.disconnect(dispatch_uid="townhall-schedule-prerun")
        task_postrun.disconnect(dispatch_uid="townhall-schedule-postrun")
    row = ScheduledTask.objects.get(name="send-queued-replies")
    assert (row.last_outcome, row.last_result, row.runs) == ("succeeded", "0", 1)
    assert row.next_due_at is not None and row.lease_owner == ""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_townhall_serve_starts_a_scheduler_in_each_worker(tmp_path) -> None:
    env = {k: v for k, v in os.environ.items()
           if k not in ("DATABASE_URL", "REDIS_URL", "TOWNHALL_SCHEDULER")}
    env["TOWNHALL_VAR_DIR"] = str(tmp_path)
    townhall = [sys.executable, "-m", "townhall"]
    subprocess.run([*townhall, "migrate", "--verbosity", "0"], env=env, cwd=ROOT, check=True,
                   timeout=300)
    log = (tmp_path / "serve.log").open("w")
    server = subprocess.Popen([*townhall, "serve", "--port", str(_free_port()), "--workers", "2"],
                              env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    try:
        names: set[str] = set()
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and len(names) < len(schedule_entries()):
            time.sleep(0.5)
            try:
                with sqlite3.connect(tmp_path / "townhall.sqlite3") as db:
                    names = {n for (n,) in db.execute("SELECT name FROM core_scheduledtask")}
            except sqlite3.OperationalError:
                continue
        assert names == {e.name for e in schedule_entries()}
        deadline = time.monotonic() + 30
        while (tmp_path / "serve.log").read_text().count("Scheduler started") < 2:
            assert time.monotonic() < deadline, (tmp_path / "serve.log").read_text()
            time.sleep(0.2)
    finally:
        server.terminate()
        server.wait(30)
        log.close()

