"""X's V2 Webhooks and Account Activity endpoints, faked as X documents them.

Registering (POST /2/webhooks) or re-checking (PUT /2/webhooks/:id) an address makes a
real CRC request to it, as X does: `resolve` maps the address's host to where that
server really listens (the test's live Townhall, in place of DNS and the TLS proxy in
front of it), and the answer must come within `crc_timeout` seconds and match
HMAC-SHA256 of the crc_token under the app's consumer secret.
"""

import base64
import hashlib
import hmac
import secrets
import time
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import requests

from townhall.connectors.fake import FakeApi, FakeRequest

INVALID = {"title": "Invalid Request", "type": "https://api.x.com/2/problems/invalid-request",
           "detail": "One or more parameters to your request was invalid."}


def refused(reason: str, message: str, status: int = 400) -> tuple[int, Any]:
    return status, {**INVALID, "errors": [{"message": f"{reason}: {message}"}]}


class AccountActivityRoutes:
    def __init__(self, fake: FakeApi, *, consumer_key: str, consumer_secret: str,
                 user_guard: Any) -> None:
        self.fake = fake
        self.consumer_key, self.consumer_secret = consumer_key, consumer_secret
        self.app_tokens: set[str] = set()
        self.webhooks: dict[str, dict[str, Any]] = {}
        self.subscriptions: dict[str, set[str]] = {}
        self.webhook_limit = 2
        self.subscription_limit = 5
        self.resolve: dict[str, str] = {}
        self.crc_timeout = 3.0
        self.crc_checks: list[dict[str, Any]] = []
        app = self._app_guard
        fake.route("POST", r"/oauth2/token", self._token)
        fake.route("GET", r"/2/webhooks", app(self._list))
        fake.route("POST", r"/2/webhooks", app(self._create))
        fake.route("PUT", r"/2/webhooks/[0-9]+", app(self._recheck))
        fake.route("DELETE", r"/2/webhooks/[0-9]+", app(self._delete))
        subscriptions = r"/2/account_activity/webhooks/[0-9]+/subscriptions"
        fake.route("GET", rf"{subscriptions}/all", user_guard(self._subscribed))
        fake.route("POST", rf"{subscriptions}/all", user_guard(self._subscribe))
        fake.route("DELETE", rf"{subscriptions}/[0-9]+/all", app(self._unsubscribe))

    def add_webhook(self, url: str, *, valid: bool = True) -> str:
        webhook_id = f"19{len(self.webhooks) + 1:017d}"
        self.webhooks[webhook_id] = {"id": webhook_id, "url": url, "valid": valid,
                                     "created_at": datetime.now(tz=UTC).isoformat()}
        return webhook_id

    # Application-only authentication ----------------------------------------

    def _token(self, request: FakeRequest) -> tuple[int, Any]:
        pair = f"{self.consumer_key}:{self.consumer_secret}".encode()
        form = {k: v[-1] for k, v in parse_qs(request.body.decode()).items()}
        if request.headers.get("authorization") != f"Basic {base64.b64encode(pair).decode()}":
            return 403, {"errors": [{"code": 99, "label": "authenticity_token_error",
                                     "message": "Unable to verify your credentials"}]}
        if form.get("grant_type") != "client_credentials":
            return 400, {"errors": [{"code": 170, "message": "Missing required parameter: "
                                                             "grant_type"}]}
        token = f"AAAAAAAAAAAAAAAAAAAAA{secrets.token_hex(8)}"
        self.app_tokens.add(token)
        return 200, {"token_type": "bearer", "access_token": token}

    def _app_guard(self, handler: Any) -> Any:
        def guarded(request: FakeRequest) -> tuple[int, Any]:
            bearer = request.headers.get("authorization", "").removeprefix("Bearer ")
            if bearer not in self.app_tokens:
                return 403, {"title": "Unsupported Authentication", "status": 403,
                             "type": "https://api.x.com/2/problems/unsupported-authentication",
                             "detail": "Authenticating with OAuth 1.0a User Context is "
                                       "forbidden for this endpoint. Supported authentication "
                                       "types are [OAuth 2.0 Application-Only]."}
            return handler(request)
        return guarded

    # Webhooks ------------------------------------------------------------------

    def _list(self, request: FakeRequest) -> tuple[int, Any]:
        rows = list(self.webhooks.values())
        return 200, {"data": rows, "meta": {"result_count": len(rows)}}

    def _create(self, request: FakeRequest) -> tuple[int, Any]:
        url = str(request.json().get("url") or "")
        parts = urlsplit(url)
        if parts.scheme != "https" or parts.port is not None or not 1 <= len(url) <= 200:
            return refused("UrlValidationFailed", "The url must be https, without a port.")
        if any(w["url"] == url for w in self.webhooks.values()):
            return refused("DuplicateUrlFailed", "A webhook with this url already exists.")
        if len(self.webhooks) >= self.webhook_limit:
            return refused("WebhookLimitExceeded", "The app has reached its webhook limit.",
                           status=403)
        failure = self.crc(url)
        if failure:
            return refused("CrcValidationFailed", failure)
        webhook_id = self.add_webhook(url)
        return 200, self.webhooks[webhook_id]

    def _recheck(self, request: FakeRequest) -> tuple[int, Any]:
        webhook = self.webhooks.get(request.path.rsplit("/", 1)[-1])
        if webhook is None:
            return refused("WebhookIdInvalid", "Webhook not found.", status=404)
        failure = self.crc(webhook["url"])
        webhook["valid"] = failure is None
        if failure:
            return refused("CrcValidationFailed", failure)
        return 200, {"data": {"attempted": True}}

    def _delete(self, request: FakeRequest) -> tuple[int, Any]:
        webhook_id = request.path.rsplit("/", 1)[-1]
        if self.webhooks.pop(webhook_id, None) is None:
            return refused("WebhookIdInvalid", "Webhook not found.", status=404)
        self.subscriptions.pop(webhook_id, None)
        return 200, {"data": {"deleted": True}}

    def crc(self, url: str) -> str | None:
        """Ask the address to prove it knows the consumer secret; why it failed, or None."""
        parts = urlsplit(url)
        base = self.resolve.get(parts.hostname or "")
        if base is None:
            return "Could not connect to the url."
        token = secrets.token_urlsafe(24)
        started = time.monotonic()
        session = requests.Session()
        session.trust_env = False
        try:
            response = session.get(f"{base}{parts.path}", params={"crc_token": token},
                                   timeout=self.crc_timeout)
        except requests.RequestException:
            return f"No answer within {self.crc_timeout:g} seconds."
        seconds = time.monotonic() - started
        self.crc_checks.append({"url": url, "status": response.status_code,
                                "seconds": seconds})
        digest = hmac.new(self.consumer_secret.encode(), token.encode(), hashlib.sha256)
        expected = "sha256=" + base64.b64encode(digest.digest()).decode()
        try:
            answer = response.json().get("response_token")
        except ValueError:
            answer = None
        if response.status_code != 200 or answer != expected:
            return f"Invalid response_token (HTTP {response.status_code})."
        return None

    # Subscriptions --------------------------------------------------------------

    def _webhook_of(self, request: FakeRequest) -> str:
        return request.path.split("/")[4]

    def _user_of(self, request: FakeRequest) -> str:
        header = request.headers.get("authorization", "")
        if header.startswith("OAuth "):
            for part in header.removeprefix("OAuth ").split(", "):
                key, _, value = part.partition("=")
                if key == "oauth_token":
                    return unquote(value.strip('"')).split("-", 1)[0]
        return "1352486217365741570"

    def _subscribed(self, request: FakeRequest) -> tuple[int, Any]:
        webhook_id = self._webhook_of(request)
        if webhook_id not in self.webhooks:
            return refused("WebhookIdInvalid", "Webhook not found.", status=404)
        return 200, {"data": {"subscribed": self._user_of(request) in
                              self.subscriptions.get(webhook_id, set())}}

    def _subscribe(self, request: FakeRequest) -> tuple[int, Any]:
        webhook_id = self._webhook_of(request)
        webhook = self.webhooks.get(webhook_id)
        if webhook is None:
            return refused("WebhookIdInvalid", "Webhook not found.", status=404)
        if not webhook["valid"]:
            return refused("WebhookInvalid", "The webhook has not passed its CRC check.")
        user = self._user_of(request)
        subscribed = self.subscriptions.setdefault(webhook_id, set())
        if user in subscribed:
            return refused("DuplicateSubscriptionFailed", "The user is already subscribed.",
                           status=409)
        if sum(len(s) for s in self.subscriptions.values()) >= self.subscription_limit:
            return 403, {"title": "Forbidden", "status": 403,
                         "type": "https://api.x.com/2/problems/forbidden",
                         "detail": "SubscriptionLimitExceeded: The app has reached the "
                                   f"limit of {self.subscription_limit} subscriptions."}
        subscribed.add(user)
        return 200, {"data": {"subscribed": True}}

    def _unsubscribe(self, request: FakeRequest) -> tuple[int, Any]:
        webhook_id, user = request.path.split("/")[4], request.path.split("/")[6]
        if user not in self.subscriptions.get(webhook_id, set()):
            return 404, {"title": "Not Found Error", "status": 404,
                         "type": "https://api.x.com/2/problems/resource-not-found",
                         "detail": "Subscription not found."}
        self.subscriptions[webhook_id].discard(user)
        return 200, {"data": {"subscribed": False}}
