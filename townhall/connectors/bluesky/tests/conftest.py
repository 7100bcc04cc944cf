from collections.abc import Iterator
from typing import Any

import pytest

from townhall.connectors.bluesky.connector import sessions_forget
from townhall.connectors.bluesky.tests.fake_bluesky import APP_PASSWORD, DID, HANDLE, FakeBluesky
from townhall.connectors.testing import channel_connected

RELAY_SECRET = "bluesky-relay-secret-for-tests"


@pytest.fixture
def bluesky() -> Iterator[FakeBluesky]:
    sessions_forget()
    fake = FakeBluesky()
    yield fake
    fake.close()
    sessions_forget()


@pytest.fixture
def bluesky_channel(council: Any, bluesky: FakeBluesky, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("TOWNHALL_TEST_BLUESKY_APP_PASSWORD", APP_PASSWORD)
    return channel_connected(
        council, "bluesky", HANDLE,
        settings={"service_url": bluesky.base_url, "did": DID, "timeout": 5,
                  "lookback_days": 36500,
                  "app_password_env": "TOWNHALL_TEST_BLUESKY_APP_PASSWORD"},
        secrets={"relay_secret": RELAY_SECRET})
