"""Celery application.

With REDIS_URL set, tasks go to Redis and a worker runs them. Without it (the embedded
mode) settings make Celery run every task in-process, so the same code paths are used.
"""

import os

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("townhall")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@signals.task_prerun.connect
def _tasks_speak_the_default_language(task_id: str | None = None, **_: object) -> None:
    """A task's emails and records are in the site's language, not the language of the
    officer whose request happened to run it in-process (the embedded mode)."""
    from django.conf import settings
    from django.utils import translation

    _previous_language[task_id] = translation.get_language()
    translation.activate(settings.LANGUAGE_CODE)


@signals.task_postrun.connect
def _tasks_give_the_language_back(task_id: str | None = None, **_: object) -> None:
    from django.utils import translation

    previous = _previous_language.pop(task_id, None)
    if previous:
        translation.activate(previous)
    else:
        translation.deactivate()


_previous_language: dict[str | None, str | None] = {}
