from collections.abc import Iterator
from typing import Any

import pytest

from townhall.connectors.rss.tests.fake_feeds import HUB_SECRET, REPLY_SECRET, FakeFeeds
from townhall.connectors.testing import channel_connected
from townhall.listening.services import keyword_rule_create


@pytest.fixture
def feeds() -> Iterator[FakeFeeds]:
    fake = FakeFeeds()
    yield fake
    fake.close()


@pytest.fixture
def rules(council: Any) -> list[Any]:
    return [
        keyword_rule_create(council=council, phrase="Afon Borough Council", kind="words",
                            exclude_words=[], by=None),
        keyword_rule_create(council=council, phrase="AfonCouncil", kind="hashtag",
                            exclude_words=[], by=None),
        keyword_rule_create(council=council, phrase="Llanhelyg", kind="words",
                            exclude_words=["Llanhelyg Rovers"], by=None),
    ]


def make_feed_channel(council: Any, feeds: FakeFeeds, name: str = "news.xml",
                      **settings: Any) -> Any:
    return channel_connected(
        council, "rss", feeds.url(name), name="Afon Valley Gazette",
        settings={"feed_url": feeds.url(name), "reply_url": f"{feeds.base_url}/replies",
                  "timeout": 5, **settings},
        secrets={"hub_secret": HUB_SECRET, "reply_secret": REPLY_SECRET})


@pytest.fixture
def rss_channel(council: Any, feeds: FakeFeeds, rules: list[Any]) -> Any:
    return make_feed_channel(council, feeds)
