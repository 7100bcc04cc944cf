"""Reads of the inbox, always scoped to what one member may see."""

import string
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.core.cache import cache
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.http import Http404
from django.utils import timezone

from townhall.accounts.models import Membership, Role, Team
from townhall.core.models import AuditEvent
from townhall.inbox.models import (
    Conversation,
    DeliveryStatus,
    Identity,
    Message,
    Note,
    Resident,
    SavedReply,
    Status,
    Viewer,
)
from townhall.inbox.targets import waiting
from townhall.respond.models import ReplyApproval
from townhall.respond.selectors import response_clock_for
from townhall.triage.models import Category


def conversations_visible(*, membership: Membership) -> QuerySet[Conversation]:
    """Admins see the whole council; others see their teams' work and the shared queue.

    A conversation with no team yet is in the council's front door, which every
    member can see, so nothing waits unseen before it is routed.
    """
    queryset = Conversation.objects.filter(council_id=membership.council_id)
    if membership.role == Role.ADMIN:
        return queryset
    team_ids = list(membership.teams.values_list("id", flat=True))
    return queryset.filter(Q(team__isnull=True) | Q(team_id__in=team_ids))


def conversation_list(
    *, membership: Membership, status: str | None = None, limit: int = 50, offset: int = 0
) -> list[Conversation]:
    queryset = conversations_visible(membership=membership).select_related(
        "channel", "resident", "team", "assignee", "category"
    )
    if status:
        queryset = queryset.filter(status=status)
    return list(queryset.order_by("-last_message_at", "-id")[offset:offset + limit])


def conversation_get(*, membership: Membership, conversation_id: int) -> Conversation:
    conversation = (
        conversations_visible(membership=membership)
        .select_related("channel", "resident", "team", "assignee", "category")
        .filter(pk=conversation_id)
        .first()
    )
    if conversation is None:
        raise Http404("No such conversation.")
    return conversation


def conversation_messages(*, conversation: Conversation) -> list[Message]:
    return list(
        Message.objects.filter(conversation=conversation)
        .select_related("author", "sent_by", "category")
        .order_by("created_at", "id")
    )


def conversation_thread(*, conversation: Conversation) -> list[Message]:
    """The messages as the conversation page shows them, oldest first.

    Leaves out the JSON and text columns the page never shows (attachments, places,
    PII spans, redacted text), which would otherwise be decoded for every message.
    """
    from townhall.connectors.models import Delivery

    # Why a reply could not be sent, so the officer can act on it.
    last_error = Delivery.objects.filter(message=OuterRef("pk")).values("last_error")[:1]
    # Why a supervisor did not approve a reply (townhall.respond), for the officer to read.
    not_approved = ReplyApproval.objects.filter(message=OuterRef("pk")).values(
        "rejection_reason")[:1]
    return list(
        Message.objects.filter(conversation=conversation)
        # A web chat reply's receipt says when the resident's widget collected it and
        # when it was on their screen (townhall.connectors.webchat).
        .select_related("sent_by", "category", "webchat_receipt")
        .defer("attachments", "places", "pii", "safeguarding_reasons", "redacted_text",
               "triage_error")
        # Each reply's own channel: one to an ended web chat may have gone by email.
        .annotate(delivery_error=Subquery(last_error), rejection_reason=Subquery(not_approved),
                  platform=F("channel__platform"))
        .order_by("created_at", "id")
    )


@dataclass(frozen=True)
class ReplyOutcome:
    """What became of a reply the moment the officer sent it, for the message they see.

    `state`: "approval" (held for a supervisor), "published" (an Open311 report's
    status_notes), "sent", "failed", "stored" (kept for the resident's web chat to
    collect), "chat_ended" (kept, but the chat has ended), or "queued".
    """

    state: str
    # Set when the reply goes by email instead of to an ended web chat.
    email: str = ""


