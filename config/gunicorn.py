"""Gunicorn hooks for `townhall serve` (loaded with --config python:config.gunicorn).

In embedded mode (no REDIS_URL) each worker runs the periodic tasks of
CELERY_BEAT_SCHEDULE in a thread of its own; a lease per task in the database lets one
worker at a time run each (decision 6). TOWNHALL_SCHEDULER=off turns it off.
"""

from typing import Any


def post_worker_init(worker: Any) -> None:
    # The application is loaded by now, so Django is set up.
    from townhall.core.scheduler.loop import scheduler_start

    if scheduler_start() is not None:
        worker.log.info("Scheduler started in worker %s.", worker.pid)


def worker_exit(server: Any, worker: Any) -> None:
    from townhall.core.scheduler.loop import scheduler_stop

    scheduler_stop(timeout=10.0)
