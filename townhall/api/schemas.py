from datetime import datetime
from typing import Any

from ninja import Schema


class MessageIn(Schema):
    platform: str
    channel: str
    platform_message_id: str
    author: str
    author_name: str = ""
    text: str = ""
    created_at: str
    direction: str = "in"
    thread_id: str = ""
    in_reply_to: str = ""
    attachments: list[dict[str, Any]] = []


class MessageOut(Schema):
    id: int
    conversation_id: int
    platform: str
    channel: str
    direction: str
    platform_message_id: str
    author: str
    author_name: str
    text: str
    attachments: list[dict[str, Any]]
    created_at: datetime
    received_at: datetime
    category: str | None
    priority: str
    language: str
    has_conflicting_redelivery: bool


class ConversationOut(Schema):
    id: int
    platform: str
    channel: str
    status: str
    subject: str
    team: str | None
    assignee: str | None
    category: str | None
    priority: str
    safeguarding: bool
    version: int
    created_at: datetime
    last_message_at: datetime
    waiting_since: datetime | None
    message_count: int


class ConversationDetail(ConversationOut):
    messages: list[MessageOut]


class IngestOut(Schema):
    created: int
    duplicates: int
    conflicts: int
    message_id: int | None


class ErrorOut(Schema):
    error: str
