"""Forms for office hours, targets, approval rules, saved replies, approvals and the report."""

import re
from datetime import date, time, timedelta
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from townhall.accounts.models import Membership
from townhall.respond.models import Nation
from townhall.triage.models import Category, Priority

WEEKDAYS = [_("Monday"), _("Tuesday"), _("Wednesday"), _("Thursday"), _("Friday"),
            _("Saturday"), _("Sunday")]


# "08:30-12:30", "8.30 to 12.30", "08:30 – 12:30"; several are separated by commas,
# semicolons, new lines or "and".
_OPENING = re.compile(r"^(\d{1,2})[:.](\d{2})\s*(?:-|–|—|to)\s*(\d{1,2})[:.](\d{2})$",
                      re.IGNORECASE)
_SEPARATORS = re.compile(r"\s*(?:[,;\n]|\band\b)\s*", re.IGNORECASE)
MAX_OPENINGS_A_DAY = 6


def parse_openings(text: str, *, day: str) -> list[tuple[time, time]]:
    """A day's openings from what an admin typed, in order; [] for a closed day.

    Raises ValidationError saying which opening is wrong and how to write it.
    """
    openings: list[tuple[time, time]] = []
    for part in filter(None, _SEPARATORS.split(text.strip())):
        found = _OPENING.match(part.strip())
        if found is None:
            raise forms.ValidationError(
                _("Enter %(day)s's opening times like 08:30-12:30, 13:30-17:00 (24-hour "
                  "clock), or leave it empty if the office is closed") % {"day": day})
        h1, m1, h2, m2 = (int(n) for n in found.groups())
        if h1 > 23 or h2 > 23 or m1 > 59 or m2 > 59:
            raise forms.ValidationError(
                _("%(day)s: %(opening)s is not a time of day. Use the 24-hour clock, from "
                  "00:00 to 23:59") % {"day": day, "opening": part.strip()})
        start, end = time(h1, m1), time(h2, m2)
        if end <= start:
            raise forms.ValidationError(
                _("%(day)s: %(opening)s must end after it starts") % {
                    "day": day, "opening": f"{start:%H:%M}-{end:%H:%M}"})
        openings.append((start, end))
    if len(openings) > MAX_OPENINGS_A_DAY:
        raise forms.ValidationError(_("%(day)s: enter %(n)d openings or fewer")
                                    % {"day": day, "n": MAX_OPENINGS_A_DAY})
    openings.sort()
    for (s1, e1), (s2, e2) in zip(openings, openings[1:], strict=False):
        if s2 < e1:
            raise forms.ValidationError(
                _("%(day)s: %(first)s and %(second)s overlap. Enter each opening once") % {
                    "day": day, "first": f"{s1:%H:%M}-{e1:%H:%M}",
                    "second": f"{s2:%H:%M}-{e2:%H:%M}"})
    return openings


def openings_text(openings: list[tuple[time, time]]) -> str:
    return ", ".join(f"{s:%H:%M}-{e:%H:%M}" for s, e in openings)


class HoursForm(forms.Form):
    """Each day's openings as text, like "08:30-12:30, 13:30-17:00"; empty when closed."""

    nation = forms.ChoiceField(
        label=_("Bank holidays"), choices=Nation.choices, widget=forms.RadioSelect,
        help_text=_("The office is closed on the bank holidays of this nation."))
    warn_at_percent = forms.IntegerField(
        label=_("Warn supervisors when this much of a target has passed (percent)"),
        min_value=1, max_value=99,
        error_messages={"required": _("Enter a percentage between 1 and 99"),
                        "invalid": _("Enter a whole number, like 80")})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for day, name in enumerate(WEEKDAYS):
            self.fields[f"day_{day}"] = forms.CharField(
                label=_("%(day)s opening times") % {"day": name}, required=False,
                max_length=200)
        # The page shows the week first: the error summary follows the page.
        self.order_fields([f"day_{d}" for d in range(7)] + ["nation", "warn_at_percent"])

    def days(self) -> list[tuple[str, forms.BoundField]]:
        return [(str(name), self[f"day_{d}"]) for d, name in enumerate(WEEKDAYS)]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self.openings: dict[int, list[tuple[time, time]]] = {}
        for day, name in enumerate(WEEKDAYS):
            if f"day_{day}" in self.errors:
                continue
            try:
                self.openings[day] = parse_openings(data.get(f"day_{day}") or "",
                                                    day=str(name))
            except forms.ValidationError as error:
                self.add_error(f"day_{day}", error)
        if not self.errors and not any(self.openings.values()):
            self.add_error("day_0", _("Enter the opening times of at least one day"))
        return data

    def week(self) -> dict[int, list[tuple[time, time]]]:
        return {d: self.openings.get(d, []) for d in range(7)}


class ClosureForm(forms.Form):
    day = forms.DateField(label=_("Date the office is closed"),
                          widget=forms.DateInput(attrs={"type": "date"}),
                          error_messages={"required": _("Enter the date"),
                                          "invalid": _("Enter a real date, like 2026-12-29")})
    reason = forms.CharField(label=_("Reason (optional)"), max_length=120, required=False,
                             help_text=_("For example, Christmas shutdown."))


