"""Who sees which figures, and the filters: every analytics read starts here.

Supervisors and admins see the whole council; an officer sees their own teams' figures
and never a colleague's. The council always comes from the membership, never the URL.
"""

from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from townhall.accounts.models import Membership
from townhall.analytics.fy import fy_of, fy_start, month_end, month_start, next_month
from townhall.analytics.models import (
    SPLIT_MEASURES,
    ConversationFact,
    Grain,
    Rollup,
    SplitBy,
    SplitRollup,
)

# Up to this many days a chart shows a point a day; beyond, a point a month.
DAILY_POINTS_UP_TO = 92


@dataclass(frozen=True)
class Filters:
    first: date
    last: date
    platform: str = ""
    team: str = ""  # "", "none" or a team id
    category: str = ""  # "", "none" or a category id

    @property
    def by_day(self) -> bool:
        return (self.last - self.first).days < DAILY_POINTS_UP_TO

    def query(self, **extra: Any) -> dict[str, str]:
        """As query-string parameters, for links and CSV downloads."""
        params = {"from": self.first.isoformat(), "to": self.last.isoformat(),
                  "platform": self.platform, "team": self.team, "category": self.category}
        params.update({k: str(v) for k, v in extra.items() if v is not None})
        return {k: v for k, v in params.items() if v != ""}

    def within(self, first: date, last: date) -> "Filters":
        return replace(self, first=max(first, self.first), last=min(last, self.last))


def default_filters(today: date | None = None) -> Filters:
    """The financial year so far."""
    today = today or timezone.localdate()
    return Filters(first=fy_start(fy_of(today)), last=today)


@dataclass(frozen=True)
class Scope:
    council_id: int
    # None: every team. Otherwise only these teams (an officer's own).
    team_ids: tuple[int, ...] | None
    sees_officers: bool

    @property
    def is_team_view(self) -> bool:
        return self.team_ids is not None


def scope_for(membership: Membership) -> Scope:
    if membership.is_supervisor_or_admin:
        return Scope(membership.council_id, None, True)
    teams = tuple(sorted(membership.teams.values_list("id", flat=True)))
    return Scope(membership.council_id, teams, False)


def _dimensions(filters: Filters, scope: Scope, prefix: str = "") -> Q:
    q = Q()
    if filters.platform:
        q &= Q(**{f"{prefix}platform": filters.platform})
    for name, value in (("category_id", filters.category), ("team_id", filters.team)):
        if value == "none":
            q &= Q(**{f"{prefix}{name}__isnull": True})
        elif value.isdigit():
            q &= Q(**{f"{prefix}{name}": int(value)})
    if scope.team_ids is not None:
        q &= Q(**{f"{prefix}team_id__in": list(scope.team_ids)})
    return q


def _months_and_edges(first: date, last: date) -> tuple[list[date], list[tuple[date, date]]]:
    """The whole months inside first..last, and the ragged day ranges around them."""
    months = []
    month = month_start(first) if first.day == 1 else next_month(first)
    while month_end(month) <= last:
        months.append(month)
        month = next_month(month)
    if not months:
        return [], [(first, last)]
    edges = []
    if first < months[0]:
        edges.append((first, months[0] - timedelta(days=1)))
    if month_end(months[-1]) < last:
        edges.append((month_end(months[-1]) + timedelta(days=1), last))
    return months, edges


def _periods(first: date, last: date) -> Q:
    """Whole months from the monthly rows, the ragged ends from the daily rows."""
    months, edges = _months_and_edges(first, last)
    q = Q(grain=Grain.DAY, start__gte=first, start__lte=last) if not months else Q(
        grain=Grain.MONTH, start__gte=months[0], start__lte=months[-1])
    for low, high in edges if months else []:
        q |= Q(grain=Grain.DAY, start__gte=low, start__lte=high)
    return q


