"""Exports: a table as CSV, the committee report as CSV or PDF, and the monthly email.

Exporting is audited like any other release of data (action classes): who took which
figures, when. The report leaves out per-officer figures: it goes to councillors.
"""

import io
import logging
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from townhall.accounts.models import Membership
from townhall.analytics.dashboard import Dashboard, dashboard_build
from townhall.analytics.fy import fy_end, fy_label, fy_of, fy_start, month_start
from townhall.analytics.models import ReportSubscription
from townhall.analytics.rollups import rollups_refresh
from townhall.analytics.scope import Filters, Scope
from townhall.analytics.tables import Cell, Table, write_csv
from townhall.analytics.targets import YearReport, year_report
from townhall.core.actions import BaseAction
from townhall.core.models import Council

logger = logging.getLogger(__name__)
# The committee report's sections, in order; officers and live word counts stay out.
REPORT_SECTIONS = ("volume", "response", "backlog", "sentiment", "languages", "teams",
                   "shift")
FORMATS = ("csv", "pdf")


@dataclass
class Report:
    council: Council
    year: int
    label: str
    as_of: date
    targets: YearReport
    dashboard: Dashboard
    targets_table: Table

    @property
    def sections(self) -> list[Any]:
        return [s for s in self.dashboard.sections if s.slug in REPORT_SECTIONS]

    @property
    def tables(self) -> list[Table]:
        return [self.targets_table] + [t for s in self.sections for t in s.tables]


def targets_table(found: YearReport) -> Table:
    table = Table("targets", _("Targets for %(y)s") % {"y": found.label}, [
        _("Target"), _("So far"), _("Likely by 31 March"), _("Chance of meeting it"),
        _("How it is looking")])
    for status in found.statuses:
        actual = status.projection.actual
        table.add(status.label, Cell(status.actual_text,
                                     None if actual is None else round(actual, 1)),
                  status.band_text,
                  Cell(status.chance_text, None if status.projection.chance is None
                       else round(status.projection.chance * 100)),
                  status.status_label)
    return table


def report_build(*, council: Council, year: int, as_of: date | None = None) -> Report:
    """The committee report for a financial year, with figures up to `as_of`."""
    today = timezone.localdate()
    as_of = min(as_of or today, fy_end(year), today)
    rollups_refresh(council=council)
    found = year_report(council=council, year=year, today=as_of)
    filters = Filters(fy_start(year), max(as_of, fy_start(year)))
    dashboard = dashboard_build(scope=Scope(council.pk, None, False), filters=filters,
                                council=council)
    return Report(council=council, year=year, label=fy_label(year), as_of=as_of,
                  targets=found, dashboard=dashboard, targets_table=targets_table(found))


def report_csv(report: Report) -> bytes:
    return write_csv(report.tables).encode("utf-8-sig")


def report_pdf(report: Report) -> bytes:
    # WeasyPrint narrates every step (from its import on), and warns of screen-only CSS
    # it ignores; neither is worth a log line.
    for name in ("weasyprint", "weasyprint.progress", "fontTools"):
        logging.getLogger(name).setLevel(logging.ERROR)
    from weasyprint import HTML

    html = render_to_string("analytics/report_pdf.html", {
        "report": report, "print": True, "base_url": settings.TOWNHALL_BASE_URL})
    return bytes(HTML(string=html, base_url=settings.TOWNHALL_BASE_URL).write_pdf())


def report_filename(report: Report, fmt: str) -> str:
    return f"townhall-{report.council.slug}-report-{report.year}-{report.as_of:%Y-%m-%d}.{fmt}"


def _membership(actor: Any, council: Council) -> Membership | None:
    user_id = getattr(actor, "pk", None)
    return (Membership.objects.filter(user_id=user_id, council=council).first()
            if user_id is not None else None)


