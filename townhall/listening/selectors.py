"""Reads for listening, always scoped to one council."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, QuerySet
from django.http import Http404

from townhall.connectors.models import Channel, ChannelCursor, Platform
from townhall.core.models import Council
from townhall.listening.matching import Rule
from townhall.listening.models import KeywordRule


def keyword_rules_for_council(*, council: Council) -> QuerySet[KeywordRule]:
    return KeywordRule.objects.filter(council=council).order_by("-is_active", "phrase", "id")


def keyword_rule_get(*, council: Council, rule_id: int) -> KeywordRule:
    rule = KeywordRule.objects.filter(council=council, pk=rule_id).first()
    if rule is None:
        raise Http404("No such keyword rule in this council.")
    return rule


def active_rules(*, council_id: int) -> list[Rule]:
    """The council's active rules as plain dataclasses, for a connector to match with."""
    return [
        Rule(id=r.pk, phrase=r.phrase, kind=r.kind, exclude_words=tuple(r.exclude_words))
        for r in KeywordRule.objects.filter(council_id=council_id, is_active=True)
        .order_by("phrase", "id")
    ]


@dataclass(frozen=True)
class FeedRow:
    channel: Channel
    url: str
    mentions: int
    polled_at: datetime | None
    last_error: str


def feeds_for_council(*, council: Council) -> list[FeedRow]:
    channels = (Channel.objects.filter(council=council, platform=Platform.RSS)
                .select_related("credentials").annotate(mentions=Count("conversations"))
                .order_by("-is_active", "name", "handle"))
    cursors = {c.channel_id: c for c in ChannelCursor.objects.filter(channel__in=channels)}
    rows = []
    for channel in channels:
        credentials = getattr(channel, "credentials", None)
        settings = credentials.settings if credentials is not None else {}
        cursor = cursors.get(channel.pk)
        rows.append(FeedRow(channel=channel, url=str(settings.get("feed_url") or ""),
                            mentions=channel.mentions,  # type: ignore[attr-defined]
                            polled_at=cursor.polled_at if cursor else None,
                            last_error=cursor.last_error if cursor else ""))
    return rows


def feed_get(*, council: Council, channel_id: int) -> Channel:
    channel = Channel.objects.filter(council=council, platform=Platform.RSS,
                                     pk=channel_id).first()
    if channel is None:
        raise Http404("No such feed in this council.")
    return channel
