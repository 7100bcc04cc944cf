"""Connecting an X account by hand: the app's API key and secret and the account's
OAuth 1.0a access token and secret, from the app's Keys and tokens page."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from townhall.connectors.forms import CredentialsForm as BaseForm


class CredentialsForm(BaseForm):
    intro = _("In the X developer console, open the council's app, then Keys and tokens. "
              "Make the access token and secret while signed in as the council's account, "
              "with read, write and direct message permission.")
    secret_fields = ("consumer_key", "consumer_secret", "access_token", "access_token_secret")

    user_id = forms.RegexField(
        label=_("X account id"), regex=r"^[0-9]{1,25}$", max_length=25,
        help_text=_("The council account's number, not its @name."),
        error_messages={"required": _("Enter the X account id"),
                        "invalid": _("The X account id is a number, like 1352486217365741570")})
    consumer_key = forms.CharField(label=_("API key"), max_length=200,
                                   error_messages={"required": _("Enter the API key")})
    consumer_secret = forms.CharField(label=_("API key secret"), max_length=200,
                                      error_messages={"required": _("Enter the API key secret")})
    access_token = forms.CharField(label=_("Access token"), max_length=200,
                                   error_messages={"required": _("Enter the access token")})
    access_token_secret = forms.CharField(
        label=_("Access token secret"), max_length=200,
        error_messages={"required": _("Enter the access token secret")})

    def clean_settings(self) -> dict[str, Any]:
        # Typed-in OAuth 1.0a keys replace a sign-in's OAuth 2.0 tokens.
        return {"user_id": self.cleaned_data["user_id"], "auth": "oauth1"}

    def drop(self) -> tuple[str, ...]:
        return tuple(f"{name}_env" for name in self.secret_fields
                     if self.cleaned_data.get(name))
