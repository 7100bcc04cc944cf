"""The conversations behind a figure: every number on the dashboard links here.

The same conditions as the figure, read from the same facts, so the list has exactly as
many conversations as the figure counts. The list shows only the ones the person may
open (conversations_visible); it says how many others there are.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from townhall.accounts.models import Membership
from townhall.analytics.buckets import BUCKETS, band_range_text, bound_index, minutes_text
from townhall.analytics.facts import UNSENT
from townhall.analytics.fy import day_start_utc
from townhall.analytics.labels import Names
from townhall.analytics.live import AGE_BANDS, age_condition, backlog_queryset
from townhall.analytics.scope import Filters, Scope, conversation_dimensions, facts
from townhall.analytics.terms import message_terms
from townhall.inbox.models import Conversation, Direction, Message
from townhall.inbox.selectors import conversations_visible
from townhall.triage.models import IncidentMember

METRICS = ("contacts", "answered", "resolved", "welsh", "messages", "backlog", "term",
           "incident")
PAGE_SIZE = 50


class BadFigure(ValueError):
    """The link names a figure that does not exist; the page says so."""


@dataclass
class Figure:
    metric: str
    filters: Filters
    extra: dict[str, str]
    conditions: list[str] = field(default_factory=list)
    # The ids of the conversations behind the figure: a query, or a list for small ones.
    ids: Any = None
    total: int = 0
    messages: int | None = None


def _int(extra: dict[str, str], name: str) -> int | None:
    value = extra.get(name, "")
    if not value:
        return None
    if not value.isdigit():
        raise BadFigure(_("The link has a value for %(n)s that is not a number.") % {"n": name})
    return int(value)


def _fact_conditions(figure: Figure, names: Names) -> Q:
    extra, q = figure.extra, Q()
    ward = extra.get("ward", "")
    if ward:
        q &= Q(ward_id__isnull=True) if ward == "none" else Q(ward_id=_int(extra, "ward"))
        figure.conditions.append(_("ward: %(w)s") % {
            "w": names.ward(None if ward == "none" else int(ward))})
    assignee = extra.get("assignee", "")
    if assignee:
        q &= (Q(assignee_id__isnull=True) if assignee == "none"
              else Q(assignee_id=_int(extra, "assignee")))
        figure.conditions.append(_("officer: %(o)s") % {
            "o": names.officer(None if assignee == "none" else int(assignee))})
    if "language" in extra:
        language = "" if extra["language"] == "none" else extra["language"]
        q &= Q(language=language)
        figure.conditions.append(_("language: %(l)s") % {"l": names.language(language)})
    return q


def _band(figure: Figure, column: str, met_column: str, what: str) -> Q:
    extra, q = figure.extra, Q(**{f"{column}__isnull": False})
    target = extra.get("target", "")
    if target:
        if target not in ("met", "missed"):
            raise BadFigure(_("The link names a target result that does not exist."))
        q &= Q(**{met_column: target == "met"})
        figure.conditions.append(
            (_("%(what)s within its response target") if target == "met"
             else _("%(what)s outside its response target")) % {"what": what})
    band = _int(extra, "band")
    if band is not None:
        if band >= BUCKETS:
            raise BadFigure(_("The link names a time band that does not exist."))
        q &= Q(**{column: band})
        figure.conditions.append(_("%(what)s took %(t)s") % {"what": what,
                                                             "t": band_range_text(band)})
    within = _int(extra, "within")
    if within is not None:
        try:
            q &= Q(**{f"{column}__lte": bound_index(within)})
        except ValueError as error:
            raise BadFigure(str(error)) from None
        figure.conditions.append(_("%(what)s within %(t)s") % {"what": what,
                                                               "t": minutes_text(within)})
    return q


def _from_facts(figure: Figure, scope: Scope, names: Names) -> Any:
    q = _fact_conditions(figure, names)
    if figure.metric == "answered":
        q &= _band(figure, "first_response_band", "first_response_in_target",
                   _("first reply"))
    elif figure.metric == "resolved":
        q &= _band(figure, "resolution_band", "resolution_in_target", _("resolution"))
    elif figure.metric == "welsh":
        q &= Q(language="cy", welsh_reply__isnull=False)
        reply = figure.extra.get("reply", "")
        if reply:
            q &= Q(welsh_reply=reply == "cy")
    found = facts(scope=scope, filters=figure.filters).filter(q)
    figure.total = found.count()
    return found.values("conversation_id")


def _messages(figure: Figure, scope: Scope, names: Names) -> Any:
    f = figure.filters
    direction = figure.extra.get("direction", Direction.IN)
    if direction not in (Direction.IN, Direction.OUT):
        raise BadFigure(_("The link names a direction that does not exist."))
    queryset = Message.objects.filter(
        conversation_dimensions(scope=scope, filters=f, prefix="conversation__"),
        council_id=scope.council_id, direction=direction,
        created_at__gte=day_start_utc(f.first),
        created_at__lt=day_start_utc(date.fromordinal(f.last.toordinal() + 1)))
    if direction == Direction.OUT:
        queryset = queryset.exclude(delivery_status__in=UNSENT)
    sentiment = figure.extra.get("sentiment", "")
    if sentiment:
        queryset = queryset.filter(sentiment=sentiment)
        figure.conditions.append(_("tone: %(s)s") % {"s": sentiment})
    if "language" in figure.extra:
        language = "" if figure.extra["language"] == "none" else figure.extra["language"]
        queryset = queryset.filter(conversation__language=language)
        figure.conditions.append(_("language: %(l)s") % {"l": names.language(language)})
    if figure.metric == "term":
        term = figure.extra.get("term", "").casefold()
        if not term:
            raise BadFigure(_("The link does not say which word."))
        figure.conditions.append(_("using the word “%(t)s”") % {"t": term})
        rows = queryset.filter(Q(redacted_text__icontains=term) | Q(text__icontains=term)) \
            .values_list("conversation_id", "redacted_text", "text")
        matched = [c for c, redacted, text in rows if term in message_terms(redacted or text)]
        figure.messages = len(matched)
        figure.total = len(set(matched))
        return sorted(set(matched))
    figure.messages = queryset.count()
    figure.total = queryset.values("conversation_id").distinct().count()
    return queryset.values("conversation_id")


def figure_conversations(*, scope: Scope, filters: Filters, metric: str,
                         extra: dict[str, str], names: Names,
                         now: datetime | None = None) -> Figure:
    """The ids of the conversations behind one figure, within the person's scope."""
    if metric not in METRICS:
        raise BadFigure(_("The link names a figure that does not exist."))
    if extra.get("assignee") and not scope.sees_officers:
        raise BadFigure(_("Only supervisors and administrators see figures by officer."))
    figure = Figure(metric, filters, extra)
    if metric in ("contacts", "answered", "resolved", "welsh"):
        figure.ids = _from_facts(figure, scope, names)
    elif metric in ("messages", "term"):
        figure.ids = _messages(figure, scope, names)
    elif metric == "backlog":
        age = extra.get("age", "")
        queryset = backlog_queryset(scope=scope, filters=filters)
        if age:
            if age not in {key for key, *_rest in AGE_BANDS}:
                raise BadFigure(_("The link names a waiting time that does not exist."))
            queryset = queryset.filter(age_condition(age, now or timezone.now()))
        figure.total = queryset.count()
        figure.ids = queryset.values("id")
    else:
        incident = _int(extra, "incident")
        if incident is None:
            raise BadFigure(_("The link does not say which incident."))
        message_ids = IncidentMember.objects.filter(
            incident_id=incident, incident__council_id=scope.council_id).values("message_id")
        found = Conversation.objects.filter(
            conversation_dimensions(scope=scope, filters=Filters(filters.first, filters.last)),
            council_id=scope.council_id, messages__in=message_ids).distinct()
        figure.total = found.count()
        figure.ids = found.values("id")
    return figure