def _minutes(hours: Decimal | None) -> int | None:
    return None if hours is None else int(round(hours * 60))


class TargetForm(forms.Form):
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=Category.objects.none(), required=False,
        empty_label=_("Any category (the fallback for this priority)"))
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices)
    first_response_hours = forms.DecimalField(
        label=_("First response within (office hours)"), min_value=Decimal("0.1"),
        max_digits=6, decimal_places=2, help_text=_("For example 4, or 0.5 for 30 minutes."),
        error_messages={"required": _("Enter the first response target in office hours"),
                        "invalid": _("Enter a number of hours, like 4 or 0.5")})
    resolution_hours = forms.DecimalField(
        label=_("Resolved within (office hours, optional)"), required=False,
        min_value=Decimal("0.1"), max_digits=7, decimal_places=2,
        error_messages={"invalid": _("Enter a number of hours, like 40")})

    def __init__(self, *args: Any, council: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.filter(  # type: ignore[attr-defined]
            council=council, is_active=True)

    def first_minutes(self) -> int:
        return _minutes(self.cleaned_data["first_response_hours"]) or 0

    def resolution_minutes(self) -> int | None:
        return _minutes(self.cleaned_data.get("resolution_hours"))


class OfficerChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.get_full_name() or obj.get_username())


class RuleForm(forms.Form):
    name = forms.CharField(label=_("Rule name"), max_length=120,
                           error_messages={"required": _("Enter a name for the rule")})
    category = forms.ModelChoiceField(label=_("Category"), queryset=Category.objects.none(),
                                      required=False, empty_label=_("Any category"))
    priority = forms.ChoiceField(label=_("Priority"),
                                 choices=[("", _("Any priority")), *Priority.choices],
                                 required=False)
    officer = OfficerChoice(label=_("Officer"), queryset=None, required=False,
                            empty_label=_("Any officer"),
                            help_text=_("For example, someone new who is still learning."))
    keywords = forms.CharField(
        label=_("Words or phrases (optional)"), max_length=500, required=False,
        help_text=_("Separate them with commas. A reply that uses any of them needs approval, "
                    "for example: compensation, legal, complaint."))
    is_active = forms.BooleanField(label=_("The rule is in use"), required=False, initial=True)

    def __init__(self, *args: Any, council: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from django.contrib.auth import get_user_model

        self.fields["category"].queryset = Category.objects.filter(  # type: ignore[attr-defined]
            council=council, is_active=True)
        members = Membership.objects.filter(council=council).values("user_id")
        self.fields["officer"].queryset = (  # type: ignore[attr-defined]
            get_user_model().objects.filter(pk__in=members).order_by("first_name", "username"))


class SavedReplyForm(forms.Form):
    title = forms.CharField(label=_("Title in English"), max_length=120, required=False)
    body = forms.CharField(
        label=_("Text in English"), widget=forms.Textarea, required=False,
        help_text=_("You can use {resident_name}, {reference}, {self_service_link}, "
                    "{officer_name} and {category}."))
    title_cy = forms.CharField(label=_("Title in Welsh"), max_length=120, required=False)
    body_cy = forms.CharField(label=_("Text in Welsh"), widget=forms.Textarea, required=False,
                              help_text=_("The same merge fields work in Welsh."))
    category = forms.ModelChoiceField(label=_("Category (optional)"),
                                      queryset=Category.objects.none(), required=False,
                                      empty_label=_("Any category"))
    is_active = forms.BooleanField(label=_("Officers can use this reply"), required=False,
                                   initial=True)

    def __init__(self, *args: Any, council: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.filter(  # type: ignore[attr-defined]
            council=council, is_active=True)


class ApproveForm(forms.Form):
    text = forms.CharField(label=_("Reply to send"), widget=forms.Textarea,
                           error_messages={"required": _("Enter the reply to send")},
                           help_text=_("Change it here if it needs it, then approve."))
    welsh_override = forms.BooleanField(required=False)


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Why it should not be sent"), widget=forms.Textarea, max_length=2000,
        help_text=_("The officer sees this in the conversation."),
        error_messages={"required": _("Enter the reason, so the officer knows what to change")})


class ReportForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}),
                            error_messages={"required": _("Enter the first date"),
                                            "invalid": _("Enter a real date, like 2026-04-01")})
    end = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}),
                          error_messages={"required": _("Enter the last date"),
                                          "invalid": _("Enter a real date, like 2027-03-31")})

    @staticmethod
    def default_range(today: date | None = None) -> dict[str, date]:
        today = today or timezone.localdate()
        return {"start": today - timedelta(days=90), "end": today}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("The last date must be on or after the first date"))
        if start and end and (end - start).days > 3 * 366:
            self.add_error("end", _("Choose a range of three years or less"))
        return data
