"""Listening to a feed: conditional polling, matching, and nothing lost or doubled."""

from typing import Any

import pytest
from django.test import Client

from townhall.connectors.errors import PermanentError, RetriableError
from townhall.connectors.fake import Scripted
from townhall.connectors.models import ChannelCursor
from townhall.connectors.registry import connector_for
from townhall.connectors.rss.tests.conftest import make_feed_channel
from townhall.connectors.rss.tests.fake_feeds import FakeFeeds, recorded
from townhall.connectors.selectors import delivery_error
from townhall.connectors.services import channel_poll, channels_poll_all, reply_deliver
from townhall.inbox.models import Conversation, DeliveryStatus, Message
from townhall.inbox.services import conversation_reply
from townhall.listening.services import keyword_rule_update

pytestmark = pytest.mark.django_db


def texts(channel: Any) -> list[str]:
    return list(Message.objects.filter(channel=channel).order_by("created_at")
                .values_list("text", flat=True))


def test_only_entries_that_match_a_rule_become_mentions(rss_channel: Any) -> None:
    result = channel_poll(channel=rss_channel)
    assert result.created == 2
    titles = [t.splitlines()[0] for t in texts(rss_channel)]
    # The football report names Llanhelyg Rovers, an exclude phrase; the bake sale
    # mentions nothing the council listens for.
    assert titles == ["Road closures this weekend",
                      "Afon Borough Council to review bin collection rounds"]


def test_the_conversation_shows_which_rule_matched(rss_channel: Any) -> None:
    channel_poll(channel=rss_channel)
    message = Message.objects.get(channel=rss_channel,
                                  platform_message_id="https://gazette.example/?p=48211")
    assert message.text.endswith("Matched keyword rules: Afon Borough Council, Llanhelyg")
    assert "https://gazette.example/news/2026/03/02/bin-rounds" in message.text
    assert message.author_name == "Rhian Pugh"
    assert message.conversation.subject == "Afon Borough Council to review bin collection rounds"
    closures = Message.objects.get(channel=rss_channel,
                                   platform_message_id="https://gazette.example/?p=48102")
    assert closures.text.endswith("Matched keyword rule: #AfonCouncil")
    assert closures.attachments[-1] == {"type": "keyword_match", "rules": [
        {"id": closures.attachments[-1]["rules"][0]["id"], "phrase": "AfonCouncil",
         "kind": "hashtag"}]}


def test_the_officer_sees_the_matched_rule_on_the_conversation_page(client: Any,
                                                                     rss_channel: Any,
                                                                     dave: Any) -> None:
    channel_poll(channel=rss_channel)
    conversation = Conversation.objects.get(
        channel=rss_channel, thread_key="https://gazette.example/?p=48102")
    client.force_login(dave.user)
    page = client.get(f"/conversations/{conversation.pk}/").content.decode()
    assert "Matched keyword rule: #AfonCouncil" in page


def test_it_asks_only_for_changes_and_takes_a_304_as_nothing_new(rss_channel: Any,
                                                                 feeds: FakeFeeds) -> None:
    channel_poll(channel=rss_channel)
    cursor = ChannelCursor.objects.get(channel=rss_channel).position
    assert cursor["etag"] and cursor["last_modified"] == "Mon, 02 Mar 2026 09:40:00 GMT"

    again = channel_poll(channel=rss_channel)
    sent = feeds.feed_requests("news.xml")[-1].headers
    assert sent["if-none-match"] == cursor["etag"]
    assert sent["if-modified-since"] == "Mon, 02 Mar 2026 09:40:00 GMT"
    assert again.created == 0 and again.duplicates == 0
    assert Message.objects.filter(channel=rss_channel).count() == 2


def test_a_changed_feed_brings_in_only_the_new_entry(rss_channel: Any, feeds: FakeFeeds) -> None:
    channel_poll(channel=rss_channel)
    feeds.publish("news.xml", recorded("feeds/gazette_rss_updated.xml"),
                  modified="Mon, 02 Mar 2026 11:10:00 GMT")
    result = channel_poll(channel=rss_channel)
    assert (result.created, result.duplicates) == (1, 2)
    assert texts(rss_channel)[-1].startswith("Council leader answers questions on Mill Lane")
    assert ChannelCursor.objects.get(channel=rss_channel).position["last_modified"] == \
        "Mon, 02 Mar 2026 11:10:00 GMT"


def test_an_atom_feed_matches_accents_case_and_hashtags(council: Any, feeds: FakeFeeds,
                                                        rules: Any) -> None:
    channel = make_feed_channel(council, feeds, "atom.xml")
    assert channel_poll(channel=channel).created == 2
    playground, thanks = (Message.objects.filter(channel=channel).order_by("-created_at"))
    assert playground.text.startswith("Playground reopens at last\n\nThanks to Afon Borough")
    assert playground.platform_message_id == "tag:llais.example,2026-03-02:/playground"
    assert thanks.text.endswith("Matched keyword rule: #AfonCouncil")


