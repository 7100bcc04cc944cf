"""Entries in a conversation's thread that are not messages, such as back-office updates.

Another app shows something in the thread by naming a module in SOURCES. The module has
two functions:

- `thread_events(*, conversation) -> list[ThreadEvent]`: its entries, oldest first, in
  a bounded number of queries however long the thread is;
- `thread_event_replied(*, conversation, key, message, by) -> None`: called in the same
  transaction as a reply an officer wrote about one of its entries.

Entries are not messages: they do not count towards response targets, the message
count or analytics, and the resident never sees them unless an officer replies.
"""

from dataclasses import dataclass
from datetime import datetime
from importlib import import_module
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from townhall.accounts.models import Membership
    from townhall.inbox.models import Conversation, Message

#: Key prefix -> module. Imported only when a conversation page needs it.
SOURCES: dict[str, str] = {
    "backoffice-update": "townhall.open311.timeline",
}


@dataclass(frozen=True)
class ThreadEvent:
    """One entry in the thread, ready to show."""

    key: str  # "<prefix>-<id>": unique on the page, the element id, and the reply's `about`
    at: datetime
    kind: str  # what it is, like "Back-office update"
    source: str  # who said it, like "Highways system"
    title: str  # the news, like "Closed"
    text: str = ""  # a note that came with it
    detail: str = ""  # how Townhall learned of it
    reply_text: str = ""  # the reply an officer starts from; "" when there is nothing to say
    reply_label: str = ""
    reply_state: str = ""  # the reply about it so far: "", "approval", "sent", "rejected", "failed"
    approval_reason: str = ""  # set when replies about it wait for a supervisor


def _source(key: str) -> Any:
    prefix = key.rpartition("-")[0]
    path = SOURCES.get(prefix)
    if path is None:
        raise ValidationError(_("Townhall does not know what this reply is about. Reload the "
                                "page and try again."))
    return import_module(path)


def thread_events(*, conversation: "Conversation") -> list[ThreadEvent]:
    found: list[ThreadEvent] = []
    for path in SOURCES.values():
        found.extend(import_module(path).thread_events(conversation=conversation))
    return sorted(found, key=lambda e: e.at)


def thread_event_get(*, conversation: "Conversation", key: str) -> ThreadEvent:
    """The entry a reply is about; a clear error if it is not in this conversation."""
    events = _source(key).thread_events(conversation=conversation)
    found = next((e for e in events if e.key == key), None)
    if found is None:
        raise ValidationError(_("The update this reply was about is no longer in the "
                                "conversation. Reload the page and try again."))
    return found


def thread_event_replied(*, conversation: "Conversation", key: str, message: "Message",
                         by: "Membership") -> None:
    _source(key).thread_event_replied(conversation=conversation, key=key, message=message, by=by)
