"""Connecting a Mastodon account by hand: its server and an access token made under
Preferences > Development on that server."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from townhall.connectors.forms import CredentialsForm as BaseForm
from townhall.connectors.login import LoginRefused, server_address


class CredentialsForm(BaseForm):
    intro = _("On the council's Mastodon server, go to Preferences, then Development, and "
              "create an application with the scopes read and write:statuses. Paste its "
              "access token here.")
    secret_fields = ("access_token",)

    instance_url = forms.CharField(
        label=_("Server address"), max_length=200,
        help_text=_("For example, https://social.example.gov.uk"),
        error_messages={"required": _("Enter the server's address")})
    access_token = forms.CharField(
        label=_("Access token"), max_length=500,
        error_messages={"required": _("Enter the access token")})

    def clean_instance_url(self) -> str:
        try:
            return server_address(self.cleaned_data["instance_url"])
        except LoginRefused as error:
            raise forms.ValidationError(str(error)) from None

    def drop(self) -> tuple[str, ...]:
        return ("access_token_env",) if self.cleaned_data.get("access_token") else ()

    def clean_settings(self) -> dict[str, Any]:
        return {"instance_url": self.cleaned_data["instance_url"]}
