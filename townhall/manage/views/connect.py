"""Connecting a channel to its platform: sign in there (OAuth) or enter the details.

Admins only. A sign-in in progress is kept in the session, encrypted, and must come
back with the `state` it left with, for the same person, council and channel. Secrets
are never put into a page, except one Townhall has just made up for the administrator
to copy (a verify token), in the response that made it.
"""

from dataclasses import asdict
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from townhall.accounts.permissions import admin_required, client_ip
from townhall.connectors.connect import (
    Connected,
    channel_connect,
    channel_connection,
    channel_secret_renew,
    generated_secrets,
)
from townhall.connectors.errors import ConnectorError, UnknownPlatform
from townhall.connectors.forms import CredentialsForm, credentials_form_for
from townhall.connectors.login import Choice, LoginFlow, LoginRefused, PendingLogin, login_flow_for
from townhall.connectors.models import Channel
from townhall.connectors.registry import connector_class
from townhall.connectors.selectors import channel_get
from townhall.connectors.services import channel_check

SESSION_KEY = "townhall_connect_login"


def _channel(request: HttpRequest, channel_id: int) -> Channel:
    return channel_get(council=request.council, channel_id=channel_id)  # type: ignore[attr-defined]


def _platform_webhook_url(request: HttpRequest, channel: Channel) -> str:
    return request.build_absolute_uri(reverse("connector-webhook",
                                              args=[channel.platform, channel.key]))


def _return_url(request: HttpRequest, platform: str) -> str:
    return request.build_absolute_uri(reverse("manage:channel-connect-return",
                                              args=[platform]))


def _form(request: HttpRequest, channel: Channel, data: Any = None) -> CredentialsForm:
    connection = channel_connection(channel=channel)
    form_class = credentials_form_for(channel.platform)
    return form_class(data, settings=dict(connection.settings),
                      secrets_set=connection.secrets_set)


def _page(request: HttpRequest, channel: Channel, *, form: CredentialsForm | None = None,
          server_error: str = "", status: int = 200) -> HttpResponse:
    try:
        cls = connector_class(channel.platform)
    except UnknownPlatform:
        return render(request, "manage/channel_connect_none.html", {"channel": channel})
    flow = login_flow_for(channel.platform)
    # A platform Townhall registers the webhook with is given the configured public
    # address, so the page shows that one.
    registers = bool(getattr(cls, "registers_webhook", False))
    return render(request, "manage/channel_connect.html", {
        "channel": channel, "connection": channel_connection(channel=channel),
        "form": form or _form(request, channel), "flow": flow,
        "flow_unavailable": flow.unavailable() if flow else None,
        "server_error": server_error, "server": request.POST.get("server", ""),
        "webhook_url": _public_webhook_url(channel) if registers
        else _platform_webhook_url(request, channel), "registers_webhook": registers,
        "webhook_help": cls.webhook_help, "generated": generated_secrets(channel.platform),
    }, status=status)


def _public_webhook_url(channel: Channel) -> str:
    """The webhook address under Townhall's configured public address, which is the one
    registered with a platform: the page may be open at an internal address. X's is
    the address its app shares across the council's X channels."""
    if channel.platform == "x":
        from townhall.connectors.x.registration import x_webhook_url

        return x_webhook_url(channel=channel, base_url=settings.TOWNHALL_BASE_URL)
    return settings.TOWNHALL_BASE_URL + reverse("connector-webhook",
                                                args=[channel.platform, channel.key])


def _connected(request: HttpRequest, channel: Channel, connected: Connected) -> HttpResponse:
    return render(request, "manage/channel_connected.html", {
        "channel": channel, "connected": connected,
        "webhook_url": _platform_webhook_url(request, channel),
        "webhook_help": connector_class(channel.platform).webhook_help,
    })


@admin_required
@never_cache
def connect_page(request: HttpRequest, channel_id: int) -> HttpResponse:
    """The connect page; a POST is the hand-entered details."""
    channel = _channel(request, channel_id)
    if request.method != "POST":
        return _page(request, channel)
    try:
        form = _form(request, channel, request.POST)
    except UnknownPlatform:
        return _page(request, channel)
    if not form.is_valid():
        return _page(request, channel, form=form, status=400)
    settings, secrets = form.credentials()
    connected = channel_connect(channel=channel, settings=settings, secrets=secrets,
                                by=request.user, how="entered by hand", drop=form.drop(),
                                ip_address=client_ip(request))
    return _connected(request, channel, connected)


@admin_required
@require_POST
def connect_start(request: HttpRequest, channel_id: int) -> HttpResponse:
    """Leave for the platform's sign-in, remembering (encrypted) what must come back."""
    channel = _channel(request, channel_id)
    flow = login_flow_for(channel.platform)
    why_not = flow.unavailable() if flow else _("This platform has no sign-in. Enter the "
                                                "details below.")
    if flow is None or why_not:
        messages.error(request, str(why_not))
        return redirect("manage:channel-connect", channel_id=channel.pk)
    pending = PendingLogin(platform=channel.platform, channel_id=channel.pk,
                           council_id=channel.council_id, user_id=int(request.user.pk or 0))
    try:
        address = flow.start(redirect_uri=_return_url(request, channel.platform),
                             pending=pending, server=request.POST.get("server", ""))
    except (LoginRefused, ConnectorError) as error:
        return _page(request, channel, server_error=str(error), status=400)
    request.session[SESSION_KEY] = pending.seal()
    return redirect(address)


def _problem(request: HttpRequest, reason: str, channel: Channel | None = None,
             status: int = 400) -> HttpResponse:
    return render(request, "manage/channel_connect_problem.html",
                  {"reason": reason, "channel": channel}, status=status)


