"""A fake Mastodon server on 127.0.0.1 that speaks the endpoints the connector uses."""

import base64
import hashlib
import html
import json
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode

from townhall.connectors.fake import FakeApi, FakeRequest
from townhall.connectors.mastodon.mapping import text_to_html

FIXTURES = Path(__file__).parent / "fixtures"
TOKEN = "mastodon-test-access-token"
ACCOUNT_ID = "109876543210987654"
BAD_TOKEN = {"error": "The access token is invalid"}


def recorded(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text())


def _key(status_id: str) -> tuple[int, str]:
    return (len(status_id), status_id)


class FakeMastodon(FakeApi):
    def __init__(self) -> None:
        super().__init__()
        self.me = recorded("api/verify_credentials.json")
        self.notifications: list[dict[str, Any]] = recorded("api/notifications.json")
        self.conversations: list[dict[str, Any]] = recorded("api/conversations.json")
        self.contexts: dict[str, Any] = recorded("api/contexts.json")
        self.statuses: dict[str, dict[str, Any]] = recorded("api/statuses.json")["statuses"]
        for path in (FIXTURES / "webhooks").glob("*.json"):
            status = json.loads(path.read_text())["object"]
            self.statuses[status["id"]] = status
        for conversation in self.conversations:
            self.statuses[conversation["last_status"]["id"]] = conversation["last_status"]
        for context in self.contexts.values():
            for status in context["ancestors"]:
                self.statuses[status["id"]] = status
        for notification in self.notifications:
            self.statuses[notification["status"]["id"]] = notification["status"]
        self.sent: list[dict[str, Any]] = []
        self.by_idempotency_key: dict[str, dict[str, Any]] = {}
        self.stream_body = (FIXTURES / "stream" / "user.sse").read_bytes()
        self.rate_remaining = 299
        self.page_size: int | None = None
        self._next_id = 113050000000000000
        self._lock = threading.Lock()
        guard = self._guard
        self.route("GET", r"/api/v1/accounts/verify_credentials", guard(lambda r: (200, self.me)))
        self.route("GET", r"/api/v2/instance",
                   lambda r: (200, recorded("api/instance.json")))
        self.route("GET", r"/api/v1/notifications", guard(self._notifications))
        self.route("GET", r"/api/v1/conversations", guard(lambda r: (200, self.conversations)))
        self.route("GET", r"/api/v1/statuses/\d+/context", guard(self._context))
        self.route("GET", r"/api/v1/statuses/\d+", guard(self._status))
        self.route("POST", r"/api/v1/statuses", guard(self._post_status))
        self.route("GET", r"/api/v1/accounts/\d+/statuses", guard(self._account_statuses))
        self.route("GET", r"/api/v1/accounts/\d+", guard(self._account))
        self.route("GET", r"/api/v1/streaming/user", guard(self._stream))
        # Registering an app and signing in (OAuth 2.0 with PKCE), as Mastodon does.
        self.apps: dict[str, dict[str, Any]] = {}
        self.codes: dict[str, dict[str, str]] = {}
        self.route("POST", r"/api/v1/apps", self._register_app)
        self.route("GET", r"/oauth/authorize", self._authorize_page)
        self.route("GET", r"/oauth/authorize/allow", self._allow)
        self.route("POST", r"/oauth/token", self._token)

    def _guard(self, handler: Any) -> Any:
        def guarded(request: FakeRequest) -> tuple[Any, ...]:
            if request.headers.get("authorization") != f"Bearer {TOKEN}":
                return 401, BAD_TOKEN
            return handler(request)
        return guarded

    def _rate_headers(self) -> dict[str, str]:
        self.rate_remaining = max(0, self.rate_remaining - 1)
        return {"X-RateLimit-Limit": "300", "X-RateLimit-Remaining": str(self.rate_remaining),
                "X-RateLimit-Reset": "2026-03-02T09:20:00.000Z"}

    def _notifications(self, request: FakeRequest) -> tuple[Any, ...]:
        rows = sorted(self.notifications, key=lambda n: _key(n["id"]), reverse=True)
        if request.query.get("types[]") not in (None, "mention"):
            rows = [n for n in rows if n["type"] == request.query["types[]"]]
        since, max_id = request.query.get("since_id"), request.query.get("max_id")
        if since:
            rows = [n for n in rows if _key(n["id"]) > _key(since)]
        if max_id:
            rows = [n for n in rows if _key(n["id"]) < _key(max_id)]
        limit = min(int(request.query.get("limit") or 40), self.page_size or 80)
        rows = rows[:limit]
        headers = self._rate_headers()
        if rows:
            base = f"{self.base_url}/api/v1/notifications?types%5B%5D=mention&limit={limit}"
            headers["Link"] = (f'<{base}&max_id={rows[-1]["id"]}>; rel="next", '
                               f'<{base}&min_id={rows[0]["id"]}>; rel="prev"')
        return 200, rows, headers

    def _context(self, request: FakeRequest) -> tuple[Any, ...]:
        status_id = request.path.split("/")[-2]
        return 200, self.contexts.get(status_id, {"ancestors": [], "descendants": []})

    def _status(self, request: FakeRequest) -> tuple[Any, ...]:
        status = self.statuses.get(request.path.rsplit("/", 1)[-1])
        return (200, status) if status else (404, {"error": "Record not found"})

    def _account(self, request: FakeRequest) -> tuple[Any, ...]:
        account_id = request.path.rsplit("/", 1)[-1]
        for status in self.statuses.values():
            if status["account"]["id"] == account_id:
                return 200, status["account"]
        return 404, {"error": "Record not found"}

    def _account_statuses(self, request: FakeRequest) -> tuple[Any, ...]:
        account_id = request.path.split("/")[-2]
        rows = [s for s in self.sent if s["account"]["id"] == account_id]
        return 200, sorted(rows, key=lambda s: _key(s["id"]), reverse=True), self._rate_headers()

    def _post_status(self, request: FakeRequest) -> tuple[Any, ...]:
        body = request.json()
        key = request.headers.get("idempotency-key", "")
        with self._lock:
            if key and key in self.by_idempotency_key:
                return 200, self.by_idempotency_key[key]
            text = str(body.get("status") or "")
            if not text:
                return 422, {"error": "Validation failed: Text can't be blank"}
            self._next_id += 1
            status = {"id": str(self._next_id), "created_at": _now(), "account": self.me,
                      "content": text_to_html(text), "visibility": body.get("visibility"),
                      "in_reply_to_id": body.get("in_reply_to_id"),
                      "in_reply_to_account_id": None, "mentions": [],
                      "media_attachments": [], "spoiler_text": "", "sensitive": False,
                      "idempotency_key": key}
            self.sent.append(status)
            self.statuses[status["id"]] = status
            if key:
                self.by_idempotency_key[key] = status
        return 200, status, self._rate_headers()

    def _register_app(self, request: FakeRequest) -> tuple[Any, ...]:
        form = _form(request)
        if not form.get("client_name") or not form.get("redirect_uris"):
            return 422, {"error": "Validation failed: Name can't be blank"}
        n = len(self.apps) + 1
        app = {"id": str(n), "name": form["client_name"], "client_id": f"client-{n}",
               "client_secret": f"client-secret-{n}", "redirect_uri": form["redirect_uris"],
               "scopes": form.get("scopes", "read").split()}
        self.apps[app["client_id"]] = app
        return 200, app

    def _authorize_page(self, request: FakeRequest) -> tuple[Any, ...]:
        """The server's own page where the account holder allows the app."""
        q = request.query
        app = self.apps.get(q.get("client_id", ""))
        if app is None or q.get("redirect_uri") != app["redirect_uri"]:
            return 400, b"<p>The redirect URI included is not valid.</p>", {
                "Content-Type": "text/html"}
        allow = "/oauth/authorize/allow?" + urlencode(q)
        page = (f"<!doctype html><html lang='en'><head><title>Authorise</title></head><body>"
                f"<main><h1>Authorisation required</h1><p>{html.escape(app['name'])} would "
                f"like to use your account.</p><a href='{html.escape(allow)}'>Authorise</a>"
                f"</main></body></html>")
        return 200, page.encode(), {"Content-Type": "text/html"}

    def _allow(self, request: FakeRequest) -> tuple[Any, ...]:
        q = request.query
        code = f"mastodon-code-{len(self.codes) + 1}"
        self.codes[code] = {"client_id": q.get("client_id", ""),
                            "redirect_uri": q.get("redirect_uri", ""),
                            "challenge": q.get("code_challenge", "")}
        target = f"{q['redirect_uri']}?{urlencode({'code': code, 'state': q.get('state', '')})}"
        return 302, b"", {"Location": target, "Content-Type": "text/html"}

    def _token(self, request: FakeRequest) -> tuple[Any, ...]:
        form = _form(request)
        app = self.apps.get(form.get("client_id", ""))
        if app is None or form.get("client_secret") != app["client_secret"]:
            return 401, {"error": "invalid_client", "error_description": "Client "
                         "authentication failed due to unknown client."}
        grant = self.codes.pop(form.get("code", ""), None)
        verifier = form.get("code_verifier", "")
        challenge = base64.urlsafe_b64encode(
            hashlib.sha256(verifier.encode()).digest()).decode().rstrip("=")
        if (grant is None or grant["client_id"] != app["client_id"]
                or grant["redirect_uri"] != form.get("redirect_uri")
                or grant["challenge"] != challenge):
            return 400, {"error": "invalid_grant", "error_description": "The provided "
                         "authorization grant is invalid, expired or revoked."}
        return 200, {"access_token": TOKEN, "token_type": "Bearer", "scope": " ".join(
            app["scopes"]), "created_at": 1772443000}

    def _stream(self, request: FakeRequest) -> tuple[Any, ...]:
        return 200, self.stream_body, {"Content-Type": "text/event-stream"}


def _form(request: FakeRequest) -> dict[str, str]:
    if request.headers.get("content-type", "").startswith("application/json"):
        return {k: str(v) for k, v in request.json().items()}
    return {k: v[-1] for k, v in parse_qs(request.body.decode()).items()}


def _now() -> str:
    return datetime.now(tz=UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
