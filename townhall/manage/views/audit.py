"""The audit trail: filter, page through, and export (which is itself audited)."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from townhall.accounts.permissions import admin_required, client_ip
from townhall.manage.actions import ExportAuditLog
from townhall.manage.forms import AuditFilterForm
from townhall.manage.selectors import audit_action_names, audit_events, audit_people

PAGE_SIZE = 50
DETAIL_LENGTH = 160


def _detail(data: dict[str, object]) -> str:
    """A one-line summary of an event's data for the table; the CSV has it in full."""
    text = "; ".join(f"{key}: {value}" for key, value in sorted(data.items()))
    return text if len(text) <= DETAIL_LENGTH else text[: DETAIL_LENGTH - 1] + "…"


def _filters(request: HttpRequest) -> tuple[AuditFilterForm, str, int | None]:
    council = request.council  # type: ignore[attr-defined]
    form = AuditFilterForm(request.GET or None, actions=audit_action_names(council=council),
                           people=audit_people(council=council))
    if not form.is_valid():
        return form, "", None
    user = form.cleaned_data.get("user")
    return form, form.cleaned_data.get("action") or "", int(user) if user else None


@admin_required
def audit_list(request: HttpRequest) -> HttpResponse:
    form, action, user_id = _filters(request)
    events = audit_events(council=request.council, action=action, user_id=user_id)  # type: ignore[attr-defined]
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    rows = [(event, _detail(event.data)) for event in page.object_list]
    return render(request, "manage/audit_list.html",
                  {"form": form, "page": page, "rows": rows, "query": query.urlencode()})


@admin_required
def audit_export(request: HttpRequest) -> HttpResponse:
    _form, action, user_id = _filters(request)
    body = ExportAuditLog(council=request.council, actor=request.user,  # type: ignore[attr-defined]
                          ip_address=client_ip(request), action=action,
                          user_id=user_id).execute()
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="townhall-audit-{stamp}.csv"'
    return response
