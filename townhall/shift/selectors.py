"""Channel shift reads, each scoped to one council.

`savings_totals` and `shift_rate` are the stable interface analytics (issue 7) uses. Both
count conversations by when the resident first wrote (the conversation's created_at), in
the half-open range [start, end): a saving belongs to the month of the contact it saved.
"""

from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Exists, OuterRef, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from townhall.core.models import Council
from townhall.inbox.models import Conversation, Direction, Message
from townhall.shift.models import LedgerEntry, ServiceRoute, ShiftSettings, TrackedLink
from townhall.triage.models import Category, Priority


@dataclass(frozen=True)
class SavingsTotals:
    contacts: int  # conversations that started in the period
    signposted: int  # of those, how many were sent a tracked link
    clicked: int  # of those, how many links were opened by the resident
    shifted: int  # of those, how many residents completed the self-service route
    saved_pence: int  # would_have_cost_pence - cost_pence
    cost_pence: int  # what the shifted contacts cost (web transaction and social answer)
    would_have_cost_pence: int  # what they would have cost by phone (or face to face)


def _period(queryset: QuerySet[Conversation], start: datetime,
            end: datetime) -> QuerySet[Conversation]:
    return queryset.filter(created_at__gte=start, created_at__lt=end)


def _link_sent() -> Exists:
    """True for a tracked link whose token is in a reply from the council."""
    return Exists(Message.objects.filter(conversation_id=OuterRef("conversation_id"),
                                         direction=Direction.OUT,
                                         text__contains=OuterRef("token")))


def savings_totals(*, council: Council, start: datetime, end: datetime) -> SavingsTotals:
    conversations = _period(Conversation.objects.filter(council=council), start, end)
    links = TrackedLink.objects.filter(council=council, conversation__created_at__gte=start,
                                       conversation__created_at__lt=end)
    sent = links.filter(_link_sent())
    entries = LedgerEntry.objects.filter(council=council, contact_at__gte=start,
                                         contact_at__lt=end)
    money = entries.aggregate(would=Sum("would_have_cost_pence"), cost=Sum("cost_pence"),
                              saved=Sum("saved_pence"))
    return SavingsTotals(
        contacts=conversations.count(),
        signposted=sent.values("conversation_id").distinct().count(),
        clicked=sent.filter(visitors__gt=0).values("conversation_id").distinct().count(),
        shifted=entries.count(),
        saved_pence=money["saved"] or 0,
        cost_pence=money["cost"] or 0,
        would_have_cost_pence=money["would"] or 0,
    )


def shift_rate(*, council: Council, start: datetime, end: datetime) -> float | None:
    """Shifted conversations over reportable ones, or None if none were reportable.

    Reportable: the category has a route for reportable problems and the conversation is
    neither a safeguarding concern nor critical (those are never signposted). A shifted
    conversation always counts as reportable, so the rate never passes 1 even if a route
    was changed since.
    """
    shifted = Q(ledger_entry__isnull=False)
    reportable = Q(category__service_route__is_reportable=True, safeguarding=False) & ~Q(
        priority=Priority.CRITICAL)
    conversations = _period(Conversation.objects.filter(council=council), start, end)
    total = conversations.filter(reportable | shifted).count()
    if not total:
        return None
    return conversations.filter(shifted).count() / total


# Routes and costs ----------------------------------------------------------------------


def shift_settings_for(*, council: Council) -> ShiftSettings:
    """The council's unit costs; the Socitm 2012 defaults until an admin changes them."""
    return ShiftSettings.objects.filter(council=council).first() or ShiftSettings(
        council=council)


def route_for(*, category: Category | None) -> ServiceRoute | None:
    if category is None:
        return None
    return ServiceRoute.objects.filter(category=category).first()


@dataclass
class CategoryRoute:
    category: Category
    route: ServiceRoute | None


def category_routes(*, council: Council) -> list[CategoryRoute]:
    routes = {r.category_id: r for r in ServiceRoute.objects.filter(council=council)}
    return [CategoryRoute(c, routes.get(c.pk))
            for c in Category.objects.filter(council=council).order_by("group", "name")]


def category_for_route_edit(*, council: Council, category_id: int) -> Category:
    category = Category.objects.filter(council=council, pk=category_id).first()
    if category is None:
        raise Http404("No such category in this council.")
    return category


def link_by_token(*, token: str) -> TrackedLink | None:
    """The link a resident clicked. The token alone names it: it is unguessable."""
    return (TrackedLink.objects.filter(token=token)
            .select_related("route", "category", "conversation").first())


def conversation_links(*, conversation: Conversation) -> list[TrackedLink]:
    return list(TrackedLink.objects.filter(conversation=conversation).select_related("route"))


def conversation_ledger_entry(*, conversation: Conversation) -> LedgerEntry | None:
    return LedgerEntry.objects.filter(conversation=conversation).first()


# The ledger page -----------------------------------------------------------------------


@dataclass
class LedgerRow:
    label: str
    shifted: int = 0
    would_have_cost_pence: int = 0
    cost_pence: int = 0
    saved_pence: int = 0

    def add(self, entry: LedgerEntry) -> None:
        self.shifted += 1
        self.would_have_cost_pence += entry.would_have_cost_pence
        self.cost_pence += entry.cost_pence
        self.saved_pence += entry.saved_pence


@dataclass
class Ledger:
    total: LedgerRow
    months: list[LedgerRow]
    categories: list[LedgerRow]
    entries: list[LedgerEntry]


def ledger_entries(*, council: Council, start: datetime | None = None,
                   end: datetime | None = None) -> QuerySet[LedgerEntry]:
    queryset = LedgerEntry.objects.filter(council=council)
    if start is not None:
        queryset = queryset.filter(contact_at__gte=start)
    if end is not None:
        queryset = queryset.filter(contact_at__lt=end)
    return queryset.order_by("-contact_at", "-id")


def ledger_summary(*, council: Council, start: datetime | None = None,
                   end: datetime | None = None, recent: int = 50) -> Ledger:
    """Totals by month (in UK time, newest first) and by category (biggest saving first)."""
    total = LedgerRow("total")
    months: OrderedDict[str, LedgerRow] = OrderedDict()
    categories: dict[str, LedgerRow] = {}
    entries: list[LedgerEntry] = []
    for entry in ledger_entries(council=council, start=start, end=end).iterator():
        local = timezone.localtime(entry.contact_at)
        month = local.strftime("%Y-%m")
        months.setdefault(month, LedgerRow(month)).add(entry)
        categories.setdefault(entry.category_name, LedgerRow(entry.category_name)).add(entry)
        total.add(entry)
        if len(entries) < recent:
            entries.append(entry)
    by_saving = sorted(categories.values(), key=lambda r: (-r.saved_pence, r.label))
    return Ledger(total=total, months=list(months.values()), categories=by_saving,
                  entries=entries)
