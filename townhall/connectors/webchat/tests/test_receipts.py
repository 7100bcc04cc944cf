"""A web chat reply is Sent when stored for the visitor, Delivered when their widget has
it, and Seen when it was on their screen; the officer's thread says which, and when."""

import re
from datetime import timedelta
from importlib import import_module
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from townhall.conftest import message_data
from townhall.connectors.models import DeliveryAttempt
from townhall.connectors.webchat.models import WebchatReceipt, WebchatSession
from townhall.connectors.webchat.tests.conftest import Visitor
from townhall.core.models import AuditEvent
from townhall.inbox.models import Conversation, Message
from townhall.inbox.selectors import conversation_live_token
from townhall.inbox.services import conversation_reply
from townhall.ingest.items import parse_item
from townhall.ingest.services import items_ingest

pytestmark = pytest.mark.django_db


def _reply(visitor: Visitor, officer: Any, text: str = "A crew is on its way.") -> Message:
    conversation = Conversation.objects.get(channel=visitor.channel)
    return conversation_reply(conversation=conversation, text=text, by=officer,
                              version=conversation.version)


def _thread(officer: Any, visitor: Visitor) -> str:
    client = Client()
    client.force_login(officer.user)
    conversation = Conversation.objects.get(channel=visitor.channel)
    page = client.get(reverse("inbox:conversation", args=[conversation.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    return re.sub(r"\s+", " ", html[html.index('class="govuk-list th-thread"'):])


def _out_meta(html: str) -> str:
    start = html.index('th-message--out')
    return html[start:html.index("</p>", start)]


def test_a_stored_reply_is_sent_then_delivered_then_seen(visitor: Visitor, alice: Any) -> None:
    visitor.send()
    reply = _reply(visitor, alice)
    meta = _out_meta(_thread(alice, visitor))
    assert '<strong class="govuk-tag govuk-tag--grey th-tag">Sent</strong>' in meta
    assert "Queued to send" not in meta

    visitor.replies()
    visitor.replies(after=reply.pk, ack=[reply.pk])
    receipt = WebchatReceipt.objects.get(message=reply)
    assert receipt.seen_at is None
    assert timezone.now() - receipt.delivered_at < timedelta(seconds=5)
    local = timezone.localtime(receipt.delivered_at)
    meta = _out_meta(_thread(alice, visitor))
    assert ('<strong class="govuk-tag govuk-tag--blue th-tag">Delivered</strong> '
            f'<span class="th-delivery-time">at <time datetime="{local.isoformat()}">'
            f'{local:%H:%M}</time></span>') in meta

    visitor.replies(after=reply.pk, seen=[reply.pk])
    receipt.refresh_from_db()
    assert receipt.seen_at is not None
    meta = _out_meta(_thread(alice, visitor))
    assert '<strong class="govuk-tag govuk-tag--green th-tag">Seen</strong>' in meta
    assert "delivered at" in meta and ", seen at" in meta
    assert AuditEvent.objects.filter(action="reply.seen", object_id=str(reply.pk)).count() == 1


def test_a_reply_is_seen_only_once_and_only_after_it_was_delivered(visitor: Visitor,
                                                                  alice: Any) -> None:
    visitor.send()
    reply = _reply(visitor, alice)
    # Reported seen before the widget confirmed it has it: nothing to record yet.
    visitor.replies(seen=[reply.pk])
    assert not WebchatReceipt.objects.filter(message=reply).exists()
    # Confirmed and seen in the same poll: delivered first, then seen.
    visitor.replies(after=reply.pk, ack=[reply.pk], seen=[reply.pk])
    first = WebchatReceipt.objects.get(message=reply).seen_at
    visitor.replies(after=reply.pk, seen=[reply.pk])
    assert WebchatReceipt.objects.get(message=reply).seen_at == first
    assert AuditEvent.objects.filter(action="reply.seen").count() == 1


def test_a_visitor_cannot_mark_another_visitors_reply_seen(visitor: Visitor, chat_channel: Any,
                                                           alice: Any) -> None:
    visitor.send()
    reply = _reply(visitor, alice)
    visitor.replies(after=reply.pk, ack=[reply.pk])
    stranger = Visitor(chat_channel, ip="198.51.100.9")
    stranger.start()
    assert stranger.replies(seen=[reply.pk]).status_code == 200
    assert WebchatReceipt.objects.get(message=reply).seen_at is None


def test_a_bad_seen_list_is_refused(visitor: Visitor) -> None:
    response = visitor.client.get(visitor.url("replies"), {"seen": "1,two"},
                                  headers=visitor.auth())
    assert response.status_code == 400 and "'seen'" in response.json()["error"]


def test_other_platforms_still_show_queued_to_send(alice: Any, council: Any) -> None:
    items_ingest(council=council, source="import", items=[parse_item(message_data(
        platform_message_id="fb-1", thread_id="fb-t1", platform="facebook",
        channel="facebook-account"))])
    conversation = Conversation.objects.get(thread_key="fb-t1")
    conversation_reply(conversation=conversation, text="We will look.", by=alice,
                       version=conversation.version)
    client = Client()
    client.force_login(alice.user)
    page = client.get(reverse("inbox:conversation", args=[conversation.pk])).content.decode()
    assert "Queued to send" in page and ">Delivered<" not in page


def test_the_open_conversation_page_refreshes_when_the_reply_is_delivered_and_seen(
        visitor: Visitor, alice: Any) -> None:
    visitor.send()
    reply = _reply(visitor, alice)
    conversation = Conversation.objects.get(channel=visitor.channel)
    tokens = [conversation_live_token(conversation_id=conversation.pk, viewers=[])]
    visitor.replies(after=reply.pk, ack=[reply.pk])
    tokens.append(conversation_live_token(conversation_id=conversation.pk, viewers=[]))
    visitor.replies(after=reply.pk, seen=[reply.pk])
    tokens.append(conversation_live_token(conversation_id=conversation.pk, viewers=[]))
    # The visitor goes away: the page says so without a reload.
    WebchatSession.objects.update(last_seen_at=timezone.now() - timedelta(minutes=10))
    tokens.append(conversation_live_token(conversation_id=conversation.pk, viewers=[]))
    assert len(set(tokens)) == 4


def test_the_thread_says_when_the_chat_ended(visitor: Visitor, alice: Any) -> None:
    visitor.send()
    html = _thread(alice, visitor)
    assert "Chat open" in html and "The resident has this chat open" in html

    visitor.client.post(visitor.url("end"), headers=visitor.auth())
    html = _thread(alice, visitor)
    assert "Chat ended" in html
    assert "This chat ended today at" in html
    assert "The resident cleared it from their device." in html
    assert "Replies written here now will not reach the resident." in html


def test_the_thread_says_when_the_visitor_left(visitor: Visitor, alice: Any) -> None:
    visitor.send()
    left = timezone.now() - timedelta(minutes=20)
    WebchatSession.objects.update(last_seen_at=left)
    html = _thread(alice, visitor)
    local = timezone.localtime(left)
    back_by = timezone.localtime(left + timedelta(hours=24))
    assert f"The resident left the chat: it was last open today at {local:%H:%M}." in html
    assert f"They will see new replies if they come back before {back_by:%H:%M}" in html


def test_the_thread_stays_the_same_number_of_queries_with_receipts(
        visitor: Visitor, alice: Any, django_assert_max_num_queries: Any) -> None:
    visitor.send()
    for n in range(5):
        reply = _reply(visitor, alice, f"Reply {n}")
        visitor.replies(after=reply.pk, ack=[reply.pk], seen=[reply.pk])
    from townhall.inbox.selectors import conversation_thread

    conversation = Conversation.objects.get(channel=visitor.channel)
    with django_assert_max_num_queries(1):
        thread = conversation_thread(conversation=conversation)
        receipts = [getattr(m, "webchat_receipt", None) for m in thread]
        assert sum(1 for r in receipts if r is not None and r.seen_at) == 5


def test_replies_confirmed_before_receipts_existed_keep_their_delivery_time(
        visitor: Visitor, alice: Any) -> None:
    from django.apps import apps

    migration = import_module(
        "townhall.connectors.webchat.migrations.0002_session_end_and_receipts")
    visitor.send()
    reply = _reply(visitor, alice)
    visitor.replies(after=reply.pk, ack=[reply.pk])
    confirmed_at = DeliveryAttempt.objects.get(message=reply).at
    WebchatReceipt.objects.all().delete()  # as the database was before this change
    migration.receipts_from_attempts(apps, None)
    assert WebchatReceipt.objects.get(message=reply).delivered_at == confirmed_at