def reply_outcome(*, message: Message, now: datetime | None = None) -> ReplyOutcome:
    """Read again, because a send queued after commit may already have run (Celery runs
    tasks in the request when there is no Redis)."""
    from townhall.connectors.email.mailto import mailto_parts
    from townhall.connectors.registry import PUBLISHED_ON_STORE
    from townhall.connectors.webchat.selectors import CHAT_PLATFORMS, chat_state

    status, platform, in_reply_to = Message.objects.filter(pk=message.pk).values_list(
        "delivery_status", "channel__platform", "in_reply_to").get()
    email = (mailto_parts(in_reply_to) or ("", ""))[0]
    if status in (DeliveryStatus.AWAITING_APPROVAL, DeliveryStatus.FAILED):
        return ReplyOutcome(state=status, email=email)
    if status == DeliveryStatus.SENT:
        return ReplyOutcome(state="published" if platform in PUBLISHED_ON_STORE else "sent",
                            email=email)
    if platform in CHAT_PLATFORMS:
        state = chat_state(conversation=message.conversation, now=now or timezone.now())
        return ReplyOutcome(state="chat_ended" if state and state.ending else "stored")
    return ReplyOutcome(state="queued", email=email)


def message_get(*, membership: Membership, message_id: int) -> Message:
    visible = conversations_visible(membership=membership)
    message = (
        Message.objects.filter(pk=message_id, conversation__in=visible)
        .select_related("conversation", "channel", "author", "category")
        .first()
    )
    if message is None:
        raise Http404("No such message.")
    return message


# The inbox queue -----------------------------------------------------------------------

PAGE_SIZE = 50
# Offsets stay cheap because the queue is read along an index, but a person never needs
# the 2,001st row of a queue: past that, a filter or a search is the better tool.
MAX_PAGES = 40
QUEUE_STATUSES = ("open", "snoozed", "pending", "closed")


@dataclass(frozen=True)
class InboxFilters:
    status: str = "open"
    team: str = ""  # "", "none" or a team id
    assignee: str = ""  # "", "me", "none" or a user id
    platform: str = ""
    category: str = ""  # "", "none" or a category id
    priority: str = ""
    safeguarding: str = ""  # "", "yes" or "no"
    language: str = ""
    q: str = ""
    page: int = 1

    def active(self) -> bool:
        return any([self.team, self.assignee, self.platform, self.category, self.priority,
                    self.safeguarding, self.language, self.q])


@dataclass
class InboxPage:
    rows: list[Conversation]
    page: int
    has_next: bool
    capped: bool = False
    # True when a search of the closed list only read its most recent conversations.
    search_limited: bool = False


def _with_status(queryset: QuerySet[Conversation], status: str,
                 now: datetime) -> QuerySet[Conversation]:
    if status == "snoozed":
        return queryset.filter(status=Status.OPEN, snoozed_until__gt=now)
    if status == "open":
        return queryset.filter(Q(snoozed_until__isnull=True) | Q(snoozed_until__lte=now),
                               status=Status.OPEN)
    if status in (Status.PENDING, Status.CLOSED):
        return queryset.filter(status=status)
    return queryset


def _id_or_none(queryset: QuerySet[Conversation], field: str,
                value: str) -> QuerySet[Conversation]:
    if value == "none":
        return queryset.filter(**{f"{field}__isnull": True})
    if value.isdigit():
        return queryset.filter(**{f"{field}_id": int(value)})
    return queryset


def _filtered(*, membership: Membership, filters: InboxFilters,
              now: datetime) -> QuerySet[Conversation]:
    queryset = _with_status(conversations_visible(membership=membership), filters.status, now)
    queryset = _id_or_none(queryset, "team", filters.team)
    if filters.assignee == "me":
        queryset = queryset.filter(assignee_id=membership.user_id)
    else:
        queryset = _id_or_none(queryset, "assignee", filters.assignee)
    queryset = _id_or_none(queryset, "category", filters.category)
    if filters.platform:
        queryset = queryset.filter(platform=filters.platform)
    if filters.priority:
        queryset = queryset.filter(priority=filters.priority)
    if filters.safeguarding in ("yes", "no"):
        # Urgency is below 10 exactly when there is a safeguarding concern (see URGENCY),
        # so the same condition as a range lets the queue index find these rows directly.
        yes = filters.safeguarding == "yes"
        queryset = queryset.filter(Q(urgency__lt=10) if yes else Q(urgency__gte=10),
                                   safeguarding=yes)
    if filters.language:
        queryset = queryset.filter(language=filters.language)
    text = filters.q.strip()
    if text:
        queryset = _searched(queryset, text, filters.status, membership.council_id)
    return queryset


