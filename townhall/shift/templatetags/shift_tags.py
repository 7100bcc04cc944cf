"""Money, months and the channel shift panel on the conversation page."""

from datetime import date
from typing import Any

from django import template
from django.utils.formats import date_format

from townhall.shift.money import pounds as pounds_text
from townhall.shift.selectors import conversation_ledger_entry
from townhall.shift.signpost import signpost_for

register = template.Library()


@register.filter
def pounds(pence: int | None) -> str:
    return pounds_text(pence)


@register.filter
def month_name(value: str) -> str:
    """'2026-03' -> 'March 2026', in the page's language."""
    year, _, month = value.partition("-")
    if not (year.isdigit() and month.isdigit()):
        return value
    return date_format(date(int(year), int(month), 1), "F Y")


@register.inclusion_tag("shift/_signpost.html", takes_context=True)
def signpost_panel(context: Any, conversation: Any) -> dict[str, Any]:
    return {"conversation": conversation, "signpost": signpost_for(conversation=conversation),
            "entry": conversation_ledger_entry(conversation=conversation),
            "request": context.get("request")}
