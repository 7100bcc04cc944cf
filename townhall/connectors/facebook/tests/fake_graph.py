"""A fake Graph API on 127.0.0.1 that speaks the endpoints the connector uses."""

import json
from pathlib import Path
from typing import Any

from townhall.connectors.fake import FakeRequest
from townhall.connectors.fake_meta import FakeMetaGraph, graph_now

FIXTURES = Path(__file__).parent / "fixtures"
PAGE_ID = "104729381234567"
PAGE_TOKEN = "EAAB-test-page-token"


def _recorded(name: str) -> Any:
    return json.loads((FIXTURES / "graph" / name).read_text())


class FakeGraph(FakeMetaGraph):
    token = PAGE_TOKEN

    def __init__(self) -> None:
        super().__init__()
        self.sent_comments: list[dict[str, Any]] = []
        self.sent_messages: list[dict[str, Any]] = []
        # Residents whose window Meta says is closed, whatever Townhall thinks.
        self.window_closed_for: set[str] = set()
        self.route("GET", rf"/{PAGE_ID}", self._guard(self._page))
        self.route("GET", rf"/{PAGE_ID}/feed", self._guard(lambda r: (200, _recorded("feed.json"))))
        self.route("GET", rf"/{PAGE_ID}/conversations", self._guard(self._conversations))
        self.route("GET", r"/[0-9_]+/comments", self._guard(self._comments))
        self.route("POST", r"/me/messages", self._guard(self._send_message))
        self.route("POST", r"/[0-9_]+/comments", self._guard(self._send_comment))
        self.route("GET", r"/[0-9]+", self._guard(self._profile))

    def _page(self, request: FakeRequest) -> tuple[int, Any]:
        return 200, {"id": PAGE_ID, "name": "Afon Borough Council"}

    def _profile(self, request: FakeRequest) -> tuple[int, Any]:
        return 200, {"id": request.path.strip("/"), "name": "Cerys Jenkins"}

    def _comments(self, request: FakeRequest) -> tuple[int, Any]:
        target = request.path.strip("/").removesuffix("/comments")
        rows = _recorded("comments.json")["data"] if target == f"{PAGE_ID}_998877" else []
        rows += [c for c in self.sent_comments if c["target"] == target]
        return 200, {"data": rows}

    def _conversations(self, request: FakeRequest) -> tuple[int, Any]:
        data = _recorded("conversations.json")["data"]
        user = request.query.get("user_id")
        if user:
            mine = [m for m in self.sent_messages if m["to"]["data"][0]["id"] == user]
            data = [{"id": f"t_{user}", "updated_time": graph_now(), "messages": {"data": mine}}]
        return 200, {"data": data}

    def _send_comment(self, request: FakeRequest) -> tuple[int, Any]:
        target = request.path.strip("/").removesuffix("/comments")
        text = request.json().get("message") or request.query.get("message", "")
        comment = {"id": f"{target.split('_')[-1]}_r{len(self.sent_comments) + 1}",
                   "message": text, "created_time": graph_now(), "target": target,
                   "from": {"id": PAGE_ID, "name": "Afon Borough Council"}}
        self.sent_comments.append(comment)
        return 200, {"id": comment["id"]}

    def _send_message(self, request: FakeRequest) -> tuple[int, Any]:
        data = request.json()
        kind = (data.get("messaging_type"), data.get("tag"))
        if kind not in (("RESPONSE", None), ("MESSAGE_TAG", "HUMAN_AGENT")) \
                or not data.get("recipient", {}).get("id"):
            return 400, {"error": {"message": "(#100) The parameter recipient is required",
                                   "code": 100}}
        if data["recipient"]["id"] in self.window_closed_for:
            return 400, {"error": {"message": "(#10) This message is sent outside of allowed "
                                   "window.", "type": "OAuthException", "code": 10,
                                   "error_subcode": 2018278}}
        message = {"id": f"m_sent_{len(self.sent_messages) + 1}",
                   "message": data["message"]["text"], "created_time": graph_now(),
                   "messaging_type": data["messaging_type"], "tag": data.get("tag"),
                   "from": {"id": PAGE_ID, "name": "Afon Borough Council"},
                   "to": {"data": [{"id": data["recipient"]["id"]}]}}
        self.sent_messages.append(message)
        return 200, {"recipient_id": data["recipient"]["id"], "message_id": message["id"]}
