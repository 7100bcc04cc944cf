"""The dashboard: every table (and the chart drawn from it) for one set of filters.

Reads the roll-ups (a handful of grouped queries, whatever the date range) and, for
wards and officers, the per-conversation facts. Every figure carries the link to the
conversations behind it.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from townhall.analytics import live
from townhall.analytics.buckets import band_bound_text, minutes_text
from townhall.analytics.charts import bar_chart, line_chart
from townhall.analytics.figures import (
    VOLUME_SUMS,
    Totals,
    as_totals,
    fold,
    summed,
    summed_rows,
)
from townhall.analytics.fy import fy_of
from townhall.analytics.labels import Names, Period, drill, names_for, period_key, periods
from townhall.analytics.models import SplitBy
from townhall.analytics.scope import Filters, Scope, rollups, split_sums
from townhall.analytics.tables import Cell, Section, Table, count, share
from townhall.analytics.targets import Thresholds, thresholds_for

TOP_CATEGORIES = 6


@dataclass
class Headline:
    label: str
    text: str
    url: str = ""
    hint: str = ""


@dataclass
class Dashboard:
    filters: Filters
    scope: Scope
    thresholds: Thresholds
    headlines: list[Headline]
    sections: list[Section]
    built_at: datetime

    def table(self, slug: str) -> Table | None:
        return next((t for s in self.sections for t in s.tables if t.slug == slug), None)

    @property
    def tables(self) -> list[Table]:
        return [t for s in self.sections for t in s.tables]


def band(totals: Totals, kind: str, q: float, url: str = "") -> Cell:
    """A median or 90th percentile as the upper edge of its band, under a header such
    as "Half answered within"."""
    found = totals.band(kind, q)
    return Cell(band_bound_text(found), None, url if found is not None else "", numeric=True)


class Builder:
    """Builds one dashboard; each method adds a section."""

    def __init__(self, *, scope: Scope, filters: Filters, now: datetime) -> None:
        self.scope, self.filters, self.now = scope, filters, now
        self.names: Names = names_for(scope.council_id)
        self.thresholds = thresholds_for(council_id=scope.council_id, year=fy_of(filters.last))
        self.periods = periods(filters)
        self.by_day = filters.by_day
        self.rows = rollups(scope=scope, filters=filters, daily=self.by_day)
        # One read for the time series, the teams and the languages; one more for
        # platforms and categories. The rest is folding the rows in Python.
        names, main = summed_rows(self.rows, "start", "team_id", "language")
        by_day = self.by_day
        self.series = as_totals(names, fold(main, lambda k: period_key(k[0], by_day)))
        self.teams = as_totals(names, fold(main, lambda k: k[1]))
        self.languages = as_totals(names, fold(main, lambda k: k[2]))
        # (messages in, messages out, contacts) by start, platform and category.
        self.volumes = summed_rows(self.rows, "start", "platform", "category_id",
                                   sums=VOLUME_SUMS)[1]
        self.total = summed(self.series.values())

    def link(self, metric: str, period: Period | None = None, /, **extra: Any) -> str:
        filters = self.filters.within(period.first, period.last) if period else self.filters
        return drill(metric, filters, **extra)

    def at(self, period: Period) -> Totals:
        return self.series.get(period_key(period.first, self.by_day), Totals())

    # Sections -------------------------------------------------------------------------

    def volume(self) -> Section:
        table = Table("volume", _("Messages and conversations over time"),
                      [_("Period"), _("Messages from residents"), _("New conversations"),
                       _("Replies sent")])
        for p in self.periods:
            t = self.at(p)
            table.add(p.label, count(t.messages_in, self.link("messages", p)),
                      count(t.contacts, self.link("contacts", p)),
                      count(t.messages_out, self.link("messages", p, direction="out")))
        table.chart = line_chart(
            title=table.caption,
            description=_("%(m)s messages from residents and %(c)s new conversations, "
                          "%(first)s to %(last)s. The table gives every value.") % {
                "m": f"{self.total.messages_in:,}", "c": f"{self.total.contacts:,}",
                "first": self.periods[0].label if self.periods else "",
                "last": self.periods[-1].label if self.periods else ""},
            labels=[p.axis for p in self.periods],
            series=[(_("Messages"), [self.at(p).messages_in for p in self.periods]),
                    (_("Conversations"), [self.at(p).contacts for p in self.periods])])
        section = Section("volume", _("Volume"), tables=[table])
        for slug, title, key, name in (
                ("platforms", _("By platform"), 0, self.names.platform),
                ("categories", _("By category"), 1, self.names.category)):
            section.tables += self._by_dimension(slug, title, key, name)
        section.tables += self._wards()
        return section

    def _by_dimension(self, slug: str, title: str, key: int,
                      name: Callable[[Any], str]) -> list[Table]:
        # (messages in, contacts) per value, and messages in per value and period.
        sums: dict[Any, list[int]] = {}
        over_time: dict[tuple[Any, date], int] = {}
        for (start, *values), (messages_in, _out, contacts) in self.volumes.items():
            value = values[key]
            pair = sums.setdefault(value, [0, 0])
            pair[0] += messages_in
            pair[1] += contacts
            cell = (value, period_key(start, self.by_day))
            over_time[cell] = over_time.get(cell, 0) + messages_in
        totals = {v: Totals({"messages_in": p[0], "contacts": p[1]}) for v, p in sums.items()}
        ranked = sorted(totals, key=lambda v: (-totals[v].messages_in, name(v)))
        param = "platform" if key == 0 else "category"
        table = Table(slug, title, [name_header(param), _("Messages from residents"),
                                    _("New conversations"), _("Share of messages")])
        for value in ranked:
            t = totals[value]
            arg = value if value not in (None, "") else "none"
            table.add(name(value), count(t.messages_in, self.link("messages", **{param: arg})),
                      count(t.contacts, self.link("contacts", **{param: arg})),
                      share(t.messages_in, self.total.messages_in))
        shown = ranked[:10]
        table.chart = bar_chart(
            title=_("Messages from residents, %(by)s") % {"by": title.lower()},
            description=_("%(first)s had the most messages. The table gives every value.")
            % {"first": name(ranked[0]) if ranked else "–"},
            rows=[(name(v), totals[v].messages_in) for v in shown])
        top = ranked[:TOP_CATEGORIES]
        time_table = Table(f"{slug}-time", _("%(by)s over time") % {"by": title},
                           [_("Period")] + [name(v) for v in top])
        for p in self.periods:
            key_p = period_key(p.first, self.by_day)
            time_table.add(p.label, *[
                count(over_time.get((v, key_p), 0),
                      self.link("messages", p, **{param: v if v not in (None, "") else "none"}))
                for v in top])
        time_table.chart = line_chart(
            title=_("Messages from residents over time, %(by)s") % {"by": title.lower()},
            description=_("One line for each of the %(n)d busiest. The table gives every "
                          "value.") % {"n": len(top)},
            labels=[p.axis for p in self.periods],
            series=[(name(v), [over_time.get((v, period_key(p.first, self.by_day)), 0)
                               for p in self.periods]) for v in top])
        return [table, time_table]

    def _wards(self) -> list[Table]:
        _names, rows = split_sums(scope=self.scope, filters=self.filters, by=SplitBy.WARD,
                                  over_time=True)
        totals: dict[int | None, int] = {}
        over_time: dict[tuple[int | None, date], int] = {}
        for (ward, start), found in rows.items():
            key, contacts = period_key(start, self.by_day), found[0]
            totals[ward] = totals.get(ward, 0) + contacts
            over_time[(ward, key)] = over_time.get((ward, key), 0) + contacts
        ranked = sorted(totals, key=lambda w: (w is None, -totals[w], self.names.ward(w)))
        table = Table("wards", _("By ward"), [_("Ward"), _("New conversations"),
                                             _("Share of conversations")],
                      note=_("Found from the postcode or street the resident gave in their "
                             "first message."))
        whole = sum(totals.values())
        for ward in ranked:
            arg = ward if ward is not None else "none"
            table.add(self.names.ward(ward), count(totals[ward], self.link("contacts", ward=arg)),
                      share(totals[ward], whole))
        known = [w for w in ranked if w is not None]
        table.chart = bar_chart(title=_("New conversations by ward"),
                                description=_("The table gives every value."),
                                rows=[(self.names.ward(w), totals[w]) for w in known[:10]])
        top = known[:TOP_CATEGORIES]
        time_table = Table("wards-time", _("By ward over time"),
                           [_("Period")] + [self.names.ward(w) for w in top])
        for p in self.periods:
            key_p = period_key(p.first, self.by_day)
            time_table.add(p.label, *[count(over_time.get((w, key_p), 0),
                                            self.link("contacts", p, ward=w)) for w in top])
        time_table.chart = line_chart(
            title=_("New conversations over time, by ward"),
            description=_("The table gives every value."),
            labels=[p.axis for p in self.periods],
            series=[(self.names.ward(w), [over_time.get((w, period_key(p.first, self.by_day)), 0)
                                          for p in self.periods]) for w in top])
        return [table, time_table]

    def response(self) -> Section:
        table = Table("response", _("First reply and resolution over time"), [
            _("Period"), _("Answered"), _("Half answered within"), _("9 in 10 answered within"),
            _("Answered within target"), _("Resolved"),
            _("Half resolved within"), _("9 in 10 resolved within"),
            _("Resolved within target")],
            note=_("Office time: the council's opening hours, less bank holidays. Times are "
                   "counted in bands (15 min, 30 min, 45 min, 1 h, 1 h 30 min, 2 h, 3 h and "
                   "so on), so “half answered within 2 h” means the median reply took more "
                   "than the band before, 1 h 30 min, and at most 2 h. “Within target” "
                   "means within the response target for the conversation's category and "
                   "priority, as set in the council's response targets."))
        for p in self.periods:
            t = self.at(p)
            table.add(p.label, count(t.answered, self.link("answered", p)),
                      band(t, "fr", 0.5, self.link("answered", p, band=t.band("fr", 0.5))),
                      band(t, "fr", 0.9, self.link("answered", p, band=t.band("fr", 0.9))),
                      share(t.answered_in_target, t.answered,
                            self.link("answered", p, target="met")),
                      count(t.resolved, self.link("resolved", p)),
                      band(t, "res", 0.5, self.link("resolved", p, band=t.band("res", 0.5))),
                      band(t, "res", 0.9, self.link("resolved", p, band=t.band("res", 0.9))),
                      share(t.resolved_in_target, t.resolved,
                            self.link("resolved", p, target="met")))
        table.chart = line_chart(
            title=_("Share answered and resolved within target"),
            description=_("Share of first replies and of resolutions within the response "
                          "target for each conversation's category and priority, by "
                          "period. The table gives every value."),
            labels=[p.axis for p in self.periods], unit="%", ceiling=100.0,
            series=[(_("First reply"), [_pct(self.at(p).answered_in_target,
                                             self.at(p).answered) for p in self.periods]),
                    (_("Resolution"), [_pct(self.at(p).resolved_in_target,
                                            self.at(p).resolved) for p in self.periods])])
        return Section("response", _("Response times"), tables=[table])

    def sentiment(self) -> Section:
        table = Table("sentiment", _("How residents feel over time"), [
            _("Period"), _("Negative"), _("Neutral"), _("Positive"), _("Share negative")],
            note=_("The tone of each message from a resident, as triage read it."))
        for p in self.periods:
            t = self.at(p)
            scored = t.negative + t.neutral + t.positive
            table.add(p.label,
                      count(t.negative, self.link("messages", p, sentiment="negative")),
                      count(t.neutral, self.link("messages", p, sentiment="neutral")),
                      count(t.positive, self.link("messages", p, sentiment="positive")),
                      share(t.negative, scored))
        table.chart = line_chart(
            title=_("Share of messages that were negative and positive"),
            description=_("The table gives every value."), unit="%", ceiling=100.0,
            labels=[p.axis for p in self.periods],
            series=[(_("Negative"), [_pct(self.at(p).negative, _scored(self.at(p)))
                                     for p in self.periods]),
                    (_("Positive"), [_pct(self.at(p).positive, _scored(self.at(p)))
                                     for p in self.periods])])
        return Section("sentiment", _("Sentiment"), tables=[table])

    def _people_table(self, slug: str, caption: str, header: str,
                      groups: dict[Any, Totals], name: Callable[[Any], str],
                      param: str) -> Table:
        table = Table(slug, caption, [header, _("Conversations"), _("Answered"),
                                      _("Half answered within"), _("9 in 10 answered within"),
                                      _("Answered within target"),
                                      _("Resolved"), _("Half resolved within")])
        for key in sorted(groups, key=lambda k: (k in (None, ""), name(k))):
            t, arg = groups[key], key if key not in (None, "") else "none"
            table.add(name(key), count(t.contacts, self.link("contacts", **{param: arg})),
                      count(t.answered, self.link("answered", **{param: arg})),
                      band(t, "fr", 0.5), band(t, "fr", 0.9),
                      share(t.answered_in_target, t.answered,
                            self.link("answered", target="met", **{param: arg})),
                      count(t.resolved, self.link("resolved", **{param: arg})),
                      band(t, "res", 0.5))
        known = [k for k in groups if groups[k].answered]
        table.chart = bar_chart(
            title=_("%(by)s: share of first replies within target") % {"by": caption},
            description=_("Within the response target for each conversation's category "
                          "and priority. The table gives every value."), unit="%",
            rows=[(name(k), _pct(groups[k].answered_in_target, groups[k].answered) or 0)
                  for k in sorted(known, key=lambda k: name(k))])
        return table

    def teams_and_languages(self) -> list[Section]:
        teams, languages = self.teams, self.languages
        team_table = self._people_table("teams", _("By team"), _("Team"), teams,
                                        self.names.team, "team")
        language_table = self._people_table("languages", _("Welsh and English"),
                                            _("Language"), languages, self.names.language,
                                            "language")
        welsh = languages.get("cy", Totals())
        language_table.note = _(
            "%(k)s of %(n)s Welsh conversations with a reply were answered in Welsh.") % {
            "k": f"{welsh.welsh_in_welsh:,}", "n": f"{welsh.welsh_replied:,}"}
        welsh_table = Table("welsh", _("Welsh answered in Welsh"),
                            [_("Figure"), _("Conversations")])
        welsh_table.add(_("Welsh conversations with a reply"),
                        count(welsh.welsh_replied, self.link("welsh")))
        welsh_table.add(_("Answered in Welsh"),
                        count(welsh.welsh_in_welsh, self.link("welsh", reply="cy")))
        welsh_table.add(_("Answered in another language first"),
                        count(welsh.welsh_replied - welsh.welsh_in_welsh,
                              self.link("welsh", reply="other")))
        welsh_table.add(_("Share answered in Welsh"),
                        share(welsh.welsh_in_welsh, welsh.welsh_replied))
        sections = [Section("languages", _("Welsh and English"),
                            tables=[language_table, welsh_table])]
        sections.append(Section("teams", _("Teams"), tables=[team_table]))
        if self.scope.sees_officers:
            sections.append(Section("officers", _("Officers"),
                                    intro=_("Only supervisors and administrators see this."),
                                    tables=[self._officers()]))
        return sections

    def _officers(self) -> Table:
        groups = as_totals(*split_sums(scope=self.scope, filters=self.filters,
                                       by=SplitBy.OFFICER))
        return self._people_table("officers", _("By officer"), _("Officer"), groups,
                                  self.names.officer, "assignee")


def _pct(part: int, whole: int) -> float | None:
    return part / whole * 100 if whole else None


def _scored(t: Totals) -> int:
    return t.negative + t.neutral + t.positive


def name_header(param: str) -> str:
    return _("Platform") if param == "platform" else _("Category")


def dashboard_build(*, scope: Scope, filters: Filters, council: Any,
                    now: datetime | None = None) -> Dashboard:
    now = now or timezone.now()
    builder = Builder(scope=scope, filters=filters, now=now)
    sections = [builder.volume(), builder.response(), live.backlog(builder),
                builder.sentiment(), live.emerging(builder), live.channel_shift(builder, council),
                *builder.teams_and_languages()]
    t, th = builder.total, builder.thresholds
    dashboard = Dashboard(filters=filters, scope=scope, thresholds=th, headlines=[],
                          sections=sections, built_at=now)
    backlog, shift = dashboard.table("backlog"), dashboard.table("shift")
    dashboard.headlines = [
        Headline(_("Messages from residents"), f"{t.messages_in:,}",
                 builder.link("messages")),
        Headline(_("New conversations"), f"{t.contacts:,}", builder.link("contacts")),
        Headline(_("Half of first replies within"), band_bound_text(t.band("fr", 0.5)),
                 builder.link("answered", band=t.band("fr", 0.5)),
                 _("office time; this year's target for the median is %(t)s") % {
                     "t": minutes_text(th.first_response)}
                 if th.first_response_set else _("office time")),
        Headline(_("First replies within target"),
                 share(t.answered_in_target, t.answered).text,
                 builder.link("answered", target="met"),
                 _("each conversation's response target, by category and priority")),
        Headline(_("Waiting for a reply now"),
                 backlog.rows[-1][1].text if backlog and backlog.rows else "0",
                 builder.link("backlog")),
    ]
    if shift is not None and len(shift.rows) > 5:
        saved = shift.rows[-1][1]
        dashboard.headlines.append(Headline(_("Money saved by channel shift"), saved.text,
                                            saved.url, _("whole council")))
    return dashboard
