"""Admin pages for a web chat channel: which websites may embed it, the snippet to copy,
and a preview page that embeds the widget exactly as a council website would."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils.translation import gettext as _

from townhall.accounts.permissions import admin_required, client_ip
from townhall.connectors.models import Channel
from townhall.connectors.selectors import channel_get
from townhall.connectors.webchat.forms import OriginsForm
from townhall.connectors.webchat.selectors import CHAT_PLATFORMS, allowed_origins
from townhall.connectors.webchat.services import webchat_origins_set


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


@admin_required
def setup(request: HttpRequest, channel_id: int) -> HttpResponse:
    channel = _chat_channel(request, channel_id)
    form = OriginsForm(request.POST or None,
                       initial={"origins": "\n".join(allowed_origins(channel=channel))})
    if request.method == "POST" and form.is_valid():
        webchat_origins_set(channel=channel, origins=form.cleaned_data["origins"],
                            by=request.user, ip_address=client_ip(request))
        messages.success(request, _("Allowed websites saved."))
        return redirect("webchat:setup", channel_id=channel.pk)
    return render(request, "webchat/setup.html", {
        "channel": channel, "form": form, "snippets": _snippets(request, channel),
        "origins": allowed_origins(channel=channel)})


@admin_required
def preview(request: HttpRequest, channel_id: int) -> HttpResponse:
    channel = _chat_channel(request, channel_id)
    mode = "form" if request.GET.get("mode") == "form" else "chat"
    return render(request, "webchat/preview.html", {"channel": channel, "mode": mode})
