"""The web chat's line on the officer's conversation page: open, away, or ended."""

from datetime import datetime
from typing import Any

from django import template
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from townhall.connectors.webchat.models import SessionEnd
from townhall.connectors.webchat.selectors import chat_email_route, chat_state

register = template.Library()


def _when(at: datetime, now: datetime) -> str:
    """'today at 14:05' or 'on 3 December at 14:05'."""
    local = timezone.localtime(at)
    if local.date() == timezone.localtime(now).date():
        return _("today at %(time)s") % {"time": f"{local:%H:%M}"}
    return _("on %(date)s at %(time)s") % {"date": date_format(local, "j F"),
                                            "time": f"{local:%H:%M}"}


def _by(at: datetime, now: datetime) -> str:
    """'14:05 today' or '14:05 on 4 December', after 'before'."""
    local = timezone.localtime(at)
    if local.date() == timezone.localtime(now).date():
        return _("%(time)s today") % {"time": f"{local:%H:%M}"}
    return _("%(time)s on %(date)s") % {"date": date_format(local, "j F"),
                                         "time": f"{local:%H:%M}"}


@register.inclusion_tag("webchat/_chat_state.html")
def webchat_chat_state(conversation: Any) -> dict[str, Any]:
    now = timezone.now()
    state = chat_state(conversation=conversation, now=now)
    if state is None:
        return {"state": None}
    words: dict[str, str] = {"last_open": _when(state.last_seen_at, now)}
    if state.ending is not None:
        words["ended"] = _when(state.ending.at, now)
        why: dict[str, str] = {
            SessionEnd.CLEARED: _("The resident cleared it from their device."),
            SessionEnd.IDLE: _("The resident's chat had not been open since %(when)s.")
            % {"when": words["last_open"]},
            SessionEnd.MAX_AGE: _("It reached the longest time a chat may last (%(n)d days).")
            % {"n": state.max_days},
        }
        words["why"] = why.get(state.ending.reason, "")
    elif state.ends_by is not None:
        words["ends_by"] = _by(state.ends_by, now)
    return {"state": state, "words": words}


@register.inclusion_tag("webchat/_reply_notice.html")
def webchat_reply_notice(conversation: Any, form: Any) -> dict[str, Any]:
    """Above the reply box of a chat that has ended: a reply here will not reach the
    resident, and, where the resident gave an email address and the council has an
    email channel, the choice to email it instead."""
    now = timezone.now()
    state = chat_state(conversation=conversation, now=now)
    if state is None or state.ending is None:
        return {"ended": ""}
    local = timezone.localtime(state.ending.at)
    ended = (_("at %(time)s") % {"time": f"{local:%H:%M}"}
             if local.date() == timezone.localtime(now).date() else _when(state.ending.at, now))
    return {"ended": ended, "route": chat_email_route(conversation=conversation, now=now),
            "checked": bool(form["by_email"].value())}
