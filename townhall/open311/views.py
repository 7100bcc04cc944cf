"""Officer and admin pages for the back office: hand-off, updates, settings, mappings."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from townhall.accounts.models import Membership
from townhall.accounts.permissions import admin_required, client_ip
from townhall.open311 import selectors, services
from townhall.open311.errors import Open311Error
from townhall.open311.forms import BackOfficeForm, HandoffForm, MappingForm
from townhall.open311.sync import client_for
from townhall.open311.timeline import thread_key


def _membership(request: HttpRequest) -> Membership:
    membership = getattr(request, "membership", None)
    if membership is None:
        raise Http404("You are not a member of any council.")
    return membership


def _errors(form: Any) -> list[tuple[str, str]]:
    return [(str(e), f"id_{field}" if field != "__all__" else "handoff-form")
            for field, errs in form.errors.items() for e in errs]


@login_required
def handoff(request: HttpRequest, conversation_id: int) -> HttpResponse:
    """The officer checks what goes to the back office, then sends it."""
    membership = _membership(request)
    conversation = selectors.conversation_for_handoff(membership=membership,
                                                      conversation_id=conversation_id)
    back = reverse("inbox:conversation", args=[conversation.pk])
    if selectors.conversation_request(conversation=conversation) is not None:
        messages.info(request, _("This conversation is already with the back office."))
        return redirect(back)
    backoffice = selectors.backoffice_for(council=conversation.council)
    draft = selectors.handoff_draft(conversation=conversation)
    codes = selectors.service_codes(council=conversation.council)
    form = HandoffForm(request.POST or None, codes=codes, initial=vars(draft))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.BackOfficeHandoff(conversation=conversation, by=membership,
                                       ip_address=client_ip(request), **data).execute()
        except ValidationError as error:
            for text in error.messages:
                form.add_error(None, text)
        else:
            messages.success(request, _("Handed to the back office. Townhall will show its "
                                        "reference and progress here."))
            return redirect(back)
    return render(request, "open311/handoff.html", {
        "conversation": conversation, "form": form, "backoffice": backoffice, "codes": codes,
        "errors": _errors(form) if form.is_bound else [],
        "contact_known": bool(draft.email or draft.first_name)},
        status=400 if form.is_bound and form.errors else 200)


@login_required
@require_POST
def retry(request: HttpRequest, request_id: int) -> HttpResponse:
    membership = _membership(request)
    found = selectors.request_get(membership=membership, request_id=request_id)
    try:
        services.request_retry(request=found, by=membership)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Sending to the back office again."))
    return redirect("inbox:conversation", conversation_id=found.conversation_id)


@login_required
def update_reply(request: HttpRequest, update_id: int) -> HttpResponse:
    """Tell the resident about a back-office update: the conversation page, with the reply
    box started from the update's wording (an older link; the thread links there too)."""
    membership = _membership(request)
    update = selectors.update_get(membership=membership, update_id=update_id)
    url = reverse("inbox:conversation", args=[update.request.conversation_id])
    return redirect(f"{url}?about={thread_key(update)}#id_reply-text")


# Administrators ------------------------------------------------------------------------


@admin_required
def backoffice_settings(request: HttpRequest) -> HttpResponse:
    council = request.council  # type: ignore[attr-defined]
    current = selectors.backoffice_for(council=council)
    initial: dict[str, Any] = {}
    if current is not None:
        initial = {name: getattr(current, name) for name in (
            "name", "base_url", "jurisdiction_id", "api_key_env", "format", "timeout_seconds",
            "use_updates_extension", "match_self_service", "updates_need_approval",
            "is_active")}
    form = BackOfficeForm(request.POST or None, initial=initial)
    services_found: list[dict[str, Any]] | None = None
    check_error = ""
    if request.method == "POST" and request.POST.get("check") and current is not None:
        form = BackOfficeForm(initial=initial)
        try:
            services_found = client_for(current).services()
        except Open311Error as error:
            check_error = str(error)
    elif request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        services.backoffice_save(council=council, fmt=data.pop("format"), by=request.user,
                                 ip_address=client_ip(request), **data)
        messages.success(request, _("Back-office settings saved."))
        return redirect("open311:settings")
    return render(request, "open311/settings.html", {
        "form": form, "current": current, "has_key": bool(current and current.api_key),
        "services_found": services_found, "check_error": check_error})


@admin_required
def mappings(request: HttpRequest) -> HttpResponse:
    council = request.council  # type: ignore[attr-defined]
    rows = selectors.category_mappings(council=council)
    current = {r.category.pk: (r.mapping.service_code, r.mapping.send_automatically)
               for r in rows if r.mapping}
    form = MappingForm(request.POST or None, categories=[r.category for r in rows],
                       current=current)
    if request.method == "POST" and form.is_valid():
        by_id = {r.category.pk: r.category for r in rows}
        for category_id, (code, auto) in form.values().items():
            if current.get(category_id, ("", False)) != (code, auto):
                services.mapping_save(category=by_id[category_id], service_code=code,
                                      send_automatically=auto, by=request.user,
                                      ip_address=client_ip(request))
        messages.success(request, _("Service codes saved."))
        return redirect("open311:mappings")
    return render(request, "open311/mappings.html", {"form": form})
