"""A fake X API v2 on 127.0.0.1 that checks OAuth 1.0a signatures as X does."""

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from townhall.connectors.fake import FakeApi, FakeRequest
from townhall.connectors.x.oauth import signature

FIXTURES = Path(__file__).parent / "fixtures"
USER_ID = "1352486217365741570"
CONSUMER_KEY = "xvz1evFS4wEEPTGEFPHBog"
CONSUMER_SECRET = "x-consumer-secret-for-tests"
ACCESS_TOKEN = "1352486217365741570-AfonAccessTokenForTests"
ACCESS_TOKEN_SECRET = "x-access-token-secret-for-tests"
UNAUTHORIZED = {"title": "Unauthorized", "type": "about:blank", "status": 401,
                "detail": "Unauthorized"}


def _recorded(name: str) -> Any:
    return json.loads((FIXTURES / "api" / name).read_text())


def _now() -> str:
    return datetime.now(tz=UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


class FakeX(FakeApi):
    def __init__(self) -> None:
        super().__init__()
        self.sent_tweets: list[dict[str, Any]] = []
        self.sent_dms: list[dict[str, Any]] = []
        self.route("GET", r"/2/users/me", self._guard(self._me))
        self.route("GET", rf"/2/users/{USER_ID}/mentions",
                   self._guard(lambda r: (200, _recorded("mentions.json"))))
        self.route("GET", rf"/2/users/{USER_ID}/tweets", self._guard(self._timeline))
        self.route("GET", r"/2/dm_events", self._guard(lambda r: (200, _recorded("dm_events.json"))))
        self.route("GET", r"/2/dm_conversations/with/[0-9]+/dm_events", self._guard(self._dms))
        self.route("POST", r"/2/tweets", self._guard(self._post_tweet))
        self.route("POST", r"/2/dm_conversations/with/[0-9]+/messages", self._guard(self._post_dm))
        self.route("GET", r"/2/users/[0-9]+", self._guard(self._user))

    def _guard(self, handler: Any) -> Any:
        def guarded(request: FakeRequest) -> tuple[int, Any]:
            if not self._signed(request):
                return 401, UNAUTHORIZED
            return handler(request)
        return guarded

    def _signed(self, request: FakeRequest) -> bool:
        header = request.headers.get("authorization", "")
        if not header.startswith("OAuth "):
            return False
        oauth = {}
        for part in header.removeprefix("OAuth ").split(", "):
            key, _, value = part.partition("=")
            oauth[unquote(key)] = unquote(value.strip('"'))
        given = oauth.pop("oauth_signature", "")
        if oauth.get("oauth_consumer_key") != CONSUMER_KEY or \
                oauth.get("oauth_token") != ACCESS_TOKEN:
            return False
        expected = signature(method=request.method, url=f"{self.base_url}{request.path}",
                             params=list(request.query.items()) + list(oauth.items()),
                             consumer_secret=CONSUMER_SECRET, token_secret=ACCESS_TOKEN_SECRET)
        return given == expected

    def _me(self, request: FakeRequest) -> tuple[int, Any]:
        return 200, {"data": {"id": USER_ID, "name": "Afon Borough Council",
                              "username": "AfonCouncil"}}

    def _user(self, request: FakeRequest) -> tuple[int, Any]:
        return 200, {"data": {"id": request.path.rsplit("/", 1)[-1], "name": "Cerys Jenkins",
                              "username": "cerysj"}}

    def _timeline(self, request: FakeRequest) -> tuple[int, Any]:
        rows = [{k: v for k, v in t.items() if k != "target"} for t in self.sent_tweets]
        return 200, {"data": list(reversed(rows)), "meta": {"result_count": len(rows)}}

    def _dms(self, request: FakeRequest) -> tuple[int, Any]:
        with_id = request.path.split("/")[4]
        rows = [d for d in self.sent_dms if d["dm_conversation_id"].endswith(with_id)]
        return 200, {"data": list(reversed(rows)), "meta": {"result_count": len(rows)}}

    def _post_tweet(self, request: FakeRequest) -> tuple[int, Any]:
        body = request.json()
        target = (body.get("reply") or {}).get("in_reply_to_tweet_id")
        if not body.get("text") or not target:
            return 400, {"errors": [{"message": "Invalid Request: reply is required"}],
                         "title": "Invalid Request", "status": 400}
        # X wraps links and escapes ampersands in what it hands back.
        shown = body["text"].replace("&", "&amp;")
        tweet = {"id": f"18963000000000{len(self.sent_tweets) + 1:05d}", "text": shown,
                 "author_id": USER_ID, "created_at": _now(), "conversation_id": target,
                 "referenced_tweets": [{"type": "replied_to", "id": target}]}
        self.sent_tweets.append(tweet)
        return 201, {"data": {"id": tweet["id"], "text": shown,
                              "edit_history_tweet_ids": [tweet["id"]]}}

    def _post_dm(self, request: FakeRequest) -> tuple[int, Any]:
        resident = request.path.split("/")[4]
        dm = {"id": f"18964000000000{len(self.sent_dms) + 1:05d}", "event_type": "MessageCreate",
              "text": request.json().get("text", ""), "sender_id": USER_ID,
              "dm_conversation_id": f"{USER_ID}-{resident}", "created_at": _now()}
        self.sent_dms.append(dm)
        return 201, {"data": {"dm_conversation_id": dm["dm_conversation_id"],
                              "dm_event_id": dm["id"]}}
