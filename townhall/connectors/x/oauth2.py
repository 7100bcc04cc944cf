"""OAuth 2.0 user tokens for X (Authorization Code with PKCE), and keeping them fresh.

An access token lasts two hours; with the offline.access scope X also gives a refresh
token, which is swapped for a new pair before the access token runs out. Each refresh
token works once, so the new pair is written back to the channel's encrypted store at
once, under a row lock, and a worker that finds a newer pair already stored uses that
instead of refreshing again. The app's client id and secret come from the environment
(TOWNHALL_X_CLIENT_ID, TOWNHALL_X_CLIENT_SECRET), named in the channel's settings.
"""

import os
import time
from typing import Any

import requests

from townhall.connectors.credentials import ConnectorConfig
from townhall.connectors.errors import NotConfigured, PermanentError, RetriableError
from townhall.connectors.http import HttpClient

API_URL_ENV = "TOWNHALL_X_API_URL"
CLIENT_ID_ENV = "TOWNHALL_X_CLIENT_ID"
CLIENT_SECRET_ENV = "TOWNHALL_X_CLIENT_SECRET"
# Refresh this many seconds before the access token would run out.
REFRESH_MARGIN = 120.0
TOKEN_SECRETS = ("oauth2_access_token", "oauth2_refresh_token", "oauth2_expires_at")


def token_request(*, api_url: str, client_id: str, client_secret: str,
                  form: dict[str, str], timeout: float = 10.0) -> dict[str, str]:
    """POST /2/oauth2/token as a confidential client (HTTP Basic with the client id and
    secret); returns the new tokens as the channel stores them."""
    client = HttpClient(base_url=api_url, name="X", timeout=timeout)
    data = client.request("POST", "2/oauth2/token", form={**form, "client_id": client_id},
                          auth=(client_id, client_secret))
    access = str(data.get("access_token") or "")
    if not access:
        raise PermanentError("X did not give Townhall an access token.")
    expires_in = float(data.get("expires_in") or 7200)
    return {"oauth2_access_token": access,
            "oauth2_refresh_token": str(data.get("refresh_token") or ""),
            "oauth2_expires_at": str(int(time.time() + expires_in))}


class XTokens:
    """The channel's current OAuth 2.0 access token, renewed when it is nearly spent."""

    def __init__(self, config: ConnectorConfig, *, api_url: str, timeout: float) -> None:
        self.config = config
        self.api_url = api_url
        self.timeout = timeout
        self.values = {k: v for k, v in config.stored_secrets.items() if k in TOKEN_SECRETS}

    def _fresh(self, values: dict[str, str]) -> bool:
        try:
            expires = float(values.get("oauth2_expires_at") or 0)
        except ValueError:
            expires = 0.0
        return bool(values.get("oauth2_access_token")) and expires - time.time() > REFRESH_MARGIN

    def access_token(self) -> str:
        if not self.values.get("oauth2_access_token"):
            raise NotConfigured("The X access token is missing. Connect the channel by "
                                "signing in with X.")
        if self._fresh(self.values):
            return self.values["oauth2_access_token"]
        # Another worker may have renewed it since this connector was made.
        if self.config.reload is not None:
            stored = self.config.reload()
            latest = {k: v for k, v in stored.items() if k in TOKEN_SECRETS}
            if self._fresh(latest):
                self.values = latest
                return latest["oauth2_access_token"]
            self.values = latest or self.values
        return self._refresh()

    def _refresh(self) -> str:
        refresh = self.values.get("oauth2_refresh_token")
        if not refresh:
            raise PermanentError("The X access token has expired and there is no refresh "
                                 "token. Connect the channel again by signing in with X.")
        client_id = self.config.secret("client_id", "X OAuth 2.0 client id")
        client_secret = self.config.secret("client_secret", "X OAuth 2.0 client secret")
        try:
            renewed = token_request(api_url=self.api_url, client_id=client_id,
                                    client_secret=client_secret, timeout=self.timeout,
                                    form={"grant_type": "refresh_token",
                                          "refresh_token": refresh})
        except PermanentError as error:
            if error.status in (400, 401):
                # Most often a second worker spent the same refresh token a moment
                # before; its new token is in the store by the next attempt.
                raise RetriableError(f"X would not renew the access token ({error}). "
                                     "Townhall will try again; if this goes on, connect "
                                     "the channel again.", retry_after=5.0) from None
            raise
        if not renewed["oauth2_refresh_token"]:
            renewed["oauth2_refresh_token"] = refresh
        if self.config.save is not None:
            self.config.save(renewed)
        self.values = renewed
        return renewed["oauth2_access_token"]


class BearerAuth(requests.auth.AuthBase):
    def __init__(self, tokens: XTokens) -> None:
        self.tokens = tokens

    def __repr__(self) -> str:
        return "BearerAuth(...)"

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        request.headers["Authorization"] = f"Bearer {self.tokens.access_token()}"
        return request


def api_url_from_env(default: str) -> str:
    return (os.environ.get(API_URL_ENV) or default).rstrip("/")


def me(*, api_url: str, access_token: str) -> dict[str, Any]:
    """The account a user token belongs to (GET /2/users/me)."""
    data = HttpClient(base_url=api_url, name="X").request(
        "GET", "2/users/me", headers={"Authorization": f"Bearer {access_token}"})
    user = data.get("data") or {}
    if not user.get("id"):
        raise PermanentError("X did not say which account signed in.")
    return dict(user)
