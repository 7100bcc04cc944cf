"""Web chat writes: set the allowed websites and how long chats last, open and end a
visitor session, take a message through durable ingest, and record a reply as delivered
when the widget confirms it and as seen when the widget had it on screen."""

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from townhall.connectors.models import AttemptOutcome, Channel, DeliveryAttempt
from townhall.connectors.selectors import platform_ids_received
from townhall.connectors.webchat.models import (
    SessionEnd,
    WebchatReceipt,
    WebchatSession,
    WebchatSetup,
)
from townhall.connectors.webchat.payloads import ChatMessage
from townhall.connectors.webchat.selectors import (
    Ending,
    session_conversation,
    session_ending,
    session_replies,
)
from townhall.connectors.webchat.tokens import token_for
from townhall.core.services import audit_record
from townhall.inbox.models import DeliveryStatus, Direction, Message
from townhall.ingest.items import IncomingItem
from townhall.ingest.models import Source
from townhall.ingest.services import raw_events_store

# last_seen_at is written at most this often, so polling does not write on every request.
SEEN_EVERY = timedelta(minutes=1)


@transaction.atomic
def webchat_origins_set(*, channel: Channel, origins: list[str], by: Any,
                        ip_address: str | None = None) -> WebchatSetup:
    setup, _ = WebchatSetup.objects.get_or_create(channel=channel)
    before = list(setup.allowed_origins)
    setup.allowed_origins = origins
    setup.save()
    audit_record(council=channel.council, actor=by, action="webchat.origins_set", obj=channel,
                 data={"before": before, "after": origins}, ip_address=ip_address)
    return setup


@transaction.atomic
def webchat_expiry_set(*, channel: Channel, idle_hours: int, max_days: int, by: Any,
                       ip_address: str | None = None) -> WebchatSetup:
    """How long the channel's chats last: they end after `idle_hours` without the
    visitor's widget in touch, and `max_days` after they began in any case."""
    if not 1 <= idle_hours <= 24 * max_days:
        raise ValueError("The idle time must be at least an hour and within the longest time.")
    setup, _ = WebchatSetup.objects.get_or_create(channel=channel)
    before = {"idle_hours": setup.idle_hours, "max_days": setup.max_days}
    setup.idle_hours, setup.max_days = idle_hours, max_days
    setup.save()
    audit_record(council=channel.council, actor=by, action="webchat.expiry_set", obj=channel,
                 data={"before": before, "after": {"idle_hours": idle_hours,
                                                   "max_days": max_days}},
                 ip_address=ip_address)
    return setup


@transaction.atomic
def webchat_session_open(*, channel: Channel, origin: str) -> tuple[WebchatSession, str]:
    """A new visitor session and its token, which is shown to the browser once."""
    now = timezone.now()
    session = WebchatSession.objects.create(channel=channel, public_id=secrets.token_urlsafe(16),
                                            origin=origin[:255], created_at=now,
                                            last_seen_at=now)
    return session, token_for(channel=channel, public_id=session.public_id)


def webchat_session_seen(*, session: WebchatSession, now: datetime) -> None:
    if now - session.last_seen_at >= SEEN_EVERY:
        WebchatSession.objects.filter(pk=session.pk).update(last_seen_at=now)
        session.last_seen_at = now


@transaction.atomic
def webchat_session_end(*, session: WebchatSession, at: datetime, reason: str) -> bool:
    """Record that the chat ended. Only the first call records it (and audits it), so a
    visitor's clear and an expiry found at the same moment end it once."""
    changed = WebchatSession.objects.filter(pk=session.pk, ended_at__isnull=True).update(
        ended_at=at, end_reason=reason)
    if changed:
        session.ended_at, session.end_reason = at, reason
        audit_record(council=session.channel.council, actor=None, actor_label="webchat",
                     action="webchat.session_ended", obj=session,
                     data={"reason": reason, "thread": session.thread_key})
    return bool(changed)


def webchat_session_check(*, session: WebchatSession, setup: WebchatSetup,
                          now: datetime) -> Ending | None:
    """None if the chat is still open; otherwise how it ended, recorded if it ran out of
    time since the visitor's last request."""
    ending = session_ending(session=session, setup=setup, now=now)
    if ending is not None and session.ended_at is None:
        webchat_session_end(session=session, at=ending.at, reason=ending.reason)
    return ending


