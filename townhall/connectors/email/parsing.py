"""One email (RFC 5322 bytes) as an IncomingItem, or the reason it is not one.

Parsed with the standard library's `email` package (policy=default), which decodes
encoded words in headers and each part's charset. Threading follows Message-ID,
In-Reply-To and References: the thread key is the root of the References chain, so a
reply from the resident lands in the conversation it answers.
"""

import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage, Message
from email.parser import BytesParser
from email.utils import getaddresses, parseaddr

from townhall.connectors.email.text import html_to_text, trim_quoted
from townhall.ingest.items import MAX_ID, IncomingItem, ItemError, parse_item

PLATFORM = "email"
_MSG_ID = re.compile(r"<([^<>\s]+)>")
# Senders whose mail is a machine's, never a resident's.
_ROBOT_SENDERS = {"mailer-daemon", "postmaster", "mail-daemon"}
_BULK_PRECEDENCE = {"bulk", "junk", "list", "auto_reply", "auto-reply"}
# "Re:" and its equivalents in Welsh (Ateb, ATB), German (AW) and Scandinavian (SV).
_REPLY_PREFIX = re.compile(r"^\s*(?:re|ateb|atb|aw|sv)\s*:\s*", re.IGNORECASE)


@dataclass(frozen=True)
class Skipped:
    """An email that is deliberately not a resident's message, and why."""

    message_id: str
    reason: str

    def __str__(self) -> str:
        return f"Skipped email {self.message_id or '(no Message-ID)'}: {self.reason}"


def message_from_bytes(raw: bytes) -> EmailMessage:
    parsed = BytesParser(policy=policy.default).parsebytes(raw)
    assert isinstance(parsed, EmailMessage)  # noqa: S101 - policy.default guarantees it
    return parsed


def message_id(value: object) -> str:
    """The first <id> in a header value, without its angle brackets."""
    text = str(value or "").strip()
    found = _MSG_ID.search(text)
    if found:
        return found.group(1)
    # Some senders leave the brackets off; a bare token is still an id.
    token = text.split()[0] if text.split() else ""
    return token.strip("<>") if "@" in token else ""


def message_ids(value: object) -> list[str]:
    text = str(value or "")
    found = _MSG_ID.findall(text)
    if found:
        return list(found)
    return [t.strip("<>") for t in text.split() if "@" in t]


def header(msg: Message, name: str) -> str:
    """A header as text; a malformed encoded word never stops the message."""
    try:
        value = msg.get(name)
    except (ValueError, LookupError, IndexError):
        value = None
    return str(value or "").strip()


def own_message_id(msg: EmailMessage) -> str:
    """The Message-ID, or a stable stand-in for a message that has none.

    The stand-in hashes what the sender wrote, so the same message read twice (a
    redelivery, a rescan) gets the same id and ingest stores it once.
    """
    found = message_id(header(msg, "Message-ID"))
    if found and len(found) <= MAX_ID:
        return found
    digest = hashlib.sha256()
    for name in ("From", "Date", "Subject", "To"):
        digest.update(header(msg, name).encode("utf-8", "replace") + b"\n")
    body = msg.get_body(preferencelist=("plain", "html"))
    payload = body.get_payload(decode=True) if body is not None else None
    if isinstance(payload, bytes):
        digest.update(payload)
    return f"no-message-id.{digest.hexdigest()[:40]}@townhall.invalid"


def skip_reason(msg: Message, *, own_addresses: set[str]) -> str:
    """Why this email is not a resident writing, or "" if it is one."""
    auto = header(msg, "Auto-Submitted").lower()
    if auto and auto != "no":
        return f"it is an automatic message (Auto-Submitted: {auto})."
    precedence = header(msg, "Precedence").lower()
    if precedence in _BULK_PRECEDENCE:
        return f"it is bulk or automatic mail (Precedence: {precedence})."
    if header(msg, "X-Autoreply") or header(msg, "X-Autorespond"):
        return "it is an automatic reply (X-Autoreply)."
    sender = parseaddr(header(msg, "From"))[1].lower()
    if sender.split("@")[0] in _ROBOT_SENDERS:
        return f"it is a delivery report from {sender}."
    if msg.get_content_type() == "multipart/report":
        return "it is a delivery or read report (multipart/report)."
    if sender and sender in own_addresses:
        return "it is the council's own copy of a reply it sent."
    return ""


