"""Reading and filling the test servers' mailboxes, as a mail program would."""

import imaplib
from email.message import EmailMessage
from pathlib import Path

from townhall.connectors.email.parsing import message_from_bytes
from townhall.connectors.email.tests.servers import MailServers

MAIL = Path(__file__).parent / "fixtures" / "mail"


def eml(name: str) -> bytes:
    return (MAIL / name).read_bytes()


def read_folder(servers: MailServers, address: str, password: str,
                folder: str = "INBOX") -> list[EmailMessage]:
    conn = imaplib.IMAP4("127.0.0.1", servers.ports.imap, timeout=10)
    try:
        conn.login(address, password)
        conn.select(f'"{folder}"', readonly=True)
        _, data = conn.uid("SEARCH", "ALL")
        uids = data[0].split() if data and data[0] else []
        messages = []
        for uid in uids:
            _, fetched = conn.uid("FETCH", uid.decode(), "(BODY.PEEK[])")
            raw = next(item[1] for item in fetched if isinstance(item, tuple))
            messages.append(message_from_bytes(raw))
        return messages
    finally:
        conn.logout()


def imap_session(servers: MailServers, address: str, password: str) -> imaplib.IMAP4:
    conn = imaplib.IMAP4("127.0.0.1", servers.ports.imap, timeout=10)
    conn.login(address, password)
    return conn
