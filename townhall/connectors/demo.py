"""What the demo council shows of the connectors' work: Messenger conversations on each
side of Meta's 24-hour window, and an Instagram @mention fetched into its own thread.

The demo's channels stay unconnected (no credentials), so nothing in the demo ever calls
a real platform; the connect pages show them as "Not connected" with the sign-in and the
form to fill in. Times are fixed relative to `today`, so a given day's demo is the same.
"""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from townhall.connectors.models import Channel
from townhall.core.models import Council
from townhall.ingest.items import IncomingItem
from townhall.ingest.models import Source
from townhall.ingest.services import items_ingest

LONDON = ZoneInfo("Europe/London")


def _at(day: date, hour: int, minute: int) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=LONDON)


def _messenger(channel: Channel, psid: str, name: str, text: str, at: datetime) -> IncomingItem:
    return IncomingItem(platform="facebook", channel=channel.handle,
                        platform_message_id=f"m_demo_{psid}", author=psid, author_name=name,
                        text=text, created_at=at, direction="in",
                        thread_id=f"messenger:{psid}")


def demo_install(council: Council, *, today: date | None = None) -> int:
    """Add the demo's window and mention conversations; returns how many were made."""
    today = today or datetime.now(tz=LONDON).date()
    made = 0
    facebook = Channel.objects.filter(council=council, platform="facebook").first()
    if facebook is not None:
        made += items_ingest(council=council, source=Source.IMPORT, channel=facebook, items=[
            # Written early today: a normal reply is allowed until the same time tomorrow.
            _messenger(facebook, "7100000000000001", "Rhian Morgan",
                       "Hi, my green bin was not emptied on Tuesday. Can someone come back "
                       "for it?", _at(today, 0, 5)),
            # Written two days ago and not answered: Meta's window has closed.
            _messenger(facebook, "7100000000000002", "Tom Bevan",
                       "Is the tip on Quarry Road open on bank holidays?",
                       _at(today - timedelta(days=2), 10, 15)),
        ]).created
    instagram = Channel.objects.filter(council=council, platform="instagram").first()
    if instagram is not None:
        comment_id, media_id = "17894000000000001", "17918000000000001"
        made += items_ingest(council=council, source=Source.IMPORT, channel=instagram, items=[
            IncomingItem(
                platform="instagram", channel=instagram.handle, platform_message_id=comment_id,
                author=f"mention:{comment_id}", author_name="",
                text=f"@{instagram.handle} the footpath by the Riverside play area has been "
                     "flooded for a week",
                created_at=_at(today - timedelta(days=1), 17, 40), direction="in",
                thread_id=f"mention:{media_id}:{comment_id}", in_reply_to=comment_id),
        ]).created
    return made
