import json
from pathlib import Path
from typing import Any

import pytest

from townhall.connectors.mastodon.tests.conftest import WEBHOOK_SECRET
from townhall.connectors.mastodon.tests.fake_mastodon import ACCOUNT_ID, FakeMastodon, recorded
from townhall.connectors.testing import ConnectorContract

FIXTURES = Path(__file__).parent / "fixtures"


def mention(n: int) -> dict[str, Any]:
    """A status.created event for mention n, shaped like the recorded ones."""
    status = json.loads((FIXTURES / "webhooks" / "status_created_mention.json").read_text())
    status["object"].update({
        "id": f"1130451273498{n:05d}", "created_at": f"2026-03-02T09:{n % 60:02d}:00.000Z",
        "content": f"<p>@afoncouncil Report number {n}: the street light is out</p>"})
    status["object"]["account"] = {**status["object"]["account"], "id": f"11022334455{n:07d}"}
    return status


class TestMastodonContract(ConnectorContract):
    platform = "mastodon"
    fixtures_dir = FIXTURES
    app_secret = WEBHOOK_SECRET
    send_route = ("POST", r"/api/v1/statuses")

    @pytest.fixture
    def fake(self, mastodon: FakeMastodon) -> FakeMastodon:
        return mastodon

    @pytest.fixture
    def channel(self, mastodon_channel: Any) -> Any:
        return mastodon_channel

    def entries_body(self, entries: list[str]) -> bytes:
        events = []
        for entry in entries:
            if entry == "bad":
                broken = mention(99)
                del broken["object"]["account"]
                events.append(broken)
            else:
                events.append(mention(int(entry.split(":")[1])))
        return json.dumps(events).encode()

    def reply_to(self) -> bytes:
        return (FIXTURES / "webhooks" / "status_created_mention.json").read_bytes()

    def sent_replies(self, fake: FakeMastodon) -> list[Any]:
        return fake.sent


def test_the_recorded_account_is_the_councils() -> None:
    assert recorded("api/verify_credentials.json")["id"] == ACCOUNT_ID
