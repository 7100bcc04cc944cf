"""How each of the council's targets for a financial year is going, and where it will end.

Reads the roll-ups month by month (the whole council: targets are the council's), then
projects each figure to 31 March with townhall.analytics.projections.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from townhall.analytics.buckets import minutes_text
from townhall.analytics.charts import Chart, bullet_chart
from townhall.analytics.figures import Totals, grouped
from townhall.analytics.fy import fy_end, fy_label, fy_months, fy_start, month_end, month_start
from townhall.analytics.labels import drill
from townhall.analytics.models import TIMED_KINDS, Target, TargetKind
from townhall.analytics.projections import NO_DATA, Projection, project_share, project_sum
from townhall.analytics.response_targets import DEFAULT_RESOLUTION_MINUTES
from townhall.analytics.scope import Filters, Scope, rollups
from townhall.analytics.shift import ledger_url, shift_figures
from townhall.core.models import Council

# The dashboard's median headline when the council has set no time for the year.
DEFAULT_FIRST_RESPONSE_MINUTES = 120
STATUS_LABELS = {"green": gettext_lazy("On track"), "amber": gettext_lazy("At risk"),
                 "red": gettext_lazy("Off track"), "grey": gettext_lazy("Too early to tell")}


def targets_for(*, council: Council, year: int) -> list[Target]:
    return list(Target.objects.filter(council=council, year=year))


def target_get(*, council: Council, pk: int) -> Target:
    from django.http import Http404

    found = Target.objects.filter(council=council, pk=pk).first()
    if found is None:
        raise Http404("No such target.")
    return found


def describe(target: Target) -> str:
    """The target in words: "Half of first replies within 2 h"."""
    percent = float(target.percent or 0)
    amount = (target.amount_pence or 0) / 100
    if target.kind in TIMED_KINDS and target.office_minutes is None:
        first = target.kind == TargetKind.FIRST_RESPONSE
        if percent == 50:
            return (_("Half of first replies within their response target") if first
                    else _("Half of conversations resolved within their resolution target"))
        return (_("%(p)s%% of first replies within their response target") if first
                else _("%(p)s%% of conversations resolved within their resolution target")) % {
            "p": f"{percent:g}"}
    if target.kind in TIMED_KINDS:
        within = minutes_text(target.office_minutes or 0)
        if target.kind == TargetKind.FIRST_RESPONSE:
            if percent == 50:
                return _("Median first reply within %(t)s of office time") % {"t": within}
            return _("%(p)s%% of first replies within %(t)s of office time") % {
                "p": f"{percent:g}", "t": within}
        if percent == 50:
            return _("Median time to resolve within %(t)s of office time") % {"t": within}
        return _("%(p)s%% resolved within %(t)s of office time") % {
            "p": f"{percent:g}", "t": within}
    if target.kind == TargetKind.SHIFT_RATE:
        return _("%(p)s%% of reportable requests shifted to self-service") % {
            "p": f"{percent:g}"}
    if target.kind == TargetKind.MONEY_SAVED:
        return _("£%(a)s saved through channel shift") % {"a": f"{amount:,.0f}"}
    return _("%(p)s%% of Welsh messages answered in Welsh") % {"p": f"{percent:g}"}


@dataclass
class Thresholds:
    first_response: int
    resolution: int
    first_response_set: bool
    resolution_set: bool


def thresholds_for(*, council_id: int, year: int) -> Thresholds:
    """The year's single times for the dashboard's median headline: the fixed-time
    targets closest to a median, if set. "Within target" figures never use these: they
    use each conversation's own response target (townhall.analytics.response_targets)."""
    found: dict[str, Any] = {}
    for target in Target.objects.filter(council_id=council_id, year=year,
                                         office_minutes__isnull=False,
                                         kind__in=[TargetKind.FIRST_RESPONSE,
                                                   TargetKind.RESOLUTION]):
        best = found.get(target.kind)
        if best is None or abs((target.percent or 0) - 50) < abs((best.percent or 0) - 50):
            found[target.kind] = target
    fr, res = found.get(TargetKind.FIRST_RESPONSE), found.get(TargetKind.RESOLUTION)
    return Thresholds(fr.office_minutes if fr else DEFAULT_FIRST_RESPONSE_MINUTES,
                      res.office_minutes if res else DEFAULT_RESOLUTION_MINUTES,
                      fr is not None, res is not None)


@dataclass
class Month:
    start: date
    totals: Totals
    elapsed: float  # the share of the month that has happened, 0 to 1
    weight: float  # its seasonal share of a year


