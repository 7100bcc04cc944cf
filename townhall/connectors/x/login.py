"""Connecting an X account: OAuth 2.0 Authorization Code with PKCE.

The installation's X app comes from the environment: TOWNHALL_X_CLIENT_ID and
TOWNHALL_X_CLIENT_SECRET (OAuth 2.0, from the app's Keys and tokens page), and for
webhooks TOWNHALL_X_CONSUMER_SECRET (the app's API key secret, which X uses for the CRC
check and to sign Account Activity events) with, to register the webhook,
TOWNHALL_X_CONSUMER_KEY or the app's TOWNHALL_X_BEARER_TOKEN. TOWNHALL_X_API_URL and
TOWNHALL_X_AUTHORIZE_URL point elsewhere for tests.
"""

import os
from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _

from townhall.connectors.login import (
    Choice,
    Credentials,
    LoginFlow,
    LoginRefused,
    PendingLogin,
    pkce_pair,
    refusal_from_query,
    with_query,
)
from townhall.connectors.x.connector import API_URL
from townhall.connectors.x.oauth2 import (
    CLIENT_ID_ENV,
    CLIENT_SECRET_ENV,
    api_url_from_env,
    me,
    token_request,
)

AUTHORIZE_URL_ENV = "TOWNHALL_X_AUTHORIZE_URL"
AUTHORIZE_URL = "https://x.com/i/oauth2/authorize"
CONSUMER_SECRET_ENV = "TOWNHALL_X_CONSUMER_SECRET"
CONSUMER_KEY_ENV = "TOWNHALL_X_CONSUMER_KEY"
BEARER_TOKEN_ENV = "TOWNHALL_X_BEARER_TOKEN"
# Read mentions and DMs, reply, and keep working after two hours (offline.access).
SCOPES = "tweet.read tweet.write users.read dm.read dm.write offline.access"


class XLogin(LoginFlow):
    label = _("Sign in with X")
    explanation = _("You sign in to X as the council's account and allow Townhall to read "
                    "its mentions and messages and to reply. Townhall keeps the tokens X "
                    "gives it, encrypted, and renews them as they expire.")

    def unavailable(self) -> str | None:
        missing = [n for n in (CLIENT_ID_ENV, CLIENT_SECRET_ENV) if not os.environ.get(n)]
        if missing:
            return str(_("Signing in with X needs the council's X app. Ask whoever runs "
                         "Townhall to set %(names)s. Until then, enter the app's keys and "
                         "the account's tokens by hand below.") % {
                "names": " and ".join(missing)})
        return None

    def start(self, *, redirect_uri: str, pending: PendingLogin, server: str = "") -> str:
        verifier, challenge = pkce_pair()
        pending.private = {"verifier": verifier}
        return with_query(os.environ.get(AUTHORIZE_URL_ENV) or AUTHORIZE_URL, {
            "response_type": "code", "client_id": os.environ[CLIENT_ID_ENV],
            "redirect_uri": redirect_uri, "scope": SCOPES, "state": pending.state,
            "code_challenge": challenge, "code_challenge_method": "S256"})

    def finish(self, *, redirect_uri: str, pending: PendingLogin,
               query: Mapping[str, str]) -> Credentials | Choice:
        refused = refusal_from_query(query, "X")
        if refused:
            raise LoginRefused(refused)
        if not query.get("code"):
            raise LoginRefused("X sent Townhall back without a sign-in code. Start again.")
        api_url = api_url_from_env(API_URL)
        tokens = token_request(
            api_url=api_url, client_id=os.environ[CLIENT_ID_ENV],
            client_secret=os.environ[CLIENT_SECRET_ENV],
            form={"grant_type": "authorization_code", "code": query["code"],
                  "redirect_uri": redirect_uri, "code_verifier": pending.private["verifier"]})
        user = me(api_url=api_url, access_token=tokens["oauth2_access_token"])
        settings: dict[str, Any] = {
            "auth": "oauth2", "user_id": str(user["id"]),
            "username": str(user.get("username") or ""),
            "client_id_env": CLIENT_ID_ENV, "client_secret_env": CLIENT_SECRET_ENV}
        if os.environ.get("TOWNHALL_X_API_URL"):
            settings["api_url"] = api_url
        notes = [f"Signed in as @{user.get('username', user['id'])}."]
        if os.environ.get(CONSUMER_SECRET_ENV):
            settings["consumer_secret_env"] = CONSUMER_SECRET_ENV
        # Registering the webhook takes the app's own token: its bearer token, or one
        # swapped for the app's API key and secret.
        for name, env in (("consumer_key", CONSUMER_KEY_ENV), ("bearer_token", BEARER_TOKEN_ENV)):
            if os.environ.get(env):
                settings[f"{name}_env"] = env
        else:
            notes.append("Webhooks cannot be checked until TOWNHALL_X_CONSUMER_SECRET is "
                         "set; until then Townhall polls X for new posts and messages.")
        if not tokens["oauth2_refresh_token"]:
            notes.append("X gave no refresh token, so the connection stops working after "
                         "two hours. Check that the app allows offline access.")
        return Credentials(settings=settings, secrets=tokens, notes=notes)


LOGIN = XLogin()
