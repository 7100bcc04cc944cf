from unittest import mock

from django.db import DatabaseError

from townhall.conftest import message_data
from townhall.inbox.models import Conversation, Message
from townhall.ingest.items import parse_item
from townhall.ingest.models import RawEvent, RawStatus
from townhall.ingest.services import items_ingest, raw_events_retry


def ingest(council, *datas):
    return items_ingest(council=council, items=[parse_item(d) for d in datas], source="import")


def test_it_creates_a_message_in_a_new_conversation(council) -> None:
    result = ingest(council, message_data())
    assert result.created == 1
    message = Message.objects.get()
    assert message.text == "The bins on Mill Lane were not collected this week"
    assert message.raw_event.status == RawStatus.PROCESSED
    assert message.conversation.waiting_since == message.created_at
    assert message.conversation.resident.display_name == "Sam Evans"


def test_it_absorbs_a_redelivery_with_the_same_content(council) -> None:
    ingest(council, message_data())
    result = ingest(council, message_data())
    assert (result.created, result.duplicates) == (0, 1)
    assert Message.objects.count() == 1
    assert RawEvent.objects.count() == 1


def test_it_absorbs_a_duplicate_inside_one_batch(council) -> None:
    result = ingest(council, message_data(), message_data())
    assert (result.created, result.duplicates) == (1, 1)


def test_it_keeps_and_flags_a_redelivery_with_changed_text(council) -> None:
    ingest(council, message_data(text="Bins not collected"))
    result = ingest(council, message_data(text="Bins not collected, third week running!"))
    assert result.conflicts == 1
    message = Message.objects.get()
    assert message.text == "Bins not collected"
    assert message.has_conflicting_redelivery
    conflict = RawEvent.objects.get(status=RawStatus.CONFLICT)
    assert conflict.payload["text"] == "Bins not collected, third week running!"


def test_it_threads_a_reply_with_its_parent_even_out_of_order(council) -> None:
    reply = message_data(platform_message_id="m2", in_reply_to="m1", direction="out",
                         author="afoncouncil", text="Sorry, we will collect tomorrow.",
                         created_at="2026-03-02T10:00:00+00:00")
    ingest(council, reply)
    ingest(council, message_data())
    assert Conversation.objects.count() == 1
    conversation = Conversation.objects.get()
    assert conversation.message_count == 2
    assert conversation.waiting_since is None
    assert conversation.first_response_at is not None


def test_it_keeps_exact_text_with_emoji_rtl_and_decomposed_letters(council) -> None:
    text = "Bin \U0001F5D1\ufe0f not emptied \u2014 \u0627\u0644\u0633\u0644\u0627\u0645 Gw\u0302yr"
    ingest(council, message_data(text=text))
    assert Message.objects.get().text == text


def test_it_processes_each_item_alone_when_the_batch_fails(council) -> None:
    from townhall.ingest import processing

    real = processing.raw_events_to_messages

    def flaky(raws):
        if any(r.platform_message_id == "bad" for r in raws):
            raise DatabaseError("disk I/O error")
        return real(raws)

    with mock.patch("townhall.ingest.services.raw_events_to_messages", side_effect=flaky):
        result = ingest(council, message_data(platform_message_id="good1"),
                        message_data(platform_message_id="bad"),
                        message_data(platform_message_id="good2"))
    assert (result.created, result.failed) == (2, 1)
    failed = RawEvent.objects.get(platform_message_id="bad")
    assert failed.status == RawStatus.FAILED
    assert "disk I/O error" in failed.error

    retried = raw_events_retry(council=council)
    assert retried.created == 1
    assert Message.objects.filter(platform_message_id="bad").exists()


def test_it_retries_a_failed_item_when_it_is_delivered_again(council) -> None:
    with mock.patch("townhall.ingest.services.raw_events_to_messages",
                    side_effect=DatabaseError("locked")):
        ingest(council, message_data())
    assert Message.objects.count() == 0
    result = ingest(council, message_data())
    assert result.created == 1
    assert RawEvent.objects.count() == 1


def test_processing_twice_gives_the_same_result(council) -> None:
    from townhall.ingest.processing import raw_events_to_messages

    ingest(council, message_data())
    raw = RawEvent.objects.get()
    raw.status = RawStatus.PENDING
    assert raw_events_to_messages([raw]) == 0
    assert Message.objects.count() == 1
    assert Conversation.objects.get().message_count == 1


def test_it_reopens_a_closed_conversation_when_the_resident_writes_again(council) -> None:
    ingest(council, message_data(thread_id="t"))
    Conversation.objects.update(status="closed")
    ingest(council, message_data(thread_id="t", platform_message_id="m9",
                                 created_at="2026-03-05T09:00:00+00:00"))
    assert Conversation.objects.get().status == "open"


def test_it_keeps_each_council_apart(council, other_council) -> None:
    ingest(council, message_data())
    ingest(other_council, message_data())
    assert Message.objects.filter(council=council).count() == 1
    assert Message.objects.filter(council=other_council).count() == 1
