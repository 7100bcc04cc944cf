from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from townhall.accounts.models import Membership, Role
from townhall.triage.alerts import REASON_WORDS, alert_acknowledge, alerts_open
from townhall.triage.learning import model_history, model_retrain
from townhall.triage.models import SafeguardingAlert


def _membership(request: HttpRequest) -> Membership:
    membership = getattr(request, "membership", None)
    if membership is None:
        raise Http404
    return membership


@login_required
def alerts(request: HttpRequest) -> HttpResponse:
    rows = alerts_open(membership=_membership(request))
    return render(request, "triage/alerts.html", {
        "alerts": [(a, [REASON_WORDS.get(r, r) for r in a.reasons]) for a in rows]})


@login_required
@require_POST
def acknowledge(request: HttpRequest, alert_id: int) -> HttpResponse:
    try:
        alert = alert_acknowledge(membership=_membership(request), alert_id=alert_id)
    except SafeguardingAlert.DoesNotExist:
        raise Http404 from None
    messages.success(request, _("Alert acknowledged. Now open the conversation and act."))
    return redirect("inbox:conversation", alert.conversation_id)


@login_required
def classifier(request: HttpRequest) -> HttpResponse:
    membership = _membership(request)
    if not membership.is_supervisor_or_admin:
        raise PermissionDenied
    return render(request, "triage/classifier.html", {
        "records": model_history(council=membership.council),
        "can_retrain": membership.has_role(Role.ADMIN),
    })


@login_required
@require_POST
def retrain(request: HttpRequest) -> HttpResponse:
    membership = _membership(request)
    if not membership.has_role(Role.ADMIN):
        raise PermissionDenied
    outcome = model_retrain(council=membership.council, actor_label=request.user.get_username())
    (messages.success if outcome.record else messages.warning)(request, outcome.message)
    return redirect("triage:classifier")
