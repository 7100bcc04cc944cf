"""The email connector against the real test servers: checks, polling, replies."""

import imaplib
import logging
from typing import Any

import pytest

from townhall.connectors.credentials import ConnectorConfig
from townhall.connectors.email import connector as connector_module
from townhall.connectors.email.connector import EmailConnector
from townhall.connectors.email.endpoints import endpoint
from townhall.connectors.email.tests.conftest import email_settings
from townhall.connectors.email.tests.mailboxes import eml, imap_session
from townhall.connectors.email.tests.servers import Account, MailServers
from townhall.connectors.errors import NotConfigured, PermanentError
from townhall.connectors.models import ChannelCursor
from townhall.connectors.registry import connector_for
from townhall.connectors.services import channel_poll
from townhall.inbox.models import Message


def connector(servers: MailServers, account: Account, *, password: str = "",
              **settings: Any) -> EmailConnector:
    secret = password or account.password
    return EmailConnector(handle=account.address, config=ConnectorConfig(
        settings=email_settings(servers, account, **settings),
        stored_secrets={"imap_password": secret, "smtp_password": secret}))


# Checks ------------------------------------------------------------------------


@pytest.mark.parametrize("security", ["starttls", "ssl", "plain"])
def test_check_says_both_logins_work(mail_servers: MailServers, mailbox: Account,
                                     security: str) -> None:
    result = connector(mail_servers, mailbox, security=security).check()
    assert result.ok, result.lines
    assert result.lines[0].startswith(f"IMAP login works: {mailbox.address} can read the "
                                      "INBOX folder")
    assert "(7 emails in it)" in result.lines[0]
    assert result.lines[1].startswith(f"SMTP login works: {mailbox.address} can send")


def test_check_says_which_login_was_refused_without_showing_the_password(
        mail_servers: MailServers, mailbox: Account) -> None:
    result = connector(mail_servers, mailbox, password="not-the-password").check()
    assert not result.credentials_ok
    assert result.lines[0].startswith("IMAP login failed: The IMAP server")
    assert "refused the username or password" in result.lines[0]
    assert result.lines[1].startswith("SMTP login failed:")
    assert "not-the-password" not in " ".join(result.lines)


def test_check_names_missing_settings_and_contacts_no_server() -> None:
    result = EmailConnector(handle="contact@afon.test", config=ConnectorConfig(
        settings={"imap_host": "imap.afon.test"})).check()
    assert not result.ok
    assert any("'from_address'" in line for line in result.lines)
    assert any("IMAP username" in line for line in result.lines)
    assert any("'smtp_host'" in line for line in result.lines)
    assert result.lines[-1] == "Townhall did not contact the mail servers."


def test_check_says_the_server_cannot_be_reached(mail_servers: MailServers,
                                                 mailbox: Account) -> None:
    from townhall.connectors.email.tests.servers import free_port

    closed = free_port()
    result = connector(mail_servers, mailbox, imap_port=closed, smtp_port=closed).check()
    assert result.credentials_ok and not result.reachable
    assert result.lines[0].startswith("The IMAP server could not be reached:")
    assert result.lines[1].startswith("The SMTP server could not be reached:")


def test_an_unverified_certificate_is_refused_in_plain_words(mail_servers: MailServers,
                                                            mailbox: Account) -> None:
    result = connector(mail_servers, mailbox, security="starttls", ca_file="").check()
    assert not result.credentials_ok
    assert "certificate of the IMAP server" in result.lines[0]
    assert "could not be verified" in result.lines[1]


def test_plain_connections_are_only_allowed_to_this_machine() -> None:
    config = ConnectorConfig(settings={"imap_host": "imap.afon.gov.uk", "imap_security": "plain",
                                       "imap_username": "contact@afon.gov.uk"},
                             stored_secrets={"imap_password": "pw"})
    with pytest.raises(NotConfigured, match="unencrypted. Use ssl or starttls"):
        endpoint(config, "imap")


def test_a_bad_security_setting_is_named() -> None:
    config = ConnectorConfig(settings={"smtp_host": "smtp.afon.gov.uk", "smtp_security": "tls"})
    with pytest.raises(NotConfigured, match="'smtp_security' is 'tls'; use ssl, starttls"):
        endpoint(config, "smtp")


