"""Pages for answering well: approvals, the Welsh report, and the admin's settings."""

from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from townhall.accounts.models import Membership
from townhall.accounts.permissions import admin_required, client_ip, supervisor_required
from townhall.inbox.models import SavedReply
from townhall.respond import services
from townhall.respond.approvals import reply_approve, reply_reject
from townhall.respond.forms import (
    ApproveForm,
    ClosureForm,
    HoursForm,
    RejectForm,
    ReportForm,
    RuleForm,
    SavedReplyForm,
    TargetForm,
    openings_text,
)
from townhall.respond.models import ApprovalRule, ClosureDay, ResponseTarget
from townhall.respond.reports import welsh_report, welsh_report_csv
from townhall.respond.selectors import (
    approval_get,
    approval_rule_get,
    approval_rules,
    approvals_pending,
    approvals_pending_count,
    closure_days,
    conversation_context,
    parse_opening_times,
    response_settings_for,
    response_target_get,
    response_targets,
    saved_replies_all,
    saved_reply_get,
)
from townhall.respond.targets import DEFAULT_TARGET_MINUTES
from townhall.respond.welsh import WelshReplyRequired


def _member(request: HttpRequest) -> Membership:
    return request.membership  # type: ignore[attr-defined, no-any-return]


_T = TypeVar("_T")


def _errors(form: Any, error: ValidationError) -> None:
    for text in error.messages:
        form.add_error(None, text)


def _one(request: HttpRequest, get: Callable[..., _T], pk: int, *, missing: str) -> _T:
    """The council's object from the selector `get`, or a 404 saying `missing`."""
    try:
        return get(council=request.council, pk=pk)  # type: ignore[attr-defined]
    except ObjectDoesNotExist as error:
        raise Http404(missing) from error


def _form_page(request: HttpRequest, form: Any, save: Callable[[], object], *, done: str,
               to: str, template: str, context: dict[str, Any]) -> HttpResponse:
    """A settings form: on a valid POST, `save()` and go to `to` saying `done`. Otherwise,
    or when the service refuses (its reasons go on the form), show the form again, as a
    400 if it has errors."""
    if request.method == "POST" and form.is_valid():
        try:
            save()
        except ValidationError as error:
            _errors(form, error)
        else:
            messages.success(request, done)
            return redirect(to)
    return render(request, template, {"form": form, **context},
                  status=400 if form.errors else 200)


@supervisor_required
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "respond/index.html",
                  {"pending": approvals_pending_count(council=request.council)})  # type: ignore[attr-defined]


# Approvals ----------------------------------------------------------------------------


@supervisor_required
def approval_list(request: HttpRequest) -> HttpResponse:
    return render(request, "respond/approval_list.html",
                  {"approvals": approvals_pending(council=request.council)})  # type: ignore[attr-defined]


def _approval(request: HttpRequest, approval_id: int) -> Any:
    return _one(request, approval_get, approval_id, missing="No such approval.")


def _approval_page(request: HttpRequest, approval: Any, *, approve: ApproveForm | None = None,
                   reject: RejectForm | None = None, welsh_blocked: bool = False,
                   status: int = 200) -> HttpResponse:
    return render(request, "respond/approval_detail.html", {
        "approval": approval, **conversation_context(approval=approval),
        "approve_form": approve or ApproveForm(initial={"text": approval.message.text},
                                               prefix="approve"),
        "reject_form": reject or RejectForm(prefix="reject"),
        "own": approval.requested_by_id == request.user.pk,
        "welsh_blocked": welsh_blocked,
    }, status=status)


@supervisor_required
def approval_detail(request: HttpRequest, approval_id: int) -> HttpResponse:
    return _approval_page(request, _approval(request, approval_id))


@supervisor_required
@require_POST
def approval_approve(request: HttpRequest, approval_id: int) -> HttpResponse:
    approval = _approval(request, approval_id)
    form = ApproveForm(request.POST, prefix="approve")
    welsh_blocked = False
    if form.is_valid():
        try:
            reply_approve(approval=approval, by=_member(request), text=form.cleaned_data["text"],
                          welsh_override=form.cleaned_data["welsh_override"],
                          ip_address=client_ip(request))
        except PermissionDenied as error:
            form.add_error(None, str(error) or _("You cannot approve this reply."))
        except ValidationError as error:
            welsh_blocked = isinstance(error, WelshReplyRequired)
            for text in error.messages:
                form.add_error("text", text)
        else:
            messages.success(request, _("Reply approved. It is queued to send."))
            return redirect("respond:approvals")
    return _approval_page(request, _approval(request, approval_id), approve=form,
                          welsh_blocked=welsh_blocked, status=400)


@supervisor_required
@require_POST
def approval_reject(request: HttpRequest, approval_id: int) -> HttpResponse:
    approval = _approval(request, approval_id)
    form = RejectForm(request.POST, prefix="reject")
    if form.is_valid():
        try:
            reply_reject(approval=approval, by=_member(request), reason=form.cleaned_data["reason"],
                         ip_address=client_ip(request))
        except PermissionDenied as error:
            form.add_error(None, str(error) or _("You cannot reject this reply."))
        except ValidationError as error:
            for text in error.messages:
                form.add_error("reason", text)
        else:
            messages.success(request, _("Reply not approved. The officer can see your reason."))
            return redirect("respond:approvals")
    return _approval_page(request, _approval(request, approval_id), reject=form, status=400)


