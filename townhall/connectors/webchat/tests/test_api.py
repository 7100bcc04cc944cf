"""The public chat API: tokens, origins, limits, duplicates and exactly-once delivery."""

import json
from typing import Any
from unittest import mock

import pytest
from django.db import DatabaseError
from django.test import Client, override_settings

from townhall.connectors.models import DeliveryAttempt
from townhall.connectors.services import channel_create, channel_set_active
from townhall.connectors.webchat.models import WebchatSession
from townhall.connectors.webchat.tests.conftest import SITE, Visitor
from townhall.core.models import AuditEvent
from townhall.inbox.models import Conversation, DeliveryStatus, Message
from townhall.inbox.services import conversation_reply
from townhall.ingest.models import RawEvent

pytestmark = pytest.mark.django_db


def test_it_opens_a_session_with_a_token_that_is_not_the_channel_secret(
        chat_channel: Any) -> None:
    visitor = Visitor(chat_channel)
    response = visitor.start()
    assert response.status_code == 201
    assert response["Access-Control-Allow-Origin"] == SITE
    assert "Access-Control-Allow-Credentials" not in response
    assert "Set-Cookie" not in response
    session = WebchatSession.objects.get(channel=chat_channel)
    assert visitor.token.startswith(session.public_id + ":")
    assert chat_channel.webhook_secret not in response.content.decode()


def test_a_message_goes_through_durable_ingest_into_the_inbox(visitor: Visitor) -> None:
    response = visitor.send("Street light out on Church Road")
    assert response.status_code == 202
    session = WebchatSession.objects.get()
    raw = RawEvent.objects.get(channel=visitor.channel)
    assert raw.source == "connector" and raw.status == "processed"
    message = Message.objects.get(channel=visitor.channel)
    assert message.platform_message_id == response.json()["id"] == \
        f"{session.public_id}-msg-0001-abcd"
    assert message.conversation.thread_key == f"webchat-{session.public_id}"
    assert message.conversation.subject == "Street light out on Church Road"


@pytest.mark.parametrize("token", ["", "garbage", "abc:def", "tampered"])
def test_it_refuses_a_bad_token_and_stores_nothing(visitor: Visitor, token: str) -> None:
    visitor.token = (visitor.token[:-2] + "xx") if token == "tampered" else token
    response = visitor.send()
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert visitor.replies().status_code == 401
    assert RawEvent.objects.count() == 0


def test_a_token_for_one_channel_does_not_work_on_another(visitor: Visitor,
                                                          council: Any) -> None:
    other, _ = channel_create(council=council, platform="webchat", handle="other-chat")
    stolen = Visitor(other, origin="")
    stolen.token = visitor.token
    assert stolen.send().status_code == 401


def test_it_refuses_an_oversized_body_clearly(visitor: Visitor) -> None:
    with override_settings(TOWNHALL_WEBCHAT_MAX_BODY_BYTES=200):
        response = visitor.send("x" * 300)
    assert response.status_code == 413
    assert "too long" in response.json()["error"]
    assert RawEvent.objects.count() == 0


def test_it_refuses_text_over_the_limit_even_within_the_body_size(visitor: Visitor) -> None:
    response = visitor.send("y" * 4001)
    assert response.status_code == 400 and response.json()["field"] == "text"


@pytest.mark.parametrize("endpoint", ["sessions", "messages", "replies"])
def test_it_refuses_a_website_the_admin_did_not_list(visitor: Visitor, endpoint: str) -> None:
    intruder = Client(HTTP_ORIGIN="https://evil.example")
    headers = visitor.auth()
    if endpoint == "replies":
        response = intruder.get(visitor.url("replies"), headers=headers)
    else:
        response = intruder.post(visitor.url(endpoint), data=json.dumps(
            {"id": "msg-evil-0001", "text": "hello"}), content_type="application/json",
            headers=headers)
    assert response.status_code == 403
    assert "Access-Control-Allow-Origin" not in response
    preflight = intruder.options(visitor.url(endpoint),
                                 headers={"Access-Control-Request-Method": "POST"})
    assert preflight.status_code == 403
    assert RawEvent.objects.count() == 0
    assert WebchatSession.objects.count() == 1


