from pathlib import Path
from typing import Any

import pytest

from townhall.connectors.rss.tests.fake_feeds import FIXTURES, HUB_SECRET, FakeFeeds, recorded
from townhall.connectors.testing import ConnectorContract


def item(n: int) -> str:
    """Entry n of a gazette feed: every one mentions the council, so every one matches."""
    return f"""
    <item>
      <title>Afon Borough Council answers question {n} at the full council meeting</title>
      <link>https://gazette.example/news/question-{n}</link>
      <guid isPermaLink="false">https://gazette.example/?p={50000 + n}</guid>
      <pubDate>Mon, 02 Mar 2026 09:{n % 60:02d}:00 +0000</pubDate>
      <description>Question {n} was about the street lights on Church Road.</description>
    </item>"""


# A matching entry with no guid and no link: nothing to tell it apart by.
BROKEN = """
    <item>
      <title>Afon Borough Council statement</title>
      <description>No id and no link on this one.</description>
    </item>"""


class TestRssContract(ConnectorContract):
    platform = "rss"
    fixtures_dir = FIXTURES
    app_secret = HUB_SECRET
    send_route = ("POST", r"/replies")

    @pytest.fixture
    def fake(self, feeds: FakeFeeds) -> FakeFeeds:
        return feeds

    @pytest.fixture
    def channel(self, rss_channel: Any) -> Any:
        return rss_channel

    def recorded(self) -> list[Path]:
        # A WebSub hub pushes the feed document itself, so the recordings are XML.
        return sorted((self.fixtures_dir / "webhooks").glob("*.xml"))

    def entries_body(self, entries: list[str]) -> bytes:
        items = "".join(BROKEN if e == "bad" else item(int(e.split(":")[1])) for e in entries)
        return (f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
                f"<title>Afon Valley Gazette</title><link>https://gazette.example/</link>"
                f"{items}</channel></rss>").encode()

    def reply_to(self) -> bytes:
        return recorded("webhooks/websub_rss.xml")

    def sent_replies(self, fake: FakeFeeds) -> list[Any]:
        return fake.sent
