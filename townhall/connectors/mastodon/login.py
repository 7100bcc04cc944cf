"""Connecting a Mastodon account: register Townhall as an app on the council's server
(POST /api/v1/apps), send the person to that server's authorisation page, and swap the
code it returns for an access token (POST /oauth/token, with PKCE). Mastodon tokens do
not expire; the app's client secret is only needed during the sign-in and is not kept.
"""

from collections.abc import Mapping

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from townhall.connectors.http import HttpClient
from townhall.connectors.login import (
    Choice,
    Credentials,
    LoginFlow,
    LoginRefused,
    PendingLogin,
    pkce_pair,
    refusal_from_query,
    server_address,
    with_query,
)

# What the connector needs: read notifications and conversations, post replies.
SCOPES = "read write:statuses"


class MastodonLogin(LoginFlow):
    label = _("Continue to the server")
    explanation = _("Enter the address of the Mastodon server the council's account is on. "
                    "Townhall registers itself there, then sends you to the server to sign "
                    "in as the council's account and allow access.")
    asks_for_server = True

    def start(self, *, redirect_uri: str, pending: PendingLogin, server: str = "") -> str:
        base = server_address(server)
        client = HttpClient(base_url=base, name="Mastodon")
        app = client.request("POST", "api/v1/apps", form={
            "client_name": "Townhall", "redirect_uris": redirect_uri, "scopes": SCOPES,
            "website": settings.TOWNHALL_BASE_URL})
        if not app.get("client_id") or not app.get("client_secret"):
            raise LoginRefused("The server did not register Townhall as an app. Check the "
                               "address, or enter an access token by hand.")
        verifier, challenge = pkce_pair()
        pending.private = {"server": base, "client_id": str(app["client_id"]),
                           "client_secret": str(app["client_secret"]), "verifier": verifier}
        return with_query(f"{base}/oauth/authorize", {
            "response_type": "code", "client_id": str(app["client_id"]),
            "redirect_uri": redirect_uri, "scope": SCOPES, "state": pending.state,
            "code_challenge": challenge, "code_challenge_method": "S256"})

    def finish(self, *, redirect_uri: str, pending: PendingLogin,
               query: Mapping[str, str]) -> Credentials | Choice:
        refused = refusal_from_query(query, "Mastodon")
        if refused:
            raise LoginRefused(refused)
        if not query.get("code"):
            raise LoginRefused("The server sent Townhall back without a sign-in code. "
                               "Start again.")
        private = pending.private
        client = HttpClient(base_url=private["server"], name="Mastodon")
        token = client.request("POST", "oauth/token", form={
            "grant_type": "authorization_code", "code": query["code"],
            "client_id": private["client_id"], "client_secret": private["client_secret"],
            "redirect_uri": redirect_uri, "scope": SCOPES,
            "code_verifier": private["verifier"]})
        access = str(token.get("access_token") or "")
        if not access:
            raise LoginRefused("The server did not give Townhall an access token. Start "
                               "again.")
        me = client.request("GET", "api/v1/accounts/verify_credentials",
                            headers={"Authorization": f"Bearer {access}"})
        return Credentials(
            settings={"instance_url": private["server"], "account_id": str(me["id"]),
                      "username": str(me.get("acct") or "")},
            secrets={"access_token": access}, drop=("access_token_env",),
            notes=[f"Signed in as @{me.get('acct', '?')} on {private['server']}."])


LOGIN = MastodonLogin()
