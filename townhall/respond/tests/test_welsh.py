"""The Welsh rule: Welsh in, Welsh out, unless a supervisor overrides (and it is audited)."""

import pytest

from townhall.core.models import AuditEvent
from townhall.inbox.models import DeliveryStatus
from townhall.inbox.services import conversation_reply
from townhall.respond.models import ApprovalStatus, ReplyApproval
from townhall.respond.welsh import WelshReplyRequired, reply_language

pytestmark = pytest.mark.django_db

ENGLISH_REPLY = "Thanks, we will send the crew back tomorrow."
WELSH_REPLY = "Diolch, byddwn yn anfon y criw yn ôl yfory."
BILINGUAL_REPLY = "Diolch am eich neges.\nThank you for your message, we will be in touch."


def test_it_tells_welsh_english_and_bilingual_replies_apart() -> None:
    assert reply_language(ENGLISH_REPLY) == "en"
    assert reply_language(WELSH_REPLY) == "cy"
    assert reply_language(BILINGUAL_REPLY) == "mul"
    assert reply_language(WELSH_REPLY + "\n^Alex") == "cy"


def test_it_blocks_an_officers_english_only_reply_to_a_welsh_message(
        make_welsh_conversation, alice) -> None:
    conversation = make_welsh_conversation()
    with pytest.raises(WelshReplyRequired, match="wrote in Welsh") as blocked:
        conversation_reply(conversation=conversation, text=ENGLISH_REPLY, by=alice,
                           version=conversation.version)
    assert not blocked.value.can_override
    assert not conversation.messages.filter(direction="out").exists()


def test_it_sends_a_welsh_or_bilingual_reply_at_once(make_welsh_conversation, alice) -> None:
    conversation = make_welsh_conversation()
    welsh = conversation_reply(conversation=conversation, text=WELSH_REPLY, by=alice,
                               version=conversation.version)
    conversation.refresh_from_db()
    both = conversation_reply(conversation=conversation, text=BILINGUAL_REPLY, by=alice,
                              version=conversation.version)
    assert (welsh.delivery_status, both.delivery_status) == (DeliveryStatus.QUEUED,) * 2
    assert (welsh.language, both.language) == ("cy", "mul")


def test_a_supervisors_override_sends_english_and_is_audited(make_welsh_conversation,
                                                              bob) -> None:
    conversation = make_welsh_conversation()
    with pytest.raises(WelshReplyRequired) as blocked:
        conversation_reply(conversation=conversation, text=ENGLISH_REPLY, by=bob,
                           version=conversation.version)
    assert blocked.value.can_override
    reply = conversation_reply(conversation=conversation, text=ENGLISH_REPLY, by=bob,
                               version=conversation.version, welsh_override=True)
    assert reply.delivery_status == DeliveryStatus.QUEUED
    event = AuditEvent.objects.get(action="reply.welsh_override")
    assert (event.actor_id, event.object_id) == (bob.user_id, str(conversation.pk))
    assert event.data == {"message": reply.pk, "approved_request": False}


def test_an_officers_override_becomes_a_request_for_a_supervisor(make_welsh_conversation,
                                                                  alice) -> None:
    conversation = make_welsh_conversation()
    reply = conversation_reply(conversation=conversation, text=ENGLISH_REPLY, by=alice,
                               version=conversation.version, welsh_override=True)
    assert reply.delivery_status == DeliveryStatus.AWAITING_APPROVAL
    approval = ReplyApproval.objects.get(message=reply)
    assert approval.welsh_override and approval.status == ApprovalStatus.PENDING
    assert [r["code"] for r in approval.reasons] == ["welsh-override"]
    conversation.refresh_from_db()
    assert conversation.waiting_since is not None and conversation.first_response_at is None
    assert not AuditEvent.objects.filter(action="reply.welsh_override").exists()


def test_a_council_without_welsh_language_standards_is_not_blocked(make_conversation,
                                                                   alice) -> None:
    conversation = make_conversation(text="Mae'r biniau heb eu casglu ar Heol y Felin")
    assert conversation.language == "cy" and not conversation.council.welsh_language_standards
    reply = conversation_reply(conversation=conversation, text=ENGLISH_REPLY, by=alice,
                               version=conversation.version)
    assert reply.delivery_status == DeliveryStatus.QUEUED


def test_it_follows_the_language_of_the_residents_latest_message(
        make_conversation, welsh_council, alice) -> None:
    from townhall.conftest import message_data
    from townhall.ingest.items import parse_item
    from townhall.ingest.services import items_ingest

    conversation = make_conversation(text="The bins on Mill Lane were not collected")
    thread = conversation.thread_key
    items_ingest(council=welsh_council, source="import", items=[parse_item(message_data(
        platform_message_id="later-cy", thread_id=thread, channel="facebook-account",
        text="Dal dim casgliad biniau ar Heol y Felin, plis helpwch",
        created_at="2026-03-03T09:00:00+00:00"))])
    conversation.refresh_from_db()
    with pytest.raises(WelshReplyRequired):
        conversation_reply(conversation=conversation, text=ENGLISH_REPLY, by=alice,
                           version=conversation.version)
