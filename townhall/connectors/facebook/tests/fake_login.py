"""Meta's login endpoints on a fake Graph API: the code exchange, the long-lived token
swap, the Pages a person manages (/me/accounts) and subscribing a Page to the app."""

import html
from typing import Any
from urllib.parse import urlencode

from townhall.connectors.fake import FakeApi, FakeRequest

APP_ID = "1234567890123456"
APP_SECRET = "meta-app-secret-for-tests"
LOGIN_CODE = "AQD-meta-login-code"
SHORT_TOKEN = "EAAB-short-lived-user-token"
LONG_TOKEN = "EAAB-long-lived-user-token"
BAD_CODE = {"error": {"message": "This authorization code has been used.",
                      "type": "OAuthException", "code": 100}}


class MetaLoginRoutes:
    """Adds the routes to a fake; `pages` are /me/accounts rows (with access_token)."""

    def __init__(self, fake: FakeApi, pages: list[dict[str, Any]]) -> None:
        self.pages = pages
        self.subscribed: list[tuple[str, str]] = []
        self.codes_used: list[str] = []
        self.redirect_uris: list[str] = []
        fake.route("GET", r"/dialog/oauth", self._dialog)
        fake.route("GET", r"/oauth/access_token", self._token)
        fake.route("GET", r"/me/accounts", self._accounts)
        fake.route("POST", r"/[0-9]+/subscribed_apps", self._subscribe)

    def _dialog(self, request: FakeRequest) -> tuple[Any, ...]:
        """Meta's login dialog, for a browser: a link that allows the app."""
        q = request.query
        back = f"{q.get('redirect_uri', '')}?{urlencode({'code': LOGIN_CODE, 'state': q.get('state', '')})}"
        page = ("<!doctype html><html lang='en'><head><title>Log in with Facebook</title>"
                f"</head><body><main><h1>Townhall wants to manage your Pages</h1>"
                f"<a href='{html.escape(back)}'>Continue</a></main></body></html>")
        return 200, page.encode(), {"Content-Type": "text/html"}

    def _token(self, request: FakeRequest) -> tuple[int, Any]:
        q = request.query
        if q.get("client_id") != APP_ID or q.get("client_secret") != APP_SECRET:
            return 400, {"error": {"message": "Error validating client secret.",
                                   "type": "OAuthException", "code": 1}}
        if q.get("grant_type") == "fb_exchange_token":
            if q.get("fb_exchange_token") != SHORT_TOKEN:
                return 400, {"error": {"message": "Invalid OAuth access token.",
                                       "type": "OAuthException", "code": 190}}
            return 200, {"access_token": LONG_TOKEN, "token_type": "bearer",
                         "expires_in": 5183944}
        if q.get("code") != LOGIN_CODE or q.get("code") in self.codes_used:
            return 400, BAD_CODE
        self.codes_used.append(q["code"])
        self.redirect_uris.append(q.get("redirect_uri", ""))
        return 200, {"access_token": SHORT_TOKEN, "token_type": "bearer", "expires_in": 5400}

    def _accounts(self, request: FakeRequest) -> tuple[int, Any]:
        if request.query.get("access_token") != LONG_TOKEN:
            return 400, {"error": {"message": "Invalid OAuth access token.",
                                   "type": "OAuthException", "code": 190}}
        return 200, {"data": self.pages, "paging": {"cursors": {"before": "a", "after": "b"}}}

    def _subscribe(self, request: FakeRequest) -> tuple[int, Any]:
        page_id = request.path.strip("/").split("/")[0]
        token = next((p["access_token"] for p in self.pages if p["id"] == page_id), None)
        if token is None or request.query.get("access_token") != token:
            return 400, {"error": {"message": "(#210) A page access token is required",
                                   "code": 210}}
        self.subscribed.append((page_id, request.query.get("subscribed_fields", "")))
        return 200, {"success": True}
