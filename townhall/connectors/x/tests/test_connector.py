import time
from datetime import timedelta
from pathlib import Path
from unittest import mock

from django.utils import timezone

from townhall.connectors.cli import cmd_check
from townhall.connectors.credentials import ConnectorConfig
from townhall.connectors.fake import Scripted
from townhall.connectors.models import ChannelCursor, Delivery
from townhall.connectors.registry import connector_for
from townhall.connectors.selectors import delivery_error
from townhall.connectors.services import channel_poll, reply_deliver
from townhall.connectors.x.connector import XConnector, x_retry_after
from townhall.connectors.x.tests.fake_x import ACCESS_TOKEN_SECRET, CONSUMER_SECRET, USER_ID
from townhall.inbox.models import Conversation, DeliveryStatus, Message
from townhall.inbox.services import conversation_reply
from townhall.ingest.models import Source
from townhall.ingest.services import items_ingest

WEBHOOKS = Path(__file__).parent / "fixtures" / "webhooks"


def reply_in(channel, alice, fixture: str, thread: str, text: str, key: str = "x-1"):
    items = connector_for(channel).parse_webhook((WEBHOOKS / fixture).read_bytes())
    items_ingest(council=channel.council, items=items, source=Source.CONNECTOR, channel=channel)
    conversation = Conversation.objects.get(thread_key=thread)
    return conversation_reply(conversation=conversation, text=text, by=alice,
                              version=conversation.version, idempotency_key=key)


def dm_reply(channel, alice, text="The next collection is on Tuesday."):
    return reply_in(channel, alice, "direct_message.json", "dm:1502233445566778901", text)


def post_reply(channel, alice, text="Thank you & sorry, we are on it."):
    return reply_in(channel, alice, "tweet_create_mention.json", "1896201934287663105", text)


def test_check_says_in_plain_words_that_all_is_well(x_channel) -> None:
    result = connector_for(x_channel).check()
    assert result.ok
    assert "X answered: the token works for @AfonCouncil." in result.lines
    assert result.lines[-1].startswith("No X webhook is registered for this channel")


def test_check_names_what_is_missing_without_calling_x(x_api) -> None:
    connector = XConnector(handle="AfonCouncil", config=ConnectorConfig(
        settings={"api_url": x_api.base_url}))
    result = connector.check()
    assert not result.credentials_ok and not result.reachable
    assert any("user_id" in line for line in result.lines)
    assert any("access token secret is missing" in line for line in result.lines)
    assert x_api.requests == []


def test_check_says_when_the_token_is_for_another_account(x_channel, x_api) -> None:
    x_api.script("GET", "/2/users/me", Scripted(200, {"data": {
        "id": "42", "name": "Someone", "username": "someone_else"}}))
    result = connector_for(x_channel).check()
    assert not result.credentials_ok and result.reachable
    assert "belongs to @someone_else" in result.lines[-1]


def test_check_reports_a_rejected_token(x_channel, x_api) -> None:
    x_api.script("GET", "/2/users/me", Scripted(401, {
        "title": "Unauthorized", "type": "about:blank", "status": 401, "detail": "Unauthorized"}))
    result = connector_for(x_channel).check()
    assert result.credentials_ok and not result.reachable
    assert "refused the request (HTTP 401): Unauthorized" in result.lines[-1]


def test_it_replies_to_the_post_with_a_signed_request(x_channel, x_api, alice) -> None:
    sent = reply_deliver(message=post_reply(x_channel, alice))
    assert sent.delivery_status == DeliveryStatus.SENT
    request = next(r for r in x_api.requests if r.path == "/2/tweets")
    assert request.headers["authorization"].startswith("OAuth ")
    assert request.json()["reply"] == {"in_reply_to_tweet_id": "1896201934287663105"}


def test_it_replies_to_a_dm_in_the_residents_conversation(x_channel, x_api, alice) -> None:
    sent = reply_deliver(message=dm_reply(x_channel, alice))
    assert sent.delivery_status == DeliveryStatus.SENT
    assert sent.platform_message_id == x_api.sent_dms[0]["id"]
    assert x_api.requests[-1].path == "/2/dm_conversations/with/1502233445566778901/messages"


