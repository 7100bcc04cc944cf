import secrets

from django.db import transaction

from townhall.connectors.models import Channel
from townhall.core.models import Council
from townhall.core.services import audit_record


@transaction.atomic
def channel_create(
    *, council: Council, platform: str, handle: str, name: str = "", actor_label: str = "system"
) -> tuple[Channel, str]:
    """Create a channel with a fresh webhook secret; return it with the secret in clear."""
    secret = secrets.token_urlsafe(32)
    channel = Channel(council=council, platform=platform, handle=handle, name=name)
    channel.set_webhook_secret(secret)
    channel.full_clean()
    channel.save()
    audit_record(council=council, actor=None, actor_label=actor_label, action="channel.created",
                 obj=channel, data={"platform": platform, "handle": handle})
    return channel, secret


def channel_get_or_create(*, council: Council, platform: str, handle: str) -> Channel:
    channel = Channel.objects.filter(council=council, platform=platform, handle=handle).first()
    if channel is None:
        channel, _ = channel_create(council=council, platform=platform, handle=handle,
                                    actor_label="import")
    return channel
