"""Forms for office hours, targets, approval rules, saved replies, approvals and the report."""

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


class HoursForm(forms.Form):
    """One opening a day: leave both times empty for a day the office is closed."""

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
            self.fields[f"opens_{day}"] = forms.TimeField(
                label=_("%(day)s opens") % {"day": name}, required=False,
                error_messages={"invalid": _("Enter a time like 08:45")})
            self.fields[f"closes_{day}"] = forms.TimeField(
                label=_("%(day)s closes") % {"day": name}, required=False,
                error_messages={"invalid": _("Enter a time like 17:15")})

    def days(self) -> list[tuple[str, forms.BoundField, forms.BoundField]]:
        return [(str(name), self[f"opens_{d}"], self[f"closes_{d}"])
                for d, name in enumerate(WEEKDAYS)]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for day, name in enumerate(WEEKDAYS):
            opens, closes = data.get(f"opens_{day}"), data.get(f"closes_{day}")
            if (opens is None) != (closes is None) and f"opens_{day}" not in self.errors \
                    and f"closes_{day}" not in self.errors:
                self.add_error(f"closes_{day}" if closes is None else f"opens_{day}",
                               _("Enter both times for %(day)s, or neither if closed")
                               % {"day": name})
            elif opens is not None and closes is not None and closes <= opens:
                self.add_error(f"closes_{day}", _("%(day)s must close after it opens")
                               % {"day": name})
        if not self.errors and all(data.get(f"opens_{d}") is None for d in range(7)):
            self.add_error("opens_0", _("Enter the opening times of at least one day"))
        return data

    def week(self) -> dict[int, list[tuple[time, time]]]:
        data = self.cleaned_data
        return {d: [(data[f"opens_{d}"], data[f"closes_{d}"])] if data.get(f"opens_{d}") else []
                for d in range(7)}


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
