"""Listening for the demo council: keyword rules, two local feeds, and the mentions a
poll of them would have brought in, made through the real feed parser and matcher."""

from datetime import UTC, date, datetime, time, timedelta
from email.utils import format_datetime
from xml.sax.saxutils import escape

from django.db import transaction
from django.utils import timezone

from townhall.connectors.models import Channel, Platform
from townhall.connectors.rss.feeds import parse_feed
from townhall.connectors.rss.mapping import feed_items
from townhall.connectors.services import channel_create, channel_credentials_set
from townhall.core.models import Council
from townhall.ingest.items import IncomingItem
from townhall.ingest.models import Source
from townhall.ingest.services import items_ingest
from townhall.listening.matching import HASHTAG, WORDS
from townhall.listening.models import KeywordRule
from townhall.listening.selectors import active_rules

RULES = [
    ("Afoncaster", WORDS, ["Afoncaster Rovers", "Afoncaster Town FC"]),
    ("Afoncaster", HASHTAG, []),
    ("Caerafon", WORDS, []),
    ("Pont-y-Felin", WORDS, []),
    ("Llanhelyg", WORDS, ["Llanhelyg Rugby Club"]),
    ("Cwmderwen", WORDS, []),
    ("Trefynach", WORDS, []),
]

GAZETTE = "https://news.afoncaster.example/feed/"
LLAIS = "https://llais-llanhelyg.example/atom.xml"

# (days ago, hour, title, summary, category): the gazette's recent stories.
STORIES = [
    (1, 9, "Afoncaster council approves new flood defences for Mill Lane",
     "<p>Work on the River Wern embankment starts in the spring, the council said.</p>", ""),
    (1, 17, "Afoncaster Rovers sign a new striker",
     "<p>The club confirmed the signing on Friday.</p>", "Sport"),
    (2, 11, "Pont-y-Felin residents petition for a school crossing",
     "<p>More than 300 people have signed, asking for a crossing near the school.</p>", ""),
    (3, 8, "Bin collections move to Saturday after the bank holiday",
     "<p>Check your collection day online before putting bins out.</p>", "Afoncaster"),
    (4, 14, "Farmers' market returns to Wernford",
     "<p>Stalls will be in Market Square from 9am.</p>", "What's on"),
    (5, 10, "Cyngor Caerafon yn agor llyfrgell newydd yn Llanhelyg",
     "<p>Bydd y llyfrgell ar agor chwe diwrnod yr wythnos.</p>", "Newyddion"),
]
POSTS = [
    (1, 19, "Cwmderwen playground: thank you to the council",
     "The new swings went in this week. Thanks to everyone who asked for them."),
    (6, 12, "Choir concert on Saturday", "Tickets at the door, £5."),
]


def _at(today: date, days: int, hour: int) -> datetime:
    return datetime.combine(today - timedelta(days=days), time(hour, 5), tzinfo=UTC)


def _gazette(today: date) -> bytes:
    items = "".join(
        f"<item><title>{escape(title)}</title>"
        f"<link>https://news.afoncaster.example/{n}</link>"
        f"<guid isPermaLink='false'>https://news.afoncaster.example/?p={9000 + n}</guid>"
        f"<pubDate>{format_datetime(_at(today, days, hour))}</pubDate>"
        + (f"<category>{escape(category)}</category>" if category else "")
        + f"<description>{escape(summary)}</description></item>"
        for n, (days, hour, title, summary, category) in enumerate(STORIES))
    return (f"<rss version='2.0'><channel><title>Afoncaster Gazette</title>"
            f"<link>https://news.afoncaster.example/</link>{items}</channel></rss>").encode()


def _llais(today: date) -> bytes:
    entries = "".join(
        f"<entry><title>{escape(title)}</title>"
        f"<link href='https://llais-llanhelyg.example/{n}'/>"
        f"<id>tag:llais-llanhelyg.example,2026:/{n}</id>"
        f"<published>{_at(today, days, hour).isoformat()}</published>"
        f"<summary>{escape(summary)}</summary></entry>"
        for n, (days, hour, title, summary) in enumerate(POSTS))
    return (f"<feed xmlns='http://www.w3.org/2005/Atom'><title>Llais Llanhelyg</title>"
            f"<link href='https://llais-llanhelyg.example/'/>"
            f"<author><name>Llais Llanhelyg volunteers</name></author>{entries}</feed>"
            ).encode()


def _feed(council: Council, name: str, url: str) -> Channel:
    channel, _ = channel_create(council=council, platform=Platform.RSS, handle=url, name=name,
                                actor_label="demo")
    channel_credentials_set(channel=channel, settings={"feed_url": url}, actor_label="demo")
    return channel


def demo_install(council: Council, *, today: date | None = None) -> int:
    """Install once; returns how many mentions were stored."""
    if KeywordRule.objects.filter(council=council).exists():
        return 0
    today = today or timezone.localdate()
    with transaction.atomic():
        for phrase, kind, excludes in RULES:
            KeywordRule.objects.create(council=council, phrase=phrase, kind=kind,
                                       exclude_words=excludes)
        gazette = _feed(council, "Afoncaster Gazette", GAZETTE)
        llais = _feed(council, "Llais Llanhelyg community news", LLAIS)
    rules = active_rules(council_id=council.pk)
    created = 0
    for channel, body, url in ((gazette, _gazette(today), GAZETTE), (llais, _llais(today), LLAIS)):
        found = feed_items(parse_feed(body), feed_url=url, channel=channel.handle, rules=rules,
                           fetched_at=_at(today, 0, 6))
        items = [i for i in found if isinstance(i, IncomingItem)]
        created += items_ingest(council=council, items=items, source=Source.CONNECTOR,
                                channel=channel).created
    return created
