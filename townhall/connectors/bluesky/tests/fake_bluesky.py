"""A fake Bluesky PDS and AppView on 127.0.0.1, speaking the XRPC methods the
connector uses."""

import json
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from townhall.connectors.fake import FakeApi, FakeRequest

FIXTURES = Path(__file__).parent / "fixtures"
HANDLE = "afon.gov.uk"
APP_PASSWORD = "abcd-efgh-ijkl-mnop"
X = "/xrpc/"


def recorded(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text())


SESSION = recorded("xrpc/createSession.json")
DID = SESSION["did"]


class FakeBluesky(FakeApi):
    def __init__(self) -> None:
        super().__init__()
        self.notifications: list[dict[str, Any]] = recorded("xrpc/listNotifications.json")[
            "notifications"]
        self.posts: dict[str, dict[str, Any]] = {}
        for path in (FIXTURES / "webhooks").glob("*.json"):
            for row in json.loads(path.read_text())["notifications"]:
                self._remember(row)
        for row in self.notifications:
            self._remember(row)
        self.sent: list[dict[str, Any]] = []
        self.sessions_created = 0
        self.refreshed = 0
        self.generation = 1
        self.page_size: int | None = None
        self._lock = threading.Lock()
        self.route("POST", X + "com.atproto.server.createSession", self._create_session)
        self.route("POST", X + "com.atproto.server.refreshSession", self._refresh_session)
        guard = self._guard
        self.route("GET", X + "app.bsky.notification.listNotifications",
                   guard(self._list_notifications))
        self.route("GET", X + "app.bsky.feed.getPosts", guard(self._get_posts))
        self.route("POST", X + "com.atproto.repo.createRecord", guard(self._create_record))
        self.route("GET", X + "app.bsky.feed.getAuthorFeed", guard(self._author_feed))
        self.route("GET", X + "app.bsky.actor.getProfile", guard(self._profile))

    def _remember(self, row: dict[str, Any]) -> None:
        if row["record"].get("$type") == "app.bsky.feed.post":
            self.posts[row["uri"]] = {"uri": row["uri"], "cid": row["cid"],
                                      "author": row["author"], "record": row["record"],
                                      "indexedAt": row["indexedAt"]}

    def expire_access(self) -> None:
        """The access token the connector holds is now out of date."""
        self.generation += 1

    def _tokens(self) -> dict[str, str]:
        return {"accessJwt": f"access-{self.generation}", "refreshJwt": f"refresh-{self.generation}"}

    def _guard(self, handler: Any) -> Any:
        def guarded(request: FakeRequest) -> tuple[Any, ...]:
            if request.headers.get("authorization") != f"Bearer access-{self.generation}":
                return 401, {"error": "ExpiredToken", "message": "Token has expired"}
            return handler(request)
        return guarded

    def _create_session(self, request: FakeRequest) -> tuple[Any, ...]:
        body = request.json()
        if body.get("identifier") != HANDLE or body.get("password") != APP_PASSWORD:
            return 401, {"error": "AuthenticationRequired",
                         "message": "Invalid identifier or password"}
        self.sessions_created += 1
        return 200, {**SESSION, **self._tokens()}

    def _refresh_session(self, request: FakeRequest) -> tuple[Any, ...]:
        # Any refresh token of the current or the previous generation is still good.
        given = request.headers.get("authorization", "")
        if given not in (f"Bearer refresh-{self.generation}",
                         f"Bearer refresh-{self.generation - 1}"):
            return 400, {"error": "ExpiredToken", "message": "Token has expired"}
        self.refreshed += 1
        return 200, {"did": DID, "handle": HANDLE, **self._tokens()}

    def _list_notifications(self, request: FakeRequest) -> tuple[Any, ...]:
        rows = sorted(self.notifications, key=lambda n: n["indexedAt"], reverse=True)
        cursor = request.query.get("cursor")
        if cursor:
            rows = [n for n in rows if n["indexedAt"] < cursor]
        limit = min(int(request.query.get("limit") or 50), self.page_size or 100)
        page = rows[:limit]
        body: dict[str, Any] = {"notifications": page, "priority": False}
        if len(rows) > limit:
            body["cursor"] = page[-1]["indexedAt"]
        return 200, body, {"RateLimit-Limit": "3000", "RateLimit-Remaining": "2999",
                           "RateLimit-Reset": "1772443500", "RateLimit-Policy": "3000;w=300"}

    def _get_posts(self, request: FakeRequest) -> tuple[Any, ...]:
        uri = request.query.get("uris", "")
        return 200, {"posts": [self.posts[uri]] if uri in self.posts else []}

    def _create_record(self, request: FakeRequest) -> tuple[Any, ...]:
        body = request.json()
        record = body.get("record") or {}
        if body.get("repo") != DID or body.get("collection") != "app.bsky.feed.post":
            return 400, {"error": "InvalidRequest", "message": "Invalid repo or collection"}
        with self._lock:
            n = len(self.sent) + 1
            uri = f"at://{DID}/app.bsky.feed.post/3ljsent{n:05d}"
            post = {"id": uri, "uri": uri, "cid": f"bafyreisent{n:05d}",
                    "author": {"did": DID, "handle": HANDLE}, "record": record,
                    "indexedAt": datetime.now(tz=UTC).isoformat()}
            self.sent.append(post)
            self.posts[uri] = post
        return 200, {"uri": uri, "cid": post["cid"],
                     "commit": {"cid": "bafyreicommit", "rev": "3ljrev"},
                     "validationStatus": "valid"}

    def _author_feed(self, request: FakeRequest) -> tuple[Any, ...]:
        return 200, {"feed": [{"post": p} for p in reversed(self.sent)]}

    def _profile(self, request: FakeRequest) -> tuple[Any, ...]:
        actor = request.query.get("actor")
        if actor in (DID, HANDLE):
            return 200, {"did": DID, "handle": HANDLE, "displayName": "Afon Borough Council"}
        for post in self.posts.values():
            if actor in (post["author"]["did"], post["author"].get("handle")):
                return 200, post["author"]
        return 400, {"error": "InvalidRequest", "message": "Profile not found"}