def webchat_session_clear(*, session: WebchatSession, setup: WebchatSetup,
                          now: datetime) -> None:
    """The visitor cleared the chat from their device: it ends now, unless it had
    already ended (then that end, and its reason, stand)."""
    if webchat_session_check(session=session, setup=setup, now=now) is None:
        webchat_session_end(session=session, at=now, reason=SessionEnd.CLEARED)


@dataclass(frozen=True)
class Received:
    platform_message_id: str
    duplicate: bool


def webchat_message_receive(*, session: WebchatSession, message: ChatMessage,
                            now: datetime) -> Received:
    """Store the visitor's message as a raw event (committed before this returns), then
    hand it to processing, as every other route does. A resend of the same message id is
    absorbed: by the id check here, and by ingest's content hash if two race."""
    from townhall.ingest.tasks import process_raw_events

    channel = session.channel
    pmid = f"{session.public_id}-{message.client_id}"
    if platform_ids_received(channel=channel, ids=[pmid]):
        return Received(platform_message_id=pmid, duplicate=True)
    item = IncomingItem(
        platform=channel.platform, channel=channel.handle, platform_message_id=pmid,
        author=session.author, author_name=message.name, text=message.full_text(),
        created_at=message.sent_at or now, thread_id=session.thread_key)
    pending, result = raw_events_store(council=channel.council, items=[item],
                                       source=Source.CONNECTOR, channel=channel)
    if pending:
        process_raw_events.delay([r.pk for r in pending])
    return Received(platform_message_id=pmid, duplicate=not pending and not result.conflicts)


@transaction.atomic
def webchat_replies_delivered(*, session: WebchatSession, ids: list[int],
                              now: datetime) -> list[int]:
    """Mark the replies the widget has shown as sent, each exactly once.

    The conditional UPDATE is the guard: two polls acknowledging the same reply at once
    both run it, and only one changes the row and writes the attempt and audit event.
    """
    if not ids:
        return []
    conversation = session_conversation(session=session)
    if conversation is None:
        return []
    delivered = []
    candidates = Message.objects.filter(conversation=conversation, direction=Direction.OUT,
                                        channel_id=conversation.channel_id,
                                        delivery_status=DeliveryStatus.QUEUED, pk__in=ids)
    for message in candidates.select_related("council"):
        changed = Message.objects.filter(pk=message.pk, delivery_status=DeliveryStatus.QUEUED
                                         ).update(delivery_status=DeliveryStatus.SENT,
                                                  platform_message_id=f"webchat-reply-{message.pk}")
        if not changed:
            continue
        DeliveryAttempt.objects.create(message=message, at=now, outcome=AttemptOutcome.SENT)
        WebchatReceipt.objects.create(message=message, delivered_at=now)
        audit_record(council=message.council, actor=None, actor_label="webchat",
                     action="reply.delivered", obj=message,
                     data={"platform": session.channel.platform, "session": session.public_id})
        delivered.append(message.pk)
    return delivered


@transaction.atomic
def webchat_replies_seen(*, session: WebchatSession, ids: list[int], now: datetime) -> list[int]:
    """Record the replies the widget had on screen in a tab the visitor was looking at.
    Only replies it has confirmed it holds, in this visitor's conversation, and once each."""
    if not ids:
        return []
    conversation = session_conversation(session=session)
    if conversation is None:
        return []
    receipts = WebchatReceipt.objects.filter(message__conversation=conversation,
                                             message_id__in=ids, seen_at__isnull=True)
    seen = []
    for receipt in receipts.select_related("message"):
        # Conditional, like delivery: of two polls reporting it at once, one records it.
        if WebchatReceipt.objects.filter(pk=receipt.pk, seen_at__isnull=True).update(seen_at=now):
            audit_record(council=conversation.council, actor=None, actor_label="webchat",
                         action="reply.seen", obj=receipt.message,
                         data={"platform": session.channel.platform,
                               "session": session.public_id})
            seen.append(receipt.pk)
    return seen


def webchat_replies_collect(*, session: WebchatSession, after: int, ack: list[int],
                            seen: list[int], now: datetime) -> list[Message]:
    """Record the acknowledged replies as delivered and the ones shown as seen, then
    return those still to show."""
    webchat_session_seen(session=session, now=now)
    conversation = session_conversation(session=session)
    if conversation is None:
        return []
    webchat_replies_delivered(session=session, ids=ack, now=now)
    webchat_replies_seen(session=session, ids=seen, now=now)
    return session_replies(conversation=conversation, after=after, exclude=ack)
