"""Durable ingestion: store every item as a raw event, then turn raw events into messages.

Two steps, two transactions. Once `raw_events_store` has committed, an item is safe:
if turning it into a message fails, the raw event keeps the error and can be retried.
"""

import hashlib
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.db import DatabaseError, transaction
from django.utils import timezone

from townhall.connectors.models import Channel
from townhall.connectors.services import channel_get_or_create
from townhall.core.lib.db import insert_rows, new_row
from townhall.core.models import Council
from townhall.inbox.models import Message
from townhall.ingest.items import IncomingItem
from townhall.ingest.models import RawEvent, RawStatus
from townhall.ingest.processing import raw_events_to_messages

logger = logging.getLogger(__name__)


@dataclass
class IngestResult:
    created: int = 0
    duplicates: int = 0
    conflicts: int = 0
    failed: int = 0
    raw_event_ids: list[int] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)

    def add(self, other: "IngestResult") -> None:
        self.created += other.created
        self.duplicates += other.duplicates
        self.conflicts += other.conflicts
        self.failed += other.failed
        self.raw_event_ids += other.raw_event_ids
        self.errors += other.errors


class _ChannelCache:
    def __init__(self, council: Council, fixed: Channel | None) -> None:
        self.council = council
        self.fixed = fixed
        self._by_key: dict[tuple[str, str], Channel] = {}

    def get(self, item: IncomingItem) -> Channel:
        if self.fixed is not None:
            return self.fixed
        key = (item.platform, item.channel)
        if key not in self._by_key:
            self._by_key[key] = channel_get_or_create(
                council=self.council, platform=item.platform, handle=item.channel
            )
        return self._by_key[key]


def raw_events_store(
    *,
    council: Council,
    items: list[IncomingItem],
    source: str,
    channel: Channel | None = None,
    channels: _ChannelCache | None = None,
) -> tuple[list[RawEvent], IngestResult]:
    """Commit a raw event for each new item; absorb exact redeliveries.

    Returns the raw events that need processing: new ones, and earlier ones with the
    same content that never got processed (a redelivery is a good moment to retry).
    """
    cache = channels or _ChannelCache(council, channel)
    result = IngestResult()
    now = timezone.now()
    keyed = [(cache.get(item), item, item.content_hash()) for item in items]
    existing: dict[tuple[int, str, str], RawEvent] = {}
    seen_ids: set[tuple[int, str]] = set()
    by_channel: dict[int, list[str]] = {}
    for ch, item, _ in keyed:
        by_channel.setdefault(ch.pk, []).append(item.platform_message_id)
    for channel_id, ids in by_channel.items():
        for raw in RawEvent.objects.filter(channel_id=channel_id, platform_message_id__in=ids):
            existing[(channel_id, raw.platform_message_id, raw.content_hash)] = raw
            seen_ids.add((channel_id, raw.platform_message_id))

    to_create: list[RawEvent] = []
    to_retry: list[RawEvent] = []
    for ch, item, digest in keyed:
        key = (ch.pk, item.platform_message_id, digest)
        if key in existing:
            earlier = existing[key]
            if earlier.status in (RawStatus.PENDING, RawStatus.FAILED) and earlier.pk:
                to_retry.append(earlier)
            else:
                result.duplicates += 1
            continue
        is_conflict = (ch.pk, item.platform_message_id) in seen_ids
        raw = new_row(
            RawEvent, council=council, channel=ch, source=source,
            platform_message_id=item.platform_message_id, content_hash=digest,
            payload=item.to_payload(), received_at=now,
            status=RawStatus.CONFLICT if is_conflict else RawStatus.PENDING,
        )
        raw.__dict__["incoming"] = item
        existing[key] = raw
        seen_ids.add((ch.pk, item.platform_message_id))
        to_create.append(raw)

    with transaction.atomic():
        created = insert_rows(RawEvent, to_create)
        conflicts = [r for r in created if r.status == RawStatus.CONFLICT]
        if conflicts:
            _flag_conflicts(conflicts)
    result.conflicts = len(conflicts)
    pending = [r for r in created if r.status == RawStatus.PENDING] + to_retry
    result.raw_event_ids = [r.pk for r in pending]
    return pending, result


