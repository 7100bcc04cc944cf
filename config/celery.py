"""Celery application.

With REDIS_URL set, tasks go to Redis and a worker runs them. Without it (the embedded
mode) settings make Celery run every task in-process, so the same code paths are used.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("townhall")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
