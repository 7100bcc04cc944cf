"""Connecting a Bluesky account: its handle and an app password (Settings > Privacy and
security > App passwords), checked by signing in (com.atproto.server.createSession)."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from townhall.connectors.bluesky.connector import SERVICE_URL
from townhall.connectors.forms import CredentialsForm as BaseForm
from townhall.connectors.login import LoginRefused, server_address


class CredentialsForm(BaseForm):
    intro = _("Make an app password for Townhall in Bluesky under Settings, Privacy and "
              "security, App passwords. Do not use the account's main password.")
    secret_fields = ("app_password",)

    identifier = forms.RegexField(
        label=_("Handle"), max_length=253, regex=r"^@?[A-Za-z0-9.-]+\.[A-Za-z]{2,}$",
        help_text=_("For example, afoncouncil.bsky.social or afon.gov.uk"),
        error_messages={"required": _("Enter the account's handle"),
                        "invalid": _("Enter a handle like afoncouncil.bsky.social")})
    app_password = forms.RegexField(
        label=_("App password"), max_length=100,
        regex=r"^[A-Za-z0-9]{4}-[A-Za-z0-9]{4}-[A-Za-z0-9]{4}-[A-Za-z0-9]{4}$",
        help_text=_("Four groups of four letters or digits, like abcd-efgh-ijkl-mnop."),
        error_messages={"required": _("Enter the app password"),
                        "invalid": _("An app password looks like abcd-efgh-ijkl-mnop. "
                                     "Make one in Bluesky's settings")})
    service_url = forms.CharField(
        label=_("Server address (optional)"), required=False, max_length=200,
        help_text=_("Leave empty for accounts on bsky.social."))

    def clean_identifier(self) -> str:
        return str(self.cleaned_data["identifier"]).lstrip("@").lower()

    def clean_service_url(self) -> str:
        raw = self.cleaned_data.get("service_url") or ""
        if not raw.strip():
            return ""
        try:
            return server_address(raw)
        except LoginRefused as error:
            raise forms.ValidationError(str(error)) from None

    def clean_settings(self) -> dict[str, Any]:
        return {"identifier": self.cleaned_data["identifier"],
                "service_url": self.cleaned_data.get("service_url") or SERVICE_URL}

    def drop(self) -> tuple[str, ...]:
        return ("app_password_env",) if self.cleaned_data.get("app_password") else ()
