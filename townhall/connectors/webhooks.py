"""Platform webhooks: store the verified body, answer, then process it (decision 508).

`webhook_store` commits the body as a `WebhookBatch` (or, on SQLite with the background
thread, flushes it to a spool file: spool.py) and is all the request waits for.
`webhook_dispatch` then hands the batch on: to Celery when a queue is configured, else
to this process's background drainer (connectors/background.py), or, in the `inline`
mode, to `webhook_batch_process` before the answer. Processing is safe to run twice and
from two places at once: a lease stops double work and ingest absorbs duplicates.
"""

import logging
from dataclasses import asdict, dataclass, field
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import DatabaseError, transaction
from django.db.models import Q
from django.utils import timezone

from townhall.connectors.base import Connector
from townhall.connectors.errors import ConnectorError, UnknownPlatform
from townhall.connectors.http import backoff
from townhall.connectors.models import Channel, WebhookBatch, WebhookStatus
from townhall.connectors.registry import connector_for
from townhall.connectors.spool import SpooledBody, spool_adopt_waiting, spool_dir, spool_enabled, spool_write
from townhall.core.models import Council

logger = logging.getLogger(__name__)

LEASE = timedelta(minutes=2)
# Items stored per transaction when processing a body (Meta sends up to 1,000 a POST).
CHUNK = 200
# After this many failed attempts a batch waits for `townhall ingest retry` or an
# administrator; the channel page says how many are waiting.
MAX_ATTEMPTS = 10
INLINE, BACKGROUND = "inline", "background"
# A spooled body older than this is taken by the sweep: its thread should have had it.
SPOOL_PATIENCE = 30.0


@dataclass
class WebhookSummary:
    accepted: int = 0
    duplicates: int = 0
    conflicts: int = 0
    rejected: list[str] = field(default_factory=list)


def webhook_store(*, channel: Channel, body: bytes) -> WebhookBatch | SpooledBody:
    """Commit a verified body. Once this returns, the platform may be told 200."""
    from townhall.connectors.background import ack_priority

    if spool_enabled():
        try:
            return spool_write(channel_id=channel.pk, body=body)
        except OSError as error:
            # A full or read-only disk: the database still takes it, only slower.
            logger.warning("Could not write a webhook body to %s (%s); storing it in "
                           "the database instead.", spool_dir(), error.strerror or error)
    with ack_priority.storing(), transaction.atomic():
        return WebhookBatch.objects.create(channel=channel, body=body,
                                           received_at=timezone.now())


def processing_mode() -> str:
    """`celery` when a queue takes tasks; otherwise the TOWNHALL_WEBHOOK_PROCESSING
    setting: `background` (the default) or `inline`."""
    from celery import current_app

    if not current_app.conf.task_always_eager:
        return "celery"
    return INLINE if settings.TOWNHALL_WEBHOOK_PROCESSING == INLINE else BACKGROUND


def webhook_dispatch(*, batch: WebhookBatch | SpooledBody) -> WebhookSummary | None:
    """Hand a committed batch on for processing. Returns the summary only when the
    batch was processed here and now (the inline mode)."""
    if isinstance(batch, SpooledBody):
        from townhall.connectors.background import drainer

        drainer.submit_spooled(batch.path)
        return None
    mode = processing_mode()
    if mode == "celery":
        from townhall.connectors.tasks import process_webhook_batch

        process_webhook_batch.delay(batch.pk)
        return None
    if mode == INLINE:
        return webhook_batch_process(batch_id=batch.pk)
    from townhall.connectors.background import drainer

    drainer.submit(batch.pk)
    return None


def _claim(batch_id: int) -> WebhookBatch | None:
    now = timezone.now()
    claimed = WebhookBatch.objects.filter(pk=batch_id).filter(
        Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
    ).update(claimed_until=now + LEASE)
    if not claimed:
        return None
    return WebhookBatch.objects.select_related("channel__council").filter(pk=batch_id).first()


