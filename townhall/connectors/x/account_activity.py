"""X's webhook and Account Activity endpoints, and what their refusals mean in plain words.

A webhook belongs to the X app (V2 Webhooks API: /2/webhooks, with the app-only bearer
token); a subscription belongs to the council's account
(/2/account_activity/webhooks/:webhook_id/subscriptions/all, with the channel's own user
tokens). X checks the address with a CRC request while it registers it, so Townhall must
already answer that check (XConnector.handshake) before anything here is called.
"""

import ipaddress
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlsplit

from townhall.connectors.errors import ConnectorError, NotConfigured, PermanentError

if TYPE_CHECKING:
    from townhall.connectors.x.connector import XConnector

# The longest callback URL X accepts (POST /2/webhooks: url, 1 to 200 characters).
MAX_URL_LENGTH = 200


@dataclass(frozen=True)
class Webhook:
    id: str
    url: str
    valid: bool


# X's documented reasons for refusing a webhook, as a council administrator can act on them.
REASONS = {
    "CrcValidationFailed": "X asked the address to prove it belongs to the app (the CRC "
                           "check), and the answer was wrong or came too late. Check that "
                           "the channel's API key secret is the app's current one and that "
                           "X can reach Townhall at this address, then try again.",
    "UrlValidationFailed": "X does not accept this address. It must start with https://, "
                           "have no port number and be reachable from the internet.",
    "DuplicateUrlFailed": "X already has this address registered for the app.",
    "WebhookLimitExceeded": "The X app already has as many webhooks as its X plan allows.",
    "WebhookIdInvalid": "X has no webhook with this id for the app. It may have been "
                        "deleted in the developer console.",
}


def reason_of(error: ConnectorError) -> str:
    """The documented reason in X's refusal, or ""."""
    body = getattr(error, "body", "") or ""
    for reason in REASONS:
        if reason in body or reason in str(error):
            return reason
    return ""


def url_problem(url: str) -> str | None:
    """Why X would refuse this address as a webhook, found without asking X."""
    parts = urlsplit(url)
    if parts.scheme != "https":
        return (f"The webhook address is {url}, but X accepts only addresses that start "
                "with https://. Set TOWNHALL_BASE_URL to the https address at which the "
                "internet reaches Townhall, then try again.")
    try:
        port = parts.port
    except ValueError:
        port = -1
    if port is not None:
        return (f"The webhook address {url} has a port number, which X does not accept. "
                "Serve Townhall on the usual https port (443) and set TOWNHALL_BASE_URL "
                "without a port, then try again.")
    host = parts.hostname or ""
    try:
        private = not ipaddress.ip_address(host).is_global
    except ValueError:
        private = ("." not in host or host == "localhost"
                   or host.endswith((".localhost", ".local", ".internal")))
    if private:
        return (f"The webhook address {url} is not reachable from the internet, so X "
                "cannot check it. Set TOWNHALL_BASE_URL to Townhall's public address.")
    if len(url) > MAX_URL_LENGTH:
        return (f"The webhook address is {len(url)} characters long; X accepts at most "
                f"{MAX_URL_LENGTH}. Use a shorter TOWNHALL_BASE_URL.")
    return None


