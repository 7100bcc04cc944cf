from townhall.connectors.models import Channel
from townhall.core.models import Council
from townhall.ingest.models import RawEvent, RawStatus


def channel_for_webhook(*, key: str) -> Channel | None:
    return Channel.objects.select_related("council").filter(key=key, is_active=True).first()


def raw_events_needing_attention(*, council: Council) -> list[RawEvent]:
    return list(
        RawEvent.objects.filter(
            council=council,
            status__in=[RawStatus.FAILED, RawStatus.CONFLICT, RawStatus.REJECTED],
        ).select_related("channel").order_by("-received_at")[:200]
    )
