"""Mastodon's REST, streaming and webhook shapes, mapped to IncomingItems.

A Status has id, created_at (ISO 8601), in_reply_to_id, in_reply_to_account_id,
visibility (public, unlisted, private, direct), content (HTML), account{id, acct,
display_name}, mentions[] and media_attachments[]. A Notification wraps one as
{id, type, created_at, account, status}; a Conversation as {id, accounts, last_status}.
An admin webhook wraps one as {event: "status.created", created_at, object}.

Threads: a public reply joins its parent's thread through `in_reply_to` (ingest follows
the in_reply_to_id chain); a status that replies to nothing starts its own. Direct
messages are threaded by Mastodon's conversation id, `conversation:<id>`.
"""

import html
import re
from html.parser import HTMLParser
from typing import Any

from townhall.ingest.items import IncomingItem, ItemError, parse_item

PLATFORM = "mastodon"
CONVERSATION_PREFIX = "conversation:"
DIRECT = "direct"


class _Text(HTMLParser):
    """Status content is HTML: paragraphs and line breaks become new lines."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self.parts.append("\n")
        elif tag == "p" and self.parts:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def html_to_text(content: str) -> str:
    parser = _Text()
    parser.feed(content or "")
    parser.close()
    return "".join(parser.parts).strip()


def text_to_html(text: str) -> str:
    """How the fake server and tests render plain text as Mastodon does."""
    paragraphs = re.split(r"\n{2,}", text.strip())
    return "".join(f"<p>{html.escape(p).replace(chr(10), '<br />')}</p>" for p in paragraphs)


def _attachments(raw: Any) -> list[dict[str, Any]]:
    out = []
    for media in raw if isinstance(raw, list) else []:
        if isinstance(media, dict) and media.get("url"):
            out.append({"type": str(media.get("type", "file")), "url": str(media["url"]),
                        "alt": str(media.get("description") or "")})
    return out


def status_item(status: Any, *, account_id: str, channel: str,
                conversation_id: str = "") -> IncomingItem:
    """One status as an item, or ItemError saying what is missing."""
    if not isinstance(status, dict):
        raise ItemError("A status must be an object.")
    account = status.get("account")
    if not isinstance(account, dict) or not account.get("id"):
        raise ItemError("'account.id' is missing.")
    if not status.get("id"):
        raise ItemError("'id' is missing.")
    author = str(account["id"])
    thread = ""
    if conversation_id:
        thread = CONVERSATION_PREFIX + str(conversation_id)
    return parse_item({
        "platform_message_id": str(status["id"]), "thread_id": thread,
        "in_reply_to": str(status.get("in_reply_to_id") or ""),
        "author": author, "author_name": str(account.get("display_name") or
                                             account.get("acct") or ""),
        "text": html_to_text(str(status.get("content") or "")),
        "created_at": status.get("created_at"),
        "direction": "out" if account_id and author == account_id else "in",
        "attachments": _attachments(status.get("media_attachments")),
    }, platform=PLATFORM, channel=channel)


def concerns(status: dict[str, Any], account_id: str) -> bool:
    """Whether a status is for the council: it mentions the account or replies to it."""
    if str(status.get("in_reply_to_account_id") or "") == account_id:
        return True
    raw = status.get("mentions")
    mentions: list[Any] = raw if isinstance(raw, list) else []
    return any(isinstance(m, dict) and str(m.get("id")) == account_id for m in mentions)


def notification_item(notification: Any, *, account_id: str,
                      channel: str) -> IncomingItem | None:
    """A mention notification as an item; other types, and direct messages (which come
    through conversations, with their conversation id), are None."""
    if not isinstance(notification, dict):
        raise ItemError("A notification must be an object.")
    if notification.get("type") != "mention":
        return None
    status = notification.get("status")
    if not isinstance(status, dict):
        raise ItemError("A mention notification has no 'status'.")
    if status.get("visibility") == DIRECT:
        return None
    return status_item(status, account_id=account_id, channel=channel)


def conversation_item(conversation: Any, *, account_id: str,
                      channel: str) -> IncomingItem | None:
    if not isinstance(conversation, dict) or not conversation.get("id"):
        raise ItemError("A conversation must be an object with an 'id'.")
    status = conversation.get("last_status")
    if not isinstance(status, dict):
        return None
    return status_item(status, account_id=account_id, channel=channel,
                       conversation_id=str(conversation["id"]))


def webhook_items(data: Any, *, account_id: str,
                  channel: str) -> list[IncomingItem | ItemError]:
    """Items in an admin webhook body: one event, as Mastodon sends it, or a list of
    events, as a relay or a replay may batch them. Statuses that neither mention nor
    reply to the council's account are not the council's business and are skipped."""
    events = data if isinstance(data, list) else [data]
    out: list[IncomingItem | ItemError] = []
    for event in events:
        try:
            if not isinstance(event, dict) or not isinstance(event.get("object"), dict):
                raise ItemError("A webhook event must be an object with an 'object'.")
            if event.get("event") not in ("status.created", "status.updated"):
                continue
            status = event["object"]
            if status.get("visibility") == DIRECT or not concerns(status, account_id):
                # Direct messages are read through conversations, which carry their id.
                continue
            out.append(status_item(status, account_id=account_id, channel=channel))
        except ItemError as error:
            out.append(error)
    return out
