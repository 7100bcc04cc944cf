from datetime import timedelta
from pathlib import Path
from unittest import mock

from django.utils import timezone

from townhall.connectors.credentials import ConnectorConfig
from townhall.connectors.facebook.connector import FacebookConnector
from townhall.connectors.facebook.tests.fake_graph import PAGE_ID
from townhall.connectors.facebook.tests.retime import written_ago
from townhall.connectors.fake import Scripted
from townhall.connectors.models import ChannelCursor, Delivery, DeliveryAttempt
from townhall.connectors.registry import connector_for
from townhall.connectors.selectors import delivery_error
from townhall.connectors.services import (
    channel_create,
    channels_poll_all,
    replies_deliver_due,
    reply_deliver,
)
from townhall.connectors.tasks import deliver_reply, reconcile_channels, sweep_replies
from townhall.inbox.models import Conversation, DeliveryStatus, Message
from townhall.inbox.services import conversation_reply
from townhall.ingest.models import Source
from townhall.ingest.services import items_ingest

WEBHOOKS = Path(__file__).parent / "fixtures" / "webhooks"


def messenger_reply(channel, alice, text="The next collection is on Tuesday.", key="msg-1",
                    hours_ago=1.0):
    connector = connector_for(channel)
    body = written_ago((WEBHOOKS / "messenger_text.json").read_bytes(), hours=hours_ago)
    items = connector.parse_webhook(body)
    items_ingest(council=channel.council, items=items, source=Source.CONNECTOR, channel=channel)
    conversation = Conversation.objects.get(thread_key="messenger:7001234567890123")
    return conversation_reply(conversation=conversation, text=text, by=alice,
                              version=conversation.version, idempotency_key=key)


def test_check_says_in_plain_words_that_all_is_well(facebook_channel) -> None:
    result = connector_for(facebook_channel).check()
    assert result.ok
    assert "Afon Borough Council" in result.lines[-1]


def test_check_names_what_is_missing_without_calling_facebook(graph) -> None:
    connector = FacebookConnector(handle="afoncouncil", config=ConnectorConfig(
        settings={"graph_url": graph.base_url}))
    result = connector.check()
    assert not result.credentials_ok and not result.reachable
    assert any("page_id" in line for line in result.lines)
    assert any("Page access token is missing" in line for line in result.lines)
    assert graph.requests == []


def test_check_reports_a_rejected_token(facebook_channel, graph) -> None:
    graph.script("GET", rf"/{PAGE_ID}", Scripted(400, {"error": {
        "message": "Error validating access token: Session has expired", "code": 190}}))
    result = connector_for(facebook_channel).check()
    assert result.credentials_ok and not result.reachable
    assert "Session has expired" in result.lines[-1]


def test_it_replies_in_messenger_through_the_send_api(facebook_channel, graph, alice) -> None:
    reply = messenger_reply(facebook_channel, alice)
    sent = reply_deliver(message=reply)
    assert sent.delivery_status == DeliveryStatus.SENT
    assert sent.platform_message_id == "m_sent_1"
    body = next(r for r in graph.requests if r.path == "/me/messages").json()
    assert body["messaging_type"] == "RESPONSE"
    assert body["recipient"] == {"id": "7001234567890123"}


def test_a_messenger_timeout_is_found_rather_than_sent_twice(facebook_channel, graph,
                                                             alice) -> None:
    reply = messenger_reply(facebook_channel, alice)
    graph.script("POST", "/me/messages", Scripted(delay=1.2))
    with mock.patch("townhall.connectors.facebook.connector.FacebookConnector._client",
                    _timeout(0.3)):
        assert reply_deliver(message=reply).delivery_status == DeliveryStatus.QUEUED
    Delivery.objects.filter(message=reply).update(next_attempt_at=timezone.now())
    assert reply_deliver(message=reply).delivery_status == DeliveryStatus.SENT
    assert len(graph.sent_messages) == 1


def test_a_reply_another_worker_holds_is_left_alone(facebook_channel, graph, alice) -> None:
    reply = messenger_reply(facebook_channel, alice)
    Delivery.objects.create(message=reply, claimed_until=timezone.now() + timedelta(minutes=1))
    assert reply_deliver(message=reply).delivery_status == DeliveryStatus.QUEUED
    assert graph.sent_messages == []


