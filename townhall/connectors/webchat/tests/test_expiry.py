"""A chat ends after the council's idle time, or its longest time, or when the visitor
clears it; the conversation stays in the inbox and the officer is told."""

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from townhall.connectors.webchat.models import WebchatSession
from townhall.connectors.webchat.selectors import chat_state
from townhall.connectors.webchat.services import webchat_expiry_set
from townhall.connectors.webchat.tests.conftest import Visitor
from townhall.core.models import AuditEvent
from townhall.inbox.models import Conversation, Message
from townhall.inbox.services import conversation_reply

pytestmark = pytest.mark.django_db


def _age(visitor: Visitor, *, away: timedelta, began: timedelta | None = None) -> WebchatSession:
    """As if the visitor's widget was last in touch `away` ago (and began `began` ago)."""
    now = timezone.now()
    session = WebchatSession.objects.get(public_id=visitor.token.partition(":")[0])
    WebchatSession.objects.filter(pk=session.pk).update(
        last_seen_at=now - away, created_at=now - (began or away))
    session.refresh_from_db()
    return session


def test_a_visitor_back_within_the_idle_time_gets_the_replies_they_missed(
        visitor: Visitor, alice: Any) -> None:
    visitor.send("Is the tip open on Sunday?")
    conversation = Conversation.objects.get(channel=visitor.channel)
    reply = conversation_reply(conversation=conversation, text="Yes, 9 to 4.", by=alice,
                               version=conversation.version)
    _age(visitor, away=timedelta(hours=23))
    answer = visitor.replies()
    assert answer.status_code == 200
    assert [r["text"] for r in answer.json()["replies"]] == [reply.text]
    session = WebchatSession.objects.get()
    assert session.ended_at is None
    # Polling counts as being there: the idle clock starts again.
    assert timezone.now() - session.last_seen_at < timedelta(minutes=1)


def test_a_chat_idle_for_a_day_has_ended_and_says_so(visitor: Visitor) -> None:
    visitor.send("Hello")
    session = _age(visitor, away=timedelta(hours=25))
    for response in (visitor.replies(), visitor.send("Still there?", message_id="msg-0002-late")):
        assert response.status_code == 401
        assert response.json() == {"error": "This chat has ended. Start a new one.",
                                   "code": "ended"}
    session.refresh_from_db()
    assert session.end_reason == "idle"
    # It ended when its time ran out, not when somebody noticed.
    assert session.ended_at == session.last_seen_at + timedelta(hours=24)
    assert Message.objects.filter(channel=visitor.channel).count() == 1
    assert AuditEvent.objects.filter(action="webchat.session_ended").count() == 1


def test_a_busy_chat_still_ends_after_its_longest_time(visitor: Visitor) -> None:
    session = _age(visitor, away=timedelta(minutes=1), began=timedelta(days=31))
    response = visitor.replies()
    assert (response.status_code, response.json()["code"]) == (401, "ended")
    session.refresh_from_db()
    assert session.end_reason == "max_age"
    assert session.ended_at == session.created_at + timedelta(days=30)


def test_the_council_sets_how_long_its_chats_last(visitor: Visitor, dave: Any) -> None:
    webchat_expiry_set(channel=visitor.channel, idle_hours=2, max_days=7, by=dave.user)
    _age(visitor, away=timedelta(hours=3))
    assert visitor.replies().status_code == 401
    fresh = Visitor(visitor.channel, ip="198.51.100.30")
    fresh.start()
    _age(fresh, away=timedelta(hours=1, minutes=50))
    assert fresh.replies().status_code == 200
    event = AuditEvent.objects.get(action="webchat.expiry_set")
    assert event.data["after"] == {"idle_hours": 2, "max_days": 7}
    assert event.actor == dave.user


def test_a_new_chat_after_the_end_is_a_new_conversation_and_the_old_one_stays(
        visitor: Visitor) -> None:
    visitor.send("First visit")
    _age(visitor, away=timedelta(days=2))
    assert visitor.send("Back again", message_id="msg-0002-back").status_code == 401
    visitor.start()
    assert visitor.send("Back again", message_id="msg-0002-back").status_code == 202
    conversations = list(Conversation.objects.filter(channel=visitor.channel)
                         .order_by("id").values_list("subject", flat=True))
    assert conversations == ["First visit", "Back again"]


def test_clearing_the_chat_ends_it_and_the_token_stops_working(visitor: Visitor) -> None:
    visitor.send("Please ignore, testing")
    response = visitor.client.post(visitor.url("end"), data="{}",
                                   content_type="application/json", headers=visitor.auth())
    assert response.status_code == 200 and response.json() == {"ended": True}
    session = WebchatSession.objects.get()
    assert session.end_reason == "cleared" and session.ended_at is not None
    assert visitor.replies().json()["code"] == "ended"
    # Ending it again is harmless, and keeps the first end.
    again = visitor.client.post(visitor.url("end"), headers=visitor.auth())
    assert again.status_code == 200
    assert WebchatSession.objects.get().ended_at == session.ended_at
    assert AuditEvent.objects.filter(action="webchat.session_ended").count() == 1


def test_ending_needs_the_visitors_own_token(visitor: Visitor, chat_channel: Any) -> None:
    stranger = Visitor(chat_channel, ip="198.51.100.40")
    stranger.token = visitor.token.partition(":")[0] + ":forged"
    assert stranger.client.post(stranger.url("end")).status_code == 401
    assert WebchatSession.objects.get().ended_at is None


def test_the_officer_is_told_whether_the_visitor_is_there_or_has_gone(visitor: Visitor) -> None:
    visitor.send("Are you there?")
    conversation = Conversation.objects.get(channel=visitor.channel)
    now = timezone.now()
    state = chat_state(conversation=conversation, now=now)
    assert state is not None and state.open_now and state.ending is None

    session = _age(visitor, away=timedelta(minutes=10))
    state = chat_state(conversation=conversation, now=now)
    assert state is not None and not state.open_now
    assert state.ends_by == session.last_seen_at + timedelta(hours=24)

    # Past its time with no request since: ended all the same, at the right moment.
    session = _age(visitor, away=timedelta(hours=30))
    state = chat_state(conversation=conversation, now=timezone.now())
    assert state is not None and state.ending is not None
    assert (state.ending.reason, state.ending.at) == (
        "idle", session.last_seen_at + timedelta(hours=24))


def test_a_conversation_that_is_not_a_web_chat_has_no_chat_state(webform: Any) -> None:
    channel, _ = webform
    # A website backend posting a form through the signed webhook has no visitor session.
    conversation = Conversation(platform="webform", thread_key="form-123", channel=channel)
    assert chat_state(conversation=conversation, now=timezone.now()) is None


def test_clearing_a_chat_that_had_already_run_out_keeps_the_real_reason(visitor: Visitor) -> None:
    session = _age(visitor, away=timedelta(hours=26))
    assert visitor.client.post(visitor.url("end"), headers=visitor.auth()).status_code == 200
    session.refresh_from_db()
    assert session.end_reason == "idle"
    assert session.ended_at == session.last_seen_at + timedelta(hours=24)
