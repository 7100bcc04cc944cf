"""The parts of the dashboard about now: the backlog, what is rising this week, live
incidents, and channel shift for the chosen dates."""

from datetime import date, timedelta
from math import sqrt
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q, Sum
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from townhall.analytics.charts import bar_chart
from townhall.analytics.figures import grouped
from townhall.analytics.fy import london_day
from townhall.analytics.labels import drill
from townhall.analytics.models import TermCount
from townhall.analytics.scope import Filters, conversation_dimensions, rollups, week_bounds
from townhall.analytics.shift import ledger_url, shift_figures
from townhall.analytics.tables import Cell, Section, Table, count
from townhall.inbox.models import Conversation, Status
from townhall.triage.models import Incident

if TYPE_CHECKING:
    from townhall.analytics.dashboard import Builder

# How long a conversation has waited for its reply, in calendar days: (key, label, at
# least, under) with None for "no bound".
AGE_BANDS = (
    ("day", gettext_lazy("Under 1 day"), None, 1),
    ("days", gettext_lazy("1 to 2 days"), 1, 2),
    ("week", gettext_lazy("2 to 7 days"), 2, 7),
    ("older", gettext_lazy("More than 7 days"), 7, None),
)
# Rising: at least this many this week, half as many again as the weekly average of the
# four weeks before, and at least two standard deviations above it (Poisson).
RISING_MIN = 5
RISING_RATIO = 1.5
RISING_Z = 2.0
INCIDENT_HOURS = 72
INCIDENT_MIN_MESSAGES = 3


def backlog_queryset(*, scope: Any, filters: Filters) -> Any:
    """Conversations waiting for the council's reply now, whatever the dates."""
    return Conversation.objects.filter(
        conversation_dimensions(scope=scope, filters=filters), council_id=scope.council_id,
        status=Status.OPEN, waiting_since__isnull=False)


def age_condition(key: str, now: Any) -> Q:
    for band, _label, least, under in AGE_BANDS:
        if band == key:
            q = Q()
            if least is not None:
                q &= Q(waiting_since__lte=now - timedelta(days=least))
            if under is not None:
                q &= Q(waiting_since__gt=now - timedelta(days=under))
            return q
    return Q()


def backlog(builder: "Builder") -> Section:
    queryset = backlog_queryset(scope=builder.scope, filters=builder.filters)
    counts = queryset.aggregate(**{key: Count("id", filter=age_condition(key, builder.now))
                                   for key, *_rest in AGE_BANDS})
    table = Table("backlog", _("Waiting for a reply now, by how long"),
                  [_("Waiting"), _("Conversations")],
                  note=_("Open conversations whose latest message from the resident has no "
                         "reply yet, whatever the dates chosen above. Calendar time."))
    for key, label, *_rest in AGE_BANDS:
        table.add(str(label), count(counts[key] or 0, builder.link("backlog", age=key)))
    total = sum(v or 0 for v in counts.values())
    table.add(_("All waiting"), count(total, builder.link("backlog")))
    table.chart = bar_chart(title=_("Conversations waiting for a reply, by how long"),
                            description=_("%(n)s conversations are waiting. The table gives "
                                          "every value.") % {"n": f"{total:,}"},
                            rows=[(str(label), counts[key] or 0)
                                  for key, label, *_rest in AGE_BANDS])
    return Section("backlog", _("Backlog"), tables=[table])


def _rising(now: int, before: int) -> tuple[bool, float]:
    average = before / 4
    z = (now - average) / sqrt(max(average, 1.0))
    return (now >= RISING_MIN and now >= RISING_RATIO * average and z >= RISING_Z), z


def _change(now: int, before: int) -> Cell:
    average = before / 4
    if not average:
        return Cell(_("new"), "new")
    value = (now - average) / average
    return Cell(f"{value:+.0%}", round(value * 100), numeric=True)


