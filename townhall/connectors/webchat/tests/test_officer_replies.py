"""What the officer is told when replying to a web chat: a reply is stored for the
resident's chat, not "queued"; after the chat ended the reply box says a reply will not
reach them, and offers email where the resident gave an address and the council has an
email channel."""

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from townhall.conftest import PASSWORD
from townhall.connectors.email.connector import reply_message_id
from townhall.connectors.email.tests.conftest import (  # noqa: F401
    FROM_NAME,
    email_channel,
    mail_servers,
    mailbox,
    smtp_faults,
)
from townhall.connectors.email.tests.mailboxes import read_folder
from townhall.connectors.services import channel_create, channel_credentials_set, reply_deliver
from townhall.connectors.webchat.models import WebchatSession
from townhall.connectors.webchat.selectors import session_replies
from townhall.connectors.webchat.tests.conftest import Visitor
from townhall.inbox.models import Conversation, DeliveryStatus, Message
from townhall.inbox.services import conversation_reply

pytestmark = pytest.mark.django_db
COUNCIL_ADDRESS = "contact@afon.example"


@pytest.fixture
def officer(client: Any, alice: Any) -> Any:
    assert client.login(username="alice", password=PASSWORD)
    return client


@pytest.fixture
def council_email(council: Any) -> Any:
    """The council's email channel. Nothing listens on its SMTP port: these tests only
    look at what is stored and shown, not at what a mail server does with it."""
    channel, _ = channel_create(council=council, platform="email", handle=COUNCIL_ADDRESS)
    channel_credentials_set(channel=channel, settings={
        "from_address": COUNCIL_ADDRESS, "smtp_host": "127.0.0.1", "smtp_port": 9,
        "imap_host": "127.0.0.1", "imap_port": 9}, secrets={"smtp_password": "x"})
    return channel


def _reply(officer: Any, conversation: Conversation, text: str, **extra: Any) -> Any:
    return officer.post(reverse("inbox:reply", args=[conversation.pk]), {
        "reply-text": text, "reply-version": conversation.version,
        "reply-idempotency_key": f"key-{Message.objects.count()}", **extra}, follow=True)


def _end(visitor: Visitor) -> WebchatSession:
    """The resident has been away for longer than the council's idle time (24 hours)."""
    session = WebchatSession.objects.get(public_id=visitor.token.partition(":")[0])
    WebchatSession.objects.filter(pk=session.pk).update(
        last_seen_at=timezone.now() - timedelta(hours=24, minutes=10))
    session.refresh_from_db()
    return session


def _ended_words(session: WebchatSession) -> str:
    local = timezone.localtime(session.last_seen_at + timedelta(hours=24))
    if local.date() == timezone.localdate():
        return f"This chat ended at {local:%H:%M}."
    return f"This chat ended on {date_format(local, 'j F')} at {local:%H:%M}."


def test_a_reply_to_an_open_chat_is_stored_for_the_resident(officer: Any,
                                                            visitor: Visitor) -> None:
    visitor.send("Is the tip open on Sunday?")
    conversation = Conversation.objects.get(channel=visitor.channel)
    page = _reply(officer, conversation, "Yes, from 9 until 4.").content.decode()
    assert "Your reply is stored for the resident. Their chat shows it when it is open." in page
    assert "queued" not in page.lower()
    assert 'govuk-tag--grey th-tag">Sent</strong>' in page
    assert "reply-chat-ended" not in page


def test_an_ended_chat_says_so_in_the_reply_box_and_after_the_reply(
        officer: Any, visitor: Visitor) -> None:
    visitor.send("Is the tip open on Sunday?")
    conversation = Conversation.objects.get(channel=visitor.channel)
    session = _end(visitor)
    page = officer.get(reverse("inbox:conversation", args=[conversation.pk])).content.decode()
    warning = page.split('id="reply-chat-ended"')[1].split("</div>")[0]
    assert f"{_ended_words(session)} The resident will not see a reply here." in warning
    # They gave no email address in the chat: the warning is all there is.
    assert "reply-by_email" not in page

    page = _reply(officer, conversation, "Yes, from 9 until 4.").content.decode()
    assert ("Your reply is stored here, but the resident&#x27;s chat has ended, so they will "
            "not see it.") in page
    assert "Important" in page and "Success" not in page


