"""Forms parse what an officer sent; services decide what it means."""

import uuid
from datetime import datetime, timedelta
from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from townhall.accounts.models import Membership, Team
from townhall.connectors.models import Platform
from townhall.inbox.selectors import (
    QUEUE_STATUSES,
    InboxFilters,
    council_categories,
    council_members,
    council_teams,
)
from townhall.triage.models import Category, Priority


def filters_from_query(data: Any) -> InboxFilters:
    """Read the inbox filters from a query string; anything odd is simply ignored."""
    def get(name: str) -> str:
        return str(data.get(name, "") or "")[:200].strip()

    status = get("status") or "open"
    page = get("page")
    return InboxFilters(
        status=status if status in QUEUE_STATUSES else "open",
        team=get("team"), assignee=get("assignee"),
        platform=get("platform") if get("platform") in Platform.values else "",
        category=get("category"),
        priority=get("priority") if get("priority") in Priority.values else "",
        safeguarding=get("safeguarding") if get("safeguarding") in ("yes", "no") else "",
        language=get("language")[:8], q=get("q"),
        page=int(page) if page.isdigit() else 1,
    )


class VersionedForm(forms.Form):
    """Every write carries the conversation version it was shown at."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ReplyForm(VersionedForm):
    text = forms.CharField(label=_("Reply to the resident"), widget=forms.Textarea,
                           error_messages={"required": _("Enter a reply")})
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)
    # Shown only after the Welsh rule blocked an English-only reply.
    welsh_override = forms.BooleanField(required=False)
    # The thread entry the reply tells the resident about, like "backoffice-update-12".
    about = forms.CharField(widget=forms.HiddenInput, max_length=80, required=False)
    # Offered only when a web chat has ended and the resident gave an email address.
    by_email = forms.BooleanField(required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("idempotency_key", uuid.uuid4().hex)
        super().__init__(*args, **kwargs)


class NoteForm(VersionedForm):
    text = forms.CharField(label=_("Add an internal note"), widget=forms.Textarea,
                           error_messages={"required": _("Enter a note")})


class StatusForm(VersionedForm):
    pass


class AssignForm(VersionedForm):
    team = forms.TypedChoiceField(label=_("Team"), required=False, coerce=int,
                                  empty_value=None)
    assignee = forms.TypedChoiceField(label=_("Officer"), required=False, coerce=int,
                                      empty_value=None)

    def __init__(self, *args: Any, membership: Membership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.teams = {t.pk: t for t in council_teams(membership=membership)}
        self.members = {m.user_id: m for m in council_members(membership=membership)}
        cast(forms.ChoiceField, self.fields["team"]).choices = [("", _("No team"))] + [
            (pk, t.name) for pk, t in self.teams.items()]
        cast(forms.ChoiceField, self.fields["assignee"]).choices = [("", _("Nobody"))] + [
            (pk, m.user.get_full_name() or m.user.get_username())
            for pk, m in self.members.items()]

    def team_obj(self) -> Team | None:
        pk = self.cleaned_data.get("team")
        return self.teams.get(pk) if pk else None

    def assignee_obj(self) -> Any:
        pk = self.cleaned_data.get("assignee")
        return self.members[pk].user if pk in self.members else None


class CorrectionForm(VersionedForm):
    category = forms.TypedChoiceField(label=_("Category"), required=False, coerce=int,
                                      empty_value=None)
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices)

    def __init__(self, *args: Any, membership: Membership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.categories = {c.pk: c for c in council_categories(membership=membership)}
        cast(forms.ChoiceField, self.fields["category"]).choices = [("", _("Not categorised"))] + [
            (pk, c.name) for pk, c in self.categories.items()]

    def category_obj(self) -> Category | None:
        pk = self.cleaned_data.get("category")
        return self.categories.get(pk) if pk else None


SNOOZE_CHOICES = [
    ("1h", _("1 hour")),
    ("4h", _("4 hours")),
    ("tomorrow", _("Tomorrow at 9am")),
    ("monday", _("Next Monday at 9am")),
    ("custom", _("A date and time I choose")),
]


class SnoozeForm(VersionedForm):
    preset = forms.ChoiceField(label=_("Snooze until"), choices=SNOOZE_CHOICES, initial="4h")
    until = forms.DateTimeField(label=_("Date and time"), required=False,
                                input_formats=["%Y-%m-%dT%H:%M"],
                                widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
                                error_messages={"invalid": _("Enter a real date and time")})

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("preset") == "custom" and not data.get("until"):
            self.add_error("until", _("Enter the date and time to snooze until"))
        return data

    def until_value(self, now: datetime | None = None) -> datetime:
        now = timezone.localtime(now or timezone.now())
        preset = self.cleaned_data["preset"]
        nine = now.replace(hour=9, minute=0, second=0, microsecond=0)
        if preset == "1h":
            return now + timedelta(hours=1)
        if preset == "4h":
            return now + timedelta(hours=4)
        if preset == "tomorrow":
            return nine + timedelta(days=1)
        if preset == "monday":
            return nine + timedelta(days=7 - now.weekday())
        return self.cleaned_data["until"]