@dataclass
class TargetStatus:
    target: Target
    label: str
    projection: Projection
    actual_text: str
    projected_text: str
    band_text: str
    chance_text: str
    status: str
    status_label: str
    chart: Chart | None
    unit: str
    monthly: list[tuple[date, str, float | None]] = field(default_factory=list)
    # The conversations behind the figure so far (or the savings ledger).
    url: str = ""


def _profile(scope: Scope, today: date) -> dict[int, float]:
    """Contacts per calendar month over the last twelve complete months, if every one
    of them has some; otherwise every day counts the same (weights by month length)."""
    this_month = month_start(today)
    first = month_start(this_month - timedelta(days=365))
    found = grouped(rollups(scope=scope, filters=Filters(first, this_month - timedelta(days=1))),
                    "start")
    by_month: dict[int, int] = {}
    for start, totals in found.items():
        by_month[start.month] = by_month.get(start.month, 0) + totals.contacts
    if len(by_month) == 12 and all(by_month.values()):
        return {m: float(n) for m, n in by_month.items()}
    return {m: float((month_end(date(2025, m, 1))).day) for m in range(1, 13)}


def fy_months_status(*, scope: Scope, year: int, today: date) -> list[Month]:
    """Each month of the year with its totals, how much of it has passed and its weight."""
    profile = _profile(scope, today)
    scale = sum(profile.values())
    last = min(today, fy_end(year))
    found = grouped(rollups(scope=scope, filters=Filters(fy_start(year), last)), "start") \
        if last >= fy_start(year) else {}
    by_month: dict[date, Totals] = {}
    for start, totals in found.items():
        by_month.setdefault(month_start(start), Totals()).add(totals)
    months = []
    for start in fy_months(year):
        end = month_end(start)
        if today >= end:
            elapsed = 1.0
        elif today < start:
            elapsed = 0.0
        else:
            elapsed = today.day / end.day
        months.append(Month(start, by_month.get(start, Totals()), elapsed,
                            profile[start.month] / scale))
    return months


def _share_series(target: Target, months: list[Month]) -> list[tuple[int, int]]:
    if target.kind == TargetKind.WELSH_IN_WELSH:
        return [(m.totals.welsh_in_welsh, m.totals.welsh_replied) for m in months]
    kind = "fr" if target.kind == TargetKind.FIRST_RESPONSE else "res"
    trials = "answered" if kind == "fr" else "resolved"
    if target.office_minutes is None:
        met = "answered_in_target" if kind == "fr" else "resolved_in_target"
        return [(getattr(m.totals, met), getattr(m.totals, trials)) for m in months]
    return [(m.totals.within(kind, target.office_minutes), getattr(m.totals, trials))
            for m in months]


def _remaining(months: list[Month], seen: list[tuple[float, float]]) -> list[float]:
    """Expected trials still to come: the run rate so far spread by seasonal weight."""
    done = sum(m.weight * m.elapsed for m in months)
    trials = sum(n for _, n in seen)
    if not done:
        return []
    return [trials / done * m.weight * (1 - m.elapsed) for m in months if m.elapsed < 1]


def _money(council: Council, months: list[Month]) -> list[float]:
    values = []
    for m in months:
        if m.elapsed == 0:
            continue
        last = month_end(m.start) if m.elapsed == 1 else m.start + timedelta(
            days=round(m.elapsed * month_end(m.start).day) - 1)
        found = shift_figures(council=council, first=m.start, last=last)
        values.append(float(found.saved_pence) / 100 if found else 0.0)
    return values


