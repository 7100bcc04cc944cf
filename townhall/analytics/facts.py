"""Work out each conversation's reporting facts from its conversation and messages."""

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from townhall.analytics.buckets import bucket_of
from townhall.analytics.fy import london_day
from townhall.analytics.models import ConversationFact, Ward
from townhall.analytics.response_targets import AppliedTargets, applied_targets
from townhall.analytics.wards import WardLookup
from townhall.core.lib.db import insert_rows, new_row
from townhall.core.models import Council
from townhall.inbox.models import Conversation, DeliveryStatus, Direction, Message, Status
from townhall.triage.nlp.language import detect_language

CHUNK = 1000
# Replies held for approval or turned down never reached the resident.
UNSENT = (DeliveryStatus.AWAITING_APPROVAL, DeliveryStatus.REJECTED)
CONVERSATION_COLUMNS = (
    "id", "created_at", "platform", "category_id", "team_id", "assignee_id", "language",
    "status", "first_response_at", "closed_at", "first_response_office_seconds",
    "resolution_office_seconds", "priority", "safeguarding",
)


def office_hours(council: Council) -> Any:
    """The council's office hours (townhall.respond), or the default week without it."""
    try:
        from townhall.respond.selectors import office_hours_for
    except ImportError:  # pragma: no cover - respond is installed with analytics
        from townhall.respond.hours import OfficeHours

        return OfficeHours.default()
    return office_hours_for(council)


def _office_seconds(hours: Any, stored: int | None, start: datetime,
                    end: datetime | None) -> int | None:
    """The figure respond stored, or the same arithmetic if it has not been filled."""
    if stored is not None:
        return stored
    if end is None:
        return None
    return int(hours.seconds_between(start, end))


def _first_places(ids: list[int]) -> dict[int, list[Any]]:
    """The places triage found in each conversation's first message from the resident."""
    found: dict[int, list[Any]] = {}
    rows = (Message.objects.filter(conversation_id__in=ids, direction=Direction.IN)
            .order_by("conversation_id", "created_at", "id")
            .values_list("conversation_id", "places"))
    for conversation_id, places in rows:
        found.setdefault(conversation_id, places or [])
    return found


def _welsh_replies(ids: list[int]) -> dict[int, bool]:
    """For each conversation, whether its first reply that was sent is in Welsh."""
    found: dict[int, bool] = {}
    rows = (Message.objects.filter(conversation_id__in=ids, direction=Direction.OUT)
            .exclude(delivery_status__in=UNSENT)
            .order_by("conversation_id", "created_at", "id")
            .values_list("conversation_id", "language", "text"))
    for conversation_id, language, text in rows:
        if conversation_id not in found:
            found[conversation_id] = (language or detect_language(text)) == "cy"
    return found


def _fact(council_id: int, row: dict[str, Any], hours: Any, targets: AppliedTargets,
          ward_id: int | None, welsh: bool | None) -> ConversationFact:
    first = _office_seconds(hours, row["first_response_office_seconds"], row["created_at"],
                            row["first_response_at"])
    closed = row["closed_at"] if row["status"] == Status.CLOSED else None
    resolved = _office_seconds(hours, row["resolution_office_seconds"]
                               if closed is not None else None, row["created_at"], closed)
    first_allowed, resolution_allowed = targets.seconds(
        priority=row["priority"], safeguarding=row["safeguarding"],
        category_id=row["category_id"])
    return new_row(
        ConversationFact, conversation_id=row["id"], council_id=council_id, day=london_day(row["created_at"]),
        platform=row["platform"], category_id=row["category_id"], team_id=row["team_id"],
        assignee_id=row["assignee_id"], language=row["language"], ward_id=ward_id,
        status=row["status"], first_response_seconds=first,
        first_response_band=None if first is None else bucket_of(first),
        resolution_seconds=resolved,
        resolution_band=None if resolved is None else bucket_of(resolved),
        first_response_in_target=None if first is None else first <= first_allowed,
        resolution_in_target=None if resolved is None else resolved <= resolution_allowed,
        welsh_reply=welsh if row["language"] == "cy" and first is not None else None)


def facts_refresh(*, council: Council, conversation_ids: Iterable[int]) -> set[Any]:
    """Rebuild the facts of these conversations. Returns every London day the facts
    were on before and are on now, which the roll-ups must then recount."""
    ids = sorted(set(conversation_ids))
    hours = office_hours(council)
    targets = applied_targets(council.pk)
    lookup = WardLookup(Ward.objects.filter(council=council))
    days: set[Any] = set()
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        days.update(ConversationFact.objects.filter(conversation_id__in=chunk)
                    .values_list("day", flat=True).distinct())
        rows = list(Conversation.objects.filter(council=council, pk__in=chunk)
                    .values(*CONVERSATION_COLUMNS))
        places = _first_places(chunk) if lookup else {}
        welsh_ids = [r["id"] for r in rows if r["language"] == "cy"]
        welsh = _welsh_replies(welsh_ids) if welsh_ids else {}
        facts = [_fact(council.pk, row, hours, targets,
                       lookup.ward_for(places.get(row["id"], [])) if lookup else None,
                       welsh.get(row["id"])) for row in rows]
        ConversationFact.objects.filter(conversation_id__in=chunk).delete()
        insert_rows(ConversationFact, facts)
        days.update(f.day for f in facts)
    return days
