import secrets
from typing import Any

from django.db import transaction

from townhall.connectors.models import Channel
from townhall.core.models import Council
from townhall.core.services import audit_record


@transaction.atomic
def channel_create(
    *, council: Council, platform: str, handle: str, name: str = "", actor_label: str = "system",
    by: Any = None, ip_address: str | None = None,
) -> tuple[Channel, str]:
    """Create a channel with a fresh webhook secret; return it with the secret in clear."""
    secret = secrets.token_urlsafe(32)
    channel = Channel(council=council, platform=platform, handle=handle, name=name)
    channel.set_webhook_secret(secret)
    channel.full_clean()
    channel.save()
    audit_record(council=council, actor=by, actor_label="" if by else actor_label,
                 action="channel.created", obj=channel,
                 data={"platform": platform, "handle": handle}, ip_address=ip_address)
    return channel, secret


def channel_get_or_create(*, council: Council, platform: str, handle: str) -> Channel:
    channel = Channel.objects.filter(council=council, platform=platform, handle=handle).first()
    if channel is None:
        channel, _ = channel_create(council=council, platform=platform, handle=handle,
                                    actor_label="import")
    return channel


@transaction.atomic
def channel_rotate_secret(*, channel: Channel, by: Any, ip_address: str | None = None) -> str:
    """Replace the webhook secret; the old one stops working at once. Returns the new one."""
    secret = secrets.token_urlsafe(32)
    channel.set_webhook_secret(secret)
    channel.save(update_fields=["webhook_secret_encrypted"])
    audit_record(council=channel.council, actor=by, action="channel.secret_rotated",
                 obj=channel, ip_address=ip_address)
    return secret


@transaction.atomic
def channel_set_active(
    *, channel: Channel, is_active: bool, by: Any, ip_address: str | None = None
) -> Channel:
    """Deactivate (or reactivate) a channel. Its messages stay; new webhooks are refused."""
    channel.is_active = is_active
    channel.save(update_fields=["is_active"])
    audit_record(council=channel.council, actor=by,
                 action="channel.reactivated" if is_active else "channel.deactivated",
                 obj=channel, ip_address=ip_address)
    return channel

