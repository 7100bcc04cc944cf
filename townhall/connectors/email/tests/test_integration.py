"""The whole story against real servers: a resident emails the council, an officer
answers from the inbox, the resident writes back, all in one conversation."""

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any

import pytest

from townhall.connectors.email.connector import reply_message_id
from townhall.connectors.email.tests.conftest import FROM_NAME, email_settings
from townhall.connectors.email.tests.mailboxes import read_folder
from townhall.connectors.email.tests.servers import Account, MailServers
from townhall.connectors.models import ChannelCredentials
from townhall.connectors.services import (
    channel_create,
    channel_credentials_set,
    channel_poll,
    reply_deliver,
)
from townhall.core.models import AuditEvent
from townhall.inbox.models import Conversation, DeliveryStatus, Message
from townhall.inbox.services import conversation_reply

RESIDENT = "cerys.evans@example.net"


def _written_now() -> datetime:
    """Now, as an email's Date says it: whole seconds, rounded up so a resident's answer
    is never dated before the reply it answers."""
    return datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=1)


def resident_email(message_id: str, subject: str, body: str, *, in_reply_to: str = "",
                   references: str = "", written: datetime | None = None) -> bytes:
    threading = ""
    if in_reply_to:
        threading += f"In-Reply-To: <{in_reply_to}>\r\n"
    if references:
        threading += f"References: {references}\r\n"
    return (f"From: Cerys Evans <{RESIDENT}>\r\nTo: Afon Borough Council <contact@afon.test>\r\n"
            f"Subject: {subject}\r\nDate: {format_datetime(written or _written_now())}\r\n"
            f"Message-ID: <{message_id}>\r\n{threading}MIME-Version: 1.0\r\n"
            "Content-Type: text/plain; charset=utf-8\r\n\r\n" + body).encode()


@pytest.fixture
def account(mail_servers: MailServers) -> Account:
    return mail_servers.add_account()


@pytest.fixture
def channel(council: Any, mail_servers: MailServers, account: Account) -> Any:
    """A channel as a council would set one up: STARTTLS on both servers."""
    channel, _ = channel_create(council=council, platform="email", handle=account.address)
    channel_credentials_set(
        channel=channel, settings=email_settings(mail_servers, account, security="starttls"),
        secrets={"imap_password": account.password, "smtp_password": account.password})
    return channel


def test_a_resident_and_an_officer_write_back_and_forth_in_one_conversation(
        channel: Any, mail_servers: MailServers, account: Account, alice: Any) -> None:
    mail_servers.deliver(resident_email(
        "first.cerys@example.net", "Fly-tipping on Lôn Ŵyn",
        "There is a pile of rubbish bags by the gate on Lôn Ŵyn.\r\n",
        written=datetime.now(UTC) - timedelta(hours=1)), to=account.address,
        sender=RESIDENT)

    first = channel_poll(channel=channel)
    assert first.created == 1
    assert channel_poll(channel=channel).created == 0
    conversation = Conversation.objects.get(channel=channel)
    assert conversation.subject == "Fly-tipping on Lôn Ŵyn"
    assert conversation.thread_key == "first.cerys@example.net"

    reply = conversation_reply(conversation=conversation, text="Thank you, Cerys. We will "
                               "clear it by Friday.", by=alice, version=conversation.version,
                               idempotency_key="reply-cerys-1")
    assert reply_deliver(message=reply).delivery_status == DeliveryStatus.SENT
    assert reply_deliver(message=reply).delivery_status == DeliveryStatus.SENT
    mail_servers.wait_until_delivered()

    sent_id = reply_message_id("reply-cerys-1", account.address)
    assert mail_servers.accepted(sent_id) == 1
    delivered = read_folder(mail_servers, account.outbox, account.password)
    assert len(delivered) == 1
    sent = delivered[0]
    assert sent["Message-ID"] == f"<{sent_id}>"
    assert sent["In-Reply-To"] == "<first.cerys@example.net>"
    assert sent["References"] == "<first.cerys@example.net>"
    assert sent["Subject"] == "Re: Fly-tipping on Lôn Ŵyn"
    assert sent["To"].addresses[0].addr_spec == RESIDENT
    assert sent["From"].addresses[0].display_name == f"Alice Jones ({FROM_NAME})"
    assert sent["From"].addresses[0].addr_spec == account.address
    assert "We will clear it by Friday." in sent.get_content()
    assert Message.objects.get(pk=reply.pk).platform_message_id == sent_id

    # Cerys answers from her mail program, which threads by the council's reply.
    mail_servers.deliver(resident_email(
        "second.cerys@example.net", "Re: Fly-tipping on Lôn Ŵyn",
        "Thank you! There are two more bags now.\r\n\r\nOn Tue, 3 Mar 2026 at 10:00, "
        f"Alice Jones <{account.address}> wrote:\r\n> Thank you, Cerys.\r\n",
        in_reply_to=sent_id, references=f"<first.cerys@example.net> <{sent_id}>"),
        to=account.address, sender=RESIDENT)
    assert channel_poll(channel=channel).created == 1

    assert Conversation.objects.filter(channel=channel).count() == 1
    texts = list(Message.objects.filter(conversation=conversation).order_by("created_at", "id")
                 .values_list("direction", "text"))
    assert [d for d, _ in texts] == ["in", "out", "in"]
    assert texts[2][1] == "Thank you! There are two more bags now."
    # The server's copy of the reply, back in the mailbox, is not mistaken for mail.
    assert len(read_folder(mail_servers, account.address, account.password)) == 3


def test_a_follow_up_with_only_in_reply_to_joins_the_conversation(
        channel: Any, mail_servers: MailServers, account: Account, alice: Any) -> None:
    mail_servers.deliver(resident_email("bins.1@example.net", "Missed bins", "Missed again.\r\n",
                                        written=datetime.now(UTC) - timedelta(hours=1)),
                         to=account.address, sender=RESIDENT)
    channel_poll(channel=channel)
    conversation = Conversation.objects.get(channel=channel)
    reply = conversation_reply(conversation=conversation, text="Sorry, we will come back.",
                               by=alice, version=conversation.version, idempotency_key="bins-1")
    assert reply_deliver(message=reply).delivery_status == DeliveryStatus.SENT
    sent_id = reply_message_id("bins-1", account.address)
    mail_servers.deliver(resident_email("bins.2@example.net", "Re: Missed bins", "Thanks.\r\n",
                                        in_reply_to=sent_id),
                         to=account.address, sender=RESIDENT)
    assert channel_poll(channel=channel).created == 1
    assert Conversation.objects.filter(channel=channel).count() == 1
    assert conversation.messages.count() == 3


def test_the_passwords_are_stored_encrypted_and_kept_out_of_the_audit_trail(
        channel: Any, account: Account) -> None:
    stored = ChannelCredentials.objects.get(channel=channel)
    assert account.password not in stored.secrets_encrypted
    assert account.password not in str(stored.settings)
    audit = AuditEvent.objects.get(action="channel.credentials_set")
    assert audit.data["secrets"] == ["imap_password", "smtp_password"]
    assert account.password not in str(audit.data)
