import json
from pathlib import Path
from typing import Any

import pytest

from townhall.connectors.instagram.tests.conftest import APP_SECRET
from townhall.connectors.instagram.tests.fake_graph import IG_USER_ID, FakeInstagram
from townhall.connectors.testing import ConnectorContract

FIXTURES = Path(__file__).parent / "fixtures"


def comment(n: int) -> dict[str, Any]:
    """Comment n: 0 and 1 start threads; the rest reply to comment 1."""
    value: dict[str, Any] = {
        "from": {"id": f"67834578234{n:05d}", "username": f"resident{n}"},
        "media": {"id": "18027939643230671", "media_product_type": "FEED"},
        "id": f"178657993480{n:05d}", "text": f"Report number {n}: the street light is out"}
    if n >= 2:
        value["parent_id"] = "17865799348000001"
    return {"field": "comments", "value": value}


class TestInstagramContract(ConnectorContract):
    platform = "instagram"
    fixtures_dir = FIXTURES
    app_secret = APP_SECRET
    send_route = ("POST", r"/[0-9]+/replies")

    @pytest.fixture
    def fake(self, instagram_api: FakeInstagram) -> FakeInstagram:
        return instagram_api

    @pytest.fixture
    def channel(self, instagram_channel: Any) -> Any:
        return instagram_channel

    def entries_body(self, entries: list[str]) -> bytes:
        changes = []
        for entry in entries:
            if entry == "bad":
                changes.append({"field": "comments", "value": {
                    "id": "17865799348099999", "text": "No author",
                    "media": {"id": "18027939643230671"}}})
            else:
                changes.append(comment(int(entry.split(":")[1])))
        return json.dumps({"object": "instagram", "entry": [
            {"id": IG_USER_ID, "time": 1772443000, "changes": changes}]}).encode()

    def reply_to(self) -> bytes:
        return (FIXTURES / "webhooks" / "comment.json").read_bytes()

    def sent_replies(self, fake: FakeInstagram) -> list[Any]:
        return fake.sent_replies + fake.sent_messages
