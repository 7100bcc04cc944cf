"""The public endpoints the widget calls from the council's website.

    POST /webchat/<key>/sessions   open a visitor session; answers its token
    POST /webchat/<key>/messages   a message (Authorization: Bearer <token>)
    GET  /webchat/<key>/replies    the council's replies (?after=<id>&ack=<ids>&seen=<ids>)
    POST /webchat/<key>/end        the visitor cleared the chat from their device

No cookie is read or set, so there is nothing for a cross-site request to borrow: the
token lives in the website's localStorage, which another site cannot read. That is why
these views are exempt from Django's CSRF check. CORS answers only the origins the admin
listed for the channel (and Townhall's own, for the preview page).
"""

import json
import logging
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from townhall.accounts.permissions import client_ip
from townhall.connectors.models import Channel, Platform
from townhall.connectors.webchat import limits
from townhall.connectors.webchat.models import WebchatSession, WebchatSetup
from townhall.connectors.webchat.payloads import MAX_TEXT, PayloadError, parse_message
from townhall.connectors.webchat.selectors import channel_for_chat, session_get, setup_get
from townhall.connectors.webchat.services import (
    webchat_message_receive,
    webchat_replies_collect,
    webchat_session_check,
    webchat_session_clear,
    webchat_session_open,
    webchat_session_seen,
)
from townhall.connectors.webchat.tokens import public_id_from

logger = logging.getLogger(__name__)
POLL_SECONDS = 5
# Room for MAX_TEXT characters of any script, with the JSON around them.
DEFAULT_MAX_BODY = 24 * 1024
MAX_ACK = 50

Handler = Callable[[HttpRequest, Channel, WebchatSetup], HttpResponse]


def _error(status: int, message: str, **extra: Any) -> JsonResponse:
    return JsonResponse({"error": message, **extra}, status=status)


def _own_origin(request: HttpRequest) -> str:
    return f"{request.scheme}://{request.get_host()}"


def _cors(response: HttpResponse, origin: str) -> HttpResponse:
    response["Vary"] = "Origin"
    if origin:
        # Never Access-Control-Allow-Credentials: the widget sends no cookies.
        response["Access-Control-Allow-Origin"] = origin
        response["Access-Control-Expose-Headers"] = "Retry-After"
    response["Cache-Control"] = "no-store"
    return response


def endpoint(method: str) -> Callable[[Handler], Callable[..., HttpResponse]]:
    """Channel lookup, origin check, CORS preflight and the database-down answer."""

    def decorator(handler: Handler) -> Callable[..., HttpResponse]:
        @csrf_exempt
        @wraps(handler)
        def view(request: HttpRequest, key: str) -> HttpResponse:
            try:
                channel = channel_for_chat(key=key)
                if channel is None:
                    return _error(404, _("This chat is not available. The council may have "
                                         "turned it off."))
                setup = setup_get(channel=channel)
                origin = request.headers.get("Origin", "")
                # A browser always names the page's origin on a cross-site call; a call
                # with none comes from the same site or from outside a browser, where an
                # origin proves nothing, so only the token and rate limits apply.
                if origin and origin != _own_origin(request) and origin not in \
                        setup.allowed_origins:
                    return _error(403, _("This website is not allowed to use this chat. The "
                                         "council can add it on the channel's page."))
                if request.method == "OPTIONS":
                    response = HttpResponse(status=204)
                    response["Access-Control-Allow-Methods"] = f"{method}, OPTIONS"
                    response["Access-Control-Allow-Headers"] = "Authorization, Content-Type"
                    response["Access-Control-Max-Age"] = "600"
                    return _cors(response, origin)
                if request.method != method:
                    response = _error(405, _("Use %(method)s here.") % {"method": method})
                    response["Allow"] = f"{method}, OPTIONS"
                    return _cors(response, origin)
                if _declared_too_big(request):
                    return _cors(_too_big(), origin)
                return _cors(handler(request, channel, setup), origin)
            except DatabaseError:
                logger.exception("Database unavailable during a web chat request.")
                response = _error(503, _("The chat cannot take messages right now. Your "
                                         "message is kept on this device; it will be sent "
                                         "again shortly."))
                response["Retry-After"] = "30"
                return response

        return view

    return decorator


def _too_many(wait: int) -> JsonResponse:
    response = _error(429, _("You have sent a lot of messages in a short time. Wait a "
                             "minute, then try again."))
    response["Retry-After"] = str(wait)
    return response


def _unauthorised(message: str, code: str) -> JsonResponse:
    response = _error(401, message, code=code)
    response["WWW-Authenticate"] = 'Bearer realm="townhall-webchat"'
    return response


def _token_session(request: HttpRequest, channel: Channel) -> WebchatSession | None:
    """The session the bearer token stands for, if it was signed for this channel."""
    scheme, _sep, token = request.headers.get("Authorization", "").partition(" ")
    public_id = public_id_from(channel=channel, token=token.strip()) \
        if scheme.lower() == "bearer" else None
    session = session_get(channel=channel, public_id=public_id) if public_id else None
    if session is not None:
        session.channel = channel
    return session


