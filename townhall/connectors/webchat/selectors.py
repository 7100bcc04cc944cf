"""Reads for web chat. Public reads are scoped to one session; admin reads to one council."""

from django.db.models import Q

from townhall.connectors.models import Channel, Platform
from townhall.connectors.webchat.models import WebchatSession, WebchatSetup
from townhall.inbox.models import Conversation, DeliveryStatus, Direction, Message

CHAT_PLATFORMS = (Platform.WEBCHAT, Platform.WEBFORM)
MAX_REPLIES = 50
# Replies a resident may see: those queued for the widget, those it already has, and
# (blank) replies imported from another system. Never one held for approval or refused.
SHOWN = (DeliveryStatus.QUEUED, DeliveryStatus.SENT, "")


def channel_for_chat(*, key: str) -> Channel | None:
    """The active web chat or web form channel behind a public key."""
    return Channel.objects.select_related("council").filter(
        key=key, is_active=True, platform__in=CHAT_PLATFORMS).first()


def allowed_origins(*, channel: Channel) -> list[str]:
    setup = WebchatSetup.objects.filter(channel=channel).first()
    return list(setup.allowed_origins) if setup else []


def session_get(*, channel: Channel, public_id: str) -> WebchatSession | None:
    return WebchatSession.objects.filter(channel=channel, public_id=public_id).first()


def session_conversation(*, session: WebchatSession) -> Conversation | None:
    return Conversation.objects.filter(channel_id=session.channel_id,
                                       thread_key=session.thread_key).first()


def session_replies(*, conversation: Conversation, after: int,
                    exclude: list[int]) -> list[Message]:
    """The council's replies the widget has not confirmed: newer than its cursor, or still
    waiting for it (a reply committed late, under a lower id, is not skipped)."""
    return list(
        Message.objects.filter(conversation=conversation, direction=Direction.OUT,
                               delivery_status__in=SHOWN)
        .filter(Q(pk__gt=after) | Q(delivery_status=DeliveryStatus.QUEUED))
        .exclude(pk__in=exclude)
        .only("pk", "text", "created_at", "delivery_status").order_by("pk")[:MAX_REPLIES]
    )
