"""Thin wrappers for Celery; see CELERY_BEAT_SCHEDULE. Each is safe to run twice."""

import threading
from functools import partial

from celery import shared_task
from django.conf import settings
from django.db import connection, transaction

# One background refresh at a time in each process (embedded mode).
_REFRESHING = threading.Lock()
START_AFTER_SECONDS = 2.0


@shared_task
def refresh_rollups(council_id: int) -> str:
    from townhall.analytics.rollups import rollups_refresh
    from townhall.core.models import Council

    result = rollups_refresh(council=Council.objects.get(pk=council_id))
    return f"{result.messages} messages, {result.days} days"


@shared_task
def refresh_all_rollups() -> int:
    """Every minute: bring every council's roll-ups up to date."""
    from townhall.analytics.rollups import rollups_refresh
    from townhall.core.models import Council

    for council in Council.objects.all():
        rollups_refresh(council=council)
    return Council.objects.count()


@shared_task
def rebuild_all_rollups() -> int:
    """Every night: count everything again, in case a change reached no audit event."""
    from townhall.analytics.rollups import rollups_rebuild
    from townhall.core.models import Council

    for council in Council.objects.all():
        rollups_rebuild(council=council)
    return Council.objects.count()


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def email_monthly_reports() -> int:
    """On the first of the month: last month's committee report to its subscribers."""
    from townhall.analytics.exports import reports_email_due

    return reports_email_due()


def refresh_soon(council_id: int) -> threading.Thread | None:
    """Refresh a council's roll-ups without making the person wait.

    With a worker (REDIS_URL set) the task is queued once the request commits. In
    embedded mode every task would run inside the request, so the refresh runs in a
    thread of this process instead, starting a moment later so the page that asked is
    sent first; a second request meanwhile starts none.
    """
    if not settings.CELERY_TASK_ALWAYS_EAGER:
        transaction.on_commit(partial(refresh_rollups.delay, council_id))
        return None
    if not _REFRESHING.acquire(blocking=False):
        return None

    def run() -> None:
        try:
            refresh_rollups(council_id)
        finally:
            connection.close()
            _REFRESHING.release()

    thread = threading.Timer(START_AFTER_SECONDS, run)
    thread.name, thread.daemon = "analytics-refresh", True
    thread.start()
    return thread
