"""Analytics pages: parse the request, call one selector or service, render."""

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from townhall.accounts.models import Membership
from townhall.accounts.permissions import admin_required, client_ip, supervisor_required
from townhall.analytics import services
from townhall.analytics.dashboard import dashboard_build
from townhall.analytics.drilldown import (
    PAGE_SIZE,
    BadFigure,
    describe_filters,
    figure_conversations,
    figure_title,
    visible_page,
)
from townhall.analytics.exports import FORMATS, ExportReport, ExportTable, report_filename
from townhall.analytics.forms import (
    FilterForm,
    TargetForm,
    WardForm,
    target_initial,
    year_choices,
)
from townhall.analytics.fy import fy_of
from townhall.analytics.labels import names_for
from townhall.analytics.rollups import refresh_is_quick, refreshed_at, rollups_refresh
from townhall.analytics.scope import scope_for
from townhall.analytics.selectors import report_subscribed, ward_get, ward_list
from townhall.analytics.targets import target_get, year_report
from townhall.analytics.tasks import refresh_soon


def _membership(request: HttpRequest) -> Membership:
    membership = getattr(request, "membership", None)
    if membership is None:
        raise Http404("You are not a member of any council.")
    return membership


def _fresh(membership: Membership) -> bool:
    """Bring the figures up to date now if little has changed; otherwise start a
    refresh in the background, and say that newer changes are still being added."""
    council = membership.council
    if refresh_is_quick(council=council):
        rollups_refresh(council=council)
        return True
    refresh_soon(council.pk)
    return False


def _dashboard(request: HttpRequest) -> tuple[Membership, Any, Any, bool]:
    membership = _membership(request)
    scope = scope_for(membership)
    form = FilterForm(request.GET or None, scope=scope)
    fresh = _fresh(membership)
    built = dashboard_build(scope=scope, filters=form.filters(), council=membership.council)
    return membership, form, built, fresh


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    membership, form, built, fresh = _dashboard(request)
    return render(request, "analytics/dashboard.html", {
        "membership": membership, "form": form, "dashboard": built, "fresh": fresh,
        "refreshed_at": refreshed_at(council=membership.council),
        "query_string": urlencode(built.filters.query())})


