"""Bluesky (AT Protocol) notification shapes, mapped to IncomingItems.

app.bsky.notification.listNotifications answers {notifications: [...], cursor}. Each
notification has uri, cid, author{did, handle, displayName}, reason (mention, reply,
quote, like, repost, follow, ...), reasonSubject, record (for a post: $type
app.bsky.feed.post, text, createdAt, reply{root, parent} as {uri, cid} strong refs,
embed), isRead and indexedAt.

Threads: a reply joins its parent's thread through `in_reply_to` (the parent's
at:// uri); a post that replies to nothing starts its own thread under its own uri.
"""

from typing import Any

from townhall.ingest.items import IncomingItem, ItemError, parse_item

PLATFORM = "bluesky"
POST = "app.bsky.feed.post"
REASONS = ("mention", "reply", "quote")
CDN = "https://cdn.bsky.app/img/feed_fullsize/plain"


def did_of(uri: str) -> str:
    """The author's DID in at://<did>/<collection>/<rkey>."""
    return uri.removeprefix("at://").split("/", 1)[0] if uri.startswith("at://") else ""


def _images(embed: Any, did: str) -> list[dict[str, Any]]:
    if not isinstance(embed, dict):
        return []
    if embed.get("$type") == "app.bsky.embed.recordWithMedia":
        return _images(embed.get("media"), did)
    if embed.get("$type") != "app.bsky.embed.images":
        return []
    out = []
    for image in embed.get("images") or []:
        ref = ((image or {}).get("image") or {}).get("ref") or {}
        link = ref.get("$link") if isinstance(ref, dict) else None
        if link:
            out.append({"type": "photo", "url": f"{CDN}/{did}/{link}@jpeg",
                        "alt": str(image.get("alt") or "")})
    return out


def post_item(*, uri: Any, author: Any, record: Any, indexed_at: Any, own_did: str,
              channel: str) -> IncomingItem:
    if not isinstance(uri, str) or not uri.startswith("at://"):
        raise ItemError("'uri' is missing or is not an at:// address.")
    if not isinstance(author, dict) or not author.get("did"):
        raise ItemError("'author.did' is missing.")
    if not isinstance(record, dict) or record.get("$type") != POST:
        raise ItemError(f"The record is not an {POST}.")
    reply = record.get("reply") if isinstance(record.get("reply"), dict) else {}
    parent = (reply.get("parent") or {}).get("uri", "") if reply else ""
    did = str(author["did"])
    return parse_item({
        "platform_message_id": uri, "in_reply_to": str(parent),
        "author": did, "author_name": str(author.get("displayName") or author.get("handle")
                                          or ""),
        "text": record.get("text", ""),
        "created_at": record.get("createdAt") or indexed_at,
        "direction": "out" if own_did and did == own_did else "in",
        "attachments": _images(record.get("embed"), did),
    }, platform=PLATFORM, channel=channel)


def notification_item(notification: Any, *, own_did: str,
                      channel: str) -> IncomingItem | None:
    """A mention, reply or quote as an item; likes, reposts and follows are None."""
    if not isinstance(notification, dict):
        raise ItemError("A notification must be an object.")
    if notification.get("reason") not in REASONS:
        return None
    return post_item(uri=notification.get("uri"), author=notification.get("author"),
                     record=notification.get("record"),
                     indexed_at=notification.get("indexedAt"), own_did=own_did,
                     channel=channel)


def notifications_items(data: Any, *, own_did: str,
                        channel: str) -> list[IncomingItem | ItemError]:
    rows = data.get("notifications") if isinstance(data, dict) else None
    if not isinstance(rows, list):
        return [ItemError("The body has no 'notifications' list.")]
    out: list[IncomingItem | ItemError] = []
    for row in rows:
        try:
            item = notification_item(row, own_did=own_did, channel=channel)
        except ItemError as error:
            out.append(error)
            continue
        if item is not None:
            out.append(item)
    return out
