"""Connecting a Facebook Page by hand: its id and a Page access token pasted in."""

import os
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from townhall.connectors.facebook.login import APP_SECRET_ENV
from townhall.connectors.forms import CredentialsForm as BaseForm


class MetaAppSecretMixin(BaseForm):
    """The app secret checks webhook signatures. It is the installation's Meta app's
    (from the environment) unless the council pastes its own app's secret."""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (not data.get("app_secret") and "app_secret" not in self.secrets_set
                and not self.current_settings.get("app_secret_env")
                and not os.environ.get(APP_SECRET_ENV)):
            self.add_error("app_secret", _("Enter the app secret of the Meta app that sends "
                                           "this channel's webhooks"))
        return data

    def clean_settings(self) -> dict[str, Any]:
        settings = super().clean_settings()
        settings["human_agent_tag"] = bool(self.cleaned_data.get("human_agent_tag"))
        if not self.cleaned_data.get("app_secret") and "app_secret" not in self.secrets_set:
            settings["app_secret_env"] = APP_SECRET_ENV
        return settings

    def drop(self) -> tuple[str, ...]:
        # A pasted app secret replaces the one from the environment.
        return ("app_secret_env",) if self.cleaned_data.get("app_secret") else ()


HUMAN_AGENT = forms.BooleanField(
    label=_("Let officers answer a message up to 7 days after the resident's last one"),
    required=False,
    help_text=_("Meta allows ordinary replies for 24 hours after a resident's last message. "
                "Its human agent tag allows a person to answer for 7 days. Tick this only "
                "if Meta has approved the council's app for that permission."))


class CredentialsForm(MetaAppSecretMixin):
    intro = _("Find the Page id under the Page's About section, and make a Page access "
              "token that does not expire in Meta's Graph API Explorer or Business "
              "Settings.")
    secret_fields = ("page_access_token", "app_secret")

    page_id = forms.RegexField(
        label=_("Page id"), regex=r"^[0-9]{5,30}$", max_length=30,
        error_messages={"required": _("Enter the Page id"),
                        "invalid": _("The Page id is a number, like 104729381234567")})
    page_access_token = forms.CharField(
        label=_("Page access token"), max_length=1000,
        error_messages={"required": _("Enter the Page access token")})
    app_secret = forms.CharField(
        label=_("App secret (optional)"), required=False, max_length=200,
        help_text=_("Only if the council uses its own Meta app. Townhall otherwise uses "
                    "the app secret it was set up with."))
    human_agent_tag = HUMAN_AGENT
