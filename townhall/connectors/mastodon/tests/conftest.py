from collections.abc import Iterator
from typing import Any

import pytest

from townhall.connectors.mastodon.tests.fake_mastodon import ACCOUNT_ID, TOKEN, FakeMastodon
from townhall.connectors.testing import channel_connected

WEBHOOK_SECRET = "mastodon-webhook-secret-for-tests"


@pytest.fixture
def mastodon() -> Iterator[FakeMastodon]:
    fake = FakeMastodon()
    yield fake
    fake.close()


@pytest.fixture
def mastodon_channel(council: Any, mastodon: FakeMastodon,
                     monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("TOWNHALL_TEST_MASTODON_TOKEN", TOKEN)
    return channel_connected(
        council, "mastodon", "afoncouncil",
        settings={"instance_url": mastodon.base_url, "account_id": ACCOUNT_ID, "timeout": 5,
                  "access_token_env": "TOWNHALL_TEST_MASTODON_TOKEN"},
        secrets={"webhook_secret": WEBHOOK_SECRET})
