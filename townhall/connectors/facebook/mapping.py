"""Meta's Page webhook and Graph API shapes, mapped to IncomingItems.

Feed changes arrive as entry[].changes[] with field "feed" and a value holding item,
verb, comment_id, post_id, parent_id, from{id,name}, message and created_time (epoch
seconds). Messenger events arrive as entry[].messaging[] with sender, recipient,
timestamp (epoch milliseconds) and message{mid,text,attachments}.

Threads: a top-level comment starts its own conversation (residents commenting on the
same council post are different people with different problems); a reply joins its
parent comment's thread. Messenger threads are keyed by the resident's page-scoped id.
"""

from datetime import UTC, datetime
from typing import Any

from townhall.connectors.meta import Items, attachments, entry_items, webhook_entries
from townhall.ingest.items import IncomingItem, ItemError, parse_item

PLATFORM = "facebook"
MESSENGER_PREFIX = "messenger:"
# Feed items that a resident writes to the page; likes, reactions and shares are not messages.
POST_ITEMS = {"post", "status", "photo", "video"}
IGNORED_VERBS = {"remove", "hide", "unhide", "block", "unblock"}


def _when(raw: Any, *, millis: bool = False) -> str:
    if isinstance(raw, bool) or raw in (None, ""):
        raise ItemError("'created_time' is missing.")
    if isinstance(raw, int | float):
        seconds = raw / 1000 if millis else raw
        return datetime.fromtimestamp(seconds, tz=UTC).isoformat()
    if isinstance(raw, str) and raw.isdigit():
        return _when(int(raw), millis=millis)
    if isinstance(raw, str):
        return raw
    raise ItemError("'created_time' is not a time.")


def _author(value: dict[str, Any]) -> tuple[str, str]:
    who = value.get("from")
    if not isinstance(who, dict) or not who.get("id"):
        raise ItemError("'from.id' is missing.")
    return str(who["id"]), str(who.get("name", ""))


def feed_change(value: Any, *, page_id: str, channel: str) -> IncomingItem | None:
    """One feed change as an item, None if it is not a message, or ItemError if broken."""
    if not isinstance(value, dict):
        raise ItemError("A feed change must be an object.")
    item, verb = value.get("item"), value.get("verb")
    if verb in IGNORED_VERBS or (item != "comment" and item not in POST_ITEMS):
        return None
    author, name = _author(value)
    by_page = author == page_id
    if item == "comment":
        comment_id = value.get("comment_id")
        if not comment_id:
            raise ItemError("'comment_id' is missing.")
        post_id, parent_id = str(value.get("post_id", "")), str(value.get("parent_id", ""))
        is_reply = bool(parent_id) and parent_id != post_id
        data = {"platform_message_id": str(comment_id),
                "thread_id": parent_id if is_reply else str(comment_id),
                "in_reply_to": parent_id or post_id}
    else:
        if by_page:
            # The council's own posts are publishing, not conversations.
            return None
        if not value.get("post_id"):
            raise ItemError("'post_id' is missing.")
        data = {"platform_message_id": str(value["post_id"]),
                "thread_id": str(value["post_id"])}
    photo = value.get("photo") or value.get("full_picture")
    photos = [{"type": "photo", "url": str(photo)}] if photo else []
    return parse_item({
        **data, "author": author, "author_name": name, "text": value.get("message", ""),
        "created_at": _when(value.get("created_time")), "direction": "out" if by_page else "in",
        "attachments": photos,
    }, platform=PLATFORM, channel=channel)


def messaging_event(event: Any, *, page_id: str, channel: str) -> IncomingItem | None:
    if not isinstance(event, dict):
        raise ItemError("A messaging event must be an object.")
    message = event.get("message")
    if not isinstance(message, dict):
        return None  # Delivery and read receipts, reactions and postbacks are not messages.
    sender = (event.get("sender") or {}).get("id")
    recipient = (event.get("recipient") or {}).get("id")
    if not sender or not recipient:
        raise ItemError("'sender.id' or 'recipient.id' is missing.")
    if not message.get("mid"):
        raise ItemError("'message.mid' is missing.")
    echo = bool(message.get("is_echo")) or str(sender) == page_id
    resident = str(recipient if echo else sender)
    return parse_item({
        "platform_message_id": str(message["mid"]), "author": str(sender),
        "text": message.get("text", ""), "thread_id": MESSENGER_PREFIX + resident,
        "created_at": _when(event.get("timestamp"), millis=True),
        "direction": "out" if echo else "in",
        "attachments": attachments(message.get("attachments")),
    }, platform=PLATFORM, channel=channel)


def webhook_items(data: Any, *, page_id: str, channel: str) -> Items:
    def read(index: int, entry: dict[str, Any]) -> Items:
        out: Items = []
        # Each entry names its Page; a channel's own setting wins when it has one.
        page = page_id or str(entry.get("id", ""))
        for change in entry.get("changes") or []:
            field = change.get("field") if isinstance(change, dict) else None
            if field != "feed":
                continue
            out += entry_items(lambda c=change, p=page: feed_change(
                c.get("value"), page_id=p, channel=channel), index)
        for event in entry.get("messaging") or []:
            out += entry_items(lambda e=event, p=page: messaging_event(
                e, page_id=p, channel=channel), index)
        return out

    return webhook_entries(data, kind="page", read=read,
                           refusal="The body is not a Page webhook: 'object' must be 'page'.")


def graph_comment(comment: dict[str, Any], *, post_id: str, page_id: str,
                  channel: str) -> IncomingItem:
    """A comment as GET /{post-id}/comments returns it (created_time is ISO 8601)."""
    parent = comment.get("parent") or {}
    parent_id = str(parent.get("id", "")) if isinstance(parent, dict) else ""
    return feed_change({
        "item": "comment", "verb": "add", "comment_id": comment.get("id"),
        "post_id": post_id, "parent_id": parent_id or post_id, "from": comment.get("from"),
        "message": comment.get("message", ""), "created_time": comment.get("created_time"),
    }, page_id=page_id, channel=channel)  # type: ignore[return-value]


def graph_post(post: dict[str, Any], *, page_id: str, channel: str) -> IncomingItem | None:
    return feed_change({
        "item": "post", "verb": "add", "post_id": post.get("id"), "from": post.get("from"),
        "message": post.get("message", ""), "created_time": post.get("created_time"),
        "full_picture": post.get("full_picture"),
    }, page_id=page_id, channel=channel)


def graph_message(message: dict[str, Any], *, page_id: str, channel: str) -> IncomingItem:
    """A message as GET /{conversation-id}?fields=messages{...} returns it."""
    author = str((message.get("from") or {}).get("id", ""))
    to = [str(p.get("id")) for p in (message.get("to") or {}).get("data", [])]
    resident = next((p for p in to if p != page_id), "") if author == page_id else author
    created = message.get("created_time")
    return parse_item({
        "platform_message_id": str(message.get("id", "")), "author": author,
        "author_name": str((message.get("from") or {}).get("name", "")),
        "text": message.get("message", ""), "thread_id": MESSENGER_PREFIX + resident,
        "created_at": created if isinstance(created, str) else _when(created),
        "direction": "out" if author == page_id else "in",
    }, platform=PLATFORM, channel=channel)