def _flag_conflicts(conflicts: list[RawEvent]) -> None:
    """Mark the original messages so an officer sees that a different version arrived."""
    for raw in conflicts:
        Message.objects.filter(
            channel=raw.channel, platform_message_id=raw.platform_message_id
        ).update(has_conflicting_redelivery=True)
        raw.error = "The platform sent different content under an id already received."
        RawEvent.objects.filter(pk=raw.pk).update(error=raw.error)


def raw_events_process(*, raw_events: list[RawEvent]) -> IngestResult:
    """Turn raw events into messages; one failure never stops its neighbours.

    The whole batch is tried in one transaction for speed. If that fails, each raw
    event is tried alone, and those that still fail keep their error for a retry.
    """
    result = IngestResult()
    if not raw_events:
        return result
    try:
        with transaction.atomic():
            result.created = raw_events_to_messages(raw_events)
        return result
    except (DatabaseError, ValueError, KeyError, TypeError) as batch_error:
        logger.warning("Batch of %d raw events failed (%s); retrying one by one.",
                       len(raw_events), batch_error)
    for raw in raw_events:
        try:
            with transaction.atomic():
                result.created += raw_events_to_messages([raw])
        except (DatabaseError, ValueError, KeyError, TypeError) as error:
            result.failed += 1
            result.errors.append((raw.pk, str(error)))
            RawEvent.objects.filter(pk=raw.pk).update(
                status=RawStatus.FAILED, error=str(error)[:2000], attempts=raw.attempts + 1
            )
    return result


def items_ingest(
    *,
    council: Council,
    items: list[IncomingItem],
    source: str,
    channel: Channel | None = None,
    channels: _ChannelCache | None = None,
) -> IngestResult:
    pending, result = raw_events_store(
        council=council, items=items, source=source, channel=channel, channels=channels
    )
    processed = raw_events_process(raw_events=pending)
    result.created += processed.created
    result.failed += processed.failed
    result.errors += processed.errors
    return result


def raw_events_retry(*, council: Council, ids: Iterable[int] | None = None) -> IngestResult:
    """Try failed and pending raw events again (the `townhall ingest retry` command)."""
    queryset = RawEvent.objects.filter(
        council=council, status__in=[RawStatus.FAILED, RawStatus.PENDING]
    ).order_by("id")
    if ids is not None:
        queryset = queryset.filter(pk__in=list(ids))
    result = IngestResult()
    batch: list[RawEvent] = []
    for raw in queryset.iterator(chunk_size=500):
        batch.append(raw)
        if len(batch) == 500:
            result.add(raw_events_process(raw_events=batch))
            batch = []
    result.add(raw_events_process(raw_events=batch))
    return result


def raw_event_reject(
    *, council: Council, channel: Channel | None, source: str, body: str, error: str, at: datetime
) -> RawEvent:
    """Keep an authentic but unusable submission, with the reason, for an admin to see.

    A NUL character cannot be stored in PostgreSQL text, so it is written as the visible
    escape \\u0000 rather than dropped: the admin sees exactly what arrived.
    """
    digest = hashlib.sha256(body.encode("utf-8", "surrogatepass")).hexdigest()
    raw, _ = RawEvent.objects.get_or_create(
        channel=channel, platform_message_id="", content_hash=digest,
        defaults={"council": council, "source": source,
                  "unparsed_body": body.replace("\x00", "\\u0000"),
                  "status": RawStatus.REJECTED, "error": error, "received_at": at},
    )
    return raw


def make_channel_cache(council: Council, channel: Channel | None = None) -> _ChannelCache:
    return _ChannelCache(council, channel)


class UnknownChannel(ValueError):
    """The council has no channel with that platform and handle."""


def message_submit(
    *, council: Council, data: dict[str, object], source: str
) -> tuple[IngestResult, Message | None]:
    """Ingest one message sent through the API into an existing channel of the council."""
    from townhall.ingest.items import parse_item

    item = parse_item(data)
    channel = Channel.objects.filter(
        council=council, platform=item.platform, handle=item.channel
    ).first()
    if channel is None:
        raise UnknownChannel(
            f"The council has no {item.platform} channel called {item.channel!r}."
        )
    result = items_ingest(council=council, items=[item], source=source, channel=channel)
    message = Message.objects.filter(
        channel=channel, platform_message_id=item.platform_message_id
    ).first()
    return result, message
