"""X's payloads mapped to IncomingItems.

Two shapes arrive. Polling reads API v2 objects: a post with id, text, author_id,
created_at (ISO 8601), conversation_id and referenced_tweets, its author in
`includes.users`; a DM event with id, event_type, text, sender_id, dm_conversation_id
and created_at. Account Activity webhooks deliver the older v1.1 shapes: a post in
`tweet_create_events` with id_str, text (or extended_tweet.full_text), user{id_str,
name, screen_name}, in_reply_to_status_id_str and created_at like
"Mon Mar 02 09:15:00 +0000 2026"; a DM in `direct_message_events` with type
"message_create", id, created_timestamp (epoch milliseconds as a string) and
message_create{sender_id, target.recipient_id, message_data.text}.

Threads: a post joins its conversation (X's conversation_id, the id of the post that
started it). v1.1 posts carry no conversation_id, so a webhook reply names only its
parent and ingest puts it in the parent's thread; a post that replies to nothing starts
its own, under its own id, which is its conversation_id. DMs are threaded by the
resident's user id ("dm:<id>"), the same from both shapes.
"""

import html
from datetime import UTC, datetime
from typing import Any

from townhall.ingest.items import IncomingItem, ItemError, parse_item

PLATFORM = "x"
DM_PREFIX = "dm:"


def _author_name(user: dict[str, Any] | None) -> str:
    if not isinstance(user, dict):
        return ""
    name = str(user.get("name", ""))
    handle = str(user.get("username") or user.get("screen_name") or "")
    return f"{name} (@{handle})" if handle else name


def _replied_to(tweet: dict[str, Any]) -> str:
    for ref in tweet.get("referenced_tweets") or []:
        if isinstance(ref, dict) and ref.get("type") == "replied_to":
            return str(ref.get("id", ""))
    return ""


def _media(entities: Any) -> list[dict[str, Any]]:
    media = (entities or {}).get("media") if isinstance(entities, dict) else None
    return [{"type": str(m.get("type", "photo")), "url": str(m.get("media_url_https", ""))}
            for m in media or [] if isinstance(m, dict)]


def v2_tweet(tweet: Any, *, users: dict[str, dict[str, Any]], user_id: str,
             channel: str) -> IncomingItem | None:
    """A post from GET /2/users/:id/mentions or /tweets; None for a plain repost."""
    if not isinstance(tweet, dict):
        raise ItemError("A post must be an object.")
    if any(r.get("type") == "retweeted" for r in tweet.get("referenced_tweets") or []
           if isinstance(r, dict)):
        return None
    author = str(tweet.get("author_id") or "")
    if not author or not tweet.get("id"):
        raise ItemError("'id' or 'author_id' is missing.")
    if not tweet.get("created_at"):
        raise ItemError("'created_at' is missing.")
    return parse_item({
        "platform_message_id": str(tweet["id"]), "author": author,
        "author_name": _author_name(users.get(author)),
        "text": html.unescape(str(tweet.get("text", ""))),
        "thread_id": str(tweet.get("conversation_id") or tweet["id"]),
        "in_reply_to": _replied_to(tweet), "created_at": tweet["created_at"],
        "direction": "out" if author == user_id else "in",
    }, platform=PLATFORM, channel=channel)


def v2_dm_event(event: Any, *, users: dict[str, dict[str, Any]], user_id: str,
                channel: str) -> IncomingItem | None:
    """A DM from GET /2/dm_events; None for joins, leaves and other non-messages."""
    if not isinstance(event, dict):
        raise ItemError("A DM event must be an object.")
    if event.get("event_type") != "MessageCreate":
        return None
    sender = str(event.get("sender_id") or "")
    if not sender or not event.get("id"):
        raise ItemError("'id' or 'sender_id' is missing.")
    if not event.get("created_at"):
        raise ItemError("'created_at' is missing.")
    resident = sender
    if sender == user_id:
        others = [p for p in str(event.get("dm_conversation_id", "")).split("-")
                  if p and p != user_id]
        others += [str(p) for p in event.get("participant_ids") or [] if str(p) != user_id]
        if not others:
            raise ItemError("The council's own DM names no resident.")
        resident = others[0]
    return parse_item({
        "platform_message_id": str(event["id"]), "author": sender,
        "author_name": _author_name(users.get(sender)),
        "text": html.unescape(str(event.get("text", ""))),
        "thread_id": DM_PREFIX + resident, "created_at": event["created_at"],
        "direction": "out" if sender == user_id else "in",
    }, platform=PLATFORM, channel=channel)


def users_by_id(includes: Any) -> dict[str, dict[str, Any]]:
    users = (includes or {}).get("users") if isinstance(includes, dict) else None
    return {str(u["id"]): u for u in users or [] if isinstance(u, dict) and u.get("id")}


# Account Activity (webhooks) ---------------------------------------------------------