@login_required
def table_csv(request: HttpRequest) -> HttpResponse:
    membership, _form, built, _fresh_now = _dashboard(request)
    slug = request.GET.get("table", "")
    try:
        content = ExportTable(council=membership.council, actor=request.user,
                              ip_address=client_ip(request), dashboard=built,
                              slug=slug).execute()
    except PermissionDenied:
        raise Http404("No such table.") from None
    response = HttpResponse(content.encode("utf-8-sig"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="townhall-{slug}-{built.filters.first}-{built.filters.last}.csv"')
    return response


@login_required
def conversations(request: HttpRequest) -> HttpResponse:
    membership = _membership(request)
    scope = scope_for(membership)
    form = FilterForm(request.GET, scope=scope)
    filters = form.filters()
    names = names_for(membership.council_id)
    _fresh(membership)
    metric = request.GET.get("metric", "")
    extra = {k: str(v)[:100] for k, v in request.GET.items()
             if k in ("ward", "assignee", "language", "band", "within", "target", "reply",
                      "direction",
                      "sentiment", "age", "term", "incident")}
    page = request.GET.get("page", "1")
    page_number = int(page) if page.isdigit() and int(page) > 0 else 1
    try:
        figure = figure_conversations(scope=scope, filters=filters, metric=metric, extra=extra,
                                      names=names)
    except BadFigure as error:
        return render(request, "analytics/conversations.html",
                      {"error": str(error), "title": _("Conversations")}, status=400)
    _visible, visible_total, rows = visible_page(membership=membership, ids=figure.ids,
                                                page=page_number)
    for row in rows:
        row.platform_label = names.platform(row.platform)  # type: ignore[attr-defined]
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "analytics/conversations.html", {
        "dashboard_query": urlencode(filters.query()),
        "title": figure_title(metric), "figure": figure, "rows": rows,
        "visible_total": visible_total, "hidden": figure.total - visible_total,
        "conditions": describe_filters(filters, names) + figure.conditions,
        "page": page_number, "has_next": page_number * PAGE_SIZE < visible_total,
        "query": query.urlencode(), "now": timezone.now()})


def _year(request: HttpRequest) -> int:
    value = request.GET.get("year", "")
    choices = dict(year_choices())
    if value.isdigit() and int(value) in choices:
        return int(value)
    return fy_of(timezone.localdate())


@supervisor_required
def targets(request: HttpRequest) -> HttpResponse:
    membership = _membership(request)
    _fresh(membership)
    year = _year(request)
    return render(request, "analytics/targets.html", {
        "membership": membership, "report": year_report(council=membership.council, year=year),
        "years": year_choices(), "year": year})


def _target_form_page(request: HttpRequest, year: int, target: Any = None) -> HttpResponse:
    membership = _membership(request)
    form = TargetForm(request.POST or None, initial=target_initial(target))
    if request.method == "POST" and form.is_valid():
        try:
            services.target_set(by=membership, year=year, kind=form.cleaned_data["kind"],
                                percent=form.cleaned_data.get("percent"),
                                office_minutes=form.within_minutes,
                                amount_pence=form.amount_pence, target=target)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Target saved."))
            return redirect(f"{reverse('analytics:targets')}?year={year}")
    return render(request, "analytics/target_form.html", {
        "form": form, "target": target, "year": year,
        "year_label": dict(year_choices()).get(year, str(year))},
        status=400 if form.errors else 200)


@supervisor_required
def target_add(request: HttpRequest) -> HttpResponse:
    return _target_form_page(request, _year(request))


@supervisor_required
def target_edit(request: HttpRequest, target_id: int) -> HttpResponse:
    target = target_get(council=_membership(request).council, pk=target_id)
    return _target_form_page(request, target.year, target)


@supervisor_required
@require_POST
def target_delete(request: HttpRequest, target_id: int) -> HttpResponse:
    membership = _membership(request)
    target = target_get(council=membership.council, pk=target_id)
    services.target_delete(by=membership, target=target)
    messages.success(request, _("Target removed."))
    return redirect(f"{reverse('analytics:targets')}?year={target.year}")


@supervisor_required
def report(request: HttpRequest) -> HttpResponse:
    membership = _membership(request)
    subscribed = report_subscribed(council=membership.council, user_id=membership.user_id)
    return render(request, "analytics/report.html", {
        "years": year_choices(), "year": _year(request), "subscribed": subscribed,
        "has_email": bool(request.user.email)})  # type: ignore[union-attr]


@supervisor_required
def report_download(request: HttpRequest) -> HttpResponse:
    membership = _membership(request)
    fmt = request.GET.get("format", "pdf")
    if fmt not in FORMATS:
        raise Http404("No such format.")
    action = ExportReport(council=membership.council, actor=request.user,
                          ip_address=client_ip(request), year=_year(request), fmt=fmt)
    content = action.execute()
    assert action.report is not None
    response = HttpResponse(content, content_type="application/pdf" if fmt == "pdf"
                            else "text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{report_filename(action.report, fmt)}"')
    return response


@supervisor_required
@require_POST
def report_subscription(request: HttpRequest) -> HttpResponse:
    subscribed = request.POST.get("subscribe") == "yes"
    services.report_subscription_set(by=_membership(request), subscribed=subscribed)
    messages.success(request, _("You will get the report by email on the first of each "
                                "month.") if subscribed
                     else _("You will no longer get the report by email."))
    return redirect("analytics:report")


@admin_required
def wards(request: HttpRequest) -> HttpResponse:
    membership = _membership(request)
    return render(request, "analytics/wards.html", {
        "wards": ward_list(council=membership.council)})


@admin_required
def ward_edit(request: HttpRequest, ward_id: int | None = None) -> HttpResponse:
    membership = _membership(request)
    ward = None if ward_id is None else ward_get(council=membership.council, pk=ward_id)
    initial = {} if ward is None else {
        "name": ward.name, "postcode_districts": "\n".join(ward.postcode_districts),
        "streets": "\n".join(ward.streets)}
    form = WardForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        districts, streets = form.lists()
        try:
            services.ward_set(by=membership, name=form.cleaned_data["name"],
                              postcode_districts=districts, streets=streets, ward=ward)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Ward saved. Conversations are being matched to "
                                        "wards again."))
            return redirect("analytics:wards")
    return render(request, "analytics/ward_form.html", {"form": form, "ward": ward},
                  status=400 if form.errors else 200)


@admin_required
@require_POST
def ward_delete(request: HttpRequest, ward_id: int) -> HttpResponse:
    membership = _membership(request)
    ward = ward_get(council=membership.council, pk=ward_id)
    services.ward_delete(by=membership, ward=ward)
    messages.success(request, _("Ward removed."))
    return redirect("analytics:wards")
