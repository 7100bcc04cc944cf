"""Forms parse what people sent; services and selectors decide what it means."""

from datetime import date
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from townhall.accounts.models import Team
from townhall.analytics.buckets import threshold_choices
from townhall.analytics.fy import fy_label, fy_of
from townhall.analytics.models import SHARE_KINDS, TIMED_KINDS, TargetKind
from townhall.analytics.scope import Filters, Scope, default_filters
from townhall.analytics.wards import parse_list
from townhall.connectors.models import Platform
from townhall.triage.models import Category

# Longer ranges are refused rather than made slow.
MAX_DAYS = 3 * 366


class FilterForm(forms.Form):
    """The dashboard's filters, from the query string. Anything left out means all."""

    date_from = forms.DateField(label=_("From"), required=False,
                                widget=forms.DateInput(attrs={"type": "date"}),
                                error_messages={"invalid": _("Enter a real date for From")})
    date_to = forms.DateField(label=_("To"), required=False,
                              widget=forms.DateInput(attrs={"type": "date"}),
                              error_messages={"invalid": _("Enter a real date for To")})
    platform = forms.ChoiceField(label=_("Platform"), required=False)
    team = forms.ChoiceField(label=_("Team"), required=False)
    category = forms.ChoiceField(label=_("Category"), required=False)

    def __init__(self, data: Any, *, scope: Scope, **kwargs: Any) -> None:
        data = data.copy() if data is not None else None
        if data is not None:
            # The filter links use from/to; the form's inputs are date_from/date_to.
            for short, name in (("from", "date_from"), ("to", "date_to")):
                if short in data and name not in data:
                    data[name] = data[short]
        default = default_filters()
        # As text: a date input wants 2026-04-01, whatever the page's language.
        kwargs.setdefault("initial", {"date_from": default.first.isoformat(),
                                      "date_to": default.last.isoformat()})
        super().__init__(data, **kwargs)
        self.scope = scope
        teams = Team.objects.filter(council_id=scope.council_id).order_by("name")
        if scope.team_ids is not None:
            teams = teams.filter(pk__in=scope.team_ids)
        cast(forms.ChoiceField, self.fields["platform"]).choices = [
            ("", _("All platforms"))] + list(Platform.choices)
        team_choices = [("", _("All my teams") if scope.is_team_view else _("All teams"))]
        if not scope.is_team_view:
            team_choices.append(("none", _("No team yet")))
        cast(forms.ChoiceField, self.fields["team"]).choices = team_choices + [
            (str(t.pk), t.name) for t in teams]
        cast(forms.ChoiceField, self.fields["category"]).choices = [
            ("", _("All categories")), ("none", _("Not categorised"))] + [
            (str(c.pk), c.name) for c in Category.objects.filter(
                council_id=scope.council_id).order_by("name")]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, last = data.get("date_from"), data.get("date_to")
        if first and last and last < first:
            self.add_error("date_to", _("The To date must be the same as or after the From "
                                        "date"))
        elif first and last and (last - first).days > MAX_DAYS:
            self.add_error("date_to", _("Choose dates no more than 3 years apart"))
        return data

    def filters(self, today: date | None = None) -> Filters:
        """The chosen filters, or the defaults where a value was missing or wrong."""
        default = default_filters(today)
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        first = data.get("date_from") or default.first
        last = data.get("date_to") or max(default.last, first)
        if last < first or (last - first).days > MAX_DAYS:
            first, last = default.first, default.last
        return Filters(first=first, last=last, platform=data.get("platform", ""),
                       team=data.get("team", ""), category=data.get("category", ""))


def year_choices(today: date | None = None) -> list[tuple[int, str]]:
    year = fy_of(today or timezone.localdate())
    return [(y, fy_label(y)) for y in range(year + 1, year - 4, -1)]


# The choice for "within each conversation's own response target" (no single time).
RESPONSE_TARGET = "target"


def _office_minutes(value: str) -> int | None:
    return None if value == RESPONSE_TARGET else int(value)


def target_initial(target: Any) -> dict[str, Any]:
    """The form's values for an existing target (none for a new one)."""
    if target is None:
        return {}
    minutes = ""
    if target.kind in TIMED_KINDS:
        minutes = RESPONSE_TARGET if target.office_minutes is None else str(target.office_minutes)
    return {"kind": target.kind, "percent": target.percent, "office_minutes": minutes,
            "amount": None if target.amount_pence is None else target.amount_pence / 100}


class TargetForm(forms.Form):
    kind = forms.ChoiceField(label=_("What is the target about?"), choices=TargetKind.choices,
                             widget=forms.RadioSelect,
                             error_messages={"required": _("Choose what the target is about")})
    percent = forms.DecimalField(
        label=_("Percentage"), required=False, max_digits=5, decimal_places=2,
        help_text=_("For a median time, enter 50. For example, 95 for 95% of Welsh messages "
                    "answered in Welsh."),
        error_messages={"invalid": _("Enter the percentage as a number, like 20")})
    office_minutes = forms.TypedChoiceField(
        label=_("Within"), required=False, coerce=_office_minutes, empty_value="",
        choices=[("", _("Choose a time")),
                 (RESPONSE_TARGET, _("Each conversation's response target")),
                 *threshold_choices()],
        help_text=_("Only for first reply and resolution targets. A conversation's "
                    "response target is the one set for its category and priority. Or "
                    "choose one time of office time for every conversation, such as 2 h "
                    "with 50% for a median."))
    amount = forms.DecimalField(
        label=_("Amount in pounds"), required=False, max_digits=12, decimal_places=2,
        min_value=Decimal("0.01"), help_text=_("Only for money saved. For example, 50000."),
        error_messages={"invalid": _("Enter the amount as a number, like 50000"),
                        "min_value": _("Enter an amount of money more than £0")})

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        if kind in SHARE_KINDS and data.get("percent") is None and "percent" not in self.errors:
            self.add_error("percent", _("Enter a percentage between 0 and 100"))
        if kind in TIMED_KINDS and data.get("office_minutes") == "" \
                and "office_minutes" not in self.errors:
            self.add_error("office_minutes", _("Choose the response target or a time from "
                                               "the list"))
        if kind == TargetKind.MONEY_SAVED and data.get("amount") is None \
                and "amount" not in self.errors:
            self.add_error("amount", _("Enter an amount of money more than £0"))
        return data

    @property
    def within_minutes(self) -> int | None:
        """The single time, or None for each conversation's own response target."""
        value = self.cleaned_data.get("office_minutes")
        return None if value in ("", None) else int(value)

    @property
    def amount_pence(self) -> int | None:
        amount = self.cleaned_data.get("amount")
        return None if amount is None else int(amount * 100)


class WardForm(forms.Form):
    name = forms.CharField(label=_("Ward name"), max_length=120,
                           error_messages={"required": _("Enter the ward's name")})
    postcode_districts = forms.CharField(
        label=_("Postcode districts"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The first part of a postcode, such as AC5. One a line, or separated by "
                    "commas."))
    streets = forms.CharField(
        label=_("Streets"), required=False, widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Street names as residents write them, one a line."))

    def lists(self) -> tuple[list[str], list[str]]:
        return (parse_list(self.cleaned_data.get("postcode_districts", "")),
                parse_list(self.cleaned_data.get("streets", "")))