def test_a_malformed_feed_gives_a_clear_error_and_loses_nothing(rss_channel: Any,
                                                               feeds: FakeFeeds) -> None:
    channel_poll(channel=rss_channel)
    before = ChannelCursor.objects.get(channel=rss_channel).position
    good = recorded("feeds/gazette_rss_updated.xml")
    feeds.publish("news.xml", recorded("feeds/malformed.xml"), modified="Mon, 02 Mar 2026 11:00:00 GMT")
    with pytest.raises(PermanentError) as raised:
        channel_poll(channel=rss_channel)
    assert "not well-formed XML: the problem is at line" in str(raised.value)
    assert "nothing in it has been lost" in str(raised.value)
    cursor = ChannelCursor.objects.get(channel=rss_channel)
    assert cursor.position == before
    assert "not well-formed" in cursor.last_error
    # Once the site fixes its feed, the next poll reads it whole.
    feeds.publish("news.xml", good, modified="Mon, 02 Mar 2026 11:10:00 GMT")
    assert channel_poll(channel=rss_channel).created == 1
    assert ChannelCursor.objects.get(channel=rss_channel).last_error == ""


def test_server_errors_are_retriable_and_a_missing_feed_is_permanent(rss_channel: Any,
                                                                    feeds: FakeFeeds) -> None:
    feeds.script("GET", r"/feeds/news.xml", Scripted(503, {}, headers={"Retry-After": "120"}))
    with pytest.raises(RetriableError) as raised:
        channel_poll(channel=rss_channel)
    assert raised.value.retry_after == 120
    feeds.script("GET", r"/feeds/news.xml", Scripted(404, {}))
    with pytest.raises(PermanentError, match="HTTP 404. Check the feed address"):
        channel_poll(channel=rss_channel)
    assert Message.objects.filter(channel=rss_channel).count() == 0


def test_it_refuses_a_feed_larger_than_its_limit(council: Any, feeds: FakeFeeds,
                                                 rules: Any) -> None:
    channel = make_feed_channel(council, feeds, max_bytes=1000)
    with pytest.raises(PermanentError, match="larger than 1,000 bytes"):
        channel_poll(channel=channel)


def test_errors_never_show_the_feed_address_query(council: Any, feeds: FakeFeeds,
                                                  rules: Any) -> None:
    channel = make_feed_channel(council, feeds, "missing.xml?key=s3cret-token")
    with pytest.raises(PermanentError) as raised:
        channel_poll(channel=channel)
    assert "s3cret" not in str(raised.value) and "127.0.0.1" in str(raised.value)


def test_a_paused_rule_stops_matching(rss_channel: Any, rules: Any) -> None:
    for rule in rules:
        keyword_rule_update(rule=rule, phrase=rule.phrase, kind=rule.kind,
                            exclude_words=rule.exclude_words, is_active=False, by=None)
    assert channel_poll(channel=rss_channel).created == 0


def test_a_very_long_guid_is_hashed_to_the_same_id_every_time(rss_channel: Any) -> None:
    guid = "https://gazette.example/?p=1&" + "x" * 400
    body = (f"<rss version='2.0'><channel><title>G</title><item><title>Afon Borough Council"
            f"</title><guid>{guid.replace('&', '&amp;')}</guid></item></channel></rss>").encode()
    connector = connector_for(rss_channel)
    first, second = connector.parse_webhook(body), connector.parse_webhook(body)
    assert first[0].platform_message_id == second[0].platform_message_id  # type: ignore[union-attr]
    assert first[0].platform_message_id.startswith("sha256:")  # type: ignore[union-attr]


def test_the_sweep_polls_feeds_with_the_other_channels(rss_channel: Any) -> None:
    outcomes = channels_poll_all()
    assert outcomes[rss_channel.pk].startswith("2 new")


def test_it_answers_a_websub_hubs_check_for_its_own_topic_only(rss_channel: Any,
                                                              feeds: FakeFeeds) -> None:
    url = f"/connectors/rss/{rss_channel.key}/webhook"
    ok = Client().get(url, {"hub.mode": "subscribe", "hub.topic": feeds.url("news.xml"),
                            "hub.challenge": "c-123", "hub.lease_seconds": "86400"})
    assert (ok.status_code, ok.content) == (200, b"c-123")
    wrong = Client().get(url, {"hub.mode": "subscribe", "hub.topic": "https://elsewhere/",
                               "hub.challenge": "c-123"})
    assert wrong.status_code == 403


def test_a_feed_without_a_reply_address_fails_a_reply_with_a_reason(council: Any,
                                                                    feeds: FakeFeeds,
                                                                    rules: Any,
                                                                    alice: Any) -> None:
    channel = make_feed_channel(council, feeds, reply_url="")
    channel_poll(channel=channel)
    conversation = Conversation.objects.filter(channel=channel).first()
    assert conversation is not None
    reply = conversation_reply(conversation=conversation, text="We are looking at this.",
                               by=alice, version=conversation.version)
    failed = reply_deliver(message=reply)
    assert failed.delivery_status == DeliveryStatus.FAILED
    assert delivery_error(message=reply).startswith("News feeds take no replies.")
    assert feeds.sent == []


def test_check_reports_what_matches_now(rss_channel: Any) -> None:
    result = connector_for(rss_channel).check()
    assert result.ok
    assert "2 entries in it match" in result.lines[-1]
