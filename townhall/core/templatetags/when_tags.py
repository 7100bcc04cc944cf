from datetime import datetime

from django import template

from townhall.core.lib.when import when as when_text

register = template.Library()


@register.filter
def when(value: datetime | None) -> str:
    """{{ at|when }}: "10:14 today"; blank for no time."""
    return when_text(value) if value else ""