def test_a_channel_without_credentials_fails_the_reply_with_a_reason(council, alice) -> None:
    channel, _ = channel_create(council=council, platform="facebook", handle="nocreds")
    reply = messenger_reply(channel, alice)
    assert reply_deliver(message=reply).delivery_status == DeliveryStatus.FAILED
    assert "access token is missing" in delivery_error(message=reply)


def test_it_gives_up_after_many_retriable_failures(facebook_channel, graph, alice) -> None:
    reply = messenger_reply(facebook_channel, alice)
    Delivery.objects.create(message=reply, attempts=10)
    graph.script("POST", "/me/messages", Scripted(429, {}))
    assert reply_deliver(message=reply).delivery_status == DeliveryStatus.FAILED
    assert "stopped" in delivery_error(message=reply)


def test_the_sweep_sends_due_replies_and_skips_those_waiting(facebook_channel, graph,
                                                             alice) -> None:
    reply = messenger_reply(facebook_channel, alice)
    later = messenger_reply(facebook_channel, alice, text="Another answer", key="msg-2")
    Delivery.objects.create(message=later, next_attempt_at=timezone.now() + timedelta(hours=1))
    assert sweep_replies.delay().get() == 1
    assert Message.objects.get(pk=reply.pk).delivery_status == DeliveryStatus.SENT
    assert Message.objects.get(pk=later.pk).delivery_status == DeliveryStatus.QUEUED
    assert replies_deliver_due() == 0


def test_the_delivery_task_sends_one_reply(facebook_channel, graph, alice) -> None:
    reply = messenger_reply(facebook_channel, alice)
    assert deliver_reply.delay(reply.pk).get() == "sent"
    assert deliver_reply.delay(reply.pk).get() == "sent"
    assert len(graph.sent_messages) == 1
    assert DeliveryAttempt.objects.filter(message=reply).count() == 1


def test_polling_follows_paging_and_moves_the_cursor(facebook_channel, graph) -> None:
    graph.script("GET", rf"/{PAGE_ID}/feed", Scripted(200, {
        "data": [], "paging": {"cursors": {"after": "NEXT"},
                               "next": f"{graph.base_url}/{PAGE_ID}/feed?after=NEXT"}}))
    result = reconcile_channels.delay().get()
    assert "3 new" in result[facebook_channel.pk] or "4 new" in result[facebook_channel.pk]
    feed_calls = [r for r in graph.requests if r.path == f"/{PAGE_ID}/feed"]
    assert feed_calls[-1].query["after"] == "NEXT"
    cursor = ChannelCursor.objects.get(channel=facebook_channel)
    assert cursor.position == {"since": 1772453700}
    assert Message.objects.filter(channel=facebook_channel,
                                  platform_message_id="998877_112299").exists()


def test_polling_skips_what_a_webhook_already_delivered(facebook_channel, graph) -> None:
    connector = connector_for(facebook_channel)
    items = connector.parse_webhook((WEBHOOKS / "feed_visitor_post.json").read_bytes())
    items_ingest(council=facebook_channel.council, items=items, source=Source.CONNECTOR,
                 channel=facebook_channel)
    channels_poll_all()
    assert not Message.objects.filter(has_conflicting_redelivery=True).exists()


def test_one_failing_channel_does_not_stop_the_reconcile_sweep(facebook_channel, graph) -> None:
    graph.script("GET", rf"/{PAGE_ID}/feed", Scripted(500, {}))
    outcome = channels_poll_all()
    assert outcome[facebook_channel.pk].startswith("Not polled: Facebook had an error")
    cursor = ChannelCursor.objects.get(channel=facebook_channel)
    assert cursor.position == {} and "HTTP 500" in cursor.last_error


def test_it_fetches_a_profile(facebook_channel) -> None:
    assert connector_for(facebook_channel).fetch_profile("7001234567890123").name == \
        "Cerys Jenkins"


def _timeout(seconds):
    original = FacebookConnector._client

    def client(self):
        made = original(self)
        made.timeout = seconds
        return made

    return client
