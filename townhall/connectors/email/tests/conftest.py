"""Fixtures for the email connector: real Dovecot and Exim, one pair per test session
(so one per pytest-xdist worker), a fresh mailbox per test.

Without the Debian packages the tests that need the servers are skipped, saying which
binary is missing, unless TOWNHALL_REQUIRE_MAIL is set (as CI sets it): then they fail.
"""

import os
from collections.abc import Iterator
from typing import Any

import pytest

from townhall.connectors.email.tests.mailboxes import eml
from townhall.connectors.email.tests.servers import (
    PACKAGES,
    Account,
    MailServers,
    missing_binaries,
    start_mail_servers,
    stop_mail_servers,
)
from townhall.connectors.email.tests.smtp_faults import SmtpFaults
from townhall.connectors.testing import channel_connected

WEBHOOK_SECRET = "email-push-secret-for-tests"
FROM_NAME = "Afon Borough Council"
# What the council's mailbox holds when a test starts: residents' mail, an
# out-of-office answer and a bounce.
MAILBOX_START = ("pothole.eml", "welsh-utf8.eml", "latin1.eml", "html-only.eml",
                 "attachments.eml", "auto-reply.eml", "bounce.eml")


def require_mail_binaries() -> None:
    """Skip (or, with TOWNHALL_REQUIRE_MAIL set, fail) saying what is missing."""
    missing = missing_binaries()
    if missing:
        message = (f"The email tests need Dovecot and Exim; missing: {', '.join(missing)}. "
                   f"Install them with: apt-get install -y {' '.join(PACKAGES)}")
        if os.environ.get("TOWNHALL_REQUIRE_MAIL"):
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture(scope="session")
def mail_servers() -> Iterator[MailServers]:
    require_mail_binaries()
    servers = start_mail_servers()
    yield servers
    stop_mail_servers(servers)


@pytest.fixture
def mailbox(mail_servers: MailServers) -> Account:
    """A fresh council mailbox holding MAILBOX_START."""
    account = mail_servers.add_account()
    mail_servers.store([eml(name) for name in MAILBOX_START], to=account.address)
    return account


@pytest.fixture
def smtp_faults(mail_servers: MailServers, mailbox: Account) -> Iterator[SmtpFaults]:
    faults = SmtpFaults(mail_servers, mailbox)
    yield faults
    faults.close()


def email_settings(servers: MailServers, account: Account, *, smtp_port: int | None = None,
                   security: str = "plain", **extra: Any) -> dict[str, Any]:
    imap_port = servers.ports.imaps if security == "ssl" else servers.ports.imap
    default_smtp = servers.ports.smtps if security == "ssl" else servers.ports.smtp
    return {
        "from_address": account.address, "from_name": FROM_NAME,
        "imap_host": "127.0.0.1", "imap_port": imap_port, "imap_security": security,
        "imap_username": account.address,
        "smtp_host": "127.0.0.1", "smtp_port": smtp_port or default_smtp,
        "smtp_security": security, "smtp_username": account.address,
        "ca_file": str(servers.cert), "timeout": 5, **extra,
    }


@pytest.fixture
def email_channel(council: Any, mail_servers: MailServers, mailbox: Account,
                  smtp_faults: SmtpFaults) -> Any:
    """An email channel reading the mailbox and sending through the fault port."""
    return channel_connected(
        council, "email", mailbox.address,
        settings=email_settings(mail_servers, mailbox, smtp_port=smtp_faults.port),
        secrets={"imap_password": mailbox.password, "smtp_password": mailbox.password,
                 "webhook_secret": WEBHOOK_SECRET})
