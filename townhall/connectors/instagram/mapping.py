"""Instagram's webhook and Graph API shapes, mapped to IncomingItems.

Webhooks arrive with "object": "instagram". Comments come as entry[].changes[] with
field "comments" (or "live_comments") and a value holding id, text, from{id, username},
media{id, media_product_type} and, for a reply, parent_id; the value has no time of its
own, so the entry's `time` (epoch seconds) stands in. Messages come as
entry[].messaging[] in the Messenger Platform shape: sender, recipient, timestamp
(epoch milliseconds) and message{mid, text, attachments, is_echo, is_deleted}.
Mentions (field "mentions") carry only media_id and comment_id, with no text or author:
`mention_refs` lists them, and the connector fetches each (connector.py) into a message
in its own thread, "mention:<media-id>:<comment-id>" for a comment, or
"mention:<media-id>" for a caption.

Threads: a top-level comment starts its own conversation and a reply joins its parent's
(Instagram replies are one level deep, so parent_id is always a top-level comment). DMs
are threaded by the resident's Instagram-scoped id ("igdm:<IGSID>"); media the account
is tagged in by "tag:<media-id>".
"""

from datetime import UTC, datetime
from typing import Any

from townhall.connectors.meta import Items, attachments, entry_items, webhook_entries
from townhall.ingest.items import IncomingItem, ItemError, parse_item

PLATFORM = "instagram"
DM_PREFIX = "igdm:"
TAG_PREFIX = "tag:"
MENTION_PREFIX = "mention:"
COMMENT_FIELDS = {"comments", "live_comments"}


def _epoch(raw: Any, *, millis: bool = False) -> str:
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        raise ItemError("The time is missing.")
    return datetime.fromtimestamp(raw / 1000 if millis else raw, tz=UTC).isoformat()


def comment(value: Any, *, created_at: str, ig_user_id: str, channel: str,
            media_id: str = "") -> IncomingItem:
    """A comment from a webhook value or from GET .../comments (same field names)."""
    if not isinstance(value, dict):
        raise ItemError("A comment must be an object.")
    who = value.get("from")
    if not isinstance(who, dict) or not who.get("id"):
        raise ItemError("'from.id' is missing.")
    if not value.get("id"):
        raise ItemError("'id' is missing.")
    media = value.get("media")
    media_id = media_id or (str(media.get("id", "")) if isinstance(media, dict) else "")
    parent = str(value.get("parent_id") or "")
    author = str(who["id"])
    return parse_item({
        "platform_message_id": str(value["id"]), "author": author,
        "author_name": str(who.get("username") or value.get("username") or ""),
        "text": value.get("text", ""), "thread_id": parent or str(value["id"]),
        "in_reply_to": parent or media_id, "created_at": created_at,
        "direction": "out" if author == ig_user_id else "in",
    }, platform=PLATFORM, channel=channel)


def messaging_event(event: Any, *, ig_user_id: str, channel: str) -> IncomingItem | None:
    if not isinstance(event, dict):
        raise ItemError("A messaging event must be an object.")
    message = event.get("message")
    if not isinstance(message, dict) or message.get("is_deleted"):
        return None  # Reactions, read receipts, postbacks and deletions are not messages.
    sender = str((event.get("sender") or {}).get("id") or "")
    recipient = str((event.get("recipient") or {}).get("id") or "")
    if not sender or not recipient:
        raise ItemError("'sender.id' or 'recipient.id' is missing.")
    if not message.get("mid"):
        raise ItemError("'message.mid' is missing.")
    echo = bool(message.get("is_echo")) or sender == ig_user_id
    text = message.get("text", "")
    if message.get("is_unsupported") and not text:
        text = "[A message Instagram cannot show outside its app]"
    return parse_item({
        "platform_message_id": str(message["mid"]), "author": sender, "text": text,
        "thread_id": DM_PREFIX + (recipient if echo else sender),
        "created_at": _epoch(event.get("timestamp"), millis=True),
        "direction": "out" if echo else "in",
        "attachments": attachments(message.get("attachments")),
    }, platform=PLATFORM, channel=channel)


