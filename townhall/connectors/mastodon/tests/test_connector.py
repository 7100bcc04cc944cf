from typing import Any

import pytest

from townhall.connectors.credentials import ConnectorConfig
from townhall.connectors.errors import PermanentError
from townhall.connectors.fake import Scripted
from townhall.connectors.mastodon.connector import MastodonConnector, status_length
from townhall.connectors.mastodon.services import mastodon_stream_follow
from townhall.connectors.mastodon.tests.fake_mastodon import FakeMastodon
from townhall.connectors.models import ChannelCursor
from townhall.connectors.registry import connector_for
from townhall.connectors.selectors import delivery_error
from townhall.connectors.services import channel_poll, reply_deliver
from townhall.inbox.models import Conversation, DeliveryStatus, Message
from townhall.inbox.services import conversation_reply

SAM_FIRST, CERYS_TIP, SAM_AGAIN = "113045127349821456", "113045180000000001", "113045200000000002"


def reply_in(conversation: Conversation, alice: Any, text: str, key: str = "k-1") -> Message:
    return conversation_reply(conversation=conversation, text=text, by=alice,
                              version=conversation.version, idempotency_key=key)


def test_check_reads_the_servers_character_limit(mastodon_channel: Any,
                                                 mastodon: FakeMastodon) -> None:
    result = connector_for(mastodon_channel).check()
    assert result.ok
    assert "@afoncouncil" in result.lines[-2]
    assert "up to 500 characters" in result.lines[-1]


def test_check_names_what_is_missing_without_calling_mastodon(mastodon: FakeMastodon) -> None:
    result = MastodonConnector(handle="afoncouncil", config=ConnectorConfig()).check()
    assert not result.credentials_ok
    assert any("instance_url" in line for line in result.lines)
    assert mastodon.requests == []


def test_it_polls_mentions_and_direct_messages_each_in_their_thread(
        mastodon_channel: Any, mastodon: FakeMastodon) -> None:
    assert channel_poll(channel=mastodon_channel).created == 5
    dms = Message.objects.filter(conversation__thread_key="conversation:418450")
    assert dms.count() == 2
    asked = next(r for r in mastodon.requests if r.path == "/api/v1/notifications")
    assert asked.query["types[]"] == "mention"
    cursor = ChannelCursor.objects.get(channel=mastodon_channel).position
    assert cursor["since_id"] == "34975903" and cursor["dm_since"] == "113046000000000020"


def test_a_catch_up_follows_link_paging_with_since_id(mastodon_channel: Any,
                                                      mastodon: FakeMastodon,
                                                      monkeypatch: Any) -> None:
    monkeypatch.setattr("townhall.connectors.mastodon.connector.PAGE_SIZE", 1)
    connector = connector_for(mastodon_channel)
    polled = connector.poll({"since_id": "34975000"})
    assert {i.platform_message_id for i in polled.items if not i.thread_id} == {
        SAM_FIRST, CERYS_TIP, SAM_AGAIN}
    pages = [r for r in mastodon.requests if r.path == "/api/v1/notifications"]
    assert all(r.query["since_id"] == "34975000" for r in pages)
    assert pages[1].query["max_id"] == "34975903"
    assert polled.cursor["since_id"] == "34975903"


def test_it_stops_paging_when_the_rate_limit_runs_low_and_carries_on_later(
        mastodon_channel: Any, mastodon: FakeMastodon, monkeypatch: Any) -> None:
    monkeypatch.setattr("townhall.connectors.mastodon.connector.PAGE_SIZE", 1)
    connector = connector_for(mastodon_channel)
    mastodon.rate_remaining = 5
    first = connector.poll({"since_id": "34975000"})
    assert first.cursor["since_id"] == "34975000"
    assert first.cursor["resume"] == {"max_id": "34975903", "newest": "34975903"}
    mastodon.rate_remaining = 299
    second = connector.poll(first.cursor)
    assert second.cursor["since_id"] == "34975903"
    ids = [i.platform_message_id for i in first.items + second.items if not i.thread_id]
    assert sorted(ids) == sorted([SAM_FIRST, CERYS_TIP, SAM_AGAIN])


