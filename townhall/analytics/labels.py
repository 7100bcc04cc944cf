"""Names for ids (teams, categories, wards, officers) and for periods, and figure links."""

from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from townhall.accounts.models import Membership, Team
from townhall.analytics.fy import month_end, month_start, next_month
from townhall.analytics.models import Ward
from townhall.analytics.scope import Filters
from townhall.connectors.models import Platform
from townhall.triage.models import Category

LANGUAGE_NAMES = {"en": gettext_lazy("English"), "cy": gettext_lazy("Cymraeg (Welsh)"),
                  "": gettext_lazy("Not known"), "und": gettext_lazy("Not known")}


@dataclass
class Names:
    categories: dict[int, str]
    teams: dict[int, str]
    wards: dict[int, str]
    officers: dict[int, str]

    def platform(self, code: str) -> str:
        return str(dict(Platform.choices).get(code, code or _("Not known")))

    def category(self, pk: int | None) -> str:
        return self.categories.get(pk, _("Not categorised")) if pk else _("Not categorised")

    def team(self, pk: int | None) -> str:
        return self.teams.get(pk, _("No team yet")) if pk else _("No team yet")

    def ward(self, pk: int | None) -> str:
        return self.wards.get(pk, _("Ward not known")) if pk else _("Ward not known")

    def officer(self, pk: int | None) -> str:
        return self.officers.get(pk, _("Not assigned")) if pk else _("Not assigned")

    @staticmethod
    def language(code: str) -> str:
        return str(LANGUAGE_NAMES.get(code, code))


def names_for(council_id: int) -> Names:
    people = {}
    for m in Membership.objects.filter(council_id=council_id).select_related("user"):
        people[m.user_id] = m.user.get_full_name() or m.user.get_username()
    return Names(
        categories=dict(Category.objects.filter(council_id=council_id)
                        .values_list("id", "name")),
        teams=dict(Team.objects.filter(council_id=council_id).values_list("id", "name")),
        wards=dict(Ward.objects.filter(council_id=council_id).values_list("id", "name")),
        officers=people)


def officer_name(user_id: int) -> str:
    user = get_user_model().objects.filter(pk=user_id).first()
    return (user.get_full_name() or user.get_username()) if user else ""


@dataclass(frozen=True)
class Period:
    first: date
    last: date
    label: str
    # On a chart's axis: the year only where it changes, so labels do not collide.
    short: str = ""

    @property
    def axis(self) -> str:
        return self.short or self.label


def periods(filters: Filters) -> list[Period]:
    """The chart's points: each day, or each month (clipped to the filter's dates)."""
    found = []
    if filters.by_day:
        day = filters.first
        while day <= filters.last:
            found.append(Period(day, day, date_format(day, "j M")))
            day = date.fromordinal(day.toordinal() + 1)
        return found
    month = month_start(filters.first)
    while month <= filters.last:
        found.append(Period(max(month, filters.first), min(month_end(month), filters.last),
                            date_format(month, "M Y"),
                            date_format(month, "M Y" if not found or month.month == 1 else "M")))
        month = next_month(month)
    return found


def period_key(start: date, by_day: bool) -> date:
    return start if by_day else month_start(start)


_DRILL_PATH: list[str] = []


def drill(metric: str, filters: Filters, **extra: object) -> str:
    """The page listing the conversations behind a figure."""
    if not _DRILL_PATH:
        # A dashboard makes hundreds of these links; resolve the path once.
        _DRILL_PATH.append(reverse("analytics:conversations"))
    return f"{_DRILL_PATH[0]}?{urlencode(filters.query(metric=metric, **extra))}"