def webhook_batch_process(*, batch_id: int, connector: Connector | None = None
                          ) -> WebhookSummary | None:
    """Parse a stored body and ingest its items; delete the batch once they are stored.

    Returns None when the batch is gone (already processed) or held by another worker,
    or when processing failed; a failure is kept on the batch for the next attempt.
    """
    batch = _claim(batch_id)
    if batch is None:
        return None
    try:
        connector = connector or connector_for(batch.channel)
        summary = _ingest(batch.channel, connector, bytes(batch.body))
    except (ConnectorError, UnknownPlatform, DatabaseError, ValueError, TypeError,
            KeyError) as error:
        _failed(batch, error)
        return None
    WebhookBatch.objects.filter(pk=batch.pk).delete()
    logger.info("Webhook body %s for channel %s: %d new, %d duplicates, %d rejected.",
                batch.pk, batch.channel_id, summary.accepted, summary.duplicates,
                len(summary.rejected))
    return summary


def _failed(batch: WebhookBatch, error: Exception) -> None:
    attempts = batch.attempts + 1
    wait = max(getattr(error, "retry_after", None) or 0.0, backoff(attempts, cap=3600.0))
    next_at = timezone.now() + timedelta(seconds=wait) if attempts < MAX_ATTEMPTS else None
    # The error text is the connector's plain words or a database message; neither
    # carries a secret or the body.
    logger.warning("Webhook body %s for channel %s failed (attempt %d): %s", batch.pk,
                   batch.channel_id, attempts, error)
    WebhookBatch.objects.filter(pk=batch.pk).update(
        status=WebhookStatus.FAILED, attempts=attempts, error=str(error)[:2000],
        claimed_until=None, next_attempt_at=next_at)


def _ingest(channel: Channel, connector: Connector, body: bytes) -> WebhookSummary:
    """Every good item through ingest; every bad entry kept once as a rejected raw event
    with its reason (Meta would redeliver a refused body for 36 hours)."""
    from townhall.connectors.background import ack_priority
    from townhall.ingest.items import IncomingItem
    from townhall.ingest.models import Source
    from townhall.ingest.services import items_ingest, raw_event_reject

    parsed = connector.parse_webhook(body)
    items = [p for p in parsed if isinstance(p, IncomingItem)]
    rejected = [str(p) for p in parsed if not isinstance(p, IncomingItem)]
    if rejected:
        raw_event_reject(council=channel.council, channel=channel, source=Source.CONNECTOR,
                         body=body.decode("utf-8", "replace"),
                         error="; ".join(rejected)[:10000], at=timezone.now())
    summary = WebhookSummary(rejected=rejected)
    # Short transactions, letting bodies being answered go first (background.py).
    for start in range(0, len(items), CHUNK):
        ack_priority.wait_turn()
        part = items[start:start + CHUNK]
        result = items_ingest(council=channel.council, items=part, source=Source.CONNECTOR,
                              channel=channel)
        summary.accepted += len(part) - result.duplicates
        summary.duplicates += result.duplicates
        summary.conflicts += result.conflicts
    return summary


def webhook_batches_due(*, council: Council | None = None, everything: bool = False
                        ) -> list[int]:
    """Batches waiting for processing, oldest first: pending ones received more than a
    lease ago (their worker may have died) and failed ones whose next attempt is due.
    `everything` also takes failed batches that have stopped retrying, and fresh ones."""
    now = timezone.now()
    query = WebhookBatch.objects.all()
    if council is not None:
        query = query.filter(channel__council=council)
    if not everything:
        query = query.filter(
            Q(status=WebhookStatus.PENDING, received_at__lt=now - LEASE)
            | Q(status=WebhookStatus.FAILED, next_attempt_at__lte=now))
    return list(query.filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
                .order_by("id").values_list("id", flat=True))


def webhook_batches_process_due(*, council: Council | None = None,
                                everything: bool = False) -> dict[str, int]:
    """The sweep: process what a worker never got to. Returns counts for the command.

    Spooled bodies waiting longer than SPOOL_PATIENCE (or any, with `everything`) become
    rows first and are processed at once, whichever council they belong to: a spool
    file is only a body that has not reached the database yet."""
    done = failed = 0
    adopted = spool_adopt_waiting(older_than=0.0 if everything else SPOOL_PATIENCE)
    seen = set(adopted)
    due = webhook_batches_due(council=council, everything=everything)
    for batch_id in adopted + [b for b in due if b not in seen]:
        if webhook_batch_process(batch_id=batch_id) is None:
            failed += WebhookBatch.objects.filter(pk=batch_id).exists()
        else:
            done += 1
    return {"processed": done, "still_waiting": failed}


def webhook_summary_json(summary: WebhookSummary | None) -> dict[str, Any]:
    return asdict(summary) if summary is not None else {}
