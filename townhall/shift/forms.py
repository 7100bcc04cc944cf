"""Forms for routes and unit costs. They parse and validate; services make the change."""

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from townhall.shift.models import Baseline
from townhall.shift.money import pence_from_pounds
from townhall.shift.routes import RouteTemplateError, template_check


class RouteForm(forms.Form):
    url_template = forms.CharField(
        label=_("Form address"), max_length=500,
        help_text=_("Starting with https://. You can add {category}, {postcode}, {street}, "
                    "{place} and {reference}: Townhall fills them in from the conversation. "
                    "{reference} lets the back office tell Townhall the resident used it."),
        error_messages={"required": _("Enter the address of the online form")})
    form_category = forms.CharField(
        label=_("The form's name for this category (optional)"), max_length=120,
        required=False,
        help_text=_("What goes in {category}. Leave blank to use the category's name."))
    resident_action = forms.CharField(
        label=_("What the resident does there"), widget=forms.Textarea, max_length=300,
        help_text=_("One or two short sentences for the suggested reply, for example: Mark "
                    "the pothole on the map and add a photo if you can."),
        error_messages={"required": _("Say what the resident does on the form")})
    resident_action_cy = forms.CharField(
        label=_("What the resident does there, in Welsh (optional)"), widget=forms.Textarea,
        max_length=300, required=False,
        help_text=_("Used when the resident wrote in Welsh."))
    is_reportable = forms.BooleanField(
        label=_("This is a problem residents report (Townhall suggests the form)"),
        required=False, initial=True)

    def clean_url_template(self) -> str:
        try:
            return template_check(self.cleaned_data["url_template"])
        except RouteTemplateError as error:
            raise forms.ValidationError(str(error)) from None


def _money(label: Any, help_text: Any = "") -> forms.DecimalField:
    return forms.DecimalField(
        label=label, help_text=help_text, min_value=Decimal("0"), max_value=Decimal("10000"),
        decimal_places=2, max_digits=7,
        error_messages={"required": _("Enter an amount in pounds, like 2.83"),
                        "invalid": _("Enter an amount in pounds, like 2.83"),
                        "min_value": _("The amount must be 0 or more"),
                        "max_value": _("The amount must be £10,000 or less"),
                        "max_decimal_places": _("Enter pounds and pence, like 2.83")})


class CostsForm(forms.Form):
    source = forms.CharField(
        label=_("Where these costs come from"), max_length=200,
        help_text=_("Shown beside every figure, for example Socitm Channel Value "
                    "Benchmarking 2012, or your own study."),
        error_messages={"required": _("Say where these costs come from")})
    face_to_face = _money(_("Face-to-face visit, in pounds"))
    phone = _money(_("Phone call, in pounds"))
    web = _money(_("Web transaction, in pounds"))
    social = _money(_("Answering on social media, in pounds"),
                    _("The staff time of one social media conversation. Counted as part of "
                      "what a shifted contact cost."))
    baseline = forms.ChoiceField(
        label=_("Without the online form, the resident would have"),
        choices=[(Baseline.PHONE, _("phoned")), (Baseline.FACE_TO_FACE, _("visited in person"))],
        widget=forms.RadioSelect, error_messages={"required": _("Choose phone or visit")})

    def pence(self) -> dict[str, int]:
        data = self.cleaned_data
        return {"face_to_face_pence": pence_from_pounds(data["face_to_face"]),
                "phone_pence": pence_from_pounds(data["phone"]),
                "web_pence": pence_from_pounds(data["web"]),
                "social_pence": pence_from_pounds(data["social"])}