def _invalid() -> JsonResponse:
    return _unauthorised(_("This chat session is not valid. Start a new chat."), "invalid")


def _session(request: HttpRequest, channel: Channel,
             setup: WebchatSetup) -> WebchatSession | JsonResponse:
    """The visitor's open session, or the 401 to answer: a token that is not good here,
    or a chat that has ended (cleared, or past its time)."""
    session = _token_session(request, channel)
    if session is None:
        return _invalid()
    if webchat_session_check(session=session, setup=setup, now=timezone.now()) is not None:
        return _unauthorised(_("This chat has ended. Start a new one."), "ended")
    return session


def max_body_bytes() -> int:
    return int(getattr(settings, "TOWNHALL_WEBCHAT_MAX_BODY_BYTES", DEFAULT_MAX_BODY))


def _declared_too_big(request: HttpRequest) -> bool:
    """Refused on the declared length alone, before a byte of the body is read."""
    declared = request.META.get("CONTENT_LENGTH") or ""
    return declared.isdigit() and int(declared) > max_body_bytes()


def _too_big() -> JsonResponse:
    return _error(413, _("The message is too long to send. Keep it under %(n)s "
                         "characters.") % {"n": f"{MAX_TEXT:,}"})


def _body(request: HttpRequest) -> bytes | None:
    """The body, or None if it is over the limit (read no further than one byte past it,
    for a body sent without a declared length)."""
    limit = max_body_bytes()
    body = request.read(limit + 1)
    return None if len(body) > limit else body


@endpoint("POST")
def sessions(request: HttpRequest, channel: Channel, setup: WebchatSetup) -> HttpResponse:
    wait = limits.hit("session-ip", f"{channel.pk}:{client_ip(request)}", per=3600,
                      name="sessions_per_ip_per_hour")
    if wait:
        return _too_many(wait)
    session, token = webchat_session_open(channel=channel,
                                          origin=request.headers.get("Origin", ""))
    return JsonResponse({"token": token, "poll_seconds": POLL_SECONDS,
                         "council": channel.council.name,
                         "form": channel.platform == Platform.WEBFORM}, status=201)


@endpoint("POST")
def messages(request: HttpRequest, channel: Channel, setup: WebchatSetup) -> HttpResponse:
    session = _session(request, channel, setup)
    if isinstance(session, HttpResponse):
        return session
    for scope, who, name in (("message-session", session.public_id,
                              "messages_per_session_per_minute"),
                             ("message-ip", f"{channel.pk}:{client_ip(request)}",
                              "messages_per_ip_per_minute")):
        wait = limits.hit(scope, who, per=60, name=name)
        if wait:
            return _too_many(wait)
    body = _body(request)
    if body is None:
        return _too_big()
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return _error(400, _("The message could not be read. Send it as JSON."))
    now = timezone.now()
    try:
        message = parse_message(data, now=now, form=bool(isinstance(data, dict)
                                                         and data.get("form")))
    except PayloadError as error:
        return _error(400, str(error), field=error.field)
    webchat_session_seen(session=session, now=now)
    received = webchat_message_receive(session=session, message=message, now=now)
    return JsonResponse({"id": received.platform_message_id,
                         "duplicate": received.duplicate}, status=202)


def _ids(raw: str) -> list[int] | None:
    parts = [p for p in raw.split(",") if p.strip()]
    if len(parts) > MAX_ACK or not all(p.strip().isdigit() for p in parts):
        return None
    return [int(p) for p in parts]


@endpoint("GET")
def replies(request: HttpRequest, channel: Channel, setup: WebchatSetup) -> HttpResponse:
    session = _session(request, channel, setup)
    if isinstance(session, HttpResponse):
        return session
    wait = limits.hit("poll-session", session.public_id, per=60,
                      name="polls_per_session_per_minute")
    if wait:
        return _too_many(wait)
    after_raw = request.GET.get("after", "0") or "0"
    ack = _ids(request.GET.get("ack", ""))
    seen = _ids(request.GET.get("seen", ""))
    if not after_raw.isdigit() or ack is None or seen is None:
        return _error(400, _("'after' must be a number, and 'ack' and 'seen' lists of at "
                             "most %(n)d numbers.") % {"n": MAX_ACK})
    shown = webchat_replies_collect(session=session, after=int(after_raw), ack=ack, seen=seen,
                                    now=timezone.now())
    return JsonResponse({
        "replies": [{"id": m.pk, "text": m.text, "at": m.created_at.isoformat()}
                    for m in shown],
        "poll_seconds": POLL_SECONDS,
    })


@endpoint("POST")
def end(request: HttpRequest, channel: Channel, setup: WebchatSetup) -> HttpResponse:
    """The visitor cleared the chat from their device: the officer sees that it ended,
    and the token stops working. Ending a chat that has already ended is not an error."""
    session = _token_session(request, channel)
    if session is None:
        return _invalid()
    webchat_session_clear(session=session, setup=setup, now=timezone.now())
    return JsonResponse({"ended": True})
