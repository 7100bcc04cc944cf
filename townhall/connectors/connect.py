"""Connecting a channel from the admin pages: save what was gathered, then check it.

The pages gather credentials two ways (a platform's sign-in, connectors/login.py, or
its form, connectors/forms.py); both end in `channel_connect`, which stores them
encrypted with an audit event, makes up any secret Townhall itself must give the
platform (Meta's verify token), and runs the connector's check.
"""

import secrets as tokens
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Count

from townhall.connectors.base import CheckResult
from townhall.connectors.credentials import secrets_decrypt
from townhall.connectors.errors import UnknownPlatform
from townhall.connectors.models import Channel, ChannelCredentials, WebhookBatch
from townhall.connectors.registry import connector_class
from townhall.connectors.services import (
    channel_check,
    channel_credentials_replace,
    channel_secrets_reload,
)


@dataclass(frozen=True)
class Connected:
    result: CheckResult
    # Secrets Townhall made up that the administrator must copy into the platform now:
    # (label, value). Shown in this one response, never again.
    shown_once: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def generated_secrets(platform: str) -> list[tuple[str, str]]:
    """(name, label) of each secret Townhall makes up for the platform."""
    try:
        return list(getattr(connector_class(platform), "generated_secrets", ()))
    except UnknownPlatform:
        return []


def channel_connect(*, channel: Channel, settings: dict[str, Any], secrets: dict[str, str],
                    by: Any, how: str, ip_address: str | None = None,
                    drop: tuple[str, ...] = (), notes: list[str] | None = None) -> Connected:
    stored = channel_secrets_reload(channel_id=channel.pk)
    made = {name: tokens.token_urlsafe(24) for name, _ in generated_secrets(channel.platform)
            if name not in stored and name not in secrets}
    channel_credentials_replace(channel=channel, settings=settings,
                                secrets={**secrets, **made}, by=by, how=how,
                                ip_address=ip_address, drop=drop)
    result = channel_check(channel=channel, by=by)
    labels = dict(generated_secrets(channel.platform))
    return Connected(result=result, notes=list(notes or []),
                     shown_once=[(str(labels[name]), value) for name, value in made.items()])


def channel_secret_renew(*, channel: Channel, name: str, by: Any,
                         ip_address: str | None = None) -> Connected:
    """Make a new value for a secret Townhall generates (a lost verify token)."""
    labels = dict(generated_secrets(channel.platform))
    if name not in labels:
        raise ValueError(f"Townhall does not make up the {name} for this platform.")
    value = tokens.token_urlsafe(24)
    channel_credentials_replace(channel=channel, settings={}, secrets={name: value}, by=by,
                                how=f"made a new {str(labels[name]).lower()}",
                                ip_address=ip_address)
    return Connected(result=channel_check(channel=channel, by=by),
                     shown_once=[(str(labels[name]), value)])


@dataclass(frozen=True)
class Connection:
    """What the connect page shows about a channel's connection: never a secret."""

    connected: bool
    settings: list[tuple[str, str]]
    secrets_set: frozenset[str]
    last_check: dict[str, Any]
    webhook_bodies_waiting: int
    webhook_bodies_failing: int

    @property
    def secret_names(self) -> list[str]:
        return sorted(self.secrets_set)

    @property
    def checked_at(self) -> datetime | None:
        try:
            return datetime.fromisoformat(str(self.last_check.get("at") or ""))
        except ValueError:
            return None


def channel_connection(*, channel: Channel) -> Connection:
    credentials = ChannelCredentials.objects.filter(channel=channel).first()
    counts = dict(WebhookBatch.objects.filter(channel=channel).values_list("status")
                  .annotate(n=Count("id")).values_list("status", "n"))
    if credentials is None:
        return Connection(False, [], frozenset(), {}, counts.get("pending", 0),
                          counts.get("failed", 0))
    shown = [(name, str(value)) for name, value in sorted(credentials.settings.items())
             if isinstance(value, str | int | float | bool) and not name.endswith("_env")]
    names = frozenset(secrets_decrypt(credentials.secrets_encrypted)) | frozenset(
        name.removesuffix("_env") for name in credentials.settings if name.endswith("_env"))
    return Connection(bool(credentials.settings or names), shown, names,
                      dict(credentials.last_check or {}), counts.get("pending", 0),
                      counts.get("failed", 0))