class ExportReport(BaseAction[bytes]):
    """Download the committee report (supervisors and admins, or the command line)."""

    audit_action = "analytics.report_exported"

    def __init__(self, *, year: int, fmt: str, as_of: date | None = None,
                 **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.year, self.fmt, self.as_of = year, fmt, as_of
        self.report: Report | None = None

    def check(self) -> None:
        if self.fmt not in FORMATS:
            raise ValueError(_("Choose csv or pdf"))
        if self.actor is None:
            return  # the command line, run by whoever runs the server
        membership = _membership(self.actor, self.council)
        if membership is None or not membership.is_supervisor_or_admin:
            raise PermissionDenied(_("Only a supervisor or an administrator can download "
                                     "the committee report."))

    def _execute(self) -> tuple[bytes, Any, dict[str, Any]]:
        self.report = report_build(council=self.council, year=self.year, as_of=self.as_of)
        content = report_pdf(self.report) if self.fmt == "pdf" else report_csv(self.report)
        return content, None, {"year": self.year, "format": self.fmt,
                               "as_of": self.report.as_of.isoformat()}


class ExportTable(BaseAction[str]):
    """One dashboard table as CSV, with the filters the person chose."""

    audit_action = "analytics.table_exported"

    def __init__(self, *, dashboard: Dashboard, slug: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.dashboard, self.slug = dashboard, slug

    def check(self) -> None:
        if self.dashboard.table(self.slug) is None:
            raise PermissionDenied(_("There is no such table on your dashboard."))

    def _execute(self) -> tuple[str, Any, dict[str, Any]]:
        table = self.dashboard.table(self.slug)
        assert table is not None
        return write_csv([table], io.StringIO()), None, {
            "table": self.slug, "filters": self.dashboard.filters.query(),
            "rows": len(table.rows)}


def previous_month_end(today: date) -> date:
    return month_start(today) - timedelta(days=1)


def reports_email_due(*, today: date | None = None) -> int:
    """Email last month's report to every subscriber who has not had it. Safe to run
    twice: each subscription remembers the month it was last sent."""
    today = today or timezone.localdate()
    as_of = previous_month_end(today)
    month = month_start(as_of)
    sent = 0
    due = (ReportSubscription.objects.exclude(last_sent_month=month)
           .select_related("council", "user").order_by("council_id", "id"))
    by_council: dict[int, list[ReportSubscription]] = {}
    for subscription in due:
        by_council.setdefault(subscription.council_id, []).append(subscription)
    for subscriptions in by_council.values():
        council = subscriptions[0].council
        people = [s for s in subscriptions if s.user.is_active and s.user.email and
                  _still_supervisor(s.user, council)]
        if not people:
            continue
        action = ExportReport(council=council, actor=None, year=fy_of(as_of), fmt="pdf",
                              as_of=as_of)
        pdf = action.execute()
        report = action.report
        assert report is not None
        for subscription in people:
            _send(subscription, report, pdf, month)
            sent += 1
    return sent


def _still_supervisor(user: Any, council: Council) -> bool:
    membership = _membership(user, council)
    return membership is not None and membership.is_supervisor_or_admin


def _send(subscription: ReportSubscription, report: Report, pdf: bytes, month: date) -> None:
    from townhall.core.services import audit_record

    subject = _("Social media report for %(m)s: %(c)s") % {
        "m": date_format(month, "F Y"), "c": report.council.name}
    body = render_to_string("analytics/report_email.txt", {"report": report, "month": month})
    email = EmailMessage(subject=subject, body=body, to=[subscription.user.email])
    email.attach(report_filename(report, "pdf"), pdf, "application/pdf")
    email.send()
    with transaction.atomic():
        ReportSubscription.objects.filter(pk=subscription.pk).update(last_sent_month=month)
        audit_record(council=report.council, actor=None, actor_label="schedule",
                     action="analytics.report_emailed", obj=subscription,
                     data={"month": month.isoformat(), "user": subscription.user_id})


