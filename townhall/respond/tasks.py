from celery import shared_task


@shared_task
def warn_before_breach() -> int:
    """Warn supervisors about conversations close to their targets (CELERY_BEAT_SCHEDULE);
    safe to run twice: each wait is warned about once."""
    from townhall.respond.warnings import breach_warnings_send

    return breach_warnings_send()