def test_a_post_timeout_is_found_even_though_x_rewrote_the_text(x_channel, x_api,
                                                               alice) -> None:
    reply = post_reply(x_channel, alice)
    x_api.script("POST", "/2/tweets", Scripted(delay=1.2))
    with mock.patch.object(XConnector, "_client", _timeout(0.3)):
        assert reply_deliver(message=reply).delivery_status == DeliveryStatus.QUEUED
    assert "&amp;" in x_api.sent_tweets[0]["text"]
    Delivery.objects.filter(message=reply).update(next_attempt_at=timezone.now())
    assert reply_deliver(message=reply).delivery_status == DeliveryStatus.SENT
    assert len(x_api.sent_tweets) == 1


def test_a_dm_timeout_is_found_rather_than_sent_twice(x_channel, x_api, alice) -> None:
    reply = dm_reply(x_channel, alice)
    x_api.script("POST", r"/2/dm_conversations/with/[0-9]+/messages", Scripted(delay=1.2))
    with mock.patch.object(XConnector, "_client", _timeout(0.3)):
        assert reply_deliver(message=reply).delivery_status == DeliveryStatus.QUEUED
    Delivery.objects.filter(message=reply).update(next_attempt_at=timezone.now())
    assert reply_deliver(message=reply).delivery_status == DeliveryStatus.SENT
    assert len(x_api.sent_dms) == 1


def test_a_429_waits_until_x_rate_limit_reset(x_channel, x_api, alice) -> None:
    reply = post_reply(x_channel, alice)
    reset = int(time.time()) + 600
    x_api.script("POST", "/2/tweets", Scripted(429, {
        "title": "Too Many Requests", "detail": "Too Many Requests", "type": "about:blank",
        "status": 429}, headers={"x-rate-limit-limit": "100", "x-rate-limit-remaining": "0",
                                 "x-rate-limit-reset": str(reset)}))
    before = timezone.now()
    assert reply_deliver(message=reply).delivery_status == DeliveryStatus.QUEUED
    next_at = Delivery.objects.get(message=reply).next_attempt_at
    assert next_at >= before + timedelta(seconds=590)
    assert "Too Many Requests" in delivery_error(message=reply)


def test_the_daily_post_cap_waits_for_its_own_reset() -> None:
    now = 1772450000.0
    headers = {"x-rate-limit-remaining": "99", "x-rate-limit-reset": str(int(now) + 60),
               "x-user-limit-24hour-remaining": "0",
               "x-user-limit-24hour-reset": str(int(now) + 7200)}
    assert x_retry_after(headers, now=now) == 7200


def test_a_reply_too_long_for_x_fails_in_plain_words_without_calling_x(x_channel, x_api,
                                                                      alice) -> None:
    text = "ごみ収集の日程について。" * 12  # 144 characters but 288 units on X
    reply = post_reply(x_channel, alice, text=text)
    assert reply_deliver(message=reply).delivery_status == DeliveryStatus.FAILED
    assert "counts as" in delivery_error(message=reply)
    assert "allows 280" in delivery_error(message=reply)
    assert not any(r.path == "/2/tweets" for r in x_api.requests)


def test_polling_reads_mentions_and_dms_and_moves_both_cursors(x_channel, x_api) -> None:
    result = channel_poll(channel=x_channel)
    assert result.created == 4
    assert ChannelCursor.objects.get(channel=x_channel).position == {
        "since_id": "1896232134287663108", "dm_newest": "1896239684287663107"}
    mentions = next(r for r in x_api.requests if r.path.endswith("/mentions"))
    assert mentions.query["expansions"].startswith("author_id")
    assert "conversation_id" in mentions.query["tweet.fields"]
    assert "start_time" in mentions.query
    channel_poll(channel=x_channel)
    again = [r for r in x_api.requests if r.path.endswith("/mentions")][-1]
    assert again.query["since_id"] == "1896232134287663108"
    assert Message.objects.filter(channel=x_channel).count() == 4