def emerging(builder: "Builder") -> Section:
    today = london_day(builder.now)
    first, this_week, last = week_bounds(today)
    recent = Filters(first, last, builder.filters.platform, builder.filters.team,
                     builder.filters.category)
    found = grouped(rollups(scope=builder.scope, filters=recent, daily=True), "category_id",
                    "start", sums={"sum_contacts": Sum("contacts")})
    weeks: dict[Any, list[int]] = {}
    for (category, start), totals in found.items():
        split = weeks.setdefault(category, [0, 0])
        split[0 if start >= this_week else 1] += totals.contacts
    table = Table("emerging-categories", _("Categories rising this week"), [
        _("Category"), _("Last 7 days"), _("Weekly average, 4 weeks before"), _("Change")],
        note=_("New conversations in the last 7 days against the weekly average of the 4 "
               "weeks before."))
    week_filters = Filters(this_week, last, builder.filters.platform, builder.filters.team)
    rising = []
    for category, (now, before) in weeks.items():
        up, z = _rising(now, before)
        if up:
            rising.append((z, category, now, before))
    for _z, category, now, before in sorted(rising, key=lambda r: -r[0])[:10]:
        arg = category if category is not None else "none"
        table.add(builder.names.category(category),
                  count(now, drill("contacts", week_filters, category=arg)),
                  Cell(f"{before / 4:,.1f}", round(before / 4, 1), numeric=True),
                  _change(now, before))
    tables = [table]
    if not builder.scope.is_team_view:
        tables.append(_terms(builder, first, this_week, last))
    tables.append(_incidents(builder))
    return Section("emerging", _("Emerging topics"), tables=tables)


def _terms(builder: "Builder", first: date, this_week: date, last: date) -> Table:
    rows = (TermCount.objects.filter(council_id=builder.scope.council_id, day__gte=first,
                                     day__lte=last)
            .values("term")
            .annotate(now=Sum("messages", filter=Q(day__gte=this_week)),
                      before=Sum("messages", filter=Q(day__lt=this_week)))
            .filter(now__gte=RISING_MIN).order_by())
    rising = []
    for row in rows:
        up, z = _rising(row["now"] or 0, row["before"] or 0)
        if up:
            rising.append((z, row["term"], row["now"] or 0, row["before"] or 0))
    table = Table("emerging-terms", _("Words rising this week"), [
        _("Word"), _("Messages, last 7 days"), _("Weekly average, 4 weeks before"),
        _("Change")], note=_("Words from residents' messages, personal details removed, "
                             "counted once a message. Whole council."))
    week = Filters(this_week, last)
    for _z, term, now, before in sorted(rising, key=lambda r: -r[0])[:10]:
        table.add(term, count(now, drill("term", week, term=term)),
                  Cell(f"{before / 4:,.1f}", round(before / 4, 1), numeric=True),
                  _change(now, before))
    return table


def _incidents(builder: "Builder") -> Table:
    since = builder.now - timedelta(hours=INCIDENT_HOURS)
    table = Table("incidents", _("Live incidents"), [
        _("About"), _("Messages"), _("Started"), _("Latest")],
        note=_("Several messages about one thing (a burst main, a fallen tree), with a "
               "message in the last 3 days."))
    found = (Incident.objects.filter(council_id=builder.scope.council_id, last_at__gte=since,
                                     message_count__gte=INCIDENT_MIN_MESSAGES)
             .order_by("-message_count", "-last_at")[:10])
    codes = dict(_category_codes(builder.scope.council_id))
    for incident in found:
        table.add(codes.get(incident.category_code, incident.category_code),
                  count(incident.message_count, drill("incident", builder.filters,
                                                      incident=incident.pk)),
                  date_format(localtime(incident.first_at), "j M H:i"),
                  date_format(localtime(incident.last_at), "j M H:i"))
    return table


def _category_codes(council_id: int) -> list[tuple[str, str]]:
    from townhall.triage.models import Category

    return list(Category.objects.filter(council_id=council_id).values_list("code", "name"))


def channel_shift(builder: "Builder", council: Any) -> Section:
    found = shift_figures(council=council, first=builder.filters.first,
                          last=builder.filters.last)
    table = Table("shift", _("Channel shift"), [_("Figure"), _("Value")],
                  note=_("Whole council, whatever platform, team or category is chosen. From "
                         "the savings ledger."))
    url = ledger_url()
    if found is None:
        table.add(_("Channel shift"), _("Not set up"))
    else:
        table.add(_("New conversations"), count(found.contacts, builder.link("contacts")))
        table.add(_("Shifted to self-service"), count(found.shifted, url))
        table.add(_("Shift rate (of reportable requests)"),
                  Cell("–" if found.rate is None else f"{found.rate:.1%}",
                       None if found.rate is None else round(found.rate * 100, 1), url,
                       numeric=True))
        for label, pence in ((_("Would have cost"), found.would_have_cost_pence),
                             (_("Cost instead"), found.cost_pence),
                             (_("Money saved"), found.saved_pence)):
            table.add(label, Cell(f"£{pence / 100:,.2f}", round(pence / 100, 2), url,
                                  numeric=True))
    return Section("shift", _("Channel shift"), tables=[table])