def rollups(*, scope: Scope, filters: Filters, daily: bool = False) -> QuerySet[Rollup]:
    """The roll-up rows for the filters; `daily` forces day rows (a point a day)."""
    periods = (Q(grain=Grain.DAY, start__gte=filters.first, start__lte=filters.last)
               if daily else _periods(filters.first, filters.last))
    return Rollup.objects.filter(periods, _dimensions(filters, scope),
                                 council_id=scope.council_id).order_by()


def split_sums(*, scope: Scope, filters: Filters, by: str, over_time: bool = False
               ) -> tuple[list[str], dict[Any, list[int]]]:
    """Conversations by ward or by officer (SPLIT_MEASURES, in order) for each ward or
    officer id; for wards with over_time, for each (ward id, month or day), counting
    conversations only. Whole months come from the
    monthly split rows; the ragged days from the facts, counted the same way."""
    from townhall.analytics.figures import summed_rows

    months, edges = _months_and_edges(filters.first, filters.last)
    keys = ("value", "start") if over_time else ("value",)
    names: list[str] = list(SPLIT_MEASURES)
    found: dict[Any, list[int]] = {}
    if months:
        monthly = SplitRollup.objects.filter(
            _dimensions(filters, scope), council_id=scope.council_id, by=by,
            grain=Grain.MONTH, start__gte=months[0], start__lte=months[-1]).order_by()
        # Wards show only how many conversations: sum that column alone.
        wanted = ("contacts",) if by == SplitBy.WARD else SPLIT_MEASURES
        _names, sums = summed_rows(monthly, *keys,
                                   sums={f"sum_{m}": Sum(m) for m in wanted})
        padding = [0] * (len(SPLIT_MEASURES) - len(wanted))
        found = {key: values + padding for key, values in sums.items()}
    column = "ward_id" if by == SplitBy.WARD else "assignee_id"
    # SPLIT_MEASURES: contacts, answered, resolved, the two within-target counts, then
    # the first reply bands and the resolution bands.
    first_bands = SPLIT_MEASURES.index("fr_0")
    res_bands = SPLIT_MEASURES.index("res_0")
    for low, high in edges:
        edge = ConversationFact.objects.filter(
            _dimensions(filters, scope), council_id=scope.council_id, day__gte=low,
            day__lte=high).order_by()
        if by == SplitBy.WARD:
            # Only the number of conversations is shown by ward.
            fields = [column, "day"] if over_time else [column]
            for *key, n in edge.values_list(*fields).annotate(n=Count("id")):
                values = found.setdefault(tuple(key) if over_time else key[0],
                                          [0] * len(SPLIT_MEASURES))
                values[0] += n
            continue
        # Grouped by band rather than summing a CASE per band: one count per group is
        # far cheaper, and each band's count is put in its place here.
        fields = [column, "first_response_band", "resolution_band",
                  "first_response_in_target", "resolution_in_target"]
        for value, first, resolved, first_met, resolved_met, n in (
                edge.values_list(*fields).annotate(n=Count("id"))):
            values = found.setdefault(value, [0] * len(SPLIT_MEASURES))
            values[0] += n
            if first is not None:
                values[1] += n
                values[3] += n if first_met else 0
                values[first_bands + first] += n
            if resolved is not None:
                values[2] += n
                values[4] += n if resolved_met else 0
                values[res_bands + resolved] += n
    return names, found


def facts(*, scope: Scope, filters: Filters) -> QuerySet[ConversationFact]:
    return ConversationFact.objects.filter(
        _dimensions(filters, scope), council_id=scope.council_id,
        day__gte=filters.first, day__lte=filters.last).order_by()


def conversation_dimensions(*, scope: Scope, filters: Filters, prefix: str = "") -> Q:
    """The same filters on Conversation's own columns (for live figures and lists)."""
    return _dimensions(filters, scope, prefix)


def week_bounds(today: date) -> tuple[date, date, date]:
    """This week (the last 7 days) and the four weeks before it: first days of each."""
    this_week = today - timedelta(days=6)
    return this_week - timedelta(days=28), this_week, today
