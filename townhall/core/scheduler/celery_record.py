"""With REDIS_URL set, Celery beat sends the periodic tasks and workers run them.

Beat keeps no record a page can read, so each worker records the runs of scheduled
tasks in the same table the embedded scheduler uses, and the Background work page
shows them either way. Connected from CoreConfig.ready() when tasks are not eager.
"""

import logging
from datetime import datetime
from typing import Any

from django.utils import timezone

from townhall.core.lib.redact import redact

logger = logging.getLogger(__name__)

_started: dict[str, datetime] = {}


def connect() -> None:
    from celery.signals import task_postrun, task_prerun

    task_prerun.connect(_prerun, weak=False, dispatch_uid="townhall-schedule-prerun")
    task_postrun.connect(_postrun, weak=False, dispatch_uid="townhall-schedule-postrun")


def _entries_for(task_name: str) -> list[Any]:
    from townhall.core.scheduler.schedule import schedule_entries

    return [e for e in schedule_entries() if e.task == task_name]


def _prerun(sender: Any = None, task_id: str = "", **kwargs: Any) -> None:
    if sender is not None and _entries_for(sender.name):
        _started[task_id] = timezone.now()


def _postrun(sender: Any = None, task_id: str = "", retval: Any = None, state: str = "",
             **kwargs: Any) -> None:
    started = _started.pop(task_id, None)
    if started is None or sender is None:
        return
    from townhall.core.scheduler.runs import task_run_recorded

    ok = state == "SUCCESS"
    try:
        for entry in _entries_for(sender.name):
            task_run_recorded(entry=entry, started=started, finished=timezone.now(), ok=ok,
                              value=retval if ok else None,
                              error=None if ok else _as_error(retval))
    except Exception as error:
        # Recording is for the page; it must never make the task itself fail.
        logger.warning("Could not record a run of %s: %s", sender.name,
                       redact(f"{type(error).__name__}: {error}"))


def _as_error(value: Any) -> BaseException:
    return value if isinstance(value, BaseException) else RuntimeError(str(value))
