"""A reply to a report from a reporting app is published the moment it is stored: the app
reads it as the request's status_notes. Nothing sends it, so nothing retries or fails it."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from townhall.conftest import PASSWORD
from townhall.connectors.models import DeliveryAttempt
from townhall.connectors.services import replies_deliver_due, reply_deliver
from townhall.core.models import AuditEvent
from townhall.inbox.models import Conversation, DeliveryStatus, Direction, Message
from townhall.open311.server import api_key_create
from townhall.respond.approvals import reply_approve
from townhall.respond.models import ApprovalRule, ReplyApproval
from townhall.shift.tests.helpers import categories

pytestmark = pytest.mark.django_db
BASE = "/open311/v2"
REPORT = {"service_code": "roads_potholes", "address_string": "12 Mill Lane, SW1A 1AA",
          "description": "Huge pothole outside number 12"}


class ReportingApp:
    """A resident's reporting app: it reports problems and reads their status."""

    def __init__(self, key: str) -> None:
        self.client, self.key = Client(), key

    def report(self) -> tuple[str, Conversation]:
        answer = self.client.post(f"{BASE}/requests.json", {**REPORT, "api_key": self.key})
        return (answer.json()[0]["service_request_id"],
                Conversation.objects.get(channel__platform="open311"))

    def status_notes(self, reference: str) -> str | None:
        answer = self.client.get(f"{BASE}/requests/{reference}.json", {"api_key": self.key})
        return answer.json()[0]["status_notes"]


@pytest.fixture
def app(council) -> ReportingApp:
    categories(council)
    return ReportingApp(api_key_create(council=council, name="Reporting app")[1])


def test_it_publishes_the_reply_as_the_status_notes_at_once(client, app, alice) -> None:
    reference, conversation = app.report()
    assert client.login(username="alice", password=PASSWORD)
    response = client.post(reverse("inbox:reply", args=[conversation.pk]), {
        "reply-text": "An inspector will visit on Tuesday.", "reply-version": conversation.version,
        "reply-idempotency_key": "report-1"}, follow=True)
    page = response.content.decode()
    assert ("Your reply is published to the reporting app as the request&#x27;s status notes."
            in page)
    assert "Queued to send" not in page
    meta = page.split('class="th-message th-message--out"')[1].split("</p>")[0]
    assert "Published</strong> to the reporting app as the request&#x27;s status notes" in meta

    reply = Message.objects.get(direction=Direction.OUT)
    assert reply.delivery_status == DeliveryStatus.SENT
    assert reply.platform_message_id == f"open311-reply-{reply.pk}"
    assert app.status_notes(reference) == reply.text
    assert DeliveryAttempt.objects.get(message=reply).outcome == "sent"
    assert AuditEvent.objects.get(action="reply.published").object_id == str(reply.pk)


def test_the_sweep_never_tries_it_and_a_send_never_fails_it(app, alice) -> None:
    from townhall.inbox.services import conversation_reply

    _reference, conversation = app.report()
    reply = conversation_reply(conversation=conversation, text="Noted, thank you.", by=alice,
                               version=conversation.version)
    assert replies_deliver_due() == 0
    assert reply_deliver(message=reply).delivery_status == DeliveryStatus.SENT
    assert DeliveryAttempt.objects.filter(message=reply).count() == 1
    assert not AuditEvent.objects.filter(action="reply.failed").exists()


def test_a_reply_left_queued_by_an_earlier_version_is_published_not_failed(app) -> None:
    reference, conversation = app.report()
    now = timezone.now()
    old = Message.objects.create(
        council=conversation.council, conversation=conversation, channel=conversation.channel,
        direction=Direction.OUT, text="We are looking into it.", created_at=now, received_at=now,
        delivery_status=DeliveryStatus.QUEUED, idempotency_key="from-before")
    assert replies_deliver_due() == 0
    assert reply_deliver(message=old).delivery_status == DeliveryStatus.SENT
    assert app.status_notes(reference) == "We are looking into it."


def test_a_reply_waiting_for_approval_is_not_the_status_notes_until_approved(
        client, app, council, alice, bob) -> None:
    reference, conversation = app.report()
    ApprovalRule.objects.create(council=council, name="Everything")
    assert client.login(username="alice", password=PASSWORD)
    response = client.post(reverse("inbox:reply", args=[conversation.pk]), {
        "reply-text": "We will pay compensation.", "reply-version": conversation.version,
        "reply-idempotency_key": "held-1"}, follow=True)
    assert "waiting for a supervisor&#x27;s approval" in response.content.decode()
    assert app.status_notes(reference) is None

    reply_approve(approval=ReplyApproval.objects.get(), by=bob)
    reply = Message.objects.get(direction=Direction.OUT)
    assert reply.delivery_status == DeliveryStatus.SENT
    assert app.status_notes(reference) == reply.text
