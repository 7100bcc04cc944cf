"""The back-office panel on the conversation page, and statuses in plain words."""

from typing import Any

from django import template

from townhall.open311.selectors import backoffice_for, conversation_request
from townhall.open311.wording import status_name as status_words

register = template.Library()


@register.filter
def status_name(status: str) -> str:
    return status_words(status or "")


@register.inclusion_tag("open311/_handoff.html", takes_context=True)
def handoff_panel(context: Any, conversation: Any) -> dict[str, Any]:
    item = conversation_request(conversation=conversation)
    backoffice = None if item else backoffice_for(council=conversation.council)
    return {"conversation": conversation, "item": item, "request": context.get("request"),
            "can_hand_off": bool(backoffice and backoffice.is_active)}