# A search reads every row of the chosen status that it has to compare, so the closed
# list, most of the table, is searched only among its most recently active part.
SEARCH_CLOSED_LIMIT = 5000


def _reference(text: str) -> int | None:
    number = text.upper().removeprefix("TH-")
    return int(number) if number != text.upper() and number.isdigit() else None


def _closed_search_cutoff(council_id: int) -> datetime | None:
    """When the oldest of the council's SEARCH_CLOSED_LIMIT most recently active closed
    conversations last heard from anyone. The same for every member, so it is cached
    for a minute; it is read along the (council, last_message_at) index, as a member's
    team condition would make SQLite sort all their closed conversations first."""
    key = f"inbox-search-cutoff:{council_id}"
    found = cache.get(key)
    if found is None:
        oldest = list(Conversation.objects.filter(council_id=council_id, status=Status.CLOSED)
                      .order_by("-last_message_at")
                      .values_list("last_message_at", flat=True)
                      [SEARCH_CLOSED_LIMIT - 1:SEARCH_CLOSED_LIMIT])
        found = oldest[0] if oldest else ""
        cache.set(key, found, 60)
    return found or None


# Punctuation around a word is not part of it ("Lane," is "Lane"); inside it, it is
# ("o'r", "jo@example.org", "A40").
WORD_EDGES = "".join(sorted(set(string.punctuation + "\u2018\u2019\u201c\u201d\u2013\u2014")))
# Each word is one more condition for the database to check per row.
MAX_SEARCH_WORDS = 8


def search_words(text: str) -> list[str]:
    """The words of a search, without the punctuation around them, at most eight."""
    words = [w.strip(WORD_EDGES) for w in text.split()]
    return [w for w in words if w][:MAX_SEARCH_WORDS] or [text.strip()]


def _searched(queryset: QuerySet[Conversation], text: str, status: str,
              council_id: int) -> QuerySet[Conversation]:
    reference = _reference(text)
    if reference is not None:
        # A reference like TH-000123 names one conversation: no need to read any text.
        return queryset.filter(pk=reference)
    # The resident's name is checked per row with EXISTS rather than through the join:
    # with the join in the condition PostgreSQL hashes every resident and sorts every
    # row of the status; with EXISTS both databases read along the queue index and stop
    # after a page of matches.
    # Each word on its own, in any order, so "Mill Lane nearly" finds "Deep pothole on
    # Mill Lane, nearly came off my bike" and "Evans pothole" finds Sam Evans's pothole.
    match = Q()
    for word in search_words(text):
        named = Exists(Resident.objects.filter(pk=OuterRef("resident_id"),
                                               display_name__icontains=word))
        match &= Q(subject__icontains=word) | Q(named)
    if text.isdigit():
        match |= Q(pk=int(text))
    if status == Status.CLOSED:
        oldest = _closed_search_cutoff(council_id)
        if oldest is not None:
            queryset = queryset.filter(last_message_at__gte=oldest)
    return queryset.filter(match)


