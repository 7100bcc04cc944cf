"""Small formatting helpers for the inbox templates."""

from datetime import datetime, timedelta
from typing import Any

from django import template
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from townhall.core.models import AuditEvent
from townhall.inbox.targets import duration_text

register = template.Library()


@register.filter
def duration(value: timedelta | None) -> str:
    return duration_text(value) if value is not None else ""


PRIORITY_COLOURS = {"critical": "red", "high": "orange", "normal": "blue", "low": "grey"}


@register.filter
def priority_colour(priority: str) -> str:
    return PRIORITY_COLOURS.get(priority, "blue")


@register.simple_tag
def facet_options(facet: dict[str, Any]) -> SafeString:
    """A filter's <option>s with counts, built in one go: templates are slow at loops."""
    return format_html_join("", "<option value=\"{}\"{}>{}</option>", (
        (value, mark_safe(" selected") if selected else "",  # noqa: S308
         label if n is None else f"{label} ({n})")
        for value, label, n, selected in facet["options"]))


@register.simple_tag
def count(counts: dict[str, dict[str, int]], facet: str, key: Any) -> int:
    return counts.get(facet, {}).get(str(key), 0)


def _who(event: AuditEvent) -> str:
    if event.actor is not None:
        return event.actor.get_full_name() or event.actor.get_username()
    return event.actor_label


def _when(at: datetime) -> str:
    local = timezone.localtime(at)
    if local.date() == timezone.localdate():
        return _("at %(time)s") % {"time": local.strftime("%H:%M")}
    return _("on %(date)s at %(time)s") % {"date": local.strftime("%-d %B"),
                                          "time": local.strftime("%H:%M")}


@register.filter
def event_text(event: AuditEvent) -> str:
    """'Bob Jones assigned it to Highways at 10:32', from one audit event."""
    data = event.data or {}
    action = event.action.removeprefix("conversation.")
    if action == "assigned":
        target = ", ".join(filter(None, [data.get("assignee"), data.get("team")]))
        did = (_("assigned it to %(target)s") % {"target": target} if target
               else _("unassigned it"))
    elif action == "replied":
        did = _("replied to the resident")
    elif action == "noted":
        did = _("added a note")
    elif action == "closed":
        did = _("closed it")
    elif action == "reopened":
        did = _("reopened it")
    elif action == "snoozed":
        until = data.get("until")
        did = (_("snoozed it until %(until)s") % {
            "until": timezone.localtime(datetime.fromisoformat(until)).strftime("%-d %B %H:%M")}
            if until else _("snoozed it"))
    elif action == "corrected":
        fields = ", ".join(sorted((data.get("changes") or {}).keys())) or _("triage")
        did = _("changed its %(fields)s") % {"fields": fields}
    else:
        did = event.action
    return f"{_who(event)} {did} {_when(event.at)}"
