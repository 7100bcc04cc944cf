"""Reads for web chat. Public reads are scoped to one session; admin reads to one council."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Q

from townhall.connectors.models import Channel, Platform
from townhall.connectors.webchat.models import (
    SessionEnd,
    WebchatReceipt,
    WebchatSession,
    WebchatSetup,
)
from townhall.inbox.models import Conversation, DeliveryStatus, Direction, Message

CHAT_PLATFORMS = (Platform.WEBCHAT, Platform.WEBFORM)
MAX_REPLIES = 50
# Replies a resident may see: those queued for the widget, those it already has, and
# (blank) replies imported from another system. Never one held for approval or refused.
SHOWN = (DeliveryStatus.QUEUED, DeliveryStatus.SENT, "")
# The widget polls at least every 30 seconds while its page is open, and last_seen_at is
# written at most once a minute, so three minutes without it means the page was closed.
PRESENT_WITHIN = timedelta(minutes=3)


def channel_for_chat(*, key: str) -> Channel | None:
    """The active web chat or web form channel behind a public key."""
    return Channel.objects.select_related("council").filter(
        key=key, is_active=True, platform__in=CHAT_PLATFORMS).first()


def setup_get(*, channel: Channel) -> WebchatSetup:
    """The channel's web chat settings; the defaults, unsaved, if the admin set none."""
    return WebchatSetup.objects.filter(channel=channel).first() or WebchatSetup(channel=channel)


def allowed_origins(*, channel: Channel) -> list[str]:
    return list(setup_get(channel=channel).allowed_origins)


def session_get(*, channel: Channel, public_id: str) -> WebchatSession | None:
    return WebchatSession.objects.filter(channel=channel, public_id=public_id).first()


@dataclass(frozen=True)
class Ending:
    at: datetime
    reason: str


def session_ending(*, session: WebchatSession, setup: WebchatSetup,
                   now: datetime) -> Ending | None:
    """When and why the chat ended, or None while it is still open.

    A chat past its time has ended even if no request has come since to record it, and
    it ended the moment its time ran out: the last contact plus the idle time, or its
    start plus the longest time a chat may last, whichever came first.
    """
    if session.ended_at is not None:
        return Ending(at=session.ended_at, reason=session.end_reason)
    idle = Ending(at=session.last_seen_at + timedelta(hours=setup.idle_hours),
                  reason=SessionEnd.IDLE)
    oldest = Ending(at=session.created_at + timedelta(days=setup.max_days),
                    reason=SessionEnd.MAX_AGE)
    first = min(idle, oldest, key=lambda ending: ending.at)
    return first if first.at <= now else None


def session_conversation(*, session: WebchatSession) -> Conversation | None:
    return Conversation.objects.filter(channel_id=session.channel_id,
                                       thread_key=session.thread_key).first()


def session_replies(*, conversation: Conversation, after: int,
                    exclude: list[int]) -> list[Message]:
    """The council's replies the widget has not confirmed: newer than its cursor, or still
    waiting for it (a reply committed late, under a lower id, is not skipped). Only
    those on the chat's own channel: a reply sent by email instead is not the widget's."""
    return list(
        Message.objects.filter(conversation=conversation, direction=Direction.OUT,
                               channel_id=conversation.channel_id, delivery_status__in=SHOWN)
        .filter(Q(pk__gt=after) | Q(delivery_status=DeliveryStatus.QUEUED))
        .exclude(pk__in=exclude)
        .only("pk", "text", "created_at", "delivery_status").order_by("pk")[:MAX_REPLIES]
    )


# The officer's side -----------------------------------------------------------------


@dataclass(frozen=True)
class ChatState:
    """What the officer is told about the visitor's side of a web chat."""

    ending: Ending | None
    last_seen_at: datetime
    open_now: bool
    # When the chat will end if the visitor does not come back; None once it has ended.
    ends_by: datetime | None
    idle_hours: int
    max_days: int

    def marker(self) -> str:
        if self.ending is not None:
            return f"ended:{self.ending.reason}:{self.ending.at.timestamp()}"
        return "open" if self.open_now else f"away:{self.last_seen_at.timestamp()}"


def _is_chat(platform: str, thread_key: str) -> bool:
    return platform in CHAT_PLATFORMS and thread_key.startswith("webchat-")


def _session_of(*, thread_key: str, channel_id: int) -> WebchatSession | None:
    return (WebchatSession.objects.select_related("channel")
            .filter(channel_id=channel_id, public_id=thread_key.removeprefix("webchat-")).first())


