"""Parse and validate one incoming message, from whatever format it arrived in.

The same rules apply to an import line, a webhook body and an API call, so a message
accepted by one route would be accepted by the others.
"""

import hashlib
import json
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

PLATFORMS = {
    "facebook", "instagram", "x", "mastodon", "bluesky", "nextdoor", "youtube", "linkedin",
    "tiktok", "whatsapp", "email", "webchat", "webform", "rss", "open311", "other",
}
MAX_ID = 255
MAX_HANDLE = 320


class ItemError(ValueError):
    """The item is not a valid message; the text says why in plain words."""


@dataclass(frozen=True)
class IncomingItem:
    platform: str
    channel: str
    platform_message_id: str
    author: str
    text: str
    created_at: datetime
    author_name: str = ""
    direction: str = "in"
    thread_id: str = ""
    in_reply_to: str = ""
    attachments: list[dict[str, Any]] = field(default_factory=list)

    def content_hash(self) -> str:
        """A fingerprint of what the resident wrote, to tell a redelivery from an edit.

        Text is compared in NFC so the same words in decomposed form (as some phones send
        them) count as a redelivery; the stored text keeps the bytes as received.
        """
        content = {
            "author": self.author,
            "text": unicodedata.normalize("NFC", self.text),
            "created_at": self.created_at.isoformat(),
            "direction": self.direction,
            "thread_id": self.thread_id,
            "in_reply_to": self.in_reply_to,
            "attachments": self.attachments,
        }
        encoded = json.dumps(content, sort_keys=True, ensure_ascii=False).encode()
        return hashlib.sha256(encoded).hexdigest()

    def to_payload(self) -> dict[str, Any]:
        # Written out rather than dataclasses.asdict, which deep-copies: this runs for
        # every imported line.
        return {
            "platform": self.platform, "channel": self.channel,
            "platform_message_id": self.platform_message_id, "author": self.author,
            "text": self.text, "created_at": self.created_at.isoformat(),
            "author_name": self.author_name, "direction": self.direction,
            "thread_id": self.thread_id, "in_reply_to": self.in_reply_to,
            "attachments": self.attachments,
        }


def _string(data: dict[str, Any], name: str, *, required: bool, limit: int) -> str:
    value = data.get(name)
    if value is None or value == "":
        if required:
            raise ItemError(f"'{name}' is missing.")
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise ItemError(f"'{name}' must be text.")
    text = str(value).strip()
    if len(text) > limit:
        raise ItemError(f"'{name}' is longer than {limit} characters.")
    if "\x00" in text:
        raise ItemError(f"'{name}' contains a NUL character, which cannot be stored.")
    return text


def _created_at(raw: Any) -> datetime:
    if not isinstance(raw, str) or not raw.strip():
        raise ItemError("'created_at' is missing.")
    try:
        value = datetime.fromisoformat(raw.strip())
    except ValueError:
        raise ItemError(
            f"'created_at' is not an ISO 8601 date and time: {raw[:40]!r}."
        ) from None
    if value.tzinfo is None or value.utcoffset() is None:
        raise ItemError("'created_at' must include a time zone, for example 2026-03-01T09:30Z.")
    return value


def _attachments(raw: Any) -> list[dict[str, Any]]:
    if raw in (None, ""):
        return []
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except json.JSONDecodeError:
            raise ItemError("'attachments' must be a JSON list of objects.") from None
    if not isinstance(raw, list) or not all(isinstance(a, dict) for a in raw):
        raise ItemError("'attachments' must be a list of objects.")
    if "\\u0000" in json.dumps(raw):
        raise ItemError("'attachments' contains a NUL character, which cannot be stored.")
    return raw


def parse_item(data: Any, *, platform: str = "", channel: str = "") -> IncomingItem:
    """Build an IncomingItem from a mapping, or raise ItemError saying what is wrong.

    `platform` and `channel` fill in (and override) the item's own when the route
    already knows them, as a channel's webhook does.
    """
    if not isinstance(data, dict):
        raise ItemError("Each message must be a JSON object.")
    item_platform = platform or _string(data, "platform", required=True, limit=20).lower()
    if item_platform not in PLATFORMS:
        raise ItemError(f"'platform' {item_platform!r} is not one Townhall knows.")
    direction = _string(data, "direction", required=False, limit=20).lower() or "in"
    if direction not in ("in", "out"):
        raise ItemError("'direction' must be 'in' or 'out'.")
    text = data.get("text", "")
    if text is None:
        text = ""
    if not isinstance(text, str):
        raise ItemError("'text' must be text.")
    if "\x00" in text:
        raise ItemError("'text' contains a NUL character, which cannot be stored.")
    attachments = _attachments(data.get("attachments"))
    if not text.strip() and not attachments:
        raise ItemError("The message has no text and no attachments.")
    return IncomingItem(
        platform=item_platform,
        channel=channel or _string(data, "channel", required=True, limit=200),
        platform_message_id=_string(data, "platform_message_id", required=True, limit=MAX_ID),
        author=_string(data, "author", required=True, limit=MAX_HANDLE),
        author_name=_string(data, "author_name", required=False, limit=200),
        text=text,
        created_at=_created_at(data.get("created_at")),
        direction=direction,
        thread_id=_string(data, "thread_id", required=False, limit=MAX_ID),
        in_reply_to=_string(data, "in_reply_to", required=False, limit=MAX_ID),
        attachments=attachments,
    )