def _decoded(part: Message) -> str:
    """A text part's content in its declared charset, falling back safely."""
    try:
        content = part.get_content()  # type: ignore[attr-defined]
    except (LookupError, UnicodeError, AssertionError):
        raw = part.get_payload(decode=True) or b""
        assert isinstance(raw, bytes)  # noqa: S101 - decode=True returns bytes
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            return raw.decode("windows-1252", "replace")
    return content if isinstance(content, str) else ""


def body_text(msg: EmailMessage) -> str:
    """The readable body: text/plain preferred, HTML flattened when it is all there is."""
    part = msg.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    content = _decoded(part)
    if part.get_content_type() == "text/html":
        content = html_to_text(content)
    return trim_quoted(content)


def attachments(msg: EmailMessage) -> list[dict[str, object]]:
    """Each attachment as metadata only: its name, type and size in bytes."""
    body = msg.get_body(preferencelist=("plain", "html"))
    listed: list[dict[str, object]] = []
    for part in msg.walk():
        if part.is_multipart() or part is body:
            continue
        filename = part.get_filename() or ""
        content_type = part.get_content_type()
        disposition = part.get_content_disposition()
        # Alternative bodies (the HTML twin of a plain text body) are not attachments.
        if not filename and disposition != "attachment" and part.get_content_maintype() in (
                "text", "multipart"):
            continue
        payload = part.get_payload(decode=True)
        size = len(payload) if isinstance(payload, bytes) else len(str(part.get_payload()))
        listed.append({
            "type": "image" if part.get_content_maintype() == "image" else "file",
            "filename": filename,
            "content_type": content_type,
            "size": size,
        })
    return listed


def sent_at(msg: Message, fallback: datetime | None) -> datetime:
    raw = msg.get("Date")
    when = getattr(raw, "datetime", None)
    if isinstance(when, datetime):
        return when if when.tzinfo is not None else when.replace(tzinfo=UTC)
    return fallback or datetime.now(UTC)


def thread_of(msg: Message) -> tuple[str, str]:
    """(thread_id, in_reply_to): the root of References, and the message answered.

    With no References but an In-Reply-To, the thread is left to ingest, which puts
    the message in its parent's conversation.
    """
    references = [r for r in message_ids(header(msg, "References")) if len(r) <= MAX_ID]
    parent = message_id(header(msg, "In-Reply-To"))
    if len(parent) > MAX_ID:
        parent = ""
    parent = parent or (references[-1] if references else "")
    return (references[0] if references else ""), parent


def email_item(raw: bytes, *, channel: str, own_addresses: set[str],
               received_at: datetime | None = None) -> IncomingItem | Skipped:
    """The resident's message in `raw`, a Skipped with the reason, or ItemError."""
    try:
        msg = message_from_bytes(raw)
    except Exception as error:  # noqa: BLE001 - the parser's failures are not a closed set
        raise ItemError(f"The email could not be read: {error}.") from None
    pmid = own_message_id(msg)
    reason = skip_reason(msg, own_addresses={a.lower() for a in own_addresses})
    if reason:
        return Skipped(message_id=pmid, reason=reason)
    pairs = getaddresses([header(msg, "From")])
    name, address = pairs[0] if pairs else ("", "")
    if not address or "@" not in address:
        raise ItemError(f"The email {pmid} has no sender address in its From header.")
    thread_id, in_reply_to = thread_of(msg)
    text = body_text(msg)
    subject = header(msg, "Subject")
    if subject and not in_reply_to:
        # A new email's subject says what it is about, and becomes the conversation's.
        text = f"{subject}\n\n{text}".strip()
    return parse_item({
        "platform_message_id": pmid, "author": address.lower(), "author_name": name,
        "text": text, "created_at": sent_at(msg, received_at).isoformat(),
        "thread_id": thread_id, "in_reply_to": in_reply_to,
        "attachments": attachments(msg),
    }, platform=PLATFORM, channel=channel)


def reply_subject(subject: str) -> str:
    """'Re: ' and the subject, without stacking prefixes ('Re: Re: Re:')."""
    stripped = subject.strip()
    while _REPLY_PREFIX.match(stripped):
        stripped = _REPLY_PREFIX.sub("", stripped, count=1)
    return f"Re: {stripped}" if stripped else "Re: your message"
