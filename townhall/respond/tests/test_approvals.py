"""Approval rules, the queue, and who may approve: a held reply goes out once, or never."""

from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from townhall.connectors.mastodon.tests.conftest import mastodon, mastodon_channel
from townhall.connectors.models import Delivery
from townhall.connectors.registry import connector_for
from townhall.core.models import AuditEvent
from townhall.inbox.models import Conversation, DeliveryStatus
from townhall.inbox.selectors import conversation_thread
from townhall.inbox.services import conversation_reply
from townhall.ingest.items import IncomingItem
from townhall.ingest.services import items_ingest
from townhall.respond.approvals import reply_approve, reply_reject
from townhall.respond.models import ApprovalRule, ApprovalStatus, ReplyApproval
from townhall.respond.selectors import approvals_pending
from townhall.triage.services import taxonomy_install

__all__ = ["mastodon", "mastodon_channel"]
pytestmark = pytest.mark.django_db

MENTION = (Path(__file__).parents[2] / "connectors" / "mastodon" / "tests" / "fixtures"
           / "webhooks" / "status_created_mention.json")


def reply(conversation: Conversation, by, text: str = "We will look at this today."):
    conversation.refresh_from_db()
    return conversation_reply(conversation=conversation, text=text, by=by,
                              version=conversation.version)


def test_a_keyword_rule_holds_an_officers_reply_and_keeps_the_resident_waiting(
        make_conversation, council, alice) -> None:
    ApprovalRule.objects.create(council=council, name="Legal words", keywords="compensation, legal")
    conversation = make_conversation()
    held = reply(conversation, alice, "You can claim Compensation on our website.")
    assert held.delivery_status == DeliveryStatus.AWAITING_APPROVAL
    approval = ReplyApproval.objects.get(message=held)
    assert approval.reasons[0]["label"] == "Legal words"
    conversation.refresh_from_db()
    assert conversation.waiting_since is not None and conversation.first_response_at is None
    assert AuditEvent.objects.filter(action="reply.held_for_approval",
                                     object_id=str(conversation.pk)).exists()
    unheld = reply(conversation, alice, "We will look at this today.")
    assert unheld.delivery_status == DeliveryStatus.QUEUED


def test_rules_by_category_priority_and_officer_need_every_condition(
        make_conversation, council, alice, carol) -> None:
    taxonomy_install(council=council)
    roads = council.categories.get(code="roads_potholes")
    ApprovalRule.objects.create(council=council, name="Urgent roads", category=roads,
                                priority="high")
    ApprovalRule.objects.create(council=council, name="Carol is new", officer=carol.user)
    urgent_road = make_conversation(category=roads, priority="high")
    normal_road = make_conversation(category=roads, priority="normal")
    assert reply(urgent_road, alice).delivery_status == DeliveryStatus.AWAITING_APPROVAL
    assert reply(normal_road, alice).delivery_status == DeliveryStatus.QUEUED
    front_door = make_conversation()
    assert reply(front_door, carol).delivery_status == DeliveryStatus.AWAITING_APPROVAL


def test_an_inactive_rule_holds_nothing(make_conversation, council, alice) -> None:
    ApprovalRule.objects.create(council=council, name="Everything", is_active=False)
    assert reply(make_conversation(), alice).delivery_status == DeliveryStatus.QUEUED


def test_safeguarding_replies_always_need_approval_even_a_supervisors(
        make_conversation, alice, bob, dave) -> None:
    conversation = make_conversation(safeguarding=True)
    by_officer = reply(conversation, alice)
    by_supervisor = reply(conversation, bob)
    assert by_officer.delivery_status == by_supervisor.delivery_status == "approval"
    with pytest.raises(PermissionDenied, match="your own reply"):
        reply_approve(approval=by_supervisor.approval, by=bob)
    reply_approve(approval=by_supervisor.approval, by=dave)
    assert by_supervisor.approval.status == ApprovalStatus.APPROVED


def test_supervisors_rules_do_not_hold_their_own_replies(make_conversation, council,
                                                        bob) -> None:
    ApprovalRule.objects.create(council=council, name="Everything")
    assert reply(make_conversation(), bob).delivery_status == DeliveryStatus.QUEUED


def test_officers_cannot_approve_and_other_councils_cannot_see(make_conversation, council,
                                                               alice, carol, eve) -> None:
    ApprovalRule.objects.create(council=council, name="Everything")
    held = reply(make_conversation(), alice)
    with pytest.raises(PermissionDenied):
        reply_approve(approval=held.approval, by=carol)
    with pytest.raises(PermissionDenied):
        reply_approve(approval=held.approval, by=eve)
    with pytest.raises(PermissionDenied):
        reply_reject(approval=held.approval, by=eve, reason="No")
    assert approvals_pending(council=eve.council) == []
    assert [a.message_id for a in approvals_pending(council=council)] == [held.pk]


