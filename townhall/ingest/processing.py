"""Turn pending raw events into residents, conversations and messages, in bulk.

Called inside a transaction. Running it twice on the same raw events creates nothing
the second time: messages are unique on (channel, platform message id) and raw
events that are already processed are skipped.
"""

from datetime import datetime

from django.utils import timezone

from townhall.connectors.models import Channel
from townhall.core.lib.db import insert_rows, new_row, update_rows
from townhall.inbox.models import Conversation, Identity, Message, Resident, Status
from townhall.ingest.items import IncomingItem, parse_item
from townhall.ingest.models import RawEvent, RawStatus
from townhall.respond.timing import RESPONSE_TIME_FIELDS, response_times_fill
from townhall.triage.arrival import ROLLUP_FIELDS, triage_finish, triage_prepare


def _item(raw: RawEvent) -> IncomingItem:
    # A raw event stored in this process carries the item it was made from, so the
    # payload is not parsed a second time.
    carried = raw.__dict__.get("incoming")
    if isinstance(carried, IncomingItem):
        return carried
    payload = raw.payload
    if not isinstance(payload, dict):
        raise ValueError(f"Raw event {raw.pk} has no message payload.")
    return parse_item(payload, platform=payload["platform"], channel=payload["channel"])


def _identities(council_id: int, items: list[IncomingItem]) -> dict[tuple[str, str], Identity]:
    wanted = {(i.platform, i.author): i.author_name for i in items if i.direction == "in"}
    found: dict[tuple[str, str], Identity] = {}
    for platform in {p for p, _ in wanted}:
        handles = [h for p, h in wanted if p == platform]
        for identity in Identity.objects.filter(
            council_id=council_id, platform=platform, handle__in=handles
        ):
            found[(platform, identity.handle)] = identity
    missing = [key for key in wanted if key not in found]
    if missing:
        residents = insert_rows(
            Resident,
            [
                new_row(Resident, council_id=council_id, display_name=wanted[key] or key[1])
                for key in missing
            ],
        )
        created = insert_rows(
            Identity,
            [
                new_row(
                    Identity,
                    council_id=council_id,
                    resident=resident,
                    platform=key[0],
                    handle=key[1],
                    display_name=wanted[key],
                )
                for key, resident in zip(missing, residents, strict=True)
            ],
        )
        found.update({(i.platform, i.handle): i for i in created})
    return found


def _thread_keys(channel_id: int, items: list[IncomingItem]) -> list[str]:
    """Which thread each item belongs to.

    An explicit thread id wins. Otherwise a reply joins its parent's thread; a reply
    whose parent has not arrived yet is keyed by the parent's id, which is the key
    the parent itself will get, so out-of-order deliveries still meet.
    """
    parents = {i.in_reply_to for i in items if i.in_reply_to and not i.thread_id}
    known: dict[str, str] = {}
    if parents:
        for pmid, key in Message.objects.filter(
            channel_id=channel_id, platform_message_id__in=parents
        ).values_list("platform_message_id", "conversation__thread_key"):
            known[pmid] = key
    keys = []
    for item in items:
        if item.thread_id:
            key = item.thread_id
        elif item.in_reply_to:
            key = known.get(item.in_reply_to, item.in_reply_to)
        else:
            key = item.platform_message_id
        known.setdefault(item.platform_message_id, key)
        keys.append(key)
    return keys


def _conversations(
    channel: Channel,
    keys: list[str],
    items: list[IncomingItem],
    identities: dict[tuple[str, str], Identity],
) -> dict[str, Conversation]:
    found = {
        c.thread_key: c
        for c in Conversation.objects.filter(channel=channel, thread_key__in=set(keys))
    }
    new: dict[str, Conversation] = {}
    for key, item in zip(keys, items, strict=True):
        if key in found or key in new:
            continue
        identity = identities.get((item.platform, item.author))
        new[key] = new_row(
            Conversation,
            council_id=channel.council_id,
            channel=channel,
            platform=channel.platform,
            thread_key=key,
            resident_id=identity.resident_id if identity else None,
            created_at=item.created_at,
            last_message_at=item.created_at,
            subject=item.text.strip().splitlines()[0][:200] if item.text.strip() else "",
        )
    if new:
        for conversation in insert_rows(Conversation, list(new.values())):
            found[conversation.thread_key] = conversation
    return found


