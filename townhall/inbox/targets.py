"""How long a conversation may wait for an answer, and how long it has waited.

The targets are the council's own, in office hours (townhall.respond): build a clock
once per page with `townhall.respond.selectors.response_clock_for(council)` and pass it
to `waiting` for each displayed row. Without a clock the defaults apply (Mon-Thu
08:45-17:15, Fri 08:45-16:45, bank holidays of England and Wales).
"""

from datetime import datetime, timedelta

from townhall.respond.targets import ResponseClock, Waiting

__all__ = ["ResponseClock", "Waiting", "duration_text", "hours_text", "office_duration_text",
           "response_target", "waiting"]

_DEFAULT_CLOCK: ResponseClock | None = None


def _default_clock() -> ResponseClock:
    global _DEFAULT_CLOCK
    if _DEFAULT_CLOCK is None:
        _DEFAULT_CLOCK = ResponseClock.default()
    return _DEFAULT_CLOCK


def response_target(*, priority: str, safeguarding: bool = False,
                    clock: ResponseClock | None = None) -> timedelta:
    """The office time within which a resident should get a first answer."""
    target = (clock or _default_clock()).targets.target_for(priority=priority,
                                                            safeguarding=safeguarding)
    return timedelta(seconds=target.first_response)


def waiting(*, waiting_since: datetime | None, priority: str, safeguarding: bool,
            now: datetime, category_id: int | None = None,
            clock: ResponseClock | None = None) -> Waiting | None:
    return (clock or _default_clock()).waiting(
        waiting_since=waiting_since, priority=priority, safeguarding=safeguarding, now=now,
        category_id=category_id)


def duration_text(value: timedelta) -> str:
    """'45 min', '3 h 20 min', '2 days 4 h': short, for a table cell."""
    from django.utils.translation import gettext as _
    from django.utils.translation import ngettext

    minutes = int(value.total_seconds() // 60)
    days, rest = divmod(minutes, 60 * 24)
    hours, mins = divmod(rest, 60)
    if days:
        text = ngettext("%(n)d day", "%(n)d days", days) % {"n": days}
        return f"{text} {hours_text(hours)}" if hours else text
    if hours:
        return _("%(h)d h %(m)d min") % {"h": hours, "m": mins} if mins else hours_text(hours)
    return _("%(m)d min") % {"m": mins}


def hours_text(hours: int) -> str:
    """'1 h', '40 h': a whole number of hours, short."""
    from django.utils.translation import ngettext

    return ngettext("%(h)d h", "%(h)d h", hours) % {"h": hours}


def office_duration_text(value: timedelta) -> str:
    """Office time in hours and minutes ('45 min', '12 h 30 min'): a day of it is not 24 h."""
    from django.utils.translation import gettext as _

    hours, mins = divmod(int(value.total_seconds() // 60), 60)
    if hours:
        return _("%(h)d h %(m)d min") % {"h": hours, "m": mins} if mins else hours_text(hours)
    return _("%(m)d min") % {"m": mins}
