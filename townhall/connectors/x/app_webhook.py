"""One webhook address per X app in a council: /connectors/x/app/<app key>/webhook.

X's self-serve plans allow one webhook per app, so every X channel of a council that
uses the same X app shares one address and X's one webhook; X says whose activity each
body carries in its `for_user_id`. The app key is derived from the council and the app's
API key secret (the one thing every channel able to answer X's CRC check holds; a
channel that signed in with X may have no API key), so two councils never share an
address even when they use the same X app. Registration stores the key in each channel's
settings as `x_app_key`; requests are routed by that stored key, so a later change of
the secret or of Django's SECRET_KEY never moves a channel without a new registration.

X documents one `for_user_id` per body, so a body is attributed, not split: the whole
body, exactly as X signed it, is stored for the one channel whose X account it names.
"""

import base64
import hashlib
import hmac
import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from townhall.connectors.errors import NotConfigured
from townhall.connectors.models import Channel, WebhookBatch
from townhall.connectors.spool import SpooledBody
from townhall.connectors.x import signatures
from townhall.connectors.x.connector import XConnector

logger = logging.getLogger(__name__)

KEY_LENGTH = 26
SIGNATURE_HEADER = XConnector.signature_header


@dataclass(frozen=True)
class AppMember:
    """An active X channel on a shared address, with what routing needs to know of it."""

    channel: Channel
    user_id: str
    secret: str


@dataclass
class Received:
    """Where a verified body went: a stored batch for one channel, or kept as rejected."""

    batch: WebhookBatch | SpooledBody | None = None
    rejected: str = ""


def x_app_key(*, council_id: int, consumer_secret: str) -> str:
    """The app's address key in this council. An HMAC under SECRET_KEY, so the address
    says nothing of the secret and cannot be guessed from the council."""
    message = f"townhall.x-app:{council_id}:{consumer_secret}".encode()
    digest = hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).digest()
    return base64.b32encode(digest).decode().lower()[:KEY_LENGTH]


def x_app_key_for(*, channel: Channel, connector: XConnector) -> str:
    """The app key for a channel; NotConfigured without the app's API key secret."""
    secret = connector.config.secret("consumer_secret", "API key secret (consumer secret)")
    return x_app_key(council_id=channel.council_id, consumer_secret=secret)


def x_app_webhook_path(key: str) -> str:
    return reverse("connector-x-app-webhook", args=[key])


def x_app_members(*, key: str) -> list[AppMember]:
    """The active X channels registered on this app address, all of one council.

    Keys are derived per council, so channels of two councils never share one. Should
    stored settings ever say otherwise, the address belongs to nobody: an event must
    never reach another council's channel.
    """
    from townhall.connectors.registry import connector_for

    channels = list(Channel.objects.select_related("council").filter(
        platform="x", is_active=True, credentials__settings__x_app_key=key).order_by("id"))
    if len({c.council_id for c in channels}) > 1:
        logger.error("X app address %s is stored by channels of more than one council; "
                     "refusing it until each channel is registered again.", key)
        return []
    members = []
    for channel in channels:
        connector = connector_for(channel)
        try:
            secret = connector.config.secret("consumer_secret", "API key secret")
        except NotConfigured:
            secret = ""
        members.append(AppMember(channel=channel, secret=secret,
                                 user_id=str(connector.config.get("user_id") or "")))
    return members


def x_app_crc(*, members: list[AppMember], query: Mapping[str, str]) -> str | None:
    """The CRC answer with the app's API key secret; None when there is no crc_token or
    the channels on the address do not agree on one secret."""
    token = query.get("crc_token")
    secrets = {m.secret for m in members if m.secret}
    if not token or len(secrets) != 1:
        return None
    return json.dumps({"response_token": signatures.crc_response_token(secrets.pop(),
                                                                       token)})


def x_app_signed(*, members: list[AppMember], headers: Mapping[str, str],
                 body: bytes) -> list[AppMember]:
    """The members whose secret the body's signature verifies under; none if forged."""
    header = {k.lower(): v for k, v in headers.items()}.get(SIGNATURE_HEADER)
    checked: dict[str, bool] = {}
    for member in members:
        if member.secret not in checked:
            checked[member.secret] = signatures.signature_valid(member.secret, body, header)
    return [m for m in members if checked[m.secret]]


def _for_user_id(body: bytes) -> str | None:
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("for_user_id") in (None, ""):
        return None
    return str(data["for_user_id"])


def _route(members: list[AppMember], signed: list[AppMember],
           body: bytes) -> tuple[AppMember | None, str]:
    """The member this body belongs to, or why it belongs to none."""
    user_id = _for_user_id(body)
    if user_id is None:
        return None, ("The body is not an Account Activity event: it is not JSON with a "
                      "'for_user_id', so Townhall cannot tell which X account it is for.")
    named = [m for m in members if m.user_id == user_id]
    if not named:
        return None, (f"The events are for X account {user_id}, but no active X channel of "
                      "this council on this X app has that account id. Check the channel's "
                      "'user_id' setting, or switch the channel on.")
    if len(named) > 1:
        handles = ", ".join(m.channel.handle for m in named)
        return None, (f"The events are for X account {user_id}, which more than one channel "
                      f"on this X app has ({handles}). Keep the account on one channel.")
    if named[0] not in signed:
        return None, (f"The events are for X account {user_id}, but its channel "
                      f"{named[0].channel.handle} holds a different API key secret from the "
                      "one X signed them with. Enter the app's current API key secret on "
                      "that channel.")
    return named[0], ""


def x_app_webhook_store(*, members: list[AppMember], signed: list[AppMember],
                        body: bytes) -> Received:
    """Commit a verified body for the channel its `for_user_id` names (as a batch, or a
    spooled body: decision 508), or, for no channel, as a rejected raw event of the
    council with the reason. Either way it is committed before X gets its answer."""
    from townhall.connectors.webhooks import webhook_store
    from townhall.ingest.models import Source
    from townhall.ingest.services import raw_event_reject

    member, reason = _route(members, signed, body)
    if member is not None:
        return Received(batch=webhook_store(channel=member.channel, body=body))
    # A body for no channel is still this council's; a raw event's channel may be empty.
    raw_event_reject(council=signed[0].channel.council, channel=None,
                     source=Source.CONNECTOR, body=body.decode("utf-8", "replace"),
                     error=reason, at=timezone.now())
    return Received(rejected=reason)
