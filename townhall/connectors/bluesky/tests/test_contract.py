import json
from pathlib import Path
from typing import Any

import pytest

from townhall.connectors.bluesky.tests.conftest import RELAY_SECRET
from townhall.connectors.bluesky.tests.fake_bluesky import FakeBluesky
from townhall.connectors.testing import ConnectorContract

FIXTURES = Path(__file__).parent / "fixtures"


def mention(n: int) -> dict[str, Any]:
    """Mention n, shaped like the recorded one, from a different resident each time."""
    row = json.loads((FIXTURES / "webhooks" / "relay_mention.json").read_text())[
        "notifications"][0]
    did = f"did:plc:resident{n:05d}abcdefghij"
    row["uri"] = f"at://{did}/app.bsky.feed.post/3ljreport{n:05d}"
    row["author"] = {**row["author"], "did": did, "handle": f"resident{n}.bsky.social"}
    row["record"] = {**row["record"], "text": f"@afon.gov.uk Report number {n}: the street "
                     "light is out", "createdAt": f"2026-03-02T09:{n % 60:02d}:00.000Z"}
    return row


class TestBlueskyContract(ConnectorContract):
    platform = "bluesky"
    fixtures_dir = FIXTURES
    app_secret = RELAY_SECRET
    send_route = ("POST", r"/xrpc/com\.atproto\.repo\.createRecord")

    @pytest.fixture
    def fake(self, bluesky: FakeBluesky) -> FakeBluesky:
        return bluesky

    @pytest.fixture
    def channel(self, bluesky_channel: Any) -> Any:
        return bluesky_channel

    def entries_body(self, entries: list[str]) -> bytes:
        rows = []
        for entry in entries:
            if entry == "bad":
                broken = mention(99)
                del broken["author"]
                rows.append(broken)
            else:
                rows.append(mention(int(entry.split(":")[1])))
        return json.dumps({"notifications": rows}).encode()

    def reply_to(self) -> bytes:
        return (FIXTURES / "webhooks" / "relay_mention.json").read_bytes()

    def sent_replies(self, fake: FakeBluesky) -> list[Any]:
        return fake.sent
