import json
from pathlib import Path
from typing import Any

import pytest

from townhall.connectors.facebook.tests.conftest import APP_SECRET
from townhall.connectors.facebook.tests.fake_graph import PAGE_ID, FakeGraph
from townhall.connectors.testing import ConnectorContract

FIXTURES = Path(__file__).parent / "fixtures"


def comment(n: int) -> dict[str, Any]:
    """Comment n: 0 and 1 start threads; the rest reply to comment 1."""
    post = f"{PAGE_ID}_998877"
    return {"field": "feed", "value": {
        "from": {"id": f"61203498765{n:05d}", "name": f"Resident {n}"},
        "post_id": post, "comment_id": f"998877_9{n:04d}",
        "parent_id": post if n < 2 else "998877_90001",
        "message": f"Report number {n}: the street light is out", "item": "comment",
        "verb": "add", "created_time": 1772442900 + n}}


class TestFacebookContract(ConnectorContract):
    platform = "facebook"
    fixtures_dir = FIXTURES
    app_secret = APP_SECRET
    send_route = ("POST", r"/[0-9_]+/comments")

    @pytest.fixture
    def fake(self, graph: FakeGraph) -> FakeGraph:
        return graph

    @pytest.fixture
    def channel(self, facebook_channel: Any) -> Any:
        return facebook_channel

    def entries_body(self, entries: list[str]) -> bytes:
        changes = []
        for entry in entries:
            if entry == "bad":
                changes.append({"field": "feed", "value": {
                    "item": "comment", "verb": "add", "comment_id": "998877_broken",
                    "post_id": f"{PAGE_ID}_998877", "message": "No author or time"}})
            else:
                changes.append(comment(int(entry.split(":")[1])))
        return json.dumps({"object": "page", "entry": [
            {"id": PAGE_ID, "time": 1772443000, "changes": changes}]}).encode()

    def reply_to(self) -> bytes:
        return (FIXTURES / "webhooks" / "feed_comment.json").read_bytes()

    def sent_replies(self, fake: FakeGraph) -> list[Any]:
        return fake.sent_comments + fake.sent_messages