def test_an_ended_contact_form_chat_offers_email_and_sends_it_there(
        officer: Any, visitor: Visitor, council_email: Any) -> None:
    visitor.send("Fly-tipped mattress behind the library", name="Sam Evans",
                 email="sam@example.org", form=True)
    conversation = Conversation.objects.get(channel=visitor.channel)
    _end(visitor)
    page = officer.get(reverse("inbox:conversation", args=[conversation.pk])).content.decode()
    assert "Send it by email to sam@example.org instead" in page
    assert f"It goes from the council's email address, {COUNCIL_ADDRESS}." in page

    page = _reply(officer, conversation, "We will clear it on Friday.",
                  **{"reply-by_email": "on"}).content.decode()
    assert "Your reply is queued to send by email to sam@example.org." in page
    assert "Queued to send</strong> <span class=\"th-delivery-time\">by email to " \
           "sam@example.org</span>" in page
    reply = Message.objects.get(direction="out")
    assert (reply.channel, reply.conversation) == (council_email, conversation)
    assert reply.in_reply_to == (f"mailto:sam@example.org?subject=Our%20reply%20to%20your%20web"
                                 f"%20chat%20%28{conversation.reference}%29")
    # The widget never shows it: it went another way.
    assert session_replies(conversation=conversation, after=0, exclude=[]) == []


def test_a_typed_address_is_offered_but_not_without_an_email_channel(
        officer: Any, visitor: Visitor, council: Any) -> None:
    visitor.send("My bin was missed. You can email me at jo.price@example.net, thanks")
    conversation = Conversation.objects.get(channel=visitor.channel)
    _end(visitor)
    url = reverse("inbox:conversation", args=[conversation.pk])
    assert "reply-by_email" not in officer.get(url).content.decode()
    channel, _ = channel_create(council=council, platform="email", handle=COUNCIL_ADDRESS)
    channel_credentials_set(channel=channel, settings={"from_address": COUNCIL_ADDRESS})
    assert "Send it by email to jo.price@example.net instead" in officer.get(url).content.decode()


def test_email_is_refused_while_the_chat_is_open(officer: Any, visitor: Visitor,
                                                 council_email: Any) -> None:
    visitor.send("Hello", name="Sam Evans", email="sam@example.org", form=True)
    conversation = Conversation.objects.get(channel=visitor.channel)
    response = _reply(officer, conversation, "Hello Sam", **{"reply-by_email": "on"})
    assert response.status_code == 400
    assert "This reply cannot be sent by email now." in response.content.decode()
    assert not Message.objects.filter(direction="out").exists()


def test_the_email_reaches_the_resident(
        visitor: Visitor, alice: Any, email_channel: Any,  # noqa: F811
        mail_servers: Any, mailbox: Any) -> None:  # noqa: F811
    visitor.send("Fly-tipped mattress behind the library", name="Sam Evans",
                 email="sam@example.org", form=True)
    conversation = Conversation.objects.get(channel=visitor.channel)
    _end(visitor)
    reply = conversation_reply(conversation=conversation, text="We will clear it on Friday.",
                               by=alice, version=conversation.version,
                               idempotency_key="chat-by-email", by_email=True)
    assert reply_deliver(message=reply).delivery_status == DeliveryStatus.SENT
    mail_servers.wait_until_delivered()
    sent = read_folder(mail_servers, mailbox.outbox, mailbox.password)
    assert len(sent) == 1
    email = sent[0]
    assert email["To"].addresses[0].addr_spec == "sam@example.org"
    assert email["Subject"] == f"Our reply to your web chat ({conversation.reference})"
    assert email["From"].addresses[0].display_name == f"Alice Jones ({FROM_NAME})"
    assert email["Message-ID"] == f"<{reply_message_id('chat-by-email', mailbox.address)}>"
    assert email["In-Reply-To"] is None
    assert email.get_content().startswith("We will clear it on Friday.")
