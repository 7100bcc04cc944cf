"""Meta's messaging windows, for Messenger and Instagram direct messages.

A Page may answer a person's message as a normal reply for 24 hours after that
person's last message. After that, only a message with a tag may be sent; the tag for a
person answering (not a bot) is HUMAN_AGENT, which Meta allows for 7 days and only for
apps it has approved for it. So a council switches it on per channel (the
`human_agent_tag` setting); otherwise a late reply cannot be sent at all.
"""

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from townhall.connectors.base import ReplyWindow
from townhall.connectors.errors import PermanentError

STANDARD = timedelta(hours=24)
HUMAN_AGENT = timedelta(days=7)
HUMAN_AGENT_TAG = "HUMAN_AGENT"


def _when(moment: datetime) -> str:
    local = timezone.localtime(moment)
    return _("%(time)s on %(date)s") % {"time": f"{local:%H:%M}",
                                         "date": date_format(local, "j F")}


def messaging_window(*, last_resident_at: datetime | None, now: datetime,
                     human_agent: bool, where: str) -> ReplyWindow:
    if last_resident_at is None:
        return ReplyWindow("closed", None, _(
            "The resident has not sent a message in this %(where)s conversation, and "
            "Meta does not let the council write first. Answer them another way.")
            % {"where": where})
    standard_ends = last_resident_at + STANDARD
    if now < standard_ends:
        return ReplyWindow("open", standard_ends, _(
            "%(where)s allows a reply until %(when)s, 24 hours after the resident's last "
            "message.") % {"where": where, "when": _when(standard_ends)})
    tagged_ends = last_resident_at + HUMAN_AGENT
    if human_agent and now < tagged_ends:
        return ReplyWindow("tagged", tagged_ends, _(
            "The resident's last message was more than 24 hours ago. Townhall will send "
            "your reply as a person's answer (Meta's human agent tag), which is allowed "
            "until %(when)s. Do not use it for anything but answering them.")
            % {"when": _when(tagged_ends)}, tag=HUMAN_AGENT_TAG)
    if human_agent:
        reason = _("The resident's last message was more than 7 days ago, so Meta does "
                   "not allow a reply in %(where)s, even as a person's answer.")
    else:
        reason = _("The resident's last message was more than 24 hours ago, so Meta does "
                   "not allow a normal reply in %(where)s. The council has not switched on "
                   "Meta's human agent tag, which would allow a person's answer for 7 days.")
    return ReplyWindow("closed", None, (reason % {"where": where}) + " " + _(
        "The reply cannot be sent. If the resident writes again, you can answer for 24 "
        "hours; otherwise contact them another way."))


def tagged(body: Mapping[str, Any], tag: str) -> dict[str, Any]:
    """A Send API body with the message tag, when the window needs one."""
    return {**body, "messaging_type": "MESSAGE_TAG", "tag": tag} if tag else dict(body)


def outside_window(error: PermanentError, where: str) -> PermanentError:
    """Meta's own refusal of a late message (error 10, subcode 2018278, or 2534022 for
    a tag it has not approved), in the words the officer sees."""
    text = str(error)
    if "outside of allowed window" in text or "2018278" in text:
        return PermanentError(_(
            "%(where)s refused the reply because the resident's last message is too old "
            "(more than 24 hours, or 7 days with the human agent tag). If the resident "
            "writes again, you can answer for 24 hours; otherwise contact them another "
            "way.") % {"where": where}, status=error.status)
    if "human_agent" in text.lower() or "2534022" in text:
        return PermanentError(_(
            "%(where)s refused the human agent tag: Meta has not approved the council's app "
            "for it. Switch the tag off on the channel's connection page, or ask Meta for "
            "the Human Agent permission.") % {"where": where}, status=error.status)
    return error