def inbox_page(*, membership: Membership, filters: InboxFilters,
               now: datetime | None = None) -> InboxPage:
    """One page of the queue: safeguarding, then waiting, by priority, longest wait first."""
    now = now or timezone.now()
    page = max(1, min(filters.page, MAX_PAGES))
    queryset = _filtered(membership=membership, filters=filters, now=now).select_related(
        "resident", "team", "assignee", "category")
    if filters.status == Status.CLOSED:
        queryset = queryset.order_by("-last_message_at", "-id")
    else:
        queryset = queryset.order_by("urgency", "waiting_since", "id")
    start = (page - 1) * PAGE_SIZE
    rows = list(queryset[start:start + PAGE_SIZE + 1])
    has_next = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    # The council's hours and targets: a few queries per page, then Python per row.
    clock = (response_clock_for(membership.council)
             if any(row.waiting_since for row in rows) else None)
    for row in rows:
        row.wait = waiting(waiting_since=row.waiting_since,  # type: ignore[attr-defined]
                           priority=row.priority, safeguarding=row.safeguarding, now=now,
                           category_id=row.category_id, clock=clock)
    return InboxPage(rows=rows, page=page, has_next=has_next and page < MAX_PAGES,
                     capped=has_next and page >= MAX_PAGES,
                     search_limited=(filters.status == Status.CLOSED and bool(filters.q.strip())
                                     and _reference(filters.q.strip()) is None))


FACETS = ("team", "assignee", "platform", "category", "priority", "safeguarding", "language")
# The numbers beside the filters are read from a cache for this long. The live poll
# refreshes the list every 10 s, so they are never much older than the list they sit by.
COUNTS_TTL = 15


def _changes_marker() -> tuple[int, int]:
    """Moves on whenever a message arrives or an officer changes a conversation (every
    such change writes an audit event). Both are reads of a primary key's last entry."""
    last_message = Message.objects.aggregate(m=Max("id"))["m"] or 0
    last_event = AuditEvent.objects.order_by().aggregate(m=Max("id"))["m"] or 0
    return last_message, last_event


def _counts_key(membership: Membership, status: str) -> str:
    if membership.role == Role.ADMIN:
        scope = "all"
    else:
        scope = ",".join(str(t) for t in sorted(membership.teams.values_list("id", flat=True)))
    marker = ".".join(str(n) for n in _changes_marker())
    return f"inbox-counts:{membership.council_id}:{scope}:{status}:{marker}"


def inbox_counts(*, membership: Membership, filters: InboxFilters,
                 now: datetime | None = None) -> dict[str, dict[str, int]]:
    """How many conversations each filter value would show, in the chosen status.

    Members who see the same conversations share one cached answer for COUNTS_TTL
    seconds, or until a message arrives or an officer changes a conversation.
    """
    key = _counts_key(membership, filters.status)
    counts: dict[str, dict[str, int]] | None = cache.get(key)
    if counts is None:
        counts = _inbox_counts(membership=membership, status=filters.status,
                               now=now or timezone.now())
        cache.set(key, counts, COUNTS_TTL)
    if "assignee" in counts:
        counts = {**counts, "assignee": {
            **counts["assignee"], "me": counts["assignee"].get(str(membership.user_id), 0)}}
    return counts


def _inbox_counts(*, membership: Membership, status: str,
                  now: datetime) -> dict[str, dict[str, int]]:
    """One grouped query for the facets, one for the statuses, both along indexes."""
    visible = conversations_visible(membership=membership)
    base = _with_status(visible, status, now)
    counts: dict[str, dict[str, int]] = {"status": {}}
    columns = ["team_id", "assignee_id", "platform", "category_id", "priority",
               "safeguarding", "language"]
    # Closed conversations are most of the table and nobody triages them, so their
    # filters show no numbers rather than scan hundreds of thousands of rows.
    grouped: Any = [] if status == Status.CLOSED else (
        base.order_by().values_list(*columns).annotate(n=Count("id")))
    if status != Status.CLOSED:
        counts.update({facet: {} for facet in FACETS})
    for row in grouped:
        n = row[-1]
        for facet, value in zip(FACETS, row[:-1], strict=True):
            key = ("yes" if value else "no") if facet == "safeguarding" else (
                "none" if value is None else str(value))
            counts[facet][key] = counts[facet].get(key, 0) + n
    snoozed = ExpressionWrapper(Q(snoozed_until__gt=now), output_field=BooleanField())
    statuses = (visible.filter(status__in=[Status.OPEN, Status.PENDING]).order_by()
                .values_list("status", snoozed).annotate(n=Count("id")))
    for name, is_snoozed, n in statuses:
        key = "snoozed" if name == Status.OPEN and is_snoozed else name
        counts["status"][key] = counts["status"].get(key, 0) + n
    return counts


