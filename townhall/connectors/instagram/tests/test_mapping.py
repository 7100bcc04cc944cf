import json
from pathlib import Path

from townhall.connectors.instagram.mapping import mention_refs, tagged_media, webhook_items
from townhall.connectors.instagram.tests.fake_graph import IG_USER_ID
from townhall.ingest.items import IncomingItem, ItemError

FIXTURES = Path(__file__).parent / "fixtures"


def items_of(name: str) -> list:
    data = json.loads((FIXTURES / "webhooks" / name).read_text())
    return webhook_items(data, ig_user_id=IG_USER_ID, channel="afoncouncil")


def test_a_top_level_comment_starts_its_own_thread() -> None:
    [item] = items_of("comment.json")
    assert item.platform_message_id == item.thread_id == "17865799348089039"
    assert item.in_reply_to == "18027939643230671"
    assert (item.author, item.author_name) == ("6783457823456781", "sam.evans.cf10")
    assert item.created_at.isoformat() == "2026-03-02T09:15:00+00:00"


def test_a_reply_joins_its_parent_comments_thread() -> None:
    [item] = items_of("comment_reply.json")
    assert item.thread_id == item.in_reply_to == "17865799348089039"


def test_a_direct_message_is_threaded_by_the_resident() -> None:
    [item] = items_of("message_text.json")
    assert item.thread_id == "igdm:1254459154682919"
    assert item.direction == "in"
    assert item.created_at.isoformat() == "2026-03-02T12:15:00+00:00"


def test_an_image_only_message_is_kept() -> None:
    [item] = items_of("message_image.json")
    assert item.text == "" and item.attachments[0]["type"] == "image"


def test_mentions_are_left_for_the_connector_and_reactions_are_not_messages() -> None:
    items = items_of("batch_mixed.json")
    assert [i.platform_message_id[:17] for i in items] == ["17865799348089041",
                                                           "aWdfZAG1faXRlbTox"]
    data = json.loads((FIXTURES / "webhooks" / "batch_mixed.json").read_text())
    assert mention_refs(data) == [(0, "17918195224117851", "17894227972186120")]


def test_an_echo_and_the_accounts_own_comment_are_outbound() -> None:
    data = {"object": "instagram", "entry": [{"id": IG_USER_ID, "time": 1772453700, "messaging": [{
        "sender": {"id": IG_USER_ID}, "recipient": {"id": "1254"}, "timestamp": 1772453700000,
        "message": {"mid": "m_echo", "text": "We have booked it.", "is_echo": True}}],
        "changes": [{"field": "comments", "value": {
            "from": {"id": IG_USER_ID, "username": "afoncouncil"}, "id": "1790",
            "parent_id": "1789", "text": "Thanks, passed to the team",
            "media": {"id": "1800"}}}]}]}
    items = webhook_items(data, ig_user_id=IG_USER_ID, channel="afoncouncil")
    assert [(i.direction, i.thread_id) for i in items] == [("out", "1789"), ("out", "igdm:1254")]


def test_a_deleted_message_is_not_a_message() -> None:
    data = {"object": "instagram", "entry": [{"id": IG_USER_ID, "time": 1, "messaging": [{
        "sender": {"id": "1254"}, "recipient": {"id": IG_USER_ID}, "timestamp": 1,
        "message": {"mid": "m_gone", "is_deleted": True}}]}]}
    assert webhook_items(data, ig_user_id=IG_USER_ID, channel="afoncouncil") == []


def test_it_explains_a_body_that_is_not_an_instagram_webhook() -> None:
    [error] = webhook_items({"object": "page", "entry": []}, ig_user_id=IG_USER_ID,
                            channel="afoncouncil")
    assert isinstance(error, ItemError) and "'object' must be 'instagram'" in str(error)


def test_tagged_media_is_its_own_thread_with_its_picture() -> None:
    data = json.loads((FIXTURES / "graph" / "tags.json").read_text())
    item = tagged_media(data["data"][0], channel="afoncouncil")
    assert isinstance(item, IncomingItem)
    assert item.thread_id == "tag:17895695668004550" and item.author == "gareth.price"
    assert item.attachments[0]["type"] == "image"
