"""Template tags the connectors offer other apps' pages."""

from typing import Any

from django import template

from townhall.connectors.base import ReplyWindow
from townhall.connectors.selectors import conversation_reply_window

register = template.Library()


@register.simple_tag
def reply_window(conversation: Any) -> ReplyWindow | None:
    """`{% reply_window conversation as window %}`: the platform's limit on answering now."""
    return conversation_reply_window(conversation=conversation)
