"""A fake Instagram Graph API on 127.0.0.1 that speaks the endpoints the connector uses."""

import json
import re
from pathlib import Path
from typing import Any

from townhall.connectors.fake import FakeRequest
from townhall.connectors.fake_meta import FakeMetaGraph, graph_now

FIXTURES = Path(__file__).parent / "fixtures"
IG_USER_ID = "17841405309211844"
PAGE_TOKEN = "EAAB-test-instagram-page-token"
ACCOUNT = {"id": IG_USER_ID, "username": "afoncouncil"}


def _recorded(name: str) -> Any:
    return json.loads((FIXTURES / "graph" / name).read_text())


class FakeInstagram(FakeMetaGraph):
    token = PAGE_TOKEN

    def __init__(self) -> None:
        super().__init__()
        self.sent_replies: list[dict[str, Any]] = []
        self.sent_messages: list[dict[str, Any]] = []
        self.mentioned: dict[str, dict[str, Any]] = _recorded("mentioned.json")
        self.mention_replies: list[dict[str, Any]] = []
        # Comments by other people under a mention, by the mention's comment or media id.
        self.others_on_mentions: dict[str, list[dict[str, Any]]] = {}
        self.route("POST", rf"/{IG_USER_ID}/mentions", self._guard(self._reply_to_mention))
        self.route("GET", rf"/{IG_USER_ID}", self._guard(self._account))
        self.route("GET", rf"/{IG_USER_ID}/media",
                   self._guard(lambda r: (200, _recorded("media.json"))))
        self.route("GET", rf"/{IG_USER_ID}/tags",
                   self._guard(lambda r: (200, _recorded("tags.json"))))
        self.route("GET", r"/[0-9]+/comments", self._guard(lambda r: (200, {"data": []})))
        self.route("GET", r"/[0-9]+/replies", self._guard(self._replies))
        self.route("GET", r"/me/conversations", self._guard(self._conversations))
        self.route("POST", r"/[0-9]+/replies", self._guard(self._reply))
        self.route("POST", r"/me/messages", self._guard(self._message))
        self.route("GET", r"/[0-9]+", self._guard(self._profile))

    def _account(self, request: FakeRequest) -> tuple[int, Any]:
        fields = request.query.get("fields", "")
        wanted = re.search(r"mentioned_(comment|media)\.(?:comment|media)_id\((\w+)\)", fields)
        if wanted:
            kind, found_id = wanted.groups()
            found = self.mentioned["comments" if kind == "comment" else "media"].get(found_id)
            if found is None:
                return 400, {"error": {"message": "(#100) Tried accessing nonexisting field",
                                       "code": 100}}
            found = {**found, **self._mention_edge(kind, found_id, fields)}
            answer = {f"mentioned_{kind}": found, "id": IG_USER_ID}
            if re.match(r"(\w+,)*username,", fields):
                answer["username"] = ACCOUNT["username"]
            return 200, answer
        return 200, {**ACCOUNT, "name": "Afon Borough Council"}

    def _mention_edge(self, kind: str, found_id: str, fields: str) -> dict[str, Any]:
        """The replies under a mentioning comment, or the comments on a captioned media,
        when asked for by field expansion. Instagram names their author by username only."""
        key, edge = ("comment_id", "replies") if kind == "comment" else ("media_id", "comments")
        if f"{{{edge}{{" not in fields:
            return {}
        rows = [{"id": r["id"], "text": r["message"], "timestamp": r["timestamp"],
                 "username": r["username"]} for r in self.mention_replies
                if r.get(key) == found_id and (kind == "comment" or not r.get("comment_id"))]
        return {edge: {"data": rows + self.others_on_mentions.get(found_id, [])}}

    def _reply_to_mention(self, request: FakeRequest) -> tuple[int, Any]:
        data = request.json()
        if not data.get("media_id") or not data.get("message"):
            return 400, {"error": {"message": "(#100) media_id and message are required"}}
        reply = {"id": f"179000000000{len(self.mention_replies) + 1:05d}", **data,
                 "timestamp": graph_now(), "username": ACCOUNT["username"]}
        self.mention_replies.append(reply)
        return 200, {"id": reply["id"]}

    def _profile(self, request: FakeRequest) -> tuple[int, Any]:
        return 200, {"name": "Cerys Jenkins", "username": "cerys.j",
                     "id": request.path.strip("/")}

    def _replies(self, request: FakeRequest) -> tuple[int, Any]:
        target = request.path.strip("/").removesuffix("/replies")
        rows = [{k: v for k, v in r.items() if k != "target"} for r in self.sent_replies
                if r["target"] == target]
        return 200, {"data": rows}

    def _conversations(self, request: FakeRequest) -> tuple[int, Any]:
        if request.query.get("platform") != "instagram":
            return 400, {"error": {"message": "(#100) platform must be instagram"}}
        user = request.query.get("user_id", "")
        mine = [m for m in self.sent_messages if m["to"]["data"][0]["id"] == user]
        return 200, {"data": [{"id": f"aWdfconv_{user}", "messages": {"data": mine}}]}

    def _reply(self, request: FakeRequest) -> tuple[int, Any]:
        target = request.path.strip("/").removesuffix("/replies")
        text = request.json().get("message") or request.query.get("message", "")
        reply = {"id": f"178657993480{len(self.sent_replies) + 1:05d}", "text": text,
                 "timestamp": graph_now(), "username": "afoncouncil", "from": ACCOUNT,
                 "parent_id": target, "target": target}
        self.sent_replies.append(reply)
        return 200, {"id": reply["id"]}

    def _message(self, request: FakeRequest) -> tuple[int, Any]:
        data = request.json()
        recipient = (data.get("recipient") or {}).get("id")
        if not recipient or not (data.get("message") or {}).get("text"):
            return 400, {"error": {"message": "(#100) The parameter recipient is required",
                                   "code": 100}}
        message = {"id": f"aWdfZAG1faXRlbTpzZW50{len(self.sent_messages) + 1}",
                   "message": data["message"]["text"], "created_time": graph_now(),
                   "from": ACCOUNT, "to": {"data": [{"id": recipient}]}}
        self.sent_messages.append(message)
        return 200, {"recipient_id": recipient, "message_id": message["id"]}
