import json
from pathlib import Path

from townhall.connectors.facebook.mapping import webhook_items
from townhall.connectors.facebook.tests.fake_graph import PAGE_ID
from townhall.ingest.items import IncomingItem, ItemError

WEBHOOKS = Path(__file__).parent / "fixtures" / "webhooks"


def items_of(name: str) -> list:
    data = json.loads((WEBHOOKS / name).read_text())
    return webhook_items(data, page_id=PAGE_ID, channel="afoncouncil")


def test_a_top_level_comment_starts_its_own_thread() -> None:
    [item] = items_of("feed_comment.json")
    assert item.platform_message_id == "998877_112233"
    assert item.thread_id == "998877_112233"
    assert item.in_reply_to == f"{PAGE_ID}_998877"
    assert item.author == "6120349876543210" and item.author_name == "Sam Evans"
    assert item.created_at.isoformat() == "2026-03-02T09:15:00+00:00"


def test_a_reply_joins_its_parent_comments_thread() -> None:
    [item] = items_of("feed_comment_reply.json")
    assert item.thread_id == "998877_112233"
    assert item.in_reply_to == "998877_112233"


def test_a_visitor_post_with_a_photo_keeps_the_photo() -> None:
    [item] = items_of("feed_visitor_post.json")
    assert item.platform_message_id == f"{PAGE_ID}_55501"
    assert item.attachments[0]["type"] == "photo"


def test_a_messenger_message_is_threaded_by_the_resident() -> None:
    [item] = items_of("messenger_text.json")
    assert item.thread_id == "messenger:7001234567890123"
    assert item.direction == "in"
    assert item.created_at.isoformat() == "2026-03-02T12:15:00+00:00"


def test_an_attachment_only_message_is_kept() -> None:
    [item] = items_of("messenger_attachment.json")
    assert item.text == ""
    assert item.attachments == [{"type": "image",
                                 "url": "https://scontent.xx.fbcdn.net/v/t1.15752-9/flytip.jpg"}]


def test_reactions_and_delivery_receipts_are_not_messages() -> None:
    items = items_of("batch_mixed.json")
    assert [i.platform_message_id for i in items] == ["998877_112400", "m_CC01"]


def test_an_echo_of_the_pages_own_message_is_outbound() -> None:
    data = {"object": "page", "entry": [{"id": PAGE_ID, "time": 1, "messaging": [{
        "sender": {"id": PAGE_ID}, "recipient": {"id": "7001"}, "timestamp": 1772453700000,
        "message": {"mid": "m_echo", "text": "We have booked it.", "is_echo": True}}]}]}
    [item] = webhook_items(data, page_id=PAGE_ID, channel="afoncouncil")
    assert item.direction == "out"
    assert item.thread_id == "messenger:7001"


def test_removed_comments_and_the_pages_own_posts_are_skipped() -> None:
    data = {"object": "page", "entry": [{"id": PAGE_ID, "time": 1, "changes": [
        {"field": "feed", "value": {"item": "comment", "verb": "remove",
                                    "comment_id": "1_2", "post_id": "1_1",
                                    "from": {"id": "9"}, "created_time": 1}},
        {"field": "feed", "value": {"item": "status", "verb": "add", "post_id": "1_3",
                                    "from": {"id": PAGE_ID}, "message": "Our news",
                                    "created_time": 1}}]}]}
    assert webhook_items(data, page_id=PAGE_ID, channel="afoncouncil") == []


def test_it_explains_a_body_that_is_not_a_page_webhook() -> None:
    [error] = webhook_items({"object": "instagram", "entry": []}, page_id=PAGE_ID,
                            channel="afoncouncil")
    assert isinstance(error, ItemError)
    assert "'object' must be 'page'" in str(error)


def test_it_maps_a_batch_of_1000_entries() -> None:
    entries = [{"id": PAGE_ID, "time": 1, "messaging": [{
        "sender": {"id": str(7000 + n)}, "recipient": {"id": PAGE_ID},
        "timestamp": 1772453700000 + n, "message": {"mid": f"m_{n}", "text": f"Hello {n}"}}]}
        for n in range(1000)]
    entries[500]["messaging"][0]["message"] = {"text": "no mid"}
    items = webhook_items({"object": "page", "entry": entries}, page_id=PAGE_ID,
                          channel="afoncouncil")
    assert len(items) == 1000
    assert sum(isinstance(i, IncomingItem) for i in items) == 999
    assert "Entry 500" in str(items[500])
