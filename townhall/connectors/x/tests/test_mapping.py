import json
from pathlib import Path

from townhall.connectors.x.mapping import activity_items, users_by_id, v2_dm_event, v2_tweet
from townhall.connectors.x.tests.fake_x import USER_ID
from townhall.ingest.items import ItemError

FIXTURES = Path(__file__).parent / "fixtures"


def webhook(name: str) -> list:
    data = json.loads((FIXTURES / "webhooks" / name).read_text())
    return activity_items(data, user_id=USER_ID, channel="AfonCouncil")


def api(name: str) -> dict:
    return json.loads((FIXTURES / "api" / name).read_text())


def test_a_mention_that_replies_to_nothing_starts_its_own_conversation() -> None:
    [item] = webhook("tweet_create_mention.json")
    assert item.platform_message_id == "1896201934287663105"
    assert item.thread_id == "1896201934287663105"
    assert item.author == "1502233445566778899"
    assert item.author_name == "Sam Evans (@samevans_cf10)"
    assert item.text.endswith("this week & the lane is blocked")
    assert item.created_at.isoformat() == "2026-03-02T09:15:00+00:00"


def test_a_webhook_reply_names_its_parent_and_keeps_the_full_text_and_photo() -> None:
    [item] = webhook("tweet_create_reply_extended.json")
    assert item.thread_id == "" and item.in_reply_to == "1896201934287663105"
    assert item.text.endswith("outside number 12.")
    assert item.attachments == [{"type": "photo",
                                 "url": "https://pbs.twimg.com/media/GlFoxBins1.jpg"}]


def test_polled_posts_are_threaded_by_conversation_id() -> None:
    data = api("mentions.json")
    users = users_by_id(data["includes"])
    items = [v2_tweet(t, users=users, user_id=USER_ID, channel="c") for t in data["data"]]
    assert [i.thread_id for i in items] == ["1896232134287663108", "1896201934287663105",
                                            "1896201934287663105"]
    assert items[1].in_reply_to == "1896201934287663105"
    assert items[2].text.endswith("& the lane is blocked")


def test_a_dm_is_threaded_by_the_resident_from_either_shape() -> None:
    [hooked] = webhook("direct_message.json")
    data = api("dm_events.json")
    polled = v2_dm_event(data["data"][0], users=users_by_id(data["includes"]), user_id=USER_ID,
                         channel="AfonCouncil")
    assert hooked.thread_id == polled.thread_id == "dm:1502233445566778901"
    assert hooked.platform_message_id == polled.platform_message_id
    assert hooked.created_at == polled.created_at
    assert hooked.author_name == "Cerys Jenkins (@cerysj)"


def test_the_councils_own_dm_is_outbound_in_the_residents_thread() -> None:
    item = v2_dm_event({"id": "1", "event_type": "MessageCreate", "text": "We have booked it.",
                        "sender_id": USER_ID, "created_at": "2026-03-02T12:20:00.000Z",
                        "dm_conversation_id": f"{USER_ID}-1502233445566778901"},
                       users={}, user_id=USER_ID, channel="c")
    assert item is not None and item.direction == "out"
    assert item.thread_id == "dm:1502233445566778901"


def test_reposts_likes_and_the_councils_own_announcements_are_not_messages() -> None:
    assert [i.platform_message_id for i in webhook("batch_mixed.json")] == \
        ["1896232134287663108"]
    own = {"for_user_id": USER_ID, "tweet_create_events": [{
        "created_at": "Mon Mar 02 08:00:00 +0000 2026", "id_str": "1", "text": "Our news",
        "in_reply_to_status_id_str": None, "user": {"id_str": USER_ID}}]}
    assert activity_items(own, user_id=USER_ID, channel="c") == []


def test_the_councils_own_reply_is_outbound() -> None:
    own = {"for_user_id": USER_ID, "tweet_create_events": [{
        "created_at": "Mon Mar 02 09:30:00 +0000 2026", "id_str": "2", "text": "On it",
        "in_reply_to_status_id_str": "1896201934287663105", "user": {"id_str": USER_ID}}]}
    [item] = activity_items(own, user_id=USER_ID, channel="c")
    assert item.direction == "out"


def test_it_refuses_events_for_another_account() -> None:
    [error] = activity_items({"for_user_id": "999", "tweet_create_events": []},
                             user_id=USER_ID, channel="c")
    assert isinstance(error, ItemError) and "account 999" in str(error)