def test_approving_sends_the_reply_exactly_once(council, alice, bob, mastodon,
                                                mastodon_channel,
                                                django_capture_on_commit_callbacks) -> None:
    ApprovalRule.objects.create(council=council, name="Everything")
    items = [p for p in connector_for(mastodon_channel).parse_webhook(MENTION.read_bytes())
             if isinstance(p, IncomingItem)]
    items_ingest(council=council, items=items, source="connector", channel=mastodon_channel)
    conversation = Conversation.objects.get(channel=mastodon_channel)
    with django_capture_on_commit_callbacks(execute=True):
        held = reply(conversation, alice, "Thanks, a crew is on the way.")
    assert mastodon.sent == [] and not Delivery.objects.filter(message=held).exists()

    with django_capture_on_commit_callbacks(execute=True):
        sent = reply_approve(approval=held.approval, by=bob)
    assert len(mastodon.sent) == 1 and "a crew is on the way" in str(mastodon.sent[0])
    sent.refresh_from_db()
    assert sent.delivery_status == DeliveryStatus.SENT
    conversation.refresh_from_db()
    assert conversation.waiting_since is None and conversation.first_response_at is not None
    assert conversation.first_response_office_seconds is not None

    held.approval.refresh_from_db()
    with pytest.raises(ValidationError, match="already been approved"), \
            django_capture_on_commit_callbacks(execute=True):
        reply_approve(approval=held.approval, by=bob)
    assert len(mastodon.sent) == 1


def test_a_supervisor_can_edit_then_approve(make_conversation, council, alice, bob) -> None:
    ApprovalRule.objects.create(council=council, name="Everything")
    held = reply(make_conversation(), alice, "We will fix it tomorow.")
    approved = reply_approve(approval=held.approval, by=bob, text="We will fix it tomorrow.")
    approved.refresh_from_db()
    assert approved.text == "We will fix it tomorrow."
    assert approved.delivery_status == DeliveryStatus.QUEUED
    assert held.approval.original_text.startswith("We will fix it tomorow.")
    event = AuditEvent.objects.get(action="reply.approved")
    assert event.data["edited"] is True and event.actor_id == bob.user_id


def test_a_rejected_reply_shows_its_reason_in_the_thread_and_is_never_sent(
        make_conversation, council, alice, bob) -> None:
    ApprovalRule.objects.create(council=council, name="Everything")
    conversation = make_conversation()
    held = reply(conversation, alice)
    with pytest.raises(ValidationError, match="Enter the reason"):
        reply_reject(approval=held.approval, by=bob, reason="  ")
    reply_reject(approval=held.approval, by=bob, reason="Say when the crew will come.")
    shown = [m for m in conversation_thread(conversation=conversation) if m.pk == held.pk][0]
    assert shown.delivery_status == DeliveryStatus.REJECTED
    assert shown.rejection_reason == "Say when the crew will come."
    with pytest.raises(ValidationError, match="already been"):
        reply_approve(approval=ReplyApproval.objects.get(pk=held.approval.pk), by=bob)
    assert AuditEvent.objects.get(action="reply.rejected").data["reason"] == \
        "Say when the crew will come."


def test_approving_an_officers_welsh_override_request_is_audited_as_an_override(
        make_welsh_conversation, alice, bob) -> None:
    conversation = make_welsh_conversation()
    held = conversation_reply(conversation=conversation, text="Thanks, we are on it.", by=alice,
                              version=conversation.version, welsh_override=True)
    reply_approve(approval=held.approval, by=bob)
    event = AuditEvent.objects.get(action="reply.welsh_override")
    assert event.actor_id == bob.user_id and event.data["approved_request"] is True


def test_a_supervisor_editing_a_reply_into_english_meets_the_welsh_rule(
        make_welsh_conversation, council, alice, bob) -> None:
    from townhall.respond.welsh import WelshReplyRequired

    ApprovalRule.objects.create(council=council, name="Everything")
    conversation = make_welsh_conversation()
    held = reply(conversation, alice, "Diolch, byddwn yn anfon y criw yn ôl yfory.")
    with pytest.raises(WelshReplyRequired):
        reply_approve(approval=held.approval, by=bob, text="Thanks, the crew will come back.")
    assert ReplyApproval.objects.get(pk=held.approval.pk).status == ApprovalStatus.PENDING
    reply_approve(approval=held.approval, by=bob, text="Thanks, the crew will come back.",
                  welsh_override=True)
    assert AuditEvent.objects.filter(action="reply.welsh_override").count() == 1
