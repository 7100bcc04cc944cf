"""Office seconds to the first response and to resolution, kept on each conversation.

Called wherever first_response_at or closed_at is set: the officer's reply and close
(townhall.inbox.services), an approved reply (townhall.respond.approvals) and imported
messages (townhall.ingest.processing). Reports then read two integers per row.
"""

from collections.abc import Iterable
from datetime import datetime

from townhall.core.models import Council
from townhall.inbox.models import Conversation, Status
from townhall.respond.hours import OfficeHours

RESPONSE_TIME_FIELDS = ["first_response_office_seconds", "resolution_office_seconds"]


def office_seconds_since(*, hours: OfficeHours, start: datetime, end: datetime | None) -> int | None:
    if end is None:
        return None
    return hours.seconds_between(start, end)


def response_times_set(conversation: Conversation, *, hours: OfficeHours) -> bool:
    """Fill the two fields from the clock times, in memory. True if either changed."""
    before = (conversation.first_response_office_seconds,
              conversation.resolution_office_seconds)
    conversation.first_response_office_seconds = office_seconds_since(
        hours=hours, start=conversation.created_at, end=conversation.first_response_at)
    closed_at = conversation.closed_at if conversation.status == Status.CLOSED else None
    conversation.resolution_office_seconds = office_seconds_since(
        hours=hours, start=conversation.created_at, end=closed_at)
    return before != (conversation.first_response_office_seconds,
                      conversation.resolution_office_seconds)


def response_times_fill(conversations: Iterable[Conversation]) -> None:
    """Fill the fields for conversations of any councils, one OfficeHours per council."""
    from townhall.respond.selectors import office_hours_for

    by_council: dict[int, list[Conversation]] = {}
    for conversation in conversations:
        by_council.setdefault(conversation.council_id, []).append(conversation)
    for council_id, rows in by_council.items():
        hours = office_hours_for(Council(pk=council_id))
        for conversation in rows:
            response_times_set(conversation, hours=hours)