def test_a_dropped_stream_is_back_filled_through_rest_without_duplicates(
        mastodon_channel: Any, mastodon: FakeMastodon) -> None:
    # The channel was polled before the newest mention arrived.
    ChannelCursor.objects.create(channel=mastodon_channel,
                                 position={"since_id": "34975862",
                                           "dm_since": "113046000000000020"})
    newest = mastodon.notifications[0]
    mastodon.notifications = mastodon.notifications[1:]
    summary = mastodon_stream_follow(channel=mastodon_channel, connections=1, wait=False)
    # The stream sent the two older mentions, then dropped.
    assert summary.streamed == 2
    mastodon.notifications.insert(0, newest)  # Arrived while the stream was down.
    summary = mastodon_stream_follow(channel=mastodon_channel, connections=1, wait=False)
    assert summary.streamed == 0
    ids = list(Message.objects.filter(channel=mastodon_channel)
               .values_list("platform_message_id", flat=True))
    assert sorted(ids) == sorted([SAM_FIRST, CERYS_TIP, SAM_AGAIN])
    since_ids = [r.query.get("since_id") for r in mastodon.requests
                 if r.path == "/api/v1/notifications"]
    assert "34975862" in since_ids


def test_a_direct_reply_stays_direct_and_mentions_the_resident(
        mastodon_channel: Any, mastodon: FakeMastodon, alice: Any) -> None:
    channel_poll(channel=mastodon_channel)
    conversation = Conversation.objects.get(thread_key="conversation:418450")
    reply = reply_in(conversation, alice, "Please do not post your account number. "
                                          "We will call you.")
    done = reply_deliver(message=reply)
    assert done.delivery_status == DeliveryStatus.SENT, delivery_error(message=reply)
    [sent] = mastodon.sent
    assert sent["visibility"] == "direct"
    assert sent["in_reply_to_id"] == "113046000000000020"
    assert sent["content"].startswith("<p>@cerys@mastodon.social Please")
    posted = next(r for r in mastodon.requests if r.method == "POST")
    assert posted.headers["idempotency-key"] == "k-1"


def test_a_reply_over_the_servers_limit_fails_with_a_reason(
        mastodon_channel: Any, mastodon: FakeMastodon, alice: Any) -> None:
    channel_poll(channel=mastodon_channel)
    conversation = Message.objects.get(platform_message_id=SAM_FIRST).conversation
    connector = connector_for(mastodon_channel)
    with pytest.raises(PermanentError, match="allows 500"):
        connector.send_reply(text="word " * 100, thread_id=conversation.thread_key,
                             in_reply_to=SAM_FIRST, idempotency_key="k")
    assert mastodon.sent == []


def test_links_count_as_23_characters_and_mentions_without_their_domain() -> None:
    assert status_length("https://www.afon.gov.uk/" + "x" * 100) == 23
    assert status_length("@sam@mastodon.cymru hi") == len("@sam hi")


def test_a_reply_to_a_reply_joins_the_first_thread(mastodon_channel: Any,
                                                   mastodon: FakeMastodon) -> None:
    council_reply = mastodon.statuses["113045150000000000"]
    channel_poll(channel=mastodon_channel)
    from townhall.connectors.mastodon import mapping
    from townhall.ingest.models import Source
    from townhall.ingest.services import items_ingest
    items_ingest(council=mastodon_channel.council, items=[mapping.status_item(
        council_reply, account_id="109876543210987654", channel="afoncouncil")],
        source=Source.CONNECTOR, channel=mastodon_channel)
    first = Message.objects.get(platform_message_id=SAM_FIRST).conversation
    assert Message.objects.get(platform_message_id="113045150000000000").conversation == first


def test_a_429_on_notifications_reads_the_reset_header(mastodon_channel: Any,
                                                      mastodon: FakeMastodon) -> None:
    mastodon.script("GET", "/api/v1/notifications", Scripted(
        429, {"error": "Too many requests"}, headers={"X-RateLimit-Reset": "2999-01-01T00:00:00Z"}))
    import pytest

    from townhall.connectors.errors import RetriableError
    with pytest.raises(RetriableError) as caught:
        connector_for(mastodon_channel).poll({})
    assert caught.value.retry_after and caught.value.retry_after > 1e9
