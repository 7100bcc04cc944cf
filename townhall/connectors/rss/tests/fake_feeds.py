"""A fake news site on 127.0.0.1: feeds with ETag and Last-Modified (answering 304 to a
conditional GET that still matches), and an optional endpoint that takes replies."""

import hashlib
import threading
from pathlib import Path
from typing import Any

from townhall.connectors.fake import FakeApi, FakeRequest
from townhall.core.lib.signatures import signature_valid

FIXTURES = Path(__file__).parent / "fixtures"
HUB_SECRET = "websub-hub-secret-for-tests"
REPLY_SECRET = "reply-endpoint-secret-for-tests"


def recorded(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


class FakeFeeds(FakeApi):
    def __init__(self) -> None:
        super().__init__()
        self.feeds: dict[str, tuple[bytes, str]] = {}
        self.publish("news.xml", recorded("feeds/gazette_rss.xml"),
                     modified="Mon, 02 Mar 2026 09:40:00 GMT")
        self.publish("atom.xml", recorded("feeds/community_atom.xml"),
                     modified="Mon, 02 Mar 2026 10:00:00 GMT")
        self.sent: list[dict[str, Any]] = []
        self._by_key: dict[str, dict[str, Any]] = {}
        self._lock = threading.Lock()
        self.route("GET", r"/feeds/.+", self._feed)
        self.route("POST", r"/replies", self._reply)
        self.route("GET", r"/replies", self._find)

    def publish(self, name: str, body: bytes, *, modified: str) -> None:
        self.feeds[name] = (body, modified)

    def url(self, name: str) -> str:
        return f"{self.base_url}/feeds/{name}"

    def feed_requests(self, name: str) -> list[FakeRequest]:
        return [r for r in self.requests if r.path == f"/feeds/{name}"]

    def _feed(self, request: FakeRequest) -> tuple[Any, ...]:
        name = request.path.removeprefix("/feeds/")
        if name not in self.feeds:
            return 404, b"<html><body>Not found</body></html>", {"Content-Type": "text/html"}
        body, modified = self.feeds[name]
        etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'  # noqa: S324 - a cache tag
        headers = {"Content-Type": "application/rss+xml; charset=utf-8", "ETag": etag,
                   "Last-Modified": modified}
        if request.headers.get("if-none-match") == etag:
            return 304, b"", headers
        return 200, body, headers

    def _reply(self, request: FakeRequest) -> tuple[Any, ...]:
        if not signature_valid(REPLY_SECRET, request.body,
                               request.headers.get("x-townhall-signature")):
            return 401, {"error": {"message": "Bad signature"}}
        data = request.json()
        key = str(data.get("idempotency_key") or "")
        with self._lock:
            if key in self._by_key:
                return 200, self._by_key[key]
            reply = {"id": f"comment-{len(self.sent) + 1}", **data}
            self.sent.append(reply)
            self._by_key[key] = reply
        return 201, reply

    def _find(self, request: FakeRequest) -> tuple[Any, ...]:
        found = self._by_key.get(request.query.get("idempotency_key", ""))
        return (200, found) if found else (404, {"error": {"message": "No such reply"}})
