"""Forms for the hand-off, telling residents, and the back-office settings."""

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from townhall.open311.models import Format
from townhall.triage.models import Category

ENV_NAME = re.compile(r"^[A-Z_][A-Z0-9_]{0,99}$")


class HandoffForm(forms.Form):
    service_code = forms.ChoiceField(
        label=_("Back-office service"),
        error_messages={"required": _("Choose the back-office service"),
                        "invalid_choice": _("Choose one of the back-office services")})
    address_string = forms.CharField(
        label=_("Street or place"), max_length=300, required=False,
        help_text=_("From the resident's message. Most specific first, like 12 Mill Lane."))
    postcode = forms.CharField(label=_("Postcode"), max_length=10, required=False)
    lat = forms.FloatField(label=_("Latitude (optional)"), required=False, min_value=-90,
                           max_value=90, error_messages={
                               "invalid": _("Enter the latitude as a number, like 51.5010")})
    long = forms.FloatField(label=_("Longitude (optional)"), required=False, min_value=-180,
                            max_value=180, error_messages={
                                "invalid": _("Enter the longitude as a number, like -0.1416")})
    description = forms.CharField(
        label=_("Description for the back office"), widget=forms.Textarea, max_length=4000,
        help_text=_("Personal details triage found have been left out. Up to 4,000 characters."),
        error_messages={"required": _("Describe the problem"),
                        "max_length": _("The description must be 4,000 characters or fewer")})
    media_url = forms.URLField(label=_("Photo address (optional)"), required=False,
                               max_length=500, assume_scheme="https", error_messages={
                                   "invalid": _("Enter the photo's full web address")})
    contact_consent = forms.BooleanField(
        label=_("The resident agreed that we share their name and email with the back office"),
        required=False,
        help_text=_("Tick only if they said yes. Otherwise the back office gets the problem, "
                    "not the person."))
    first_name = forms.CharField(label=_("Resident's first name"), max_length=100,
                                 required=False)
    last_name = forms.CharField(label=_("Resident's last name"), max_length=100, required=False)
    email = forms.EmailField(label=_("Resident's email address"), required=False,
                             error_messages={"invalid": _("Enter an email address in the "
                                                          "correct format, like name@example.com")})

    def __init__(self, *args: Any, codes: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["service_code"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("Choose a service"))] + [
            (code, f"{name} ({code})") for code, name in codes]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (data.get("lat") is None) != (data.get("long") is None):
            self.add_error("long" if data.get("long") is None else "lat",
                           _("Enter both latitude and longitude, or neither"))
        if (not data.get("address_string") and not data.get("postcode")
                and data.get("lat") is None and not self.errors.get("lat")):
            self.add_error("address_string",
                           _("Enter where the problem is: a street, a postcode or map coordinates"))
        if data.get("contact_consent") and not data.get("email") and not data.get("first_name"):
            self.add_error("email", _("Enter the resident's name or email to share, or untick "
                                      "the box"))
        return data


class BackOfficeForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120, initial="Back office",
                           help_text=_("As officers know it, like Highways system."))
    base_url = forms.URLField(
        label=_("Open311 endpoint"), max_length=200, assume_scheme="https",
        help_text=_("The GeoReport v2 address, like https://311.example.gov.uk/open311/v2"),
        error_messages={"required": _("Enter the Open311 endpoint"),
                        "invalid": _("Enter the full address, starting with https://")})
    jurisdiction_id = forms.CharField(label=_("Jurisdiction id (optional)"), max_length=120,
                                      required=False)
    api_key = forms.CharField(
        label=_("API key"), required=False, max_length=500,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Stored encrypted. Leave blank to keep the current key."))
    api_key_env = forms.CharField(
        label=_("Or read the key from this environment variable (optional)"), max_length=100,
        required=False, help_text=_("Like TOWNHALL_OPEN311_KEY. This wins over a stored key."))
    format = forms.ChoiceField(label=_("Format"), choices=Format.choices,
                               widget=forms.RadioSelect, initial=Format.JSON)
    timeout_seconds = forms.IntegerField(
        label=_("Wait this many seconds for an answer"), min_value=1, max_value=60, initial=10,
        error_messages={"min_value": _("Wait at least 1 second"),
                        "max_value": _("Wait 60 seconds or less")})
    use_updates_extension = forms.BooleanField(
        label=_("The back office supports mySociety's servicerequestupdates"), required=False)
    match_self_service = forms.BooleanField(
        label=_("Look for residents' own reports that came from Townhall's links"),
        required=False, initial=True)
    updates_need_approval = forms.BooleanField(
        label=_("Officers' replies about back-office updates need a supervisor's approval"),
        required=False,
        help_text=_("The reply waits in the approval queue until a supervisor approves it. "
                    "Supervisors' own replies go at once."))
    is_active = forms.BooleanField(label=_("Connected"), required=False, initial=True)

    def clean_api_key_env(self) -> str:
        value: str = self.cleaned_data["api_key_env"].strip()
        if value and not ENV_NAME.match(value):
            raise forms.ValidationError(
                _("Use capital letters, digits and underscores, like TOWNHALL_OPEN311_KEY"))
        return value


class MappingForm(forms.Form):
    """One service_code field and one 'automatically' box per category."""

    def __init__(self, *args: Any, categories: list[Category],
                 current: dict[int, tuple[str, bool]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rows = []
        for category in categories:
            code, auto = current.get(category.pk, ("", False))
            self.fields[f"code_{category.pk}"] = forms.CharField(
                label=category.name, max_length=100, required=False, initial=code)
            self.fields[f"auto_{category.pk}"] = forms.BooleanField(
                label=_("Send automatically"), required=False, initial=auto)
            self.rows.append((category, self[f"code_{category.pk}"], self[f"auto_{category.pk}"]))

    def values(self) -> dict[int, tuple[str, bool]]:
        return {c.pk: (self.cleaned_data[f"code_{c.pk}"].strip(),
                       bool(self.cleaned_data[f"auto_{c.pk}"]))
                for c, _, _ in self.rows}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for category, code, auto in self.rows:
            if data.get(auto.name) and not (data.get(code.name) or "").strip():
                self.add_error(code.name, _("Enter a service code for %(name)s to send it "
                                            "automatically") % {"name": category.name})
        return data
