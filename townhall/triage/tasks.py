from celery import shared_task

from townhall.triage.alerts import alert_email_send


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=10)
def send_safeguarding_alert(alert_id: int) -> None:
    alert_email_send(alert_id=alert_id)
