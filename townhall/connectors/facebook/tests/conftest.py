import os
from collections.abc import Iterator
from typing import Any

import pytest

from townhall.connectors.facebook.tests.fake_graph import PAGE_ID, PAGE_TOKEN, FakeGraph
from townhall.connectors.testing import channel_connected

APP_SECRET = "facebook-app-secret-for-tests"
VERIFY_TOKEN = "afon-verify-token"


@pytest.fixture
def graph() -> Iterator[FakeGraph]:
    fake = FakeGraph()
    yield fake
    fake.close()


@pytest.fixture
def facebook_channel(council: Any, graph: FakeGraph, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("TOWNHALL_TEST_FACEBOOK_APP_SECRET", APP_SECRET)
    channel = channel_connected(
        council, "facebook", "afoncouncil",
        settings={"page_id": PAGE_ID, "graph_url": graph.base_url, "timeout": 5,
                  "app_secret_env": "TOWNHALL_TEST_FACEBOOK_APP_SECRET"},
        secrets={"page_access_token": PAGE_TOKEN, "verify_token": VERIFY_TOKEN})
    assert os.environ["TOWNHALL_TEST_FACEBOOK_APP_SECRET"] == APP_SECRET
    return channel
