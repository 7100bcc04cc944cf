"""A fake X API v2 on 127.0.0.1 that checks OAuth 1.0a signatures as X does."""

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from townhall.connectors.fake import FakeApi, FakeRequest
from townhall.connectors.x.oauth import signature
from townhall.connectors.x.tests.fake_account_activity import AccountActivityRoutes

FIXTURES = Path(__file__).parent / "fixtures"
USER_ID = "1352486217365741570"
CONSUMER_KEY = "xvz1evFS4wEEPTGEFPHBog"
CONSUMER_SECRET = "x-consumer-secret-for-tests"
ACCESS_TOKEN = "1352486217365741570-AfonAccessTokenForTests"
ACCESS_TOKEN_SECRET = "x-access-token-secret-for-tests"
CLIENT_ID = "eC1jbGllbnQtaWQtZm9yLXRlc3Rz"
CLIENT_SECRET = "x-oauth2-client-secret-for-tests"
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
        self.timeline_lag = 0
        self.codes: dict[str, tuple[str, str | None]] = {}
        self.live_bearers: set[str] = set()
        self.live_refresh: set[str] = set()
        self.expires_in = 7200
        self.refreshes = 0
        self._issued = 0
        # Access token -> its secret, for each account that authorised the app. X's
        # tokens start with the account's id, which is how the fake knows who calls.
        self.user_tokens: dict[str, str] = {ACCESS_TOKEN: ACCESS_TOKEN_SECRET}
        self.route("POST", r"/2/oauth2/token", self._oauth2_token)
        self.route("GET", r"/2/users/me", self._guard(self._me))
        self.route("GET", rf"/2/users/{USER_ID}/mentions",
                   self._guard(lambda r: (200, _recorded("mentions.json"))))
        self.route("GET", rf"/2/users/{USER_ID}/tweets", self._guard(self._timeline))
        self.route("GET", r"/2/dm_events", self._guard(lambda r: (200, _recorded("dm_events.json"))))
        self.route("GET", r"/2/dm_conversations/with/[0-9]+/dm_events", self._guard(self._dms))
        self.route("POST", r"/2/tweets", self._guard(self._post_tweet))
        self.route("POST", r"/2/dm_conversations/with/[0-9]+/messages", self._guard(self._post_dm))
        self.route("GET", r"/2/users/[0-9]+", self._guard(self._user))
        self.activity = AccountActivityRoutes(self, consumer_key=CONSUMER_KEY,
                                              consumer_secret=CONSUMER_SECRET,
                                              user_guard=self._guard)

    def _guard(self, handler: Any) -> Any:
        def guarded(request: FakeRequest) -> tuple[int, Any]:
            bearer = request.headers.get("authorization", "").removeprefix("Bearer ")
            if not self._signed(request) and bearer not in self.live_bearers:
                return 401, UNAUTHORIZED
            return handler(request)
        return guarded

    # OAuth 2.0 with PKCE, as X's token endpoint answers it -------------------

    def _oauth2_token(self, request: FakeRequest) -> tuple[int, Any]:
        import base64
        import hashlib
        from urllib.parse import parse_qs

        form = {k: v[-1] for k, v in parse_qs(request.body.decode()).items()}
        basic = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
        if request.headers.get("authorization") != f"Basic {basic}":
            return 401, {"error": "unauthorized_client",
                         "error_description": "Missing valid authorization header"}
        if form.get("grant_type") == "authorization_code":
            pending = self.codes.pop(form.get("code", ""), None)
            verifier = form.get("code_verifier", "")
            challenge = base64.urlsafe_b64encode(
                hashlib.sha256(verifier.encode()).digest()).decode().rstrip("=")
            if pending is None or pending != (challenge, form.get("redirect_uri")):
                return 400, {"error": "invalid_request", "error_description":
                             "Value passed for the authorization code was invalid."}
        elif form.get("grant_type") == "refresh_token":
            if form.get("refresh_token") not in self.live_refresh:
                return 400, {"error": "invalid_request",
                             "error_description": "Value passed for the token was invalid."}
            self.live_refresh.discard(form["refresh_token"])
            self.refreshes += 1
        else:
            return 400, {"error": "unsupported_grant_type"}
        self._issued += 1
        access, refresh = f"x-bearer-{self._issued}", f"x-refresh-{self._issued}"
        self.live_bearers.add(access)
        self.live_refresh.add(refresh)
        return 200, {"token_type": "bearer", "expires_in": self.expires_in,
                     "access_token": access, "scope": "tweet.read users.read offline.access",
                     "refresh_token": refresh}

    def authorize(self, *, challenge: str, redirect_uri: str) -> str:
        """What X's consent page does: remember the challenge and hand out a code."""
        code = f"x-code-{len(self.codes) + 1}"
        self.codes[code] = (challenge, redirect_uri)
        return code

    def _signed(self, request: FakeRequest) -> bool:
        header = request.headers.get("authorization", "")
        if not header.startswith("OAuth "):
            return False
        oauth = {}
        for part in header.removeprefix("OAuth ").split(", "):
            key, _, value = part.partition("=")
            oauth[unquote(key)] = unquote(value.strip('"'))
        given = oauth.pop("oauth_signature", "")
        token = oauth.get("oauth_token", "")
        if oauth.get("oauth_consumer_key") != CONSUMER_KEY or token not in self.user_tokens:
            return False
        expected = signature(method=request.method, url=f"{self.base_url}{request.path}",
                             params=list(request.query.items()) + list(oauth.items()),
                             consumer_secret=CONSUMER_SECRET,
                             token_secret=self.user_tokens[token])
        return given == expected

    def _me(self, request: FakeRequest) -> tuple[int, Any]:
        return 200, {"data": {"id": USER_ID, "name": "Afon Borough Council",
                              "username": "AfonCouncil"}}

    def _user(self, request: FakeRequest) -> tuple[int, Any]:
        return 200, {"data": {"id": request.path.rsplit("/", 1)[-1], "name": "Cerys Jenkins",
                              "username": "cerysj"}}

    def _timeline(self, request: FakeRequest) -> tuple[int, Any]:
        shown = self.sent_tweets
        if self.timeline_lag:
            # X's timeline can be a moment behind a post it has just made.
            self.timeline_lag -= 1
            shown = shown[:-1]
        rows = [{k: v for k, v in t.items() if k not in ("target", "raw_text")} for t in shown]
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
        if any(t["raw_text"] == body["text"] for t in self.sent_tweets):
            return 403, {"detail": "You are not allowed to create a Tweet with duplicate "
                                   "content.", "type": "about:blank", "title": "Forbidden",
                         "status": 403}
        # X wraps links and escapes ampersands in what it hands back.
        shown = body["text"].replace("&", "&amp;")
        tweet = {"id": f"18963000000000{len(self.sent_tweets) + 1:05d}", "text": shown,
                 "author_id": USER_ID, "created_at": _now(), "conversation_id": target,
                 "referenced_tweets": [{"type": "replied_to", "id": target}],
                 "raw_text": body["text"]}
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