def _apply(conversation: Conversation, message: Message) -> None:
    """Move a conversation's timestamps and status forward for one message."""
    at: datetime = message.created_at
    if at < conversation.created_at:
        conversation.created_at = at
    conversation.message_count += 1
    if conversation.resident_id is None and message.author_id is not None:
        conversation.resident_id = message.author.resident_id  # type: ignore[union-attr]
    is_latest = at >= conversation.last_message_at
    if is_latest:
        conversation.last_message_at = at
    if message.direction == "out":
        if conversation.first_response_at is None or at < conversation.first_response_at:
            conversation.first_response_at = at
        if is_latest:
            conversation.waiting_since = None
    elif is_latest:
        if conversation.waiting_since is None:
            conversation.waiting_since = at
        if conversation.status == Status.CLOSED:
            conversation.status = Status.OPEN
            conversation.closed_at = None


CONVERSATION_FIELDS = ["created_at", "message_count", "resident", "last_message_at",
                       "first_response_at", "waiting_since", "status", "closed_at"]


def _build(channel: Channel, raws: list[RawEvent],
           touched: dict[int, Conversation]) -> list[Message]:
    """Unsaved messages for one channel's raw events, skipping any already stored."""
    items = [_item(r) for r in raws]
    already = set(
        Message.objects.filter(
            channel=channel, platform_message_id__in=[i.platform_message_id for i in items]
        ).values_list("platform_message_id", flat=True)
    )
    pairs = [(r, i) for r, i in zip(raws, items, strict=True)
             if i.platform_message_id not in already]
    raws = [r for r, _ in pairs]
    items = [i for _, i in pairs]
    identities = _identities(channel.council_id, items)
    keys = _thread_keys(channel.pk, items)
    conversations = _conversations(channel, keys, items, identities)
    messages = []
    for raw, item, key in sorted(zip(raws, items, keys, strict=True),
                                 key=lambda t: t[1].created_at):
        conversation = touched.setdefault(conversations[key].pk, conversations[key])
        message = new_row(
            Message, council_id=channel.council_id, conversation=conversation, channel=channel,
            direction=item.direction, platform_message_id=item.platform_message_id,
            in_reply_to=item.in_reply_to, author=identities.get((item.platform, item.author)),
            author_name=item.author_name or item.author, text=item.text,
            attachments=item.attachments, created_at=item.created_at,
            received_at=raw.received_at, raw_event=raw,
        )
        _apply(conversation, message)
        messages.append(message)
    return messages


def raw_events_to_messages(raw_events: list[RawEvent]) -> int:
    """Store messages for raw events, triaged before they are written (so before listed)."""
    todo = [r for r in raw_events if r.status in (RawStatus.PENDING, RawStatus.FAILED)]
    by_channel: dict[int, list[RawEvent]] = {}
    for raw in todo:
        by_channel.setdefault(raw.channel_id, []).append(raw)  # type: ignore[arg-type]
    channels = Channel.objects.in_bulk(list(by_channel))
    touched: dict[int, Conversation] = {}
    messages: list[Message] = []
    for channel_id, raws in by_channel.items():
        messages += _build(channels[channel_id], raws, touched)
    runs = triage_prepare(messages=messages)
    insert_rows(Message, messages)
    response_times_fill(touched.values())
    update_rows(Conversation, list(touched.values()),
                CONVERSATION_FIELDS + ROLLUP_FIELDS + RESPONSE_TIME_FIELDS)
    triage_finish(runs=runs)
    RawEvent.objects.filter(pk__in=[r.pk for r in todo]).update(
        status=RawStatus.PROCESSED, processed_at=timezone.now(), error=""
    )
    return len(messages)
