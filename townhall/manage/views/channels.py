"""Channels: the council's accounts on each platform, and their webhook secrets."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from townhall.accounts.permissions import admin_required, client_ip
from townhall.connectors.connect import channel_connection
from townhall.connectors.health import channel_healths, health_from
from townhall.connectors.models import Channel
from townhall.connectors.registry import CONNECTORS
from townhall.connectors.selectors import channel_get, channels_for_council
from townhall.connectors.services import channel_create, channel_rotate_secret, channel_set_active
from townhall.manage.forms import ChannelForm
from townhall.open311.selectors import backoffice_for


def _webhook_url(request: HttpRequest, channel: Channel) -> str:
    return request.build_absolute_uri(reverse("ingest-webhook", args=[channel.key]))


@admin_required
def channel_list(request: HttpRequest) -> HttpResponse:
    council = request.council  # type: ignore[attr-defined]
    healths = channel_healths(council_id=council.pk)
    channels = [(c, _webhook_url(request, c), healths.get(c.pk), c.platform in CONNECTORS)
                for c in channels_for_council(council=council)]
    return render(request, "manage/channel_list.html", {
        "channels": channels, "backoffice": backoffice_for(council=council)})


@admin_required
def channel_detail(request: HttpRequest, channel_id: int) -> HttpResponse:
    channel = channel_get(council=request.council, channel_id=channel_id)  # type: ignore[attr-defined]
    connection = channel_connection(channel=channel)
    return render(request, "manage/channel_detail.html",
                  {"channel": channel, "webhook_url": _webhook_url(request, channel),
                   "can_connect": channel.platform in CONNECTORS,
                   "connected": connection.connected,
                   "health": health_from(connection.last_check) if connection.connected
                   else None})


@admin_required
@never_cache
def channel_add(request: HttpRequest) -> HttpResponse:
    form = ChannelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            channel, secret = channel_create(council=request.council, by=request.user,  # type: ignore[attr-defined]
                                             ip_address=client_ip(request), **form.cleaned_data)
        except ValidationError:
            form.add_error("handle", _("This council already has a channel for that account "
                                       "on that platform."))
        else:
            # Shown in this response only; afterwards the secret can be rotated, not read.
            return render(request, "manage/channel_secret.html",
                          {"channel": channel, "secret": secret, "new": True,
                           "webhook_url": _webhook_url(request, channel)})
    return render(request, "manage/channel_add.html", {"form": form})


@admin_required
@never_cache
def channel_rotate(request: HttpRequest, channel_id: int) -> HttpResponse:
    channel = channel_get(council=request.council, channel_id=channel_id)  # type: ignore[attr-defined]
    if request.method == "POST":
        secret = channel_rotate_secret(channel=channel, by=request.user,
                                       ip_address=client_ip(request))
        return render(request, "manage/channel_secret.html",
                      {"channel": channel, "secret": secret, "new": False,
                       "webhook_url": _webhook_url(request, channel)})
    return render(request, "manage/channel_rotate.html", {"channel": channel})


@admin_required
def channel_active(request: HttpRequest, channel_id: int) -> HttpResponse:
    channel = channel_get(council=request.council, channel_id=channel_id)  # type: ignore[attr-defined]
    if request.method == "POST":
        is_active = request.POST.get("active") == "yes"
        channel_set_active(channel=channel, is_active=is_active, by=request.user,
                           ip_address=client_ip(request))
        messages.success(request, _("Channel reactivated.") if is_active
                         else _("Channel deactivated. Townhall now refuses its webhooks."))
    return redirect("manage:channel", channel_id=channel.pk)