def test_passwords_can_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AFON_IMAP_PASSWORD", "from-env")
    config = ConnectorConfig(settings={"imap_host": "imap.afon.gov.uk",
                                       "imap_username": "contact@afon.gov.uk",
                                       "imap_password_env": "AFON_IMAP_PASSWORD"})
    found = endpoint(config, "imap")
    assert (found.port, found.security, found.password) == (993, "ssl", "from-env")
    assert "from-env" not in repr(found)


# Polling -----------------------------------------------------------------------


def test_polling_stores_residents_mail_once_and_skips_automatic_mail(
        email_channel: Any, mail_servers: MailServers, mailbox: Account,
        caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="townhall.connectors.email.connector"):
        assert channel_poll(channel=email_channel).created == 5
    assert "it is an automatic message (Auto-Submitted: auto-replied)" in caplog.text
    assert "it is a delivery report from mailer-daemon@mx.example.com" in caplog.text
    assert not Message.objects.filter(text__contains="out of the office").exists()
    cursor = ChannelCursor.objects.get(channel=email_channel).position
    assert cursor["last_uid"] == 7 and cursor["uidvalidity"] > 0
    assert channel_poll(channel=email_channel).created == 0
    # Townhall reads with BODY.PEEK: people using the mailbox still see the mail as new.
    conn = imap_session(mail_servers, mailbox.address, mailbox.password)
    conn.select("INBOX", readonly=True)
    assert conn.uid("SEARCH", "UNSEEN")[1][0].split() == [b"1", b"2", b"3", b"4", b"5", b"6",
                                                          b"7"]
    conn.logout()


def test_a_caught_up_poll_reads_nothing_again(email_channel: Any) -> None:
    polled = connector_for(email_channel).poll({})
    # "8:*" still matches UID 7 on the server; the connector must not read it again.
    again = connector_for(email_channel).poll(polled.cursor)
    assert again.items == [] and again.cursor["last_uid"] == 7