class AccountActivity:
    """The calls, for one channel. The app-only token is fetched once per instance."""

    def __init__(self, connector: "XConnector") -> None:
        self.connector = connector
        self._app_token = ""

    # App-only (bearer) calls ---------------------------------------------------

    def _app(self, method: str, path: str, *, json_body: Any = None) -> Any:
        client = self.connector.plain_client()
        headers = {"Authorization": f"Bearer {self.app_token()}"}
        return client.request(method, path, json_body=json_body, headers=headers)

    def app_token(self) -> str:
        """The app's bearer token: stored as `bearer_token`, or swapped for the app's API
        key and secret at POST /oauth2/token (client credentials), as X documents."""
        if self._app_token:
            return self._app_token
        config = self.connector.config
        if config.has_secret("bearer_token"):
            self._app_token = config.secret("bearer_token", "X app bearer token")
            return self._app_token
        if not config.has_secret("consumer_key"):
            raise NotConfigured("Registering the webhook needs the X app's own token: set "
                                "its bearer token (TOWNHALL_X_BEARER_TOKEN) or its API key "
                                "(TOWNHALL_X_CONSUMER_KEY, or enter it on this page).")
        key = config.secret("consumer_key", "API key (consumer key)")
        secret = config.secret("consumer_secret", "API key secret (consumer secret)")
        try:
            data = self.connector.plain_client().request(
                "POST", "oauth2/token", form={"grant_type": "client_credentials"},
                auth=(quote(key, safe=""), quote(secret, safe="")))
        except PermanentError as error:
            raise PermanentError(f"X would not give Townhall the app's bearer token with "
                                 f"this API key and secret ({error}). Check both are the "
                                 "app's current keys.", status=error.status) from None
        token = str(data.get("access_token") or "")
        if not token or str(data.get("token_type", "bearer")).lower() != "bearer":
            raise PermanentError("X did not give Townhall a bearer token for the app.")
        self._app_token = token
        return token

    def webhooks(self) -> list[Webhook]:
        data = self._app("GET", "2/webhooks")
        return [_webhook(row) for row in data.get("data") or [] if isinstance(row, dict)]

    def create(self, url: str) -> Webhook:
        data = self._app("POST", "2/webhooks", json_body={"url": url})
        # X's reference shows the config at the top level; other v2 answers wrap it in
        # "data". Either is read.
        row = data.get("data") if isinstance(data.get("data"), dict) else data
        made = _webhook(row)
        if not made.id:
            raise PermanentError("X registered the address but did not say its webhook id.")
        return made

    def recheck(self, webhook_id: str) -> None:
        """PUT /2/webhooks/:id: X runs the CRC check again and marks the webhook valid."""
        self._app("PUT", f"2/webhooks/{webhook_id}")

    def delete(self, webhook_id: str) -> None:
        self._app("DELETE", f"2/webhooks/{webhook_id}")

    def unsubscribe(self, webhook_id: str) -> None:
        user_id = self.connector.user_id
        self._app("DELETE", f"2/account_activity/webhooks/{webhook_id}/subscriptions/"
                            f"{user_id}/all")

    # User-context calls (the council's own account) ---------------------------

    def subscribed(self, webhook_id: str) -> bool:
        data = self.connector.user_client().request(
            "GET", f"2/account_activity/webhooks/{webhook_id}/subscriptions/all")
        return bool((data.get("data") or {}).get("subscribed"))

    def subscribe(self, webhook_id: str) -> bool:
        data = self.connector.user_client().request(
            "POST", f"2/account_activity/webhooks/{webhook_id}/subscriptions/all",
            json_body={})
        return bool((data.get("data") or {}).get("subscribed", True))


def _webhook(row: dict[str, Any]) -> Webhook:
    return Webhook(id=str(row.get("id") or ""), url=str(row.get("url") or ""),
                   valid=bool(row.get("valid")))


def subscription_line(connector: "XConnector") -> str:
    """One line for the channel's check: whether X sends the account's activity to the
    webhook Townhall registered. Never fails the check: polling still works without it."""
    webhook_id = str(connector.config.get("webhook_id") or "")
    if not webhook_id:
        return ("No X webhook is registered for this channel, so Townhall polls X for new "
                "posts and messages. Use 'Register webhook and subscribe' on the channel's "
                "connection page to get them as they happen.")
    try:
        subscribed = AccountActivity(connector).subscribed(webhook_id)
    except ConnectorError as error:
        return (f"Townhall could not ask X whether the account is subscribed to webhook "
                f"{webhook_id}: {error}")
    if subscribed:
        return (f"X sends this account's posts and messages to Townhall's webhook "
                f"(webhook {webhook_id}); the subscription is active.")
    return (f"The account is not subscribed to webhook {webhook_id}, so X does not send "
            "its activity to Townhall and Townhall only polls. Use 'Register webhook and "
            "subscribe' on the channel's connection page.")