def webhook_items(data: Any, *, ig_user_id: str, channel: str) -> Items:
    def read(index: int, entry: dict[str, Any]) -> Items:
        out: Items = []
        account = ig_user_id or str(entry.get("id", ""))
        for change in entry.get("changes") or []:
            if not isinstance(change, dict) or change.get("field") not in COMMENT_FIELDS:
                continue
            out += entry_items(lambda c=change, e=entry, a=account: comment(
                c.get("value"), created_at=_epoch(e.get("time")), ig_user_id=a,
                channel=channel), index)
        for event in entry.get("messaging") or []:
            out += entry_items(lambda e=event, a=account: messaging_event(
                e, ig_user_id=a, channel=channel), index)
        return out

    return webhook_entries(data, kind="instagram", read=read,
                           refusal="The body is not an Instagram webhook: 'object' must be "
                                   "'instagram'.")


def graph_comment(row: dict[str, Any], *, media_id: str, ig_user_id: str,
                  channel: str) -> IncomingItem:
    """A comment or reply as GET /{ig-user-id}/media?fields=comments{...} returns it."""
    stamp = row.get("timestamp")
    if not isinstance(stamp, str) or not stamp:
        raise ItemError("'timestamp' is missing.")
    return comment(row, created_at=stamp, ig_user_id=ig_user_id, channel=channel,
                   media_id=media_id)


def tagged_media(media: dict[str, Any], *, channel: str) -> IncomingItem:
    """Media the account is tagged in, from GET /{ig-user-id}/tags."""
    if not media.get("id") or not media.get("timestamp"):
        raise ItemError("'id' or 'timestamp' is missing.")
    username = str(media.get("username") or "")
    if not username:
        raise ItemError("'username' is missing.")
    url = media.get("media_url") or media.get("permalink")
    return parse_item({
        "platform_message_id": str(media["id"]), "author": username, "author_name": username,
        "text": media.get("caption", ""), "thread_id": TAG_PREFIX + str(media["id"]),
        "created_at": media["timestamp"],
        "attachments": [{"type": str(media.get("media_type", "IMAGE")).lower(),
                         "url": str(url)}] if url else [],
    }, platform=PLATFORM, channel=channel)


def mention_refs(data: Any) -> list[tuple[int, str, str]]:
    """(entry index, media id, comment id or "") of each @mention in a webhook body."""
    refs: list[tuple[int, str, str]] = []
    entries = data.get("entry") if isinstance(data, dict) else None
    for index, entry in enumerate(entries if isinstance(entries, list) else []):
        for change in (entry.get("changes") or []) if isinstance(entry, dict) else []:
            if not isinstance(change, dict) or change.get("field") != "mentions":
                continue
            value = change.get("value")
            value = value if isinstance(value, dict) else {}
            refs.append((index, str(value.get("media_id") or ""),
                         str(value.get("comment_id") or "")))
    return refs


def mentioned_comment(row: dict[str, Any], *, media_id: str, channel: str) -> IncomingItem:
    """A comment that @mentions the account, from GET /{ig-user-id}?fields=
    mentioned_comment.comment_id(...){...}. Instagram does not say who wrote it, so the
    author is keyed by the comment: each such comment is its own unknown resident."""
    if not row.get("id") or not row.get("timestamp"):
        raise ItemError("'id' or 'timestamp' is missing from the mentioned comment.")
    comment_id = str(row["id"])
    media = row.get("media")
    media_id = str((media.get("id") if isinstance(media, dict) else None) or media_id)
    return parse_item({
        "platform_message_id": comment_id, "author": f"mention:{comment_id}",
        "author_name": "", "text": row.get("text", ""),
        "thread_id": f"{MENTION_PREFIX}{media_id}:{comment_id}", "in_reply_to": comment_id,
        "created_at": row["timestamp"],
    }, platform=PLATFORM, channel=channel)


def mentioned_media(row: dict[str, Any], *, channel: str) -> IncomingItem:
    """A post whose caption @mentions the account (GET ...?fields=mentioned_media...)."""
    if not row.get("id") or not row.get("timestamp"):
        raise ItemError("'id' or 'timestamp' is missing from the mentioned media.")
    username = str(row.get("username") or "")
    url = row.get("media_url") or row.get("permalink")
    return parse_item({
        "platform_message_id": str(row["id"]), "author": username or f"mention:{row['id']}",
        "author_name": username, "text": row.get("caption", ""),
        "thread_id": f"{MENTION_PREFIX}{row['id']}", "created_at": row["timestamp"],
        "attachments": [{"type": str(row.get("media_type", "IMAGE")).lower(),
                         "url": str(url)}] if url else [],
    }, platform=PLATFORM, channel=channel)