def test_a_long_backlog_is_read_a_batch_at_a_time(email_channel: Any,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(connector_module, "MAX_PER_POLL", 3)
    created, last_uids = [], []
    for _ in range(3):
        created.append(channel_poll(channel=email_channel).created)
        last_uids.append(ChannelCursor.objects.get(channel=email_channel).position["last_uid"])
    # UIDs 1-3, then 4-6 (the sixth is the auto-reply), then 7 (the bounce).
    assert (created, last_uids) == ([3, 2, 0], [3, 6, 7])
    assert Message.objects.filter(channel=email_channel).count() == 5


def test_a_renumbered_folder_is_read_again_without_duplicates(
        email_channel: Any, mail_servers: MailServers, mailbox: Account) -> None:
    from townhall.connectors.services import channel_credentials_set

    credentials = email_channel.credentials
    channel_credentials_set(channel=email_channel,
                            settings={**credentials.settings, "folder": "Residents"})
    conn = imap_session(mail_servers, mailbox.address, mailbox.password)
    _fill(conn, ["pothole.eml", "latin1.eml"])
    assert channel_poll(channel=email_channel).created == 2
    before = ChannelCursor.objects.get(channel=email_channel).position["uidvalidity"]

    # The folder is rebuilt (a migration, a restore): same mail, new UIDs, and one new.
    conn.delete("Residents")
    _fill(conn, ["latin1.eml", "pothole.eml", "welsh-utf8.eml"])
    conn.logout()
    result = channel_poll(channel=email_channel)
    after = ChannelCursor.objects.get(channel=email_channel).position
    assert after["uidvalidity"] != before
    assert (result.created, result.duplicates) == (1, 2)
    assert Message.objects.filter(channel=email_channel).count() == 3


def _fill(conn: imaplib.IMAP4, names: list[str]) -> None:
    conn.create("Residents")
    for name in names:
        conn.append("Residents", "", None, eml(name))


def test_a_first_poll_reads_only_the_backfill_window(email_channel: Any) -> None:
    from townhall.connectors.services import channel_credentials_set

    channel_credentials_set(channel=email_channel, settings={
        **email_channel.credentials.settings, "backfill_days": 0})
    assert channel_poll(channel=email_channel).created == 0
    assert ChannelCursor.objects.get(channel=email_channel).position["last_uid"] == 7


# Replies -----------------------------------------------------------------------


def test_a_reply_goes_to_the_reply_to_address(email_channel: Any, mail_servers: MailServers,
                                              mailbox: Account, smtp_faults: Any) -> None:
    raw = eml("pothole.eml").replace(b"Subject:", b"Reply-To: Sam at home <sam@home.example>\n"
                                     b"Subject:").replace(b"Pothole14@", b"Pothole99@")
    mail_servers.store([raw], to=mailbox.address)
    sent = connector_for(email_channel).send_reply(
        text="We will look at it.", thread_id="CAF7x2k9Q3mPothole99@mail.example.org",
        in_reply_to="", idempotency_key="reply-to-test")
    [delivered] = smtp_faults.sent()
    assert delivered["id"] == sent.platform_message_id
    assert delivered["message"]["To"].addresses[0].addr_spec == "sam@home.example"
    assert delivered["message"]["From"].addresses[0].display_name == "Afon Borough Council"


def test_a_reply_to_an_email_no_longer_in_the_mailbox_fails_clearly(
        email_channel: Any, smtp_faults: Any) -> None:
    with pytest.raises(PermanentError, match="could not find the email <gone@example.org> in "
                                             "the INBOX folder"):
        connector_for(email_channel).send_reply(text="Hello", thread_id="gone@example.org",
                                                in_reply_to="", idempotency_key="gone")
    assert smtp_faults.sent() == []



def test_a_welsh_reply_arrives_intact_in_seven_bit_mail(email_channel: Any,
                                                        smtp_faults: Any) -> None:
    connector_for(email_channel).send_reply(
        text="Diolch. Bydd y tîm yn mynd i Heol y Bont a Thŷ Gŵyn yfory.\n^Alice",
        thread_id="20260303140211.GA1183@example.cymru", in_reply_to="",
        idempotency_key="welsh-reply")
    [delivered] = smtp_faults.sent()
    message = delivered["message"]
    assert message["Subject"] == "Re: Biniau heb eu casglu ar Ffordd y Bryn — ŵyr a ŷd"
    assert message["Content-Transfer-Encoding"] == "quoted-printable"
    assert "Thŷ Gŵyn yfory." in message.get_content()
    assert message["To"].addresses[0].display_name == "Gwenllïan ap Dafydd"


def test_pushed_mail_leaves_out_automatic_answers() -> None:
    from townhall.connectors.email.tests.test_contract import FIXTURES

    pushed = EmailConnector(handle="contact@afon.test", config=ConnectorConfig()).parse_webhook(
        (FIXTURES / "webhooks" / "attachments-and-auto-reply.json").read_bytes())
    assert [getattr(p, "author", p) for p in pushed] == ["cerys@example.net",
                                                          "rhys.morgan@example.com"]


def test_find_sent_finds_a_reply_the_provider_filed_in_sent(mail_servers: MailServers,
                                                            mailbox: Account) -> None:
    from datetime import UTC, datetime

    from townhall.connectors.email.connector import reply_message_id

    email = connector(mail_servers, mailbox, copy_wait=0)
    pmid = reply_message_id("filed-in-sent", mailbox.address)
    asked = {"text": "Hello", "thread_id": "t@example.org", "in_reply_to": "",
             "idempotency_key": "filed-in-sent", "since": datetime.now(UTC)}
    assert email.find_sent(**asked) is None
    conn = imap_session(mail_servers, mailbox.address, mailbox.password)
    conn.append("Sent", "(\\Seen)", None, f"From: {mailbox.address}\r\nMessage-ID: <{pmid}>\r\n"
                f"Date: Mon, 2 Mar 2026 10:00:00 +0000\r\nSubject: Re: x\r\n\r\nHello\r\n".encode())
    conn.logout()
    found = email.find_sent(**asked)
    assert found is not None and found.platform_message_id == pmid
    assert found.sent_at is not None and found.sent_at.isoformat() == "2026-03-02T10:00:00+00:00"