def _state(session: WebchatSession, now: datetime) -> ChatState:
    setup = setup_get(channel=session.channel)
    ending = session_ending(session=session, setup=setup, now=now)
    ends_by = None if ending else min(session.last_seen_at + timedelta(hours=setup.idle_hours),
                                      session.created_at + timedelta(days=setup.max_days))
    return ChatState(ending=ending, last_seen_at=session.last_seen_at,
                     open_now=ending is None and now - session.last_seen_at <= PRESENT_WITHIN,
                     ends_by=ends_by, idle_hours=setup.idle_hours, max_days=setup.max_days)


def chat_state(*, conversation: Conversation, now: datetime) -> ChatState | None:
    """The visitor's chat behind a conversation: open, away, or ended. None if the
    conversation is not a web chat (or came from a website's own backend)."""
    if not _is_chat(conversation.platform, conversation.thread_key):
        return None
    session = _session_of(thread_key=conversation.thread_key,
                          channel_id=conversation.channel_id)
    return _state(session, now) if session is not None else None


def chat_live_marker(*, conversation_id: int, platform: str, thread_key: str, channel_id: int,
                     now: datetime) -> str:
    """Part of the conversation page's live token: it changes when the visitor's widget
    collects or shows a reply, when the visitor comes or goes, and when the chat ends.
    Blank, with no query, for a conversation that is not a web chat."""
    if not _is_chat(platform, thread_key):
        return ""
    session = _session_of(thread_key=thread_key, channel_id=channel_id)
    if session is None:
        return ""
    found = WebchatReceipt.objects.filter(message__conversation_id=conversation_id).aggregate(
        delivered=Count("pk"), seen=Count("seen_at"))
    return f".{found['delivered']}.{found['seen']}.{_state(session, now).marker()}"


# A reply after the chat ended ----------------------------------------------------------

# Read newest first; a visitor who gave an address gave it in their first few messages.
EMAIL_LOOKBACK = 50
# The reply keeps the address in Message.in_reply_to, which holds 255 characters.
MAX_URI = 255


@dataclass(frozen=True)
class EmailRoute:
    """Where a reply to an ended chat can go instead: the address the resident gave in
    the chat, sent through the council's email channel."""

    channel: Channel
    address: str
    from_address: str
    mailto: str


def chat_visitor_email(*, conversation: Conversation) -> str:
    """The latest email address the resident gave in this chat: the contact form's
    Email line, or one typed in a message. Blank if they gave none."""
    from townhall.triage.nlp.pii import find_pii

    texts = (Message.objects.filter(conversation=conversation, direction=Direction.IN)
             .order_by("-created_at", "-id").values_list("text", flat=True)[:EMAIL_LOOKBACK])
    for text in texts:
        found = [span for span in find_pii(text) if span.type == "email"]
        if found:
            return text[found[-1].start:found[-1].end]
    return ""


def council_email_channel(*, council_id: int) -> Channel | None:
    """The council's active, connected email channel (the first, if it has several)."""
    return (Channel.objects.select_related("credentials")
            .filter(council_id=council_id, platform=Platform.EMAIL, is_active=True,
                    credentials__isnull=False).order_by("id").first())


def chat_email_route(*, conversation: Conversation, now: datetime) -> EmailRoute | None:
    """How a reply can reach a resident whose chat has ended: None while the chat is
    open, or when the resident gave no email address or the council has no email
    channel; then a reply here will not reach them, and the reply box says so."""
    from django.utils.translation import gettext as _

    from townhall.connectors.email.mailto import mailto

    state = chat_state(conversation=conversation, now=now)
    if state is None or state.ending is None:
        return None
    address = chat_visitor_email(conversation=conversation)
    channel = council_email_channel(council_id=conversation.council_id) if address else None
    if channel is None:
        return None
    subject = _("Our reply to your web chat (%(reference)s)") % {
        "reference": conversation.reference}
    try:
        uri = mailto(address, subject=subject)
    except ValueError:
        return None
    if len(uri) > MAX_URI:
        uri = mailto(address)
        if len(uri) > MAX_URI:
            return None
    settings = channel.credentials.settings or {}  # type: ignore[attr-defined]
    return EmailRoute(channel=channel, address=address, mailto=uri,
                      from_address=str(settings.get("from_address") or channel.handle))
