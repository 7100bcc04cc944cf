"""The demo shows Messenger conversations on each side of Meta's window, and an
Instagram mention, without connecting any channel to a real platform."""

from datetime import datetime
from zoneinfo import ZoneInfo

from townhall.connectors.demo import demo_install
from townhall.connectors.models import ChannelCredentials
from townhall.connectors.selectors import conversation_reply_window
from townhall.connectors.services import channel_create
from townhall.inbox.models import Conversation


def test_the_demo_shows_an_open_and_a_closed_messenger_window(council) -> None:
    channel_create(council=council, platform="facebook", handle="afoncastercouncil")
    channel_create(council=council, platform="instagram", handle="afoncastercouncil")
    today = datetime.now(tz=ZoneInfo("Europe/London")).date()

    assert demo_install(council, today=today) == 3
    assert demo_install(council, today=today) == 0  # Loading twice adds nothing.
    states = {c.thread_key: conversation_reply_window(conversation=c).state
              for c in Conversation.objects.filter(thread_key__startswith="messenger:")}
    assert states == {"messenger:7100000000000001": "open",
                      "messenger:7100000000000002": "closed"}
    mention = Conversation.objects.get(thread_key__startswith="mention:")
    assert "flooded for a week" in mention.messages.get().text
    assert not ChannelCredentials.objects.exists()
