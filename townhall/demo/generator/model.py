"""Plain dataclasses that the demo generator hands to the Django loader.

This module is the contract between the generator and the loader, so fields are only ever
added with defaults, never renamed or removed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

Role = Literal["officer", "supervisor", "admin"]
Direction = Literal["in", "out"]
Language = Literal["en", "cy"]
Priority = Literal["critical", "high", "normal", "low"]
Status = Literal["open", "pending", "closed"]


@dataclass(frozen=True)
class Team:
    code: str
    name: str


@dataclass(frozen=True)
class Officer:
    username: str
    first_name: str
    last_name: str
    email: str
    team_code: str
    role: Role


@dataclass(frozen=True)
class ChannelSpec:
    platform: str
    handle: str
    name: str


@dataclass
class DemoMessage:
    platform_message_id: str
    direction: Direction
    text: str
    created_at: dt.datetime
    author: str
    author_name: str
    officer_username: str | None = None
    in_reply_to: str | None = None
    attachments: list[dict[str, str]] = field(default_factory=list)
    language: Language = "en"


@dataclass
class DemoConversation:
    platform: str
    channel_handle: str
    thread_id: str
    resident_key: str
    category: str
    priority: Priority
    safeguarding: bool
    status: Status
    team_code: str | None
    assignee_username: str | None
    messages: list[DemoMessage] = field(default_factory=list)


@dataclass
class DemoResident:
    key: str
    name: str
    identities: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class DemoCouncil:
    slug: str
    name: str
    teams: list[Team]
    officers: list[Officer]
    channels: list[ChannelSpec]
    residents: list[DemoResident]
    conversations: list[DemoConversation]
    categories_used: list[str]
