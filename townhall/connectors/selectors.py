from django.db.models import QuerySet
from django.http import Http404

from townhall.connectors.models import Channel
from townhall.core.models import Council


def channels_for_council(*, council: Council) -> QuerySet[Channel]:
    return Channel.objects.filter(council=council).order_by("-is_active", "platform", "handle")


def channel_get(*, council: Council, channel_id: int) -> Channel:
    channel = Channel.objects.select_related("council").filter(
        council=council, pk=channel_id
    ).first()
    if channel is None:
        raise Http404("No such channel in this council.")
    return channel
