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