def _pending(request: HttpRequest, *, step: str, pop: bool) -> PendingLogin | str:
    """The sign-in this browser started, if it is this person's and still fresh;
    otherwise the reason, in plain words."""
    sealed = request.session.pop(SESSION_KEY, None) if pop else request.session.get(SESSION_KEY)
    pending = PendingLogin.unseal(sealed) if sealed else None
    if pending is None:
        return _("Townhall has no sign-in in progress for you: it finished already, or was "
                 "started in another browser. Nothing was changed. Start again from the "
                 "channel's page.")
    if (pending.user_id != request.user.pk
            or pending.council_id != request.council.pk):  # type: ignore[attr-defined]
        return _("This sign-in was started by someone else. Nothing was changed.")
    if pending.step != step:
        return _("This sign-in is at a different step. Nothing was changed. Start again.")
    if pending.expired():
        return _("This sign-in took too long and has expired. Nothing was changed. Start "
                 "again.")
    return pending


@admin_required
@never_cache
def connect_return(request: HttpRequest, platform: str) -> HttpResponse:
    """Where the platform sends the person back, with a code and the state."""
    pending = _pending(request, step="away", pop=True)
    if isinstance(pending, str):
        return _problem(request, pending)
    channel = _channel(request, pending.channel_id)
    if pending.platform != platform or not pending.state_matches(request.GET.get("state", "")):
        return _problem(request, _("The answer from the platform does not match the sign-in "
                                   "you started, so Townhall ignored it. Nothing was "
                                   "changed. Start again."), channel)
    flow = login_flow_for(platform)
    if flow is None:
        return _problem(request, _("This platform has no sign-in."), channel)
    try:
        outcome = flow.finish(redirect_uri=_return_url(request, platform), pending=pending,
                              query=request.GET)
    except (LoginRefused, ConnectorError) as error:
        return _problem(request, str(error), channel)
    if isinstance(outcome, Choice):
        pending.step = "choosing"
        pending.private = {**outcome.private, "question": outcome.question,
                           "options": [asdict(o) for o in outcome.options]}
        request.session[SESSION_KEY] = pending.seal()
        return redirect("manage:channel-connect-choose", channel_id=channel.pk)
    return _save_login(request, channel, flow, outcome)


def _save_login(request: HttpRequest, channel: Channel, flow: LoginFlow,
                outcome: Any) -> HttpResponse:
    connected = channel_connect(channel=channel, settings=outcome.settings,
                                secrets=outcome.secrets, by=request.user,
                                how=f"signed in on {channel.get_platform_display()}",
                                drop=outcome.drop,
                                notes=outcome.notes, ip_address=client_ip(request))
    return _connected(request, channel, connected)


@admin_required
@never_cache
def connect_choose(request: HttpRequest, channel_id: int) -> HttpResponse:
    """Choose which of the accounts the platform listed this channel is."""
    channel = _channel(request, channel_id)
    pending = _pending(request, step="choosing", pop=False)
    if isinstance(pending, str):
        return _problem(request, pending, channel)
    flow = login_flow_for(channel.platform)
    if pending.channel_id != channel.pk or flow is None:
        return _problem(request, _("This sign-in was for another channel. Nothing was "
                                   "changed."), channel)
    options = pending.private.get("options") or []
    error = ""
    if request.method == "POST":
        value = request.POST.get("account", "")
        if value not in {o["value"] for o in options}:
            error = _("Choose one of the accounts")
        else:
            try:
                outcome = flow.choose(pending=pending, value=value)
            except (LoginRefused, ConnectorError) as problem:
                request.session.pop(SESSION_KEY, None)
                return _problem(request, str(problem), channel)
            request.session.pop(SESSION_KEY, None)
            return _save_login(request, channel, flow, outcome)
    return render(request, "manage/channel_connect_choose.html", {
        "channel": channel, "question": pending.private.get("question", ""),
        "options": options, "error": error}, status=400 if error else 200)


@admin_required
@require_POST
def connect_check(request: HttpRequest, channel_id: int) -> HttpResponse:
    channel = _channel(request, channel_id)
    result = channel_check(channel=channel, by=request.user)
    if result.ok:
        messages.success(request, _("Checked: the channel works."))
    else:
        messages.warning(request, _("Checked: the channel has a problem. See what the check "
                                    "found below."))
    return redirect("manage:channel-connect", channel_id=channel.pk)


@admin_required
@require_POST
@never_cache
def connect_renew(request: HttpRequest, channel_id: int) -> HttpResponse:
    """Make a new verify token (or other secret Townhall generates) and show it once."""
    channel = _channel(request, channel_id)
    name = request.POST.get("name", "")
    if name not in dict(generated_secrets(channel.platform)):
        return _problem(request, _("Townhall does not make that up for this platform."),
                        channel)
    connected = channel_secret_renew(channel=channel, name=name, by=request.user,
                                     ip_address=client_ip(request))
    return _connected(request, channel, connected)


@admin_required
@require_POST
@never_cache
def connect_x_webhook(request: HttpRequest, channel_id: int) -> HttpResponse:
    """Register the channel's webhook address with X and subscribe the account to it."""
    from townhall.connectors.x.registration import x_webhook_register

    channel = _channel(request, channel_id)
    if channel.platform != "x":
        raise Http404("Only an X channel has an X webhook.")
    url = _public_webhook_url(channel)
    outcome = x_webhook_register(channel=channel, url=url, by=request.user,
                                 ip_address=client_ip(request))
    if outcome.ok:
        channel_check(channel=channel, by=request.user)
    return render(request, "manage/channel_x_webhook.html",
                  {"channel": channel, "outcome": outcome, "webhook_url": url})
