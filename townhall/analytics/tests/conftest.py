"""Conversations for analytics tests, made through the real ingest path, and an oracle
that counts figures straight from conversations and messages to check the roll-ups."""

from collections.abc import Callable
from datetime import date, datetime, timedelta
from itertools import count
from typing import Any

import pytest

from townhall.analytics.fy import london_day
from townhall.conftest import message_data
from townhall.core.models import Council
from townhall.inbox.models import Conversation, Message
from townhall.ingest.items import parse_item
from townhall.ingest.services import items_ingest
from townhall.respond.hours import OfficeHours
from townhall.respond.models import ResponseTarget

_ids = count(1)


def ingest(council: Council, **data: Any) -> None:
    items_ingest(council=council, source="import", items=[parse_item(message_data(**data))])


@pytest.fixture
def make_thread(council: Council) -> Callable[..., Conversation]:
    """A conversation: the resident writes at `at`; the council replies after `reply_after`
    (a timedelta, or None for no reply yet)."""

    def make(*, at: datetime, text: str = "The bins on Mill Lane were not collected",
             reply_after: timedelta | None = None, reply: str = "Thanks, passed to the team",
             platform: str = "facebook", target: Council | None = None,
             **fields: Any) -> Conversation:
        n = next(_ids)
        where = target or council
        channel = f"{platform}-account"
        ingest(where, platform_message_id=f"a{n}", thread_id=f"t{n}", text=text,
               platform=platform, channel=channel, author=f"r{n}",
               created_at=at.isoformat())
        if reply_after is not None:
            ingest(where, platform_message_id=f"b{n}", thread_id=f"t{n}", text=reply,
                   platform=platform, channel=channel, author="council", direction="out",
                   created_at=(at + reply_after).isoformat())
        conversation = Conversation.objects.get(council=where, thread_key=f"t{n}")
        if fields:
            Conversation.objects.filter(pk=conversation.pk).update(**fields)
            conversation.refresh_from_db()
        return conversation

    return make


@pytest.fixture(autouse=True)
def _fresh_cache() -> Any:
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


# Respond's built-in first reply targets in office minutes, and the resolution target
# where the council set none, written out again so the oracle does not share the code.
DEFAULT_FIRST_MINUTES = {"critical": 60, "high": 240, "normal": 480, "low": 1440}
DEFAULT_RESOLUTION_MINUTES = 2400


class Oracle:
    """Figures counted the slow, obvious way, from the source tables alone."""

    def __init__(self, council: Council) -> None:
        self.council = council
        self.hours = OfficeHours.default()

    def allowed(self, c: Conversation) -> tuple[int, int]:
        """The office seconds this conversation's response target allows: its category
        and priority's row, else its priority's, else the default; safeguarding is
        always critical and ignores the category."""
        rows = {(t.category_id, t.priority): t
                for t in ResponseTarget.objects.filter(council=self.council)}
        priority, category = ("critical", None) if c.safeguarding else (c.priority,
                                                                       c.category_id)
        chain = [t for t in (rows.get((category, priority)) if category else None,
                             rows.get((None, priority))) if t is not None]
        first = chain[0].first_response_minutes if chain else DEFAULT_FIRST_MINUTES[priority]
        resolution = next((t.resolution_minutes for t in chain
                           if t.resolution_minutes is not None), DEFAULT_RESOLUTION_MINUTES)
        return first * 60, resolution * 60

    def answered_in_target(self, first: date, last: date, **dims: Any) -> list[Conversation]:
        return [c for c in self.conversations(first, last, **dims) if c.first_response_at
                and self.hours.seconds_between(c.created_at, c.first_response_at)
                <= self.allowed(c)[0]]

    def resolved_in_target(self, first: date, last: date, **dims: Any) -> list[Conversation]:
        return [c for c in self.conversations(first, last, **dims)
                if c.status == "closed" and c.closed_at
                and self.hours.seconds_between(c.created_at, c.closed_at) <= self.allowed(c)[1]]

    def conversations(self, first: date, last: date, **dims: Any) -> list[Conversation]:
        return [c for c in Conversation.objects.filter(council=self.council, **dims)
                if first <= london_day(c.created_at) <= last]

    def messages(self, first: date, last: date, direction: str = "in",
                 **dims: Any) -> list[Message]:
        return [m for m in Message.objects.filter(
            council=self.council, direction=direction,
            **{f"conversation__{k}": v for k, v in dims.items()})
            if first <= london_day(m.created_at) <= last]

    def first_response_seconds(self, first: date, last: date, **dims: Any) -> list[int]:
        return [self.hours.seconds_between(c.created_at, c.first_response_at)
                for c in self.conversations(first, last, **dims) if c.first_response_at]

    def resolution_seconds(self, first: date, last: date, **dims: Any) -> list[int]:
        return [self.hours.seconds_between(c.created_at, c.closed_at)
                for c in self.conversations(first, last, **dims)
                if c.status == "closed" and c.closed_at]
