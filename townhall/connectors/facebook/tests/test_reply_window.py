"""Meta's messaging window: a normal reply within 24 hours of the resident's last
message, a person's answer with the HUMAN_AGENT tag within 7 days only if the council
switched that on, and otherwise a reply that fails at once with a plain explanation.
The inbox shows which applies before the officer writes."""

from datetime import UTC, datetime, timedelta

from townhall.connectors.facebook.tests.retime import written_ago
from townhall.connectors.facebook.tests.test_connector import WEBHOOKS, messenger_reply
from townhall.connectors.facebook.window import messaging_window
from townhall.connectors.models import ChannelCredentials
from townhall.connectors.registry import connector_for
from townhall.connectors.selectors import delivery_error
from townhall.connectors.services import reply_deliver
from townhall.inbox.models import Conversation, DeliveryStatus
from townhall.inbox.services import conversation_reply
from townhall.ingest.models import Source
from townhall.ingest.services import items_ingest

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


def switch_on_human_agent(channel) -> None:
    credentials = ChannelCredentials.objects.get(channel=channel)
    credentials.settings = {**credentials.settings, "human_agent_tag": True}
    credentials.save()


def messenger_sends(graph) -> list[dict]:
    return [r.json() for r in graph.requests if r.path == "/me/messages"]


def test_the_window_is_open_for_24_hours_then_tagged_or_closed() -> None:
    last = NOW - timedelta(hours=23, minutes=59)
    assert messaging_window(last_resident_at=last, now=NOW, human_agent=False,
                            where="Messenger").state == "open"
    late = NOW - timedelta(hours=24, minutes=1)
    assert messaging_window(last_resident_at=late, now=NOW, human_agent=False,
                            where="Messenger").closed
    tagged = messaging_window(last_resident_at=late, now=NOW, human_agent=True,
                              where="Messenger")
    assert (tagged.state, tagged.tag) == ("tagged", "HUMAN_AGENT")
    assert tagged.closes_at == late + timedelta(days=7)
    week = NOW - timedelta(days=7, minutes=1)
    assert messaging_window(last_resident_at=week, now=NOW, human_agent=True,
                            where="Messenger").closed
    assert messaging_window(last_resident_at=None, now=NOW, human_agent=True,
                            where="Messenger").closed


def test_a_reply_within_24_hours_is_sent_as_a_normal_response(facebook_channel, graph,
                                                              alice) -> None:
    sent = reply_deliver(message=messenger_reply(facebook_channel, alice, hours_ago=23))
    assert sent.delivery_status == DeliveryStatus.SENT
    assert messenger_sends(graph)[0]["messaging_type"] == "RESPONSE"
    assert "tag" not in messenger_sends(graph)[0]


def test_a_late_reply_fails_with_a_plain_explanation_without_calling_meta(
        facebook_channel, graph, alice) -> None:
    reply = messenger_reply(facebook_channel, alice, hours_ago=30)
    assert reply_deliver(message=reply).delivery_status == DeliveryStatus.FAILED
    assert messenger_sends(graph) == []
    why = delivery_error(message=reply)
    assert "more than 24 hours ago" in why
    assert "has not switched on Meta's human agent tag" in why


def test_a_late_reply_goes_with_the_human_agent_tag_when_the_council_allows_it(
        facebook_channel, graph, alice) -> None:
    switch_on_human_agent(facebook_channel)
    sent = reply_deliver(message=messenger_reply(facebook_channel, alice, hours_ago=30))
    assert sent.delivery_status == DeliveryStatus.SENT
    body = messenger_sends(graph)[0]
    assert (body["messaging_type"], body["tag"]) == ("MESSAGE_TAG", "HUMAN_AGENT")


def test_after_7_days_even_the_human_agent_tag_is_not_allowed(facebook_channel, graph,
                                                              alice) -> None:
    switch_on_human_agent(facebook_channel)
    reply = messenger_reply(facebook_channel, alice, hours_ago=8 * 24)
    assert reply_deliver(message=reply).delivery_status == DeliveryStatus.FAILED
    assert "more than 7 days ago" in delivery_error(message=reply)
    assert messenger_sends(graph) == []


def test_metas_own_refusal_of_a_late_message_is_explained(facebook_channel, graph,
                                                          alice) -> None:
    graph.window_closed_for.add("7001234567890123")
    reply = messenger_reply(facebook_channel, alice, hours_ago=2)
    assert reply_deliver(message=reply).delivery_status == DeliveryStatus.FAILED
    assert "the resident's last message is too old" in delivery_error(message=reply)


def test_comment_threads_have_no_window(facebook_channel, graph, alice) -> None:
    items = connector_for(facebook_channel).parse_webhook(
        (WEBHOOKS / "feed_comment.json").read_bytes())
    items_ingest(council=facebook_channel.council, items=items, source=Source.CONNECTOR,
                 channel=facebook_channel)
    conversation = Conversation.objects.get(channel=facebook_channel)
    assert conversation.messages.get().created_at < NOW - timedelta(days=30)
    reply = conversation_reply(conversation=conversation, text="Thanks, reported.", by=alice,
                               version=conversation.version, idempotency_key="c-1")
    assert reply_deliver(message=reply).delivery_status == DeliveryStatus.SENT


def test_the_conversation_page_says_before_writing_that_a_reply_cannot_be_sent(
        client, facebook_channel, alice) -> None:
    conversation = _messenger_conversation(facebook_channel, hours_ago=30)
    client.force_login(alice.user)
    page = client.get(f"/conversations/{conversation.pk}/").content.decode()
    assert 'data-window="closed"' in page
    assert "more than 24 hours ago" in page and "The reply cannot be sent" in page


def test_the_conversation_page_says_until_when_a_reply_is_allowed(
        client, facebook_channel, alice) -> None:
    conversation = _messenger_conversation(facebook_channel, hours_ago=2)
    client.force_login(alice.user)
    page = client.get(f"/conversations/{conversation.pk}/").content.decode()
    assert 'data-window="open"' in page and "Messenger allows a reply until" in page


def test_the_conversation_page_says_a_late_reply_goes_as_a_persons_answer(
        client, facebook_channel, alice) -> None:
    switch_on_human_agent(facebook_channel)
    conversation = _messenger_conversation(facebook_channel, hours_ago=30)
    client.force_login(alice.user)
    page = client.get(f"/conversations/{conversation.pk}/").content.decode()
    assert 'data-window="tagged"' in page and "human agent tag" in page


def _messenger_conversation(channel, *, hours_ago: float) -> Conversation:
    body = written_ago((WEBHOOKS / "messenger_text.json").read_bytes(), hours=hours_ago)
    items = connector_for(channel).parse_webhook(body)
    items_ingest(council=channel.council, items=items, source=Source.CONNECTOR, channel=channel)
    conversation = Conversation.objects.get(thread_key="messenger:7001234567890123")
    # Officers see conversations of their team; give this one to alice's.
    conversation.team = channel.council.teams.get(code="customer-services")
    conversation.save(update_fields=["team"])
    return conversation