def test_it_answers_a_preflight_from_a_listed_website(visitor: Visitor) -> None:
    response = visitor.client.options(visitor.url("messages"),
                                      headers={"Access-Control-Request-Method": "POST"})
    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == SITE
    assert "Authorization" in response["Access-Control-Allow-Headers"]
    assert response["Access-Control-Allow-Methods"] == "POST, OPTIONS"


def test_it_absorbs_a_duplicate_post(visitor: Visitor) -> None:
    first = visitor.send(sent_at="")
    again = visitor.send(sent_at="")
    assert (first.json()["duplicate"], again.json()["duplicate"]) == (False, True)
    assert Message.objects.filter(channel=visitor.channel).count() == 1


def test_a_racing_resend_with_the_same_time_is_absorbed_by_ingest(visitor: Visitor) -> None:
    from django.utils import timezone

    sent_at = timezone.now().isoformat()
    with mock.patch("townhall.connectors.webchat.services.platform_ids_received",
                    return_value=set()):
        visitor.send(sent_at=sent_at)
        again = visitor.send(sent_at=sent_at)
    assert again.json()["duplicate"] is True
    assert RawEvent.objects.count() == 1 and Message.objects.count() == 1


def test_it_rate_limits_a_chatty_session(visitor: Visitor) -> None:
    with override_settings(TOWNHALL_WEBCHAT_LIMITS={"messages_per_session_per_minute": 2}):
        codes = [visitor.send(message_id=f"msg-{n:04d}-rate").status_code for n in range(3)]
        last = visitor.send(message_id="msg-0099-rate")
    assert codes == [202, 202, 429]
    assert int(last["Retry-After"]) >= 1
    assert last["Access-Control-Allow-Origin"] == SITE
    assert Message.objects.count() == 2


def test_it_rate_limits_new_sessions_from_one_address(chat_channel: Any) -> None:
    with override_settings(TOWNHALL_WEBCHAT_LIMITS={"sessions_per_ip_per_hour": 2}):
        codes = [Visitor(chat_channel).start().status_code for _ in range(3)]
        elsewhere = Visitor(chat_channel, ip="198.51.100.20").start().status_code
    assert codes == [201, 201, 429] and elsewhere == 201


def test_it_needs_no_csrf_cookie_because_it_is_token_authenticated(visitor: Visitor) -> None:
    strict = Client(enforce_csrf_checks=True, HTTP_ORIGIN=SITE)
    response = strict.post(visitor.url("messages"), data=json.dumps(
        {"id": "msg-0002-csrf", "text": "Hello"}), content_type="application/json",
        headers=visitor.auth())
    assert response.status_code == 202


def test_a_deactivated_channel_refuses_the_widget(visitor: Visitor) -> None:
    channel_set_active(channel=visitor.channel, is_active=False, by=None)
    assert visitor.send().status_code == 404


def test_it_asks_the_widget_to_retry_when_the_database_is_down(visitor: Visitor) -> None:
    with mock.patch("townhall.connectors.webchat.services.raw_events_store",
                    side_effect=DatabaseError("could not connect")):
        response = visitor.send()
    assert response.status_code == 503 and response["Retry-After"] == "30"


def test_the_form_needs_a_name_and_a_real_email_and_postcode(visitor: Visitor) -> None:
    cases = [({"form": True, "email": "sam@example.org"}, "name"),
             ({"form": True, "name": "Sam", "email": "sam-at-example"}, "email"),
             ({"form": True, "name": "Sam", "email": "sam@example.org", "postcode": "ZZZ"},
              "postcode")]
    for extra, field in cases:
        response = visitor.send(**extra)
        assert (response.status_code, response.json()["field"]) == (400, field)
    ok = visitor.send("Missed bin", form=True, name="Sam Evans", email="sam@example.org",
                      postcode="ac1 2bd")
    assert ok.status_code == 202
    message = Message.objects.get()
    assert message.text == ("Missed bin\n\nName: Sam Evans\nEmail: sam@example.org\n"
                            "Postcode: AC1 2BD")
    assert message.author_name == "Sam Evans"


