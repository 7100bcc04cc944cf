from celery import shared_task

from townhall.triage.alerts import alert_email_send


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=10)
def send_safeguarding_alert(alert_id: int) -> None:
    alert_email_send(alert_id=alert_id)


@shared_task
def retrain_all_councils() -> list[str]:
    """The weekly retrain (see CELERY_BEAT_SCHEDULE); safe to run twice."""
    from townhall.core.models import Council
    from townhall.triage.learning import model_retrain

    return [f"{c.slug}: {model_retrain(council=c).message}" for c in Council.objects.all()]
