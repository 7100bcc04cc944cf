from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from townhall.connectors.webchat.payloads import origin_clean

MAX_ORIGINS = 20


class OriginsForm(forms.Form):
    origins = forms.CharField(
        label=_("Websites allowed to use this chat"), required=False,
        widget=forms.Textarea,
        help_text=_("One a line, like https://www.example.gov.uk. Include each address the "
                    "council's pages are served from, with and without www if both work."))

    def clean_origins(self) -> list[str]:
        found: list[str] = []
        problems: list[str] = []
        for line in self.cleaned_data["origins"].splitlines():
            if not line.strip():
                continue
            try:
                origin = origin_clean(line)
            except ValidationError as error:
                problems.extend(error.messages)
                continue
            if origin not in found:
                found.append(origin)
        if problems:
            raise ValidationError(problems[0])
        if len(found) > MAX_ORIGINS:
            raise ValidationError(_("List %(n)d websites or fewer") % {"n": MAX_ORIGINS})
        return found


MAX_IDLE_HOURS = 24 * 30
MAX_DAYS = 365


class ExpiryForm(forms.Form):
    idle_hours = forms.IntegerField(
        label=_("End a chat when the resident has been away for this many hours"),
        help_text=_("Counted from the last time the chat was open on the resident's screen. "
                    "For example, 24."),
        min_value=1, max_value=MAX_IDLE_HOURS,
        error_messages={
            "required": _("Enter the number of hours"),
            "invalid": _("Enter the hours as a whole number, like 24"),
            "min_value": _("The hours must be 1 or more"),
            "max_value": _("The hours must be %(limit_value)s or fewer"),
        })
    max_days = forms.IntegerField(
        label=_("End every chat after this many days, however busy"),
        help_text=_("For example, 30. The conversation stays in the inbox; the resident can "
                    "start a new chat."),
        min_value=1, max_value=MAX_DAYS,
        error_messages={
            "required": _("Enter the number of days"),
            "invalid": _("Enter the days as a whole number, like 30"),
            "min_value": _("The days must be 1 or more"),
            "max_value": _("The days must be %(limit_value)s or fewer"),
        })

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        hours, days = data.get("idle_hours"), data.get("max_days")
        if isinstance(hours, int) and isinstance(days, int) and hours > days * 24:
            self.add_error("idle_hours", _("The hours away must not be longer than the days "
                                           "a chat may last (%(n)d hours)") % {"n": days * 24})
        return data