def _reply(visitor: Visitor, officer: Any, text: str = "Thanks, we will send a crew.") -> Message:
    conversation = Conversation.objects.get(channel=visitor.channel)
    return conversation_reply(conversation=conversation, text=text, by=officer,
                              version=conversation.version)


def test_a_reply_waits_for_the_widget_then_is_delivered_exactly_once(visitor: Visitor,
                                                                    alice: Any) -> None:
    visitor.send()
    reply = _reply(visitor, alice)
    assert reply.delivery_status == DeliveryStatus.QUEUED

    shown = visitor.replies().json()["replies"]
    assert [(r["id"], r["text"]) for r in shown] == [(reply.pk, reply.text)]
    reply.refresh_from_db()
    # Fetched is not yet shown: the widget confirms it on its next poll.
    assert reply.delivery_status == DeliveryStatus.QUEUED

    assert visitor.replies(after=reply.pk, ack=[reply.pk]).json()["replies"] == []
    assert visitor.replies(after=reply.pk, ack=[reply.pk]).json()["replies"] == []
    reply.refresh_from_db()
    assert reply.delivery_status == DeliveryStatus.SENT
    assert reply.platform_message_id == f"webchat-reply-{reply.pk}"
    assert DeliveryAttempt.objects.filter(message=reply, outcome="sent").count() == 1
    assert AuditEvent.objects.filter(action="reply.delivered",
                                     object_id=str(reply.pk)).count() == 1


def test_a_reply_the_widget_missed_is_served_again(visitor: Visitor, alice: Any) -> None:
    visitor.send()
    reply = _reply(visitor, alice)
    visitor.replies()  # The answer is lost on the way: the widget never saw it.
    again = visitor.replies(after=0).json()["replies"]
    assert [r["id"] for r in again] == [reply.pk]


def test_a_reply_committed_late_under_a_lower_id_is_not_skipped(visitor: Visitor,
                                                               alice: Any) -> None:
    visitor.send()
    first = _reply(visitor, alice, "First")
    second = _reply(visitor, alice, "Second")
    # The widget saw only the second (the first committed later, say).
    shown = visitor.replies(after=second.pk, ack=[second.pk]).json()["replies"]
    assert [r["id"] for r in shown] == [first.pk]


def test_a_visitor_sees_only_their_own_replies(visitor: Visitor, chat_channel: Any,
                                               alice: Any) -> None:
    visitor.send()
    _reply(visitor, alice)
    stranger = Visitor(chat_channel, ip="198.51.100.9")
    stranger.start()
    assert stranger.replies().json()["replies"] == []
    assert stranger.replies(ack=[Message.objects.get(direction="out").pk]).status_code == 200
    assert Message.objects.get(direction="out").delivery_status == DeliveryStatus.QUEUED


def test_a_bad_cursor_is_refused(visitor: Visitor) -> None:
    assert visitor.replies(after=-1).status_code == 400  # type: ignore[arg-type]
    response = visitor.client.get(visitor.url("replies"), {"ack": "1,x"}, headers=visitor.auth())
    assert response.status_code == 400


def test_the_widget_script_and_styles_are_served_as_static_files(client: Any) -> None:
    script = client.get("/static/webchat/widget.js")
    assert script.status_code == 200
    assert b"attachShadow" in b"".join(script.streaming_content)
    assert client.get("/static/webchat/widget.css").status_code == 200


def test_a_web_form_channel_takes_the_widget_too(webform: tuple[Any, str]) -> None:
    channel, _ = webform
    visitor = Visitor(channel, origin="")
    response = visitor.start()
    assert response.status_code == 201 and response.json()["form"] is True
    sent = visitor.send("Overgrown hedge on Green Lane", form=True, name="Dylan Price",
                        email="dylan@example.org")
    assert sent.status_code == 202
    assert Message.objects.get(channel=channel).conversation.platform == "webform"