# The conversation page -----------------------------------------------------------------


def conversation_notes(*, conversation: Conversation) -> list[Note]:
    return list(Note.objects.filter(conversation=conversation).select_related("author"))


@dataclass
class ResidentProfile:
    resident: Resident | None
    identities: list[Identity]
    others: list[Conversation]


def resident_profile(*, membership: Membership, conversation: Conversation) -> ResidentProfile:
    """The resident's accounts and the other conversations this member may see."""
    if conversation.resident_id is None:
        return ResidentProfile(None, [], [])
    others = list(
        conversations_visible(membership=membership)
        .filter(resident_id=conversation.resident_id)
        .exclude(pk=conversation.pk)
        .order_by("-last_message_at")[:10]
    )
    identities = list(Identity.objects.filter(resident_id=conversation.resident_id,
                                              council_id=conversation.council_id))
    return ResidentProfile(conversation.resident, identities, others)


def conversation_history(*, conversation: Conversation, since_version: int = 0,
                         limit: int = 20) -> list[AuditEvent]:
    """Audit events about this conversation, newest first; with since_version, only
    those that moved it past that version (what a colleague did meanwhile)."""
    events = list(
        AuditEvent.objects.filter(council_id=conversation.council_id,
                                  object_type=Conversation._meta.label_lower,
                                  object_id=str(conversation.pk))
        .select_related("actor")[:limit]
    )
    if since_version:
        events = [e for e in events if int(e.data.get("version") or 0) > since_version]
    return events


VIEWER_FRESH = timedelta(seconds=45)


def conversation_viewers(*, conversation: Conversation, exclude_user_id: int,
                         now: datetime | None = None) -> list[Any]:
    """Colleagues whose page for this conversation sent a heartbeat in the last 45 s."""
    now = now or timezone.now()
    return [
        v.user for v in Viewer.objects.filter(conversation=conversation,
                                              seen_at__gte=now - VIEWER_FRESH)
        .exclude(user_id=exclude_user_id).select_related("user").order_by("user__first_name")
    ]


def conversation_live_token(*, conversation_id: int, viewers: list[Any]) -> str:
    """Changes when anything the live part of the page shows changes."""
    from townhall.connectors.webchat.selectors import chat_live_marker

    state = Conversation.objects.filter(pk=conversation_id).values_list(
        "version", "message_count", "platform", "thread_key", "channel_id").first() or \
        (0, 0, "", "", 0)
    last_note = (Note.objects.filter(conversation_id=conversation_id)
                 .aggregate(m=Max("id"))["m"] or 0)
    people = ",".join(str(u.pk) for u in viewers)
    # A web chat also changes when the resident's widget collects or shows a reply, and
    # when the resident comes, goes or the chat ends; blank for other platforms.
    chat = chat_live_marker(conversation_id=conversation_id, platform=state[2],
                            thread_key=state[3], channel_id=state[4], now=timezone.now())
    return f"{state[0]}.{state[1]}.{last_note}.{people}{chat}"


def saved_replies(*, council_id: int) -> list[SavedReply]:
    return list(SavedReply.objects.filter(council_id=council_id, is_active=True)
                .select_related("category"))


def council_teams(*, membership: Membership) -> list[Team]:
    return list(Team.objects.filter(council_id=membership.council_id))


def council_members(*, membership: Membership) -> list[Membership]:
    return list(
        Membership.objects.filter(council_id=membership.council_id, user__is_active=True)
        .select_related("user").order_by("user__first_name", "user__last_name")
    )


def council_categories(*, membership: Membership) -> list[Category]:
    return list(Category.objects.filter(council_id=membership.council_id, is_active=True))
