import json
from pathlib import Path
from unittest import mock

import pytest
from django.utils import timezone

from townhall.connectors.credentials import ConnectorConfig
from townhall.connectors.errors import PermanentError
from townhall.connectors.facebook.tests.retime import written_ago  # noqa: E402
from townhall.connectors.fake import Scripted
from townhall.connectors.instagram.connector import InstagramConnector
from townhall.connectors.instagram.tests.fake_graph import FIXTURES, IG_USER_ID
from townhall.connectors.models import ChannelCursor, Delivery
from townhall.connectors.registry import connector_for
from townhall.connectors.selectors import delivery_error
from townhall.connectors.services import channel_poll, reply_deliver
from townhall.inbox.models import Conversation, DeliveryStatus, Message
from townhall.inbox.services import conversation_reply
from townhall.ingest.models import Source
from townhall.ingest.services import items_ingest

WEBHOOKS = Path(__file__).parent / "fixtures" / "webhooks"


def reply_in(channel, alice, fixtures: list[str], thread: str, text: str):
    connector = connector_for(channel)
    for name in fixtures:
        # Direct messages are answered within Meta's 24-hour window.
        items = connector.parse_webhook(written_ago((WEBHOOKS / name).read_bytes(), hours=1))
        items_ingest(council=channel.council, items=items, source=Source.CONNECTOR,
                     channel=channel)
    conversation = Conversation.objects.get(thread_key=thread)
    return conversation_reply(conversation=conversation, text=text, by=alice,
                              version=conversation.version, idempotency_key="ig-1")


def dm_reply(channel, alice, text="The next collection is on Tuesday."):
    return reply_in(channel, alice, ["message_text.json"], "igdm:1254459154682919", text)


def test_check_says_in_plain_words_that_all_is_well(instagram_channel) -> None:
    result = connector_for(instagram_channel).check()
    assert result.ok
    assert result.lines[-1] == "Instagram answered: the token works for @afoncouncil."


def test_check_names_what_is_missing_without_calling_instagram(instagram_api) -> None:
    connector = InstagramConnector(handle="afoncouncil", config=ConnectorConfig(
        settings={"graph_url": instagram_api.base_url}))
    result = connector.check()
    assert not result.credentials_ok and not result.reachable
    assert any("ig_user_id" in line for line in result.lines)
    assert any("app secret is missing" in line for line in result.lines)
    assert instagram_api.requests == []


def test_it_replies_to_a_dm_through_the_send_api(instagram_channel, instagram_api,
                                                 alice) -> None:
    sent = reply_deliver(message=dm_reply(instagram_channel, alice))
    assert sent.delivery_status == DeliveryStatus.SENT
    body = next(r for r in instagram_api.requests if r.path == "/me/messages").json()
    assert body == {"recipient": {"id": "1254459154682919"},
                    "message": {"text": sent.text}}


def test_a_dm_timeout_is_found_rather_than_sent_twice(instagram_channel, instagram_api,
                                                      alice) -> None:
    reply = dm_reply(instagram_channel, alice)
    instagram_api.script("POST", "/me/messages", Scripted(delay=1.2))
    with mock.patch.object(InstagramConnector, "_client", _timeout(0.3)):
        assert reply_deliver(message=reply).delivery_status == DeliveryStatus.QUEUED
    Delivery.objects.filter(message=reply).update(next_attempt_at=timezone.now())
    assert reply_deliver(message=reply).delivery_status == DeliveryStatus.SENT
    assert len(instagram_api.sent_messages) == 1


def test_a_dm_over_1000_bytes_fails_in_plain_words(instagram_channel, instagram_api,
                                                   alice) -> None:
    reply = dm_reply(instagram_channel, alice, text="Diolch am gysylltu â ni. ŵŷ " * 40)
    assert reply_deliver(message=reply).delivery_status == DeliveryStatus.FAILED
    assert "too long for an Instagram direct message" in delivery_error(message=reply)
    assert instagram_api.sent_messages == []


def test_a_comment_reply_over_2200_characters_fails(instagram_channel, instagram_api,
                                                    alice) -> None:
    reply = reply_in(instagram_channel, alice, ["comment.json"], "17865799348089039",
                     "Thank you. " * 210)
    assert reply_deliver(message=reply).delivery_status == DeliveryStatus.FAILED
    assert "Instagram allows 2,200" in delivery_error(message=reply)


def test_a_reply_in_a_thread_goes_to_its_top_level_comment(instagram_channel, instagram_api,
                                                           alice) -> None:
    reply = reply_in(instagram_channel, alice, ["comment.json", "comment_reply.json"],
                     "17865799348089039", "We have asked the crew to go back.")
    assert reply_deliver(message=reply).delivery_status == DeliveryStatus.SENT
    assert instagram_api.sent_replies[0]["target"] == "17865799348089039"


def test_it_refuses_to_reply_on_a_photo_the_council_is_tagged_in(instagram_channel,
                                                                 instagram_api) -> None:
    channel_poll(channel=instagram_channel)
    conversation = Conversation.objects.get(thread_key="tag:17895695668004550")
    reply = conversation.messages.first()
    with pytest.raises(PermanentError, match="direct message instead"):
        connector_for(instagram_channel).send_reply(
            text="Thanks", thread_id=conversation.thread_key,
            in_reply_to=reply.platform_message_id, idempotency_key="k")


def test_polling_reads_comments_replies_and_tags_and_moves_the_cursor(instagram_channel,
                                                                     instagram_api) -> None:
    result = channel_poll(channel=instagram_channel)
    assert result.created == 3
    assert ChannelCursor.objects.get(channel=instagram_channel).position == {
        "since": 1772450100}
    media = next(r for r in instagram_api.requests if r.path == f"/{IG_USER_ID}/media")
    assert "comments{" in media.query["fields"] and "replies{" in media.query["fields"]
    # The nested comment list had no next page, so it was not fetched again.
    assert not any(r.path.endswith("/comments") for r in instagram_api.requests)
    assert channel_poll(channel=instagram_channel).created == 0
    assert Conversation.objects.get(thread_key="17865799348089039").messages.count() == 2


def test_polling_follows_a_long_comment_list(instagram_channel, instagram_api) -> None:
    instagram_api.script("GET", r"/[0-9]+/comments", Scripted(200, {"data": [{
        "id": "17865799348089099", "text": "Any news on the bins?",
        "timestamp": "2026-03-02T11:45:00+0000", "username": "dai.jones",
        "from": {"id": "6783457823456789", "username": "dai.jones"}}]}))
    with mock.patch("townhall.connectors.instagram.tests.fake_graph._recorded",
                    side_effect=_with_more_comments):
        channel_poll(channel=instagram_channel)
    more = next(r for r in instagram_api.requests if r.path.endswith("/comments"))
    assert more.query["after"] == "QVFIUkZB"
    assert Message.objects.filter(platform_message_id="17865799348089099").exists()


def test_it_fetches_a_profile(instagram_channel) -> None:
    profile = connector_for(instagram_channel).fetch_profile("1254459154682919")
    assert (profile.handle, profile.name) == ("cerys.j", "Cerys Jenkins")


def _with_more_comments(name):
    data = json.loads((FIXTURES / "graph" / name).read_text())
    if name == "media.json":
        data["data"][0]["comments"]["paging"]["next"] = (
            "https://graph.facebook.com/v21.0/18027939643230671/comments?after=QVFIUkZB")
    return data


def _timeout(seconds):
    original = InstagramConnector._client

    def client(self):
        made = original(self)
        made.timeout = seconds
        return made

    return client
