"""Times as people say them: "10:14 today", "16:30 yesterday", "07:00 on 1 June"."""

from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, pgettext_lazy

# Django's Welsh catalogue spells July "Gorffenaf"; it is "Gorffennaf". Naming the month
# here puts it in Townhall's catalogue, whose translations win over Django's own.
WELSH_CORRECTIONS = (gettext_noop("July"), pgettext_lazy("alt. month", "July"))


def when(at: datetime, *, now: datetime | None = None) -> str:
    """`at` in the council's time zone (Europe/London), relative to today where it helps."""
    local = timezone.localtime(at)
    today = timezone.localdate(now) if now is not None else timezone.localdate()
    time = local.strftime("%H:%M")
    if local.date() == today:
        return _("%(time)s today") % {"time": time}
    if local.date() == today - timedelta(days=1):
        return _("%(time)s yesterday") % {"time": time}
    if local.date() == today + timedelta(days=1):
        return _("%(time)s tomorrow") % {"time": time}
    day = date_format(local, "j F" if local.year == today.year else "j F Y")
    return _("%(time)s on %(date)s") % {"time": time, "date": day}
