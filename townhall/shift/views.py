"""Channel shift pages: the tracked link, the confirmation webhook, routes, costs, ledger."""

import csv
import json
from datetime import datetime
from typing import Any

from django.contrib import messages
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from townhall.accounts.permissions import admin_required, client_ip, supervisor_required
from townhall.core.lib.signatures import signature_valid
from townhall.core.models import Council
from townhall.core.services import audit_record
from townhall.shift import selectors, services
from townhall.shift.forms import CostsForm, RouteForm
from townhall.shift.models import ShiftSource
from townhall.shift.money import pounds_plain
from townhall.shift.routes import RouteTemplateError
from townhall.shift.signpost import link_destination

SIGNATURE_HEADER = "X-Townhall-Signature"
MAX_CONFIRM_BYTES = 16 * 1024
# Link previews: platforms fetch a link as soon as it is posted, before anyone clicks.
ROBOTS = ("bot", "crawler", "spider", "facebookexternalhit", "embedly", "preview", "slurp",
          "whatsapp", "telegram", "discord", "skypeuripreview", "mastodon", "bluesky",
          "cardyb", "curl", "wget", "python-requests", "headless")


def _visitor(request: HttpRequest, token: str, council_id: int) -> str | None:
    """Who is clicking, as a keyed hash; None when the click must not count."""
    agent = request.headers.get("User-Agent", "")
    if request.method == "HEAD" or not agent or any(r in agent.lower() for r in ROBOTS):
        return None
    membership = getattr(request, "membership", None)
    if membership is not None and membership.council_id == council_id:
        return None
    return services.visitor_key(token=token, address=client_ip(request) or "", agent=agent)


def go(request: HttpRequest, token: str) -> HttpResponse:
    """Count the click, then send the resident to the council's form (302)."""
    link = selectors.link_by_token(token=token)
    if link is None:
        return render(request, "shift/link_unknown.html", status=404)
    try:
        destination = link_destination(link=link)
    except RouteTemplateError:
        destination = None
    if destination is None:
        return render(request, "shift/link_gone.html", {"council": link.conversation.council},
                      status=410)
    services.link_click(link=link, visitor=_visitor(request, token, link.council_id))
    response = HttpResponseRedirect(destination)
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex"
    return response


def _error(status: int, message: str) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


def _completed_at(value: Any) -> datetime | None:
    if value in (None, ""):
        return timezone.now()
    try:
        when = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    return when if when.tzinfo is not None else None


@csrf_exempt
@require_POST
def confirm(request: HttpRequest) -> JsonResponse:
    """POST /shift/confirm: a back office says a resident completed the online form.

    Body (JSON): {"council": slug, "token": the link's token, "reference": the back
    office's own reference (optional), "completed_at": ISO 8601 with a zone (optional)},
    signed like /ingest/: X-Townhall-Signature: sha256=<HMAC-SHA256 of the raw body>.
    """
    declared = request.META.get("CONTENT_LENGTH") or "0"
    body = request.read(MAX_CONFIRM_BYTES + 1)
    if len(body) > MAX_CONFIRM_BYTES or (declared.isdigit() and int(declared) > MAX_CONFIRM_BYTES):
        return _error(413, f"The body is larger than {MAX_CONFIRM_BYTES:,} bytes.")
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return _error(400, "The body is not valid UTF-8 JSON.")
    if not isinstance(data, dict) or not isinstance(data.get("council"), str):
        return _error(400, "'council' (the council's slug) is missing.")
    council = Council.objects.filter(slug=data["council"]).first()
    secret = selectors.shift_settings_for(council=council).webhook_secret if council else ""
    if council is None or not signature_valid(secret, body, request.headers.get(SIGNATURE_HEADER)):
        return _error(401, f"The {SIGNATURE_HEADER} header is missing or does not match the body. "
                           "Sign the raw body with HMAC-SHA256 and the council's shift secret.")
    token, reference = data.get("token"), data.get("reference") or ""
    if not isinstance(token, str) or not token:
        return _error(400, "'token' (from the {reference} the form received) is missing.")
    if not isinstance(reference, str):
        return _error(400, "'reference' must be text.")
    at = _completed_at(data.get("completed_at"))
    if at is None:
        return _error(400, "'completed_at' must be an ISO 8601 date and time with a zone.")
    try:
        entry = services.shift_confirm_token(council=council, token=token,
                                             source=ShiftSource.WEBHOOK,
                                             external_reference=reference, at=at)
    except DatabaseError:
        response = _error(503, "Townhall cannot record this right now. Send it again later.")
        response["Retry-After"] = "30"
        return response
    if entry is None:
        return _error(404, "The council has no tracked link with that token.")
    return JsonResponse({"shifted": True, "conversation": entry.conversation_reference,
                         "saved_pence": entry.saved_pence}, status=200)


