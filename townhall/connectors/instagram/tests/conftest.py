from collections.abc import Iterator
from typing import Any

import pytest

from townhall.connectors.instagram.tests.fake_graph import IG_USER_ID, PAGE_TOKEN, FakeInstagram
from townhall.connectors.testing import channel_connected

APP_SECRET = "instagram-app-secret-for-tests"
VERIFY_TOKEN = "afon-instagram-verify-token"


@pytest.fixture
def instagram_api() -> Iterator[FakeInstagram]:
    fake = FakeInstagram()
    yield fake
    fake.close()


@pytest.fixture
def instagram_channel(council: Any, instagram_api: FakeInstagram,
                      monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("TOWNHALL_TEST_INSTAGRAM_APP_SECRET", APP_SECRET)
    return channel_connected(
        council, "instagram", "afoncouncil",
        settings={"ig_user_id": IG_USER_ID, "graph_url": instagram_api.base_url, "timeout": 5,
                  "app_secret_env": "TOWNHALL_TEST_INSTAGRAM_APP_SECRET"},
        secrets={"page_access_token": PAGE_TOKEN, "verify_token": VERIFY_TOKEN})
