from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.http import Http404

from townhall.connectors.models import Channel
from townhall.core.models import Council
from townhall.inbox.models import DeliveryStatus, Message

if TYPE_CHECKING:
    from townhall.connectors.base import Connector, ReplyWindow


def channels_for_council(*, council: Council) -> QuerySet[Channel]:
    return Channel.objects.filter(council=council).order_by("-is_active", "platform", "handle")


def channel_get(*, council: Council, channel_id: int) -> Channel:
    channel = Channel.objects.select_related("council").filter(
        council=council, pk=channel_id
    ).first()
    if channel is None:
        raise Http404("No such channel in this council.")
    return channel


def channels_with_connector() -> QuerySet[Channel]:
    """Active channels on a platform Townhall has a connector for, with credentials set."""
    from townhall.connectors.registry import CONNECTORS

    return Channel.objects.select_related("council").filter(
        is_active=True, platform__in=list(CONNECTORS), credentials__isnull=False
    ).order_by("id")


def channel_by_id_or_key(*, value: str) -> Channel | None:
    query = Channel.objects.select_related("council")
    if value.isdigit():
        found = query.filter(pk=int(value)).first()
        if found is not None:
            return found
    return query.filter(key=value).first()


def replies_due(*, now: datetime) -> QuerySet[Message]:
    """Queued replies whose next attempt is due and that no worker holds."""
    return Message.objects.filter(
        direction="out", delivery_status=DeliveryStatus.QUEUED,
        channel__platform__in=_connector_platforms(),
        # A channel nobody has connected yet keeps its replies queued, not failed.
        channel__credentials__isnull=False,
    ).filter(
        Q(delivery__isnull=True)
        | (Q(delivery__next_attempt_at__isnull=True) | Q(delivery__next_attempt_at__lte=now))
        & (Q(delivery__claimed_until__isnull=True) | Q(delivery__claimed_until__lt=now))
    ).order_by("created_at", "id")


def delivery_error(*, message: Message) -> str:
    """Why a reply was not sent, in plain words for the officer; blank if nothing went wrong."""
    from townhall.connectors.models import Delivery

    return (Delivery.objects.filter(message=message).values_list("last_error", flat=True)
            .first()) or ""


def _connector_platforms() -> list[str]:
    from townhall.connectors.registry import CONNECTORS

    return list(CONNECTORS)


def channel_for_platform_webhook(*, platform: str, key: str) -> "tuple[Channel, Connector] | None":
    """The active channel behind a webhook address, with its connector; None if unknown."""
    from townhall.connectors.errors import UnknownPlatform
    from townhall.connectors.registry import connector_for

    channel = Channel.objects.select_related("council").filter(
        key=key, platform=platform, is_active=True).first()
    if channel is None:
        return None
    try:
        return channel, connector_for(channel)
    except UnknownPlatform:
        return None


def platform_ids_received(*, channel: Channel, ids: list[str]) -> set[str]:
    """Which of these platform ids the channel has already received, in any version."""
    from townhall.ingest.models import RawEvent

    found: set[str] = set()
    for start in range(0, len(ids), 500):
        found.update(RawEvent.objects.filter(
            channel=channel, platform_message_id__in=ids[start:start + 500]
        ).values_list("platform_message_id", flat=True))
    return found


def latest_inbound_at(*, conversation_id: int) -> datetime | None:
    """When the resident last wrote in a conversation (for messaging windows)."""
    return (Message.objects.filter(conversation_id=conversation_id, direction="in")
            .order_by("-created_at").values_list("created_at", flat=True).first())


def conversation_reply_window(*, conversation: Any) -> "ReplyWindow | None":
    """The platform's limit on answering this conversation now, for the reply box; None
    when the platform has none or Townhall has no connector for it."""
    from django.utils import timezone

    from townhall.connectors.errors import UnknownPlatform
    from townhall.connectors.registry import connector_for

    try:
        connector = connector_for(conversation.channel)
    except (UnknownPlatform, ValueError):
        return None
    return connector.reply_window(thread_id=conversation.thread_key, now=timezone.now(),
                                  last_inbound_at=latest_inbound_at(
                                      conversation_id=conversation.pk))
