"""Which class speaks to which platform, imported only when a channel needs it."""

from importlib import import_module
from typing import TYPE_CHECKING

from townhall.connectors.errors import UnknownPlatform

if TYPE_CHECKING:
    from townhall.connectors.base import Connector
    from townhall.connectors.models import Channel

CONNECTORS: dict[str, str] = {
    "facebook": "townhall.connectors.facebook.connector.FacebookConnector",
    "instagram": "townhall.connectors.instagram.connector.InstagramConnector",
    "x": "townhall.connectors.x.connector.XConnector",
    "mastodon": "townhall.connectors.mastodon.connector.MastodonConnector",
    "bluesky": "townhall.connectors.bluesky.connector.BlueskyConnector",
    "email": "townhall.connectors.email.connector.EmailConnector",
    "rss": "townhall.connectors.rss.connector.RssConnector",
}

# Platforms with nothing to send a reply through: the resident's app reads it from
# Townhall. An Open311 reporting app reads the council's latest reply as the request's
# status_notes (decision 606), so storing the reply publishes it: it counts as sent at
# once (connectors.services.reply_publish), and the sweep, which tries only CONNECTORS'
# platforms, never retries or fails it. None of these is offered in "Add a channel".
PUBLISHED_ON_STORE: frozenset[str] = frozenset({"open311"})


def connector_class(platform: str) -> "type[Connector]":
    path = CONNECTORS.get(platform)
    if path is None:
        known = ", ".join(sorted(CONNECTORS)) or "none"
        raise UnknownPlatform(
            f"Townhall has no connector for {platform!r} yet. Connectors exist for: {known}."
        )
    module_name, _, class_name = path.rpartition(".")
    cls: type[Connector] = getattr(import_module(module_name), class_name)
    return cls


def connector_for(channel: "Channel") -> "Connector":
    return connector_class(channel.platform).from_channel(channel)
