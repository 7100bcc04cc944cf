"""Reads for answering well: office hours, targets, warnings, rules and the approval queue.

Every function takes the council (or its id) and filters by it.
"""

from datetime import datetime, time, timedelta
from typing import Any

from django.db.models import F
from django.utils import timezone

from townhall.core.models import Council
from townhall.inbox.models import SavedReply
from townhall.respond.hours import Interval, OfficeHours
from townhall.respond.models import (
    ApprovalRule,
    ApprovalStatus,
    BreachWarning,
    ClosureDay,
    ReplyApproval,
    ResponseSettings,
    ResponseTarget,
    default_opening_times,
)
from townhall.respond.targets import ResponseClock, TargetTable


def parse_opening_times(value: dict[str, Any]) -> dict[int, list[Interval]]:
    """{"0": [["08:45", "17:15"]], ...} as {0: [(time(8, 45), time(17, 15))], ...}."""
    week: dict[int, list[Interval]] = {}
    for day in range(7):
        week[day] = [(time.fromisoformat(start), time.fromisoformat(end))
                     for start, end in value.get(str(day), [])]
    return week


def response_settings_for(council: Council) -> ResponseSettings:
    """The council's settings, or unsaved defaults if an admin has not set any."""
    found = ResponseSettings.objects.filter(council_id=council.pk).first()
    return found or ResponseSettings(council=council, opening_times=default_opening_times())


def office_hours_for(council: Council) -> OfficeHours:
    """The council's office hours: its opening times, nation's bank holidays and closures.

    One or two queries; build it once per request or task and reuse it for every row.
    """
    found = response_settings_for(council)
    closed = ClosureDay.objects.filter(council_id=council.pk).values_list("day", flat=True)
    return OfficeHours(parse_opening_times(found.opening_times), timezone=found.timezone,
                       nation=found.nation, closed_dates=list(closed))


def target_table_for(council: Council) -> TargetTable:
    return TargetTable(ResponseTarget.objects.filter(council_id=council.pk).values_list(
        "category_id", "priority", "first_response_minutes", "resolution_minutes"))


def response_clock_for(council: Council) -> ResponseClock:
    """Office hours and targets together: three small queries, then pure Python."""
    found = response_settings_for(council)
    closed = ClosureDay.objects.filter(council_id=council.pk).values_list("day", flat=True)
    hours = OfficeHours(parse_opening_times(found.opening_times), timezone=found.timezone,
                        nation=found.nation, closed_dates=list(closed))
    return ResponseClock(hours, target_table_for(council), warn_share=found.warn_at_percent / 100)


def closure_days(*, council: Council) -> list[ClosureDay]:
    return list(ClosureDay.objects.filter(council=council))


def response_targets(*, council: Council) -> list[ResponseTarget]:
    return list(ResponseTarget.objects.filter(council=council).select_related("category"))


def response_target_get(*, council: Council, pk: int) -> ResponseTarget:
    return ResponseTarget.objects.select_related("category").get(council=council, pk=pk)


# A warning older than this no longer shows on the inbox: the list marks it breached.
WARNINGS_SHOWN_FOR = timedelta(days=30)


def breach_warnings_open(*, council: Council, limit: int = 20,
                         now: datetime | None = None) -> list[BreachWarning]:
    """Recent warnings for conversations still waiting on the same message, soonest due
    first. Read along the (council, due_at) index, so old warnings cost nothing."""
    now = now or timezone.now()
    return list(
        BreachWarning.objects.filter(council=council, due_at__gte=now - WARNINGS_SHOWN_FOR,
                                     conversation__council=council,
                                     conversation__waiting_since=F("waiting_since"),
                                     conversation__status="open")
        .select_related("conversation")
        .order_by("due_at", "id")[:limit])


def approval_rules(*, council: Council) -> list[ApprovalRule]:
    return list(ApprovalRule.objects.filter(council=council)
                .select_related("category", "officer"))


def approval_rules_active(*, council_id: int) -> list[ApprovalRule]:
    return list(ApprovalRule.objects.filter(council_id=council_id, is_active=True))


def approval_rule_get(*, council: Council, pk: int) -> ApprovalRule:
    return ApprovalRule.objects.get(council=council, pk=pk)


def approvals_pending(*, council: Council) -> list[ReplyApproval]:
    return list(
        ReplyApproval.objects.filter(council=council, status=ApprovalStatus.PENDING)
        .select_related("conversation", "message", "requested_by", "conversation__resident",
                        "conversation__category")
        .order_by("created_at", "id"))


def approval_get(*, council: Council, pk: int) -> ReplyApproval:
    return (ReplyApproval.objects.select_related("conversation", "conversation__council",
                                                 "conversation__category",
                                                 "conversation__resident", "message",
                                                 "requested_by", "decided_by")
            .get(council=council, pk=pk))


def approvals_pending_count(*, council: Council) -> int:
    return ReplyApproval.objects.filter(council=council, status=ApprovalStatus.PENDING).count()


# How much of the conversation a supervisor sees beside a reply they are approving.
CONTEXT_MESSAGES = 6


def conversation_context(*, approval: ReplyApproval) -> dict[str, Any]:
    """The conversation and its latest messages up to the held reply, oldest first."""
    from townhall.inbox.models import Message

    recent = list(Message.objects.filter(conversation_id=approval.conversation_id,
                                         created_at__lte=approval.message.created_at)
                  .exclude(pk=approval.message_id)
                  .select_related("sent_by")
                  .only("id", "direction", "author_name", "text", "created_at", "language",
                        "sent_by__first_name", "sent_by__last_name", "sent_by__username")
                  .order_by("-created_at", "-id")[:CONTEXT_MESSAGES])
    recent.reverse()
    return {"conversation": approval.conversation, "recent": recent}


def saved_replies_all(*, council: Council) -> list[SavedReply]:
    return list(SavedReply.objects.filter(council=council).select_related("category"))


def saved_reply_get(*, council: Council, pk: int) -> SavedReply:
    return SavedReply.objects.get(council=council, pk=pk)
