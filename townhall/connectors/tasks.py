"""Thin Celery wrappers. Each is safe to run twice: delivery holds a lease and
ingest absorbs duplicates."""

from celery import shared_task

from townhall.connectors.services import channels_poll_all, replies_deliver_due, reply_deliver
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
