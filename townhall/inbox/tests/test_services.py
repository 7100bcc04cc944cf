from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from townhall.core.models import AuditEvent
from townhall.inbox import services
from townhall.inbox.models import Conversation, DeliveryStatus, SavedReply, TriageCorrection
from townhall.triage.models import Category

pytestmark = pytest.mark.django_db


def actions(conversation: Conversation) -> list[str]:
    return list(AuditEvent.objects.filter(object_id=str(conversation.pk),
                                          object_type="inbox.conversation")
                .order_by("id").values_list("action", flat=True))


def test_it_assigns_to_a_team_and_an_officer(make_conversation, alice, carol, highways) -> None:
    conversation = make_conversation()
    services.conversation_assign(conversation=conversation, team=highways, assignee=carol.user,
                                 by=alice, version=1)
    conversation.refresh_from_db()
    assert (conversation.team, conversation.assignee, conversation.version) == (
        highways, carol.user, 2)
    assert actions(conversation) == ["conversation.assigned"]


def test_it_refuses_a_write_made_from_an_old_version(make_conversation, alice, bob,
                                                     highways) -> None:
    conversation = make_conversation()
    services.conversation_assign(conversation=conversation, team=highways, assignee=None,
                                 by=bob, version=1)
    with pytest.raises(services.ConversationChanged) as refused:
        services.conversation_reply(conversation=conversation, text="On it", by=alice,
                                    version=1)
    [change] = refused.value.changes
    assert change.actor == bob.user and change.action == "conversation.assigned"
    assert conversation.messages.count() == 1
    assert actions(conversation) == ["conversation.assigned"]


def test_it_queues_a_reply_signed_by_the_officer(make_conversation, alice) -> None:
    conversation = make_conversation(platform="x")
    reply = services.conversation_reply(conversation=conversation, text="We will collect today",
                                        by=alice, version=1, idempotency_key="k1")
    conversation.refresh_from_db()
    assert reply.text == "We will collect today\n^Alice"
    assert reply.direction == "out" and reply.sent_by == alice.user
    assert reply.delivery_status == DeliveryStatus.QUEUED and reply.platform_message_id == ""
    assert conversation.waiting_since is None and conversation.first_response_at is not None
    assert conversation.message_count == 2 and conversation.version == 2
    assert actions(conversation) == ["conversation.replied"]


def test_it_sends_a_double_submitted_reply_once(make_conversation, alice) -> None:
    conversation = make_conversation()
    first = services.conversation_reply(conversation=conversation, text="Hello", by=alice,
                                        version=1, idempotency_key="same")
    again = services.conversation_reply(conversation=conversation, text="Hello", by=alice,
                                        version=1, idempotency_key="same")
    assert first.pk == again.pk
    assert conversation.messages.filter(direction="out").count() == 1


def test_it_refuses_a_reply_too_long_for_the_platform(make_conversation, alice) -> None:
    conversation = make_conversation(platform="x")
    with pytest.raises(ValidationError, match="280"):
        services.conversation_reply(conversation=conversation, text="a" * 278, by=alice,
                                    version=1)


def test_it_counts_an_emoji_sequence_as_one_character() -> None:
    assert services.grapheme_count("👩\u200d💻 ok") == 4
    assert services.grapheme_count("Caf\u0065\u0301") == 4


def test_it_keeps_notes_without_moving_the_version(make_conversation, alice) -> None:
    conversation = make_conversation()
    services.conversation_note_add(conversation=conversation, text="Called them", by=alice)
    conversation.refresh_from_db()
    assert conversation.version == 1 and conversation.notes.get().text == "Called them"
    assert actions(conversation) == ["conversation.noted"]


def test_it_closes_reopens_and_snoozes(make_conversation, alice) -> None:
    conversation = make_conversation()
    services.conversation_close(conversation=conversation, by=alice, version=1)
    assert conversation.status == "closed" and conversation.closed_at is not None
    services.conversation_reopen(conversation=conversation, by=alice, version=2)
    assert conversation.status == "open" and conversation.closed_at is None
    until = timezone.now() + timedelta(hours=2)
    services.conversation_snooze(conversation=conversation, until=until, by=alice, version=3)
    assert conversation.snoozed_until == until
    assert actions(conversation) == ["conversation.closed", "conversation.reopened",
                                     "conversation.snoozed"]


def test_it_refuses_a_snooze_in_the_past(make_conversation, alice) -> None:
    with pytest.raises(ValidationError):
        services.conversation_snooze(conversation=make_conversation(), by=alice, version=1,
                                     until=timezone.now() - timedelta(minutes=1))


def test_it_stores_a_triage_correction(make_conversation, council, alice) -> None:
    potholes = Category.objects.create(council=council, code="potholes", name="Potholes")
    conversation = make_conversation()
    services.conversation_correct(conversation=conversation, category=potholes,
                                  priority="high", by=alice, version=1)
    fields = {c.field: (c.old_value, c.new_value, c.message_id is not None)
              for c in TriageCorrection.objects.filter(conversation=conversation)}
    assert fields == {"category": ("", "potholes", True), "priority": ("normal", "high", True)}
    conversation.refresh_from_db()
    assert conversation.priority == "high" and conversation.urgency == 11


def test_it_refuses_another_councils_team_or_officer(make_conversation, alice, eve,
                                                     other_council) -> None:
    conversation = make_conversation()
    with pytest.raises(PermissionDenied):
        services.conversation_assign(conversation=conversation, team=None, assignee=eve.user,
                                     by=alice, version=1)
    with pytest.raises(PermissionDenied):
        services.conversation_close(conversation=conversation, by=eve, version=1)


def test_it_fills_the_merge_fields_of_a_saved_reply(make_conversation, council, alice) -> None:
    conversation = make_conversation()
    saved = SavedReply(council=council, title="Thanks",
                       body="Hello {resident_name}, {officer_name} here. Ref {reference}.")
    text = services.saved_reply_render(saved_reply=saved, conversation=conversation,
                                       officer=alice.user)
    assert text == f"Hello Sam Evans, Alice Jones here. Ref {conversation.reference}."


def test_it_records_who_is_viewing(make_conversation, alice, bob) -> None:
    from townhall.inbox.selectors import conversation_viewers

    conversation = make_conversation()
    services.viewer_heartbeat(conversation=conversation, user=bob.user)
    services.viewer_heartbeat(conversation=conversation, user=bob.user)
    assert conversation_viewers(conversation=conversation,
                                exclude_user_id=alice.user_id) == [bob.user]
    services.viewer_leave(conversation=conversation, user=bob.user)
    assert conversation_viewers(conversation=conversation, exclude_user_id=alice.user_id) == []