def test_polling_keeps_its_place_across_pages(x_channel, x_api) -> None:
    page = {"data": [], "meta": {"result_count": 0, "newest_id": "1896300000000000000",
                                 "next_token": "7140dibdnow9c7btw4"}}
    x_api.script("GET", rf"/2/users/{USER_ID}/mentions", *[Scripted(200, page)] * 20)
    channel_poll(channel=x_channel)
    cursor = ChannelCursor.objects.get(channel=x_channel).position
    assert cursor["next_token"] == "7140dibdnow9c7btw4"
    assert cursor["pending_newest"] == "1896300000000000000"
    channel_poll(channel=x_channel)
    last = [r for r in x_api.requests if r.path.endswith("/mentions")][-1]
    assert last.query["pagination_token"] == "7140dibdnow9c7btw4"
    assert ChannelCursor.objects.get(channel=x_channel).position["since_id"] == \
        "1896300000000000000"


def test_it_fetches_a_profile(x_channel) -> None:
    profile = connector_for(x_channel).fetch_profile("1502233445566778901")
    assert (profile.handle, profile.name) == ("cerysj", "Cerys Jenkins")


def _timeout(seconds):
    original = XConnector._client

    def client(self):
        made = original(self)
        made.timeout = seconds
        return made

    return client


def test_the_check_command_prints_plain_words(x_channel, capsys) -> None:
    class Args:
        channel = x_channel.key

    assert cmd_check(Args()) == 0
    out = capsys.readouterr().out
    assert "Credentials: good." in out and "Reachable: yes." in out
    assert CONSUMER_SECRET not in out and ACCESS_TOKEN_SECRET not in out


def test_a_failed_look_for_a_timed_out_reply_never_leads_to_a_second_post(
        x_channel, x_api, alice) -> None:
    reply = post_reply(x_channel, alice)
    x_api.script("POST", "/2/tweets", Scripted(delay=1.2))
    with mock.patch.object(XConnector, "_client", _timeout(0.3)):
        assert reply_deliver(message=reply).delivery_status == DeliveryStatus.QUEUED
    # The look for the reply fails too: X is having a bad minute.
    x_api.script("GET", rf"/2/users/{USER_ID}/tweets", Scripted(503, {"title": "Service "
                                                                              "Unavailable"}))
    Delivery.objects.filter(message=reply).update(next_attempt_at=timezone.now())
    assert reply_deliver(message=reply).delivery_status == DeliveryStatus.QUEUED
    assert Delivery.objects.get(message=reply).maybe_sent
    Delivery.objects.filter(message=reply).update(next_attempt_at=timezone.now())
    assert reply_deliver(message=reply).delivery_status == DeliveryStatus.SENT
    assert len(x_api.sent_tweets) == 1


def test_a_post_x_calls_a_duplicate_is_looked_for_again_not_failed(x_channel, x_api,
                                                                   alice) -> None:
    reply = post_reply(x_channel, alice)
    x_api.script("POST", "/2/tweets", Scripted(delay=1.2))
    with mock.patch.object(XConnector, "_client", _timeout(0.3)):
        assert reply_deliver(message=reply).delivery_status == DeliveryStatus.QUEUED
    # The post went out, but X's timeline does not show it yet, so the resend is refused.
    x_api.timeline_lag = 1
    Delivery.objects.filter(message=reply).update(next_attempt_at=timezone.now())
    assert reply_deliver(message=reply).delivery_status == DeliveryStatus.QUEUED
    assert "just posted exactly this text" in delivery_error(message=reply)
    Delivery.objects.filter(message=reply).update(next_attempt_at=timezone.now())
    done = reply_deliver(message=reply)
    assert done.delivery_status == DeliveryStatus.SENT
    assert len(x_api.sent_tweets) == 1
    assert done.platform_message_id == x_api.sent_tweets[0]["id"]
