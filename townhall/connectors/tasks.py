"""Thin Celery wrappers. Each is safe to run twice: delivery holds a lease and
ingest absorbs duplicates."""

from celery import shared_task

from townhall.connectors.services import channels_poll_all, replies_deliver_due, reply_deliver
from townhall.connectors.webhooks import webhook_batch_process, webhook_batches_process_due
from townhall.inbox.models import Message


@shared_task
def deliver_reply(message_id: int) -> str:
    message = Message.objects.filter(pk=message_id).first()
    return reply_deliver(message=message).delivery_status if message else "missing"


@shared_task
def sweep_replies() -> int:
    return replies_deliver_due()


@shared_task
def reconcile_channels() -> dict[int, str]:
    return channels_poll_all()


@shared_task
def process_webhook_batch(batch_id: int) -> bool:
    return webhook_batch_process(batch_id=batch_id) is not None


@shared_task
def sweep_webhooks() -> dict[str, int]:
    return webhook_batches_process_due()


@shared_task
def recheck_channels() -> dict[int, str]:
    from townhall.connectors.health import channels_recheck_all

    return channels_recheck_all()
