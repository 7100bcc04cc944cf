"""Admin pages for a web chat channel: which websites may embed it, the snippet to copy,
and a preview page that embeds the widget exactly as a council website would."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from townhall.accounts.permissions import admin_required, client_ip
from townhall.connectors.models import Channel
from townhall.connectors.selectors import channel_get
from townhall.connectors.webchat.forms import ExpiryForm, OriginsForm
from townhall.connectors.webchat.selectors import CHAT_PLATFORMS, setup_get
from townhall.connectors.webchat.services import webchat_expiry_set, webchat_origins_set


def _chat_channel(request: HttpRequest, channel_id: int) -> Channel:
    channel = channel_get(council=request.council, channel_id=channel_id)  # type: ignore[attr-defined]
    if channel.platform not in CHAT_PLATFORMS:
        raise Http404("This channel is not a web chat or web form.")
    return channel


def _snippets(request: HttpRequest, channel: Channel) -> dict[str, str]:
    src = request.build_absolute_uri(static("webchat/widget.js"))
    line = f'<script src="{src}" data-channel="{channel.key}"'
    return {"chat": f'{line} data-mode="chat" defer></script>',
            "form": f'{line} data-mode="form" defer></script>'}


def _setup_page(request: HttpRequest, channel: Channel, *, form: OriginsForm | None = None,
                expiry: ExpiryForm | None = None) -> HttpResponse:
    saved = setup_get(channel=channel)
    form = form or OriginsForm(initial={"origins": "\n".join(saved.allowed_origins)})
    expiry = expiry or ExpiryForm(initial={"idle_hours": saved.idle_hours,
                                           "max_days": saved.max_days})
    invalid = next((f for f in (form, expiry) if f.is_bound and f.errors), None)
    return render(request, "webchat/setup.html", {
        "channel": channel, "form": form, "expiry": expiry, "invalid": invalid,
        "snippets": _snippets(request, channel), "origins": saved.allowed_origins},
        status=400 if invalid else 200)


@admin_required
def setup(request: HttpRequest, channel_id: int) -> HttpResponse:
    channel = _chat_channel(request, channel_id)
    if request.method != "POST":
        return _setup_page(request, channel)
    form = OriginsForm(request.POST)
    if not form.is_valid():
        return _setup_page(request, channel, form=form)
    webchat_origins_set(channel=channel, origins=form.cleaned_data["origins"],
                        by=request.user, ip_address=client_ip(request))
    messages.success(request, _("Allowed websites saved."))
    return redirect("webchat:setup", channel_id=channel.pk)


@admin_required
@require_POST
def expiry(request: HttpRequest, channel_id: int) -> HttpResponse:
    channel = _chat_channel(request, channel_id)
    form = ExpiryForm(request.POST)
    if not form.is_valid():
        return _setup_page(request, channel, expiry=form)
    webchat_expiry_set(channel=channel, idle_hours=form.cleaned_data["idle_hours"],
                       max_days=form.cleaned_data["max_days"], by=request.user,
                       ip_address=client_ip(request))
    messages.success(request, _("How long chats last has been saved."))
    return redirect("webchat:setup", channel_id=channel.pk)


@admin_required
def preview(request: HttpRequest, channel_id: int) -> HttpResponse:
    channel = _chat_channel(request, channel_id)
    mode = "form" if request.GET.get("mode") == "form" else "chat"
    return render(request, "webchat/preview.html", {"channel": channel, "mode": mode})