def _v1_time(raw: Any) -> str:
    if not isinstance(raw, str) or not raw:
        raise ItemError("'created_at' is missing.")
    try:
        return datetime.strptime(raw, "%a %b %d %H:%M:%S %z %Y").isoformat()
    except ValueError:
        raise ItemError(f"'created_at' is not a time X writes: {raw[:40]!r}.") from None


def activity_tweet(tweet: Any, *, user_id: str, channel: str) -> IncomingItem | None:
    """A post from tweet_create_events; None for reposts and the account's own posts
    that reply to nothing (publishing, not conversation)."""
    if not isinstance(tweet, dict):
        raise ItemError("A post must be an object.")
    if tweet.get("retweeted_status"):
        return None
    user = tweet.get("user")
    if not isinstance(user, dict) or not user.get("id_str"):
        raise ItemError("'user.id_str' is missing.")
    if not tweet.get("id_str"):
        raise ItemError("'id_str' is missing.")
    author, parent = str(user["id_str"]), str(tweet.get("in_reply_to_status_id_str") or "")
    if author == user_id and not parent:
        return None
    extended = tweet.get("extended_tweet") if tweet.get("truncated") else None
    text = (extended or {}).get("full_text") or tweet.get("full_text") or tweet.get("text", "")
    entities = (extended or {}).get("extended_entities") or tweet.get("extended_entities")
    return parse_item({
        "platform_message_id": str(tweet["id_str"]), "author": author,
        "author_name": _author_name(user), "text": html.unescape(str(text)),
        # A reply names only its parent; ingest threads it with the parent.
        "thread_id": "" if parent else str(tweet["id_str"]), "in_reply_to": parent,
        "created_at": _v1_time(tweet.get("created_at")),
        "direction": "out" if author == user_id else "in",
        "attachments": _media(entities),
    }, platform=PLATFORM, channel=channel)


def activity_dm(event: Any, *, users: dict[str, Any], user_id: str,
                channel: str) -> IncomingItem | None:
    if not isinstance(event, dict):
        raise ItemError("A DM event must be an object.")
    if event.get("type") != "message_create":
        return None
    create = event.get("message_create")
    if not isinstance(create, dict):
        raise ItemError("'message_create' is missing.")
    sender = str(create.get("sender_id") or "")
    recipient = str((create.get("target") or {}).get("recipient_id") or "")
    if not sender or not recipient or not event.get("id"):
        raise ItemError("'id', 'sender_id' or 'target.recipient_id' is missing.")
    stamp = str(event.get("created_timestamp") or "")
    if not stamp.isdigit():
        raise ItemError("'created_timestamp' is missing.")
    data = create.get("message_data") or {}
    attachment = data.get("attachment") if isinstance(data, dict) else None
    media = attachment.get("media") if isinstance(attachment, dict) else None
    outbound = sender == user_id
    return parse_item({
        "platform_message_id": str(event["id"]), "author": sender,
        "author_name": _author_name(users.get(sender)),
        "text": html.unescape(str(data.get("text", ""))),
        "thread_id": DM_PREFIX + (recipient if outbound else sender),
        "created_at": datetime.fromtimestamp(int(stamp) / 1000, tz=UTC).isoformat(),
        "direction": "out" if outbound else "in",
        "attachments": _media({"media": [media]} if isinstance(media, dict) else None),
    }, platform=PLATFORM, channel=channel)


def activity_items(data: Any, *, user_id: str, channel: str) -> list[IncomingItem | ItemError]:
    if not isinstance(data, dict) or "for_user_id" not in data:
        return [ItemError("The body is not an Account Activity event: 'for_user_id' is "
                          "missing.")]
    if user_id and str(data["for_user_id"]) != user_id:
        return [ItemError(f"The events are for X account {data['for_user_id']}, not this "
                          f"channel's account {user_id}.")]
    account = user_id or str(data["for_user_id"])
    raw_users = data.get("users")
    users: dict[str, Any] = raw_users if isinstance(raw_users, dict) else {}
    out: list[IncomingItem | ItemError] = []
    for index, tweet in enumerate(_list(data, "tweet_create_events")):
        out += _one(lambda t=tweet: activity_tweet(t, user_id=account, channel=channel),
                    f"Post {index}")
    for index, event in enumerate(_list(data, "direct_message_events")):
        out += _one(lambda e=event: activity_dm(e, users=users, user_id=account,
                                                channel=channel), f"DM {index}")
    return out


def _list(data: dict[str, Any], name: str) -> list[Any]:
    value = data.get(name)
    return value if isinstance(value, list) else []


def _one(build: Any, label: str) -> list[IncomingItem | ItemError]:
    try:
        item = build()
    except ItemError as error:
        return [ItemError(f"{label}: {error}")]
    except (TypeError, AttributeError, ValueError) as error:
        return [ItemError(f"{label} is not shaped as X documents it ({error}).")]
    return [item] if item is not None else []