# Supervisors: the ledger ----------------------------------------------------------------


@supervisor_required
def ledger(request: HttpRequest) -> HttpResponse:
    council = request.council  # type: ignore[attr-defined]
    return render(request, "shift/ledger.html", {
        "ledger": selectors.ledger_summary(council=council),
        "costs": selectors.shift_settings_for(council=council),
    })


def _cell(value: Any) -> Any:
    """Stop a spreadsheet running text from the data as a formula."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


@supervisor_required
def ledger_csv(request: HttpRequest) -> HttpResponse:
    council = request.council  # type: ignore[attr-defined]
    entries = list(selectors.ledger_entries(council=council))
    audit_record(council=council, actor=request.user, action="shift.ledger_exported",
                 data={"rows": len(entries)}, ip_address=client_ip(request))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="savings-ledger.csv"'
    writer = csv.writer(response)
    writer.writerow(["conversation", "category", "contacted", "shifted", "confirmed_by",
                     "back_office_reference", "would_have_been", "would_have_cost_gbp",
                     "cost_gbp", "saved_gbp", "costs_source", "face_to_face_gbp", "phone_gbp",
                     "web_gbp", "social_gbp"])
    for e in entries:
        a = e.assumptions
        writer.writerow([_cell(v) for v in [
            e.conversation_reference, e.category_name,
            timezone.localtime(e.contact_at).isoformat(),
            timezone.localtime(e.shifted_at).isoformat(), e.get_source_display(),
            e.external_reference, e.get_baseline_display(),
            pounds_plain(e.would_have_cost_pence), pounds_plain(e.cost_pence),
            pounds_plain(e.saved_pence), a.get("source", ""),
            *[pounds_plain(int(a.get(k, 0))) for k in
              ("face_to_face_pence", "phone_pence", "web_pence", "social_pence")]]])
    return response


# Admins: routes and costs ---------------------------------------------------------------


@admin_required
def route_list(request: HttpRequest) -> HttpResponse:
    return render(request, "shift/route_list.html", {
        "rows": selectors.category_routes(council=request.council)})  # type: ignore[attr-defined]


@admin_required
def route_edit(request: HttpRequest, category_id: int) -> HttpResponse:
    council = request.council  # type: ignore[attr-defined]
    category = selectors.category_for_route_edit(council=council, category_id=category_id)
    route = selectors.route_for(category=category)
    if request.method == "POST" and request.POST.get("remove") and route is not None:
        services.route_remove(route=route, by=request.user, ip_address=client_ip(request))
        messages.success(request, _("Route removed. Townhall no longer suggests it."))
        return redirect("shift:routes")
    initial: dict[str, Any] = {"url_template": category.self_service_url, "is_reportable": True}
    if route is not None:
        initial = {f: getattr(route, f) for f in ("url_template", "form_category",
                                                  "resident_action", "resident_action_cy",
                                                  "is_reportable")}
    form = RouteForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.route_save(category=category, by=request.user, ip_address=client_ip(request),
                            **form.cleaned_data)
        messages.success(request, _("Route saved."))
        return redirect("shift:routes")
    return render(request, "shift/route_form.html",
                  {"form": form, "category": category, "route": route})


@admin_required
def costs(request: HttpRequest) -> HttpResponse:
    council = request.council  # type: ignore[attr-defined]
    current = selectors.shift_settings_for(council=council)
    initial = {"source": current.source, "baseline": current.baseline,
               **{name: pounds_plain(getattr(current, f"{name}_pence"))
                  for name in ("face_to_face", "phone", "web", "social")}}
    form = CostsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.unit_costs_update(council=council, source=form.cleaned_data["source"],
                                   baseline=form.cleaned_data["baseline"], by=request.user,
                                   ip_address=client_ip(request), **form.pence())
        messages.success(request, _("Unit costs saved. They apply to savings from now on; "
                                    "the ledger keeps the costs each saving was counted with."))
        return redirect("shift:costs")
    return render(request, "shift/costs.html", {
        "form": form, "current": current, "has_secret": bool(current.webhook_secret_encrypted),
        "confirm_url": request.build_absolute_uri("/shift/confirm")})


@admin_required
@require_POST
def secret_rotate(request: HttpRequest) -> HttpResponse:
    council = request.council  # type: ignore[attr-defined]
    secret = services.shift_webhook_secret_rotate(council=council, by=request.user,
                                                  ip_address=client_ip(request))
    return render(request, "shift/secret.html", {
        "secret": secret, "confirm_url": request.build_absolute_uri("/shift/confirm")})