def target_status(*, council: Council, target: Target, months: list[Month],
                  today: date) -> TargetStatus:
    seed = f"{council.pk}-{target.year}-{target.kind}-{target.office_minutes}"
    seen_months = [m for m in months if m.elapsed > 0]
    unit = "%"
    monthly: list[tuple[date, str, float | None]] = []
    if target.kind == TargetKind.MONEY_SAVED:
        unit = "£"
        values = _money(council, months)
        goal = (target.amount_pence or 0) / 100
        projection = project_sum(
            values=values, weights=[m.weight * m.elapsed for m in seen_months],
            remaining_weights=[m.weight * (1 - m.elapsed) for m in months if m.elapsed < 1],
            target=goal, seed=seed) if values and any(values) else NO_DATA
        monthly = [(m.start, f"£{v:,.0f}", v) for m, v in zip(seen_months, values, strict=True)]
    else:
        goal = float(target.percent or Decimal(0)) / 100
        if target.kind == TargetKind.SHIFT_RATE:
            pairs = _shift_pairs(council, seen_months)
        else:
            pairs = _share_series(target, seen_months)
        projection = project_share(months=pairs,
                                   remaining=_remaining(months, [(k, n) for k, n in pairs]),
                                   target=goal, seed=seed)
        monthly = [(m.start, f"{k / n:.0%}" if n else "–", k / n if n else None)
                   for m, (k, n) in zip(seen_months, pairs, strict=True)]
        goal *= 100
        if projection.has_data:
            projection = Projection(_percent(projection.actual), _percent(projection.projected),
                                    _percent(projection.low), _percent(projection.high),
                                    projection.chance, projection.status)
    status = _status(target, projection, goal, unit, monthly)
    if target.kind in TIMED_KINDS and projection.actual is not None:
        status.actual_text = (
            _("%(p)s within target") % {"p": status.actual_text}
            if target.office_minutes is None else _("%(p)s within %(t)s") % {
                "p": status.actual_text, "t": minutes_text(target.office_minutes)})
    status.url = _url(target, today)
    return status


def _url(target: Target, today: date) -> str:
    so_far = Filters(fy_start(target.year), min(today, fy_end(target.year)))
    if so_far.last < so_far.first:
        return ""
    if target.kind in TIMED_KINDS:
        metric = "answered" if target.kind == TargetKind.FIRST_RESPONSE else "resolved"
        if target.office_minutes is None:
            return drill(metric, so_far, target="met")
        return drill(metric, so_far, within=target.office_minutes)
    if target.kind == TargetKind.WELSH_IN_WELSH:
        return drill("welsh", so_far, reply="cy")
    return ledger_url()


def _percent(value: float | None) -> float | None:
    return None if value is None else value * 100


def _shift_pairs(council: Council, months: list[Month]) -> list[tuple[int, int]]:
    pairs = []
    for m in months:
        last = month_end(m.start) if m.elapsed == 1 else m.start + timedelta(
            days=max(round(m.elapsed * month_end(m.start).day) - 1, 0))
        found = shift_figures(council=council, first=m.start, last=last)
        if found is None or found.rate is None:
            pairs.append((0, 0))
        else:
            pairs.append((round(found.rate * found.contacts), found.contacts))
    return pairs


def _fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "–"
    return f"£{value:,.0f}" if unit == "£" else f"{value:.1f}%"


def _status(target: Target, projection: Projection, goal: float, unit: str,
            monthly: list[tuple[date, str, float | None]]) -> TargetStatus:
    label = describe(target)
    chart = None
    if projection.has_data:
        chart = bullet_chart(
            title=label,
            description=_("So far %(a)s. Likely by 31 March: %(lo)s to %(hi)s. Target %(t)s.") % {
                "a": _fmt(projection.actual, unit), "lo": _fmt(projection.low, unit),
                "hi": _fmt(projection.high, unit), "t": _fmt(goal, unit)},
            actual=projection.actual, low=projection.low, high=projection.high, target=goal,
            unit=unit, maximum=100.0 if unit == "%" else None)
    chance = ("–" if projection.chance is None
              else _("%(p)d in 100") % {"p": round(projection.chance * 100)})
    return TargetStatus(
        target=target, label=label, projection=projection,
        actual_text=_fmt(projection.actual, unit), projected_text=_fmt(projection.projected, unit),
        band_text=(_("%(lo)s to %(hi)s") % {"lo": _fmt(projection.low, unit),
                                            "hi": _fmt(projection.high, unit)}
                   if projection.has_data else "–"),
        chance_text=chance, status=projection.status,
        status_label=str(STATUS_LABELS[projection.status]), chart=chart, unit=unit,
        monthly=monthly)


@dataclass
class YearReport:
    year: int
    label: str
    today: date
    statuses: list[TargetStatus]
    months: list[Month]

    @property
    def counts(self) -> dict[str, int]:
        found = dict.fromkeys(("green", "amber", "red", "grey"), 0)
        for status in self.statuses:
            found[status.status] += 1
        return found


def year_report(*, council: Council, year: int, today: date | None = None) -> YearReport:
    """Every target of the financial year with its projection to 31 March."""
    today = today or timezone.localdate()
    scope = Scope(council.pk, None, True)
    months = fy_months_status(scope=scope, year=year, today=today)
    statuses = [target_status(council=council, target=t, months=months, today=today)
                for t in targets_for(council=council, year=year)]
    return YearReport(year=year, label=fy_label(year), today=today, statuses=statuses,
                      months=months)