def figure_title(metric: str) -> str:
    return {
        "contacts": _("New conversations"), "answered": _("Conversations with a first reply"),
        "resolved": _("Resolved conversations"), "welsh": _("Welsh conversations with a reply"),
        "messages": _("Conversations with these messages"),
        "backlog": _("Conversations waiting for a reply"),
        "term": _("Conversations using a word"), "incident": _("Conversations in an incident"),
    }.get(metric, _("Conversations"))


def dates_text(filters: Filters) -> str:
    return _("%(a)s to %(b)s") % {"a": date_format(filters.first, "j F Y"),
                                  "b": date_format(filters.last, "j F Y")}


def visible_page(*, membership: Membership, ids: Any, page: int) -> tuple[
        QuerySet[Conversation], int, list[Conversation]]:
    """The conversations among `ids` this person may open, newest first, one page."""
    visible = conversations_visible(membership=membership).filter(pk__in=ids)
    total = visible.count()
    rows = list(visible.select_related("team", "category", "assignee")
                .order_by("-created_at", "-id")[(page - 1) * PAGE_SIZE:page * PAGE_SIZE])
    return visible, total, rows


def describe_filters(filters: Filters, names: Names) -> list[str]:
    found = [dates_text(filters)]
    if filters.platform:
        found.append(_("platform: %(p)s") % {"p": names.platform(filters.platform)})
    if filters.team:
        found.append(_("team: %(t)s") % {"t": names.team(
            None if filters.team == "none" else int(filters.team))})
    if filters.category:
        found.append(_("category: %(c)s") % {"c": names.category(
            None if filters.category == "none" else int(filters.category))})
    return found


__all__ = ["METRICS", "BadFigure", "Figure", "figure_conversations", "visible_page",
           "describe_filters", "figure_title", "Any"]