# The Welsh Language Standards report --------------------------------------------------


@supervisor_required
def report(request: HttpRequest) -> HttpResponse:
    form = ReportForm(request.GET or ReportForm.default_range())
    rows = None
    if form.is_valid():
        start: date = form.cleaned_data["start"]
        end: date = form.cleaned_data["end"]
        rows = welsh_report(council=request.council, start=start, end=end)  # type: ignore[attr-defined]
        if request.GET.get("format") == "csv":
            from townhall.core.services import audit_record

            audit_record(council=request.council, actor=request.user,  # type: ignore[attr-defined]
                         action="respond.welsh_report_exported",
                         data={"start": start.isoformat(), "end": end.isoformat()},
                         ip_address=client_ip(request))
            response = HttpResponse(welsh_report_csv(rows=rows, start=start, end=end),
                                    content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = (
                f'attachment; filename="welsh-response-times-{start}-{end}.csv"')
            return response
    return render(request, "respond/report.html", {"form": form, "rows": rows},
                  status=200 if form.is_valid() else 400)


# Office hours -------------------------------------------------------------------------


def _hours_initial(request: HttpRequest) -> dict[str, Any]:
    found = response_settings_for(request.council)  # type: ignore[attr-defined]
    initial: dict[str, Any] = {"nation": found.nation, "warn_at_percent": found.warn_at_percent}
    for day, intervals in parse_opening_times(found.opening_times).items():
        initial[f"day_{day}"] = openings_text(intervals)
    return initial


@admin_required
def hours(request: HttpRequest) -> HttpResponse:
    form = HoursForm(request.POST or None, initial=_hours_initial(request))
    return _form_page(
        request, form, lambda: services.response_settings_update(
            council=request.council, by=_member(request), week=form.week(),  # type: ignore[attr-defined]
            nation=form.cleaned_data["nation"],
            warn_at_percent=form.cleaned_data["warn_at_percent"],
            ip_address=client_ip(request)),
        done=_("Office hours saved. New response times use them."), to="respond:hours",
        template="respond/hours.html",
        context={"closures": closure_days(council=request.council),  # type: ignore[attr-defined]
                 "closure_form": ClosureForm(prefix="closure")})


@admin_required
@require_POST
def closure_add(request: HttpRequest) -> HttpResponse:
    form = ClosureForm(request.POST, prefix="closure")
    if form.is_valid():
        try:
            services.closure_day_add(council=request.council, by=_member(request),  # type: ignore[attr-defined]
                                     day=form.cleaned_data["day"],
                                     reason=form.cleaned_data["reason"],
                                     ip_address=client_ip(request))
        except ValidationError as error:
            for text in error.messages:
                form.add_error("day", text)
        else:
            messages.success(request, _("Closure day added."))
            return redirect("respond:hours")
    return render(request, "respond/hours.html", {
        "form": HoursForm(initial=_hours_initial(request)),
        "closures": closure_days(council=request.council),  # type: ignore[attr-defined]
        "closure_form": form}, status=400)


@admin_required
@require_POST
def closure_remove(request: HttpRequest, closure_id: int) -> HttpResponse:
    try:
        services.closure_day_remove(council=request.council, by=_member(request),  # type: ignore[attr-defined]
                                    closure_id=closure_id, ip_address=client_ip(request))
    except ClosureDay.DoesNotExist as error:
        raise Http404("No such closure day.") from error
    messages.success(request, _("Closure day removed."))
    return redirect("respond:hours")


# Targets ------------------------------------------------------------------------------


@admin_required
def target_list(request: HttpRequest) -> HttpResponse:
    defaults = [(value, label, DEFAULT_TARGET_MINUTES[value]) for value, label in
                ResponseTarget._meta.get_field("priority").choices]  # type: ignore[union-attr]
    return render(request, "respond/target_list.html", {
        "targets": response_targets(council=request.council), "defaults": defaults})  # type: ignore[attr-defined]


def _target_form_page(request: HttpRequest, target: ResponseTarget | None) -> HttpResponse:
    initial: dict[str, Any] = {}
    if target is not None:
        initial = {"category": target.category_id, "priority": target.priority,
                   "first_response_hours": round(target.first_response_minutes / 60, 2),
                   "resolution_hours": (round(target.resolution_minutes / 60, 2)
                                        if target.resolution_minutes else None)}
    form = TargetForm(request.POST or None, council=request.council,  # type: ignore[attr-defined]
                      initial=initial)
    return _form_page(
        request, form, lambda: services.response_target_save(
            council=request.council, by=_member(request), target=target,  # type: ignore[attr-defined]
            category=form.cleaned_data["category"], priority=form.cleaned_data["priority"],
            first_response_minutes=form.first_minutes(),
            resolution_minutes=form.resolution_minutes(), ip_address=client_ip(request)),
        done=_("Response target saved."), to="respond:targets",
        template="respond/target_form.html", context={"target": target})


@admin_required
def target_add(request: HttpRequest) -> HttpResponse:
    return _target_form_page(request, None)


def _target(request: HttpRequest, target_id: int) -> ResponseTarget:
    return _one(request, response_target_get, target_id, missing="No such target.")


@admin_required
def target_edit(request: HttpRequest, target_id: int) -> HttpResponse:
    return _target_form_page(request, _target(request, target_id))


@admin_required
@require_POST
def target_delete(request: HttpRequest, target_id: int) -> HttpResponse:
    services.response_target_delete(council=request.council, by=_member(request),  # type: ignore[attr-defined]
                                    target=_target(request, target_id),
                                    ip_address=client_ip(request))
    messages.success(request, _("Response target removed. The fallback applies instead."))
    return redirect("respond:targets")


# Approval rules -----------------------------------------------------------------------


@admin_required
def rule_list(request: HttpRequest) -> HttpResponse:
    return render(request, "respond/rule_list.html",
                  {"rules": approval_rules(council=request.council)})  # type: ignore[attr-defined]


def _rule_form_page(request: HttpRequest, rule: ApprovalRule | None) -> HttpResponse:
    initial: dict[str, Any] = {"is_active": True}
    if rule is not None:
        initial = {"name": rule.name, "category": rule.category_id, "priority": rule.priority,
                   "officer": rule.officer_id, "keywords": rule.keywords,
                   "is_active": rule.is_active}
    form = RuleForm(request.POST or None, council=request.council, initial=initial)  # type: ignore[attr-defined]
    return _form_page(
        request, form, lambda: services.approval_rule_save(
            council=request.council, by=_member(request), rule=rule,  # type: ignore[attr-defined]
            name=form.cleaned_data["name"], category=form.cleaned_data["category"],
            priority=form.cleaned_data["priority"], officer=form.cleaned_data["officer"],
            keywords=form.cleaned_data["keywords"],
            is_active=form.cleaned_data["is_active"], ip_address=client_ip(request)),
        done=_("Approval rule saved."), to="respond:rules", template="respond/rule_form.html",
        context={"rule": rule})


def _rule(request: HttpRequest, rule_id: int) -> ApprovalRule:
    return _one(request, approval_rule_get, rule_id, missing="No such rule.")


@admin_required
def rule_add(request: HttpRequest) -> HttpResponse:
    return _rule_form_page(request, None)


@admin_required
def rule_edit(request: HttpRequest, rule_id: int) -> HttpResponse:
    return _rule_form_page(request, _rule(request, rule_id))


@admin_required
@require_POST
def rule_delete(request: HttpRequest, rule_id: int) -> HttpResponse:
    services.approval_rule_delete(council=request.council, by=_member(request),  # type: ignore[attr-defined]
                                  rule=_rule(request, rule_id), ip_address=client_ip(request))
    messages.success(request, _("Approval rule removed."))
    return redirect("respond:rules")


# Saved replies ------------------------------------------------------------------------


@admin_required
def saved_reply_list(request: HttpRequest) -> HttpResponse:
    return render(request, "respond/saved_reply_list.html",
                  {"replies": saved_replies_all(council=request.council)})  # type: ignore[attr-defined]


def _saved_reply(request: HttpRequest, reply_id: int) -> SavedReply:
    return _one(request, saved_reply_get, reply_id, missing="No such saved reply.")


def _saved_reply_form_page(request: HttpRequest, saved: SavedReply | None) -> HttpResponse:
    initial: dict[str, Any] = {"is_active": True}
    if saved is not None:
        initial = {"title": saved.title, "body": saved.body, "title_cy": saved.title_cy,
                   "body_cy": saved.body_cy, "category": saved.category_id,
                   "is_active": saved.is_active}
    form = SavedReplyForm(request.POST or None, council=request.council, initial=initial)  # type: ignore[attr-defined]
    return _form_page(
        request, form, lambda: services.saved_reply_save(
            council=request.council, by=_member(request),  # type: ignore[attr-defined]
            saved_reply=saved, ip_address=client_ip(request), **form.cleaned_data),
        done=_("Saved reply saved."), to="respond:saved-replies",
        template="respond/saved_reply_form.html", context={"saved": saved})


@admin_required
def saved_reply_add(request: HttpRequest) -> HttpResponse:
    return _saved_reply_form_page(request, None)


@admin_required
def saved_reply_edit(request: HttpRequest, reply_id: int) -> HttpResponse:
    return _saved_reply_form_page(request, _saved_reply(request, reply_id))


@admin_required
@require_POST
def saved_reply_delete(request: HttpRequest, reply_id: int) -> HttpResponse:
    services.saved_reply_delete(council=request.council, by=_member(request),  # type: ignore[attr-defined]
                                saved_reply=_saved_reply(request, reply_id),
                                ip_address=client_ip(request))
    messages.success(request, _("Saved reply removed."))
    return redirect("respond:saved-replies")
