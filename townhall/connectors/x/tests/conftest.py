from collections.abc import Iterator
from typing import Any

import pytest

from townhall.connectors.testing import channel_connected
from townhall.connectors.x.tests.fake_x import (
    ACCESS_TOKEN,
    ACCESS_TOKEN_SECRET,
    CONSUMER_KEY,
    CONSUMER_SECRET,
    USER_ID,
    FakeX,
)


@pytest.fixture
def x_api() -> Iterator[FakeX]:
    fake = FakeX()
    yield fake
    fake.close()


@pytest.fixture
def x_channel(council: Any, x_api: FakeX, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("TOWNHALL_TEST_X_CONSUMER_SECRET", CONSUMER_SECRET)
    return channel_connected(
        council, "x", "AfonCouncil",
        settings={"user_id": USER_ID, "api_url": x_api.base_url, "timeout": 5,
                  "consumer_secret_env": "TOWNHALL_TEST_X_CONSUMER_SECRET"},
        secrets={"consumer_key": CONSUMER_KEY, "access_token": ACCESS_TOKEN,
                 "access_token_secret": ACCESS_TOKEN_SECRET})
