"""Connecting an Instagram professional account by hand: its id and the linked Page's
access token pasted in."""

from django import forms
from django.utils.translation import gettext_lazy as _

from townhall.connectors.facebook.forms import HUMAN_AGENT, MetaAppSecretMixin


class CredentialsForm(MetaAppSecretMixin):
    intro = _("The Instagram account must be a professional account linked to a Facebook "
              "Page. Its id is shown in Meta Business Suite; the token is the linked "
              "Page's access token.")
    secret_fields = ("page_access_token", "app_secret")

    ig_user_id = forms.RegexField(
        label=_("Instagram account id"), regex=r"^[0-9]{5,30}$", max_length=30,
        error_messages={"required": _("Enter the Instagram account id"),
                        "invalid": _("The Instagram account id is a number, like "
                                     "17841405309211844")})
    page_access_token = forms.CharField(
        label=_("Access token of the linked Facebook Page"), max_length=1000,
        error_messages={"required": _("Enter the Page access token")})
    app_secret = forms.CharField(
        label=_("App secret (optional)"), required=False, max_length=200,
        help_text=_("Only if the council uses its own Meta app. Townhall otherwise uses "
                    "the app secret it was set up with."))
    human_agent_tag = HUMAN_AGENT
