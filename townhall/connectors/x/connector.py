"""X (formerly Twitter): API v2 for polling and replies, Account Activity webhooks.

Settings: user_id (the council's X account id), api_url (default below; tests point it
at a fake), timeout, lookback_days, auth ("oauth1", the default, or "oauth2"), and for
each secret either `<name>_env` naming an environment variable or an encrypted stored
value: consumer_secret (the app's API key secret: it answers the CRC check and checks
webhook signatures), and then either consumer_key, access_token, access_token_secret
(OAuth 1.0a, typed in by hand) or, after signing in with X (x/login.py), the OAuth 2.0
tokens oauth2_access_token, oauth2_refresh_token, oauth2_expires_at with client_id and
client_secret to renew them (x/oauth2.py).
"""

import html
import json
import time
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

import requests
from django.utils.translation import gettext_lazy

from townhall.connectors.base import CheckResult, Connector, PollResult, Profile, SentMessage
from townhall.connectors.errors import (
    ConnectorError,
    NotConfigured,
    PermanentError,
    RetriableError,
)
from townhall.connectors.http import HttpClient, retry_after_from
from townhall.connectors.x import account_activity, mapping, signatures
from townhall.connectors.x.oauth import OAuth1
from townhall.connectors.x.oauth2 import BearerAuth, XTokens
from townhall.connectors.x.text import DM_MAX_LENGTH, MAX_WEIGHTED_LENGTH, URL, weighted_length
from townhall.ingest.items import IncomingItem, ItemError

API_URL = "https://api.x.com"
NAME = "X"
TWEET_FIELDS = "created_at,conversation_id,in_reply_to_user_id,referenced_tweets,author_id"
DM_FIELDS = "id,text,event_type,created_at,sender_id,dm_conversation_id,participant_ids"
SECRETS = (("consumer_key", "API key (consumer key)"),
           ("consumer_secret", "API key secret (consumer secret)"),
           ("access_token", "access token"), ("access_token_secret", "access token secret"))
OAUTH2_SECRETS = (("oauth2_access_token", "X access token"),
                  ("client_id", "X OAuth 2.0 client id"),
                  ("client_secret", "X OAuth 2.0 client secret"))
# Pages per list per poll, so one poll cannot run for ever; the cursor keeps the place.
MAX_PAGES = 20


class XHttpClient(HttpClient):
    """X's rate limits and error bodies, on top of the shared client."""

    def _result(self, response: requests.Response, *, sends: bool) -> Any:
        try:
            return super()._result(response, sends=sends)
        except ConnectorError as error:
            if isinstance(error, RetriableError) and response.status_code == 429:
                error.retry_after = x_retry_after(response.headers)
            # X names why it refused a webhook (CrcValidationFailed and so on) in the
            # body; account_activity.reason_of reads it. It is never shown as it is.
            error.body = response.text[:4000]  # type: ignore[attr-defined]
            raise

    @staticmethod
    def _detail(response: requests.Response) -> str:
        """X's problem JSON says what went wrong in `detail` or `errors[].message`."""
        try:
            data = response.json()
        except ValueError:
            return ""
        if not isinstance(data, dict):
            return ""
        errors = data.get("errors")
        first = errors[0] if isinstance(errors, list) and errors else {}
        message = (data.get("detail") or (first.get("message") or first.get("detail")
                   if isinstance(first, dict) else None) or data.get("title"))
        if message:
            return f": {str(message)[:200]}"
        return HttpClient._detail(response)


def x_retry_after(headers: Mapping[str, str], *, now: float | None = None) -> float | None:
    """Seconds until X lifts the limit that was hit.

    X sends x-rate-limit-* for the 15-minute window and, when a daily cap on posts is
    reached, x-user-limit-24hour-* or x-app-limit-24hour-*; each reset is epoch
    seconds. The longest wait among the limits that are spent is the one that matters.
    """
    now = time.time() if now is None else now
    lower = {k.lower(): v for k, v in headers.items()}
    waits = []
    for prefix in ("x-rate-limit", "x-user-limit-24hour", "x-app-limit-24hour"):
        remaining, reset = lower.get(f"{prefix}-remaining"), lower.get(f"{prefix}-reset", "")
        if remaining == "0" and reset.strip().isdigit():
            waits.append(max(0.0, float(reset) - now))
    return max(waits) if waits else retry_after_from(headers, now=now)


class XConnector(Connector):
    platform = "x"
    _tokens: XTokens | None = None
    webhook_help = gettext_lazy(
        "Townhall registers this address as the webhook of the council's X app and "
        "subscribes the council's account to it: use 'Register webhook and subscribe' on "
        "the channel's connection page, or the command 'townhall connectors x-webhook "
        "CHANNEL register'. X checks the address with the app's API key secret, and "
        "accepts only https addresses.")
    # The connect page offers to register the webhook with X (x/registration.py).
    registers_webhook = True
    signature_header = "x-twitter-webhooks-signature"
    handshake_content_type = "application/json"
    handshake_refusal = ("The CRC check has no crc_token, or the channel has no API key "
                         "secret to answer it with.")

    @property
    def user_id(self) -> str:
        return str(self.config.require("user_id", "X account id"))

    @property
    def uses_oauth2(self) -> bool:
        return self.config.get("auth") == "oauth2"

    def _client(self) -> HttpClient:
        session = requests.Session()
        api_url = str(self.config.get("api_url") or API_URL)
        timeout = float(self.config.get("timeout") or 10)
        if self.uses_oauth2:
            if self._tokens is None:
                self._tokens = XTokens(self.config, api_url=api_url, timeout=timeout)
            session.auth = BearerAuth(self._tokens)
        else:
            session.auth = OAuth1(
                consumer_key=self.config.secret("consumer_key", "API key (consumer key)"),
                consumer_secret=self.config.secret("consumer_secret", "API key secret"),
                token=self.config.secret("access_token", "access token"),
                token_secret=self.config.secret("access_token_secret", "access token secret"))
        return XHttpClient(base_url=api_url, name=NAME, timeout=timeout, session=session)

    def user_client(self) -> HttpClient:
        """Calls as the council's account (OAuth 1.0a or its OAuth 2.0 tokens)."""
        return self._client()

    def plain_client(self) -> HttpClient:
        """Calls that carry their own credentials: the app-only bearer token."""
        api_url = str(self.config.get("api_url") or API_URL)
        return XHttpClient(base_url=api_url, name=NAME,
                           timeout=float(self.config.get("timeout") or 10))

    def _get(self, path: str, **params: Any) -> Any:
        return self._client().request("GET", path, params={k: v for k, v in params.items()
                                                           if v not in (None, "")})

    # Checks -----------------------------------------------------------------

    def check(self) -> CheckResult:
        missing = []
        if not self.config.get("user_id"):
            missing.append("The X account id is not set. Add 'user_id' to the channel's "
                           "settings.")
        for name, what in OAUTH2_SECRETS if self.uses_oauth2 else SECRETS:
            try:
                self.config.secret(name, what)
            except NotConfigured as error:
                missing.append(str(error))
        if missing:
            return CheckResult(credentials_ok=False, reachable=False,
                               lines=[*missing, "Townhall did not contact X."])
        if self.uses_oauth2:
            lines = ["The X account id and the tokens from signing in with X are set."]
            if not self.config.has_secret("consumer_secret"):
                lines.append("The app's API key secret is not set, so Townhall cannot "
                             "answer X's webhook check or trust its events; it polls X "
                             "instead. Set TOWNHALL_X_CONSUMER_SECRET to use webhooks.")
        else:
            lines = ["The X account id, API key and secret, and access token and secret "
                     "are set."]
        try:
            me = self._get("2/users/me").get("data") or {}
        except ConnectorError as error:
            return CheckResult(credentials_ok=True, reachable=False,
                               lines=[*lines, f"X could not be reached: {error}"])
        if str(me.get("id")) != self.user_id:
            return CheckResult(credentials_ok=False, reachable=True, lines=[
                *lines, f"X answered, but the access token belongs to @{me.get('username')} "
                        f"(account {me.get('id')}), not account {self.user_id}. Create the "
                        "token while signed in as the council's account."])
        lines.append(f"X answered: the token works for @{me.get('username')}.")
        lines.append(account_activity.subscription_line(self))
        return CheckResult(credentials_ok=True, reachable=True, lines=lines)

    # Webhooks ---------------------------------------------------------------

    def verify_webhook(self, headers: Mapping[str, str], body: bytes) -> bool:
        return self._webhook_signed(headers, body, secret="consumer_secret",
                                    label="API key secret", valid=signatures.signature_valid)

    def handshake(self, query: Mapping[str, str]) -> str | None:
        """The CRC answer. X allows 3 seconds; this is one HMAC, with no network call."""
        token = query.get("crc_token")
        if not token:
            return None
        try:
            secret = self.config.secret("consumer_secret", "API key secret")
        except NotConfigured:
            return None
        return json.dumps({"response_token": signatures.crc_response_token(secret, token)})

    def webhook_items(self, data: Any) -> list[IncomingItem | ItemError]:
        return mapping.activity_items(data, user_id=str(self.config.get("user_id") or ""),
                                      channel=self.handle)

    # Polling ----------------------------------------------------------------

    def poll(self, cursor: dict[str, Any]) -> PollResult:
        """Mentions since the last one seen, then DMs newer than the last one seen.

        Mentions page from newest to oldest, so X's newest_id is only safe to keep once
        every page is read; until then the cursor holds the pagination token and the
        pending newest id, and the next poll carries on from there.
        """
        items: list[IncomingItem] = []
        errors: list[ItemError] = []
        mentions = self._poll_mentions(cursor, items, errors)
        dm_newest = self._poll_dms(str(cursor.get("dm_newest") or ""), items, errors)
        return PollResult(items=items, cursor={**mentions, "dm_newest": dm_newest},
                          errors=errors)

    def _keep(self, build: Any, items: list[IncomingItem], errors: list[ItemError]) -> None:
        try:
            item = build()
        except (ItemError, TypeError, ValueError, AttributeError) as error:
            errors.append(ItemError(str(error)))
            return
        if item is not None:
            items.append(item)

    def _poll_mentions(self, cursor: dict[str, Any], items: list[IncomingItem],
                       errors: list[ItemError]) -> dict[str, Any]:
        user_id, since_id = self.user_id, str(cursor.get("since_id") or "")
        token = str(cursor.get("next_token") or "")
        newest = str(cursor.get("pending_newest") or "")
        start = None
        if not since_id:
            days = int(self.config.get("lookback_days") or 7)
            start = (datetime.now(tz=UTC) - timedelta(days=days)).strftime("%Y-%m-%dT%H:%M:%SZ")
        for _ in range(MAX_PAGES):
            data = self._get(f"2/users/{user_id}/mentions", since_id=since_id, start_time=start,
                             pagination_token=token, max_results=100,
                             expansions="author_id,referenced_tweets.id",
                             **{"tweet.fields": TWEET_FIELDS, "user.fields": "name,username"})
            users = mapping.users_by_id(data.get("includes"))
            for tweet in data.get("data") or []:
                self._keep(lambda t=tweet, u=users: mapping.v2_tweet(
                    t, users=u, user_id=user_id, channel=self.handle), items, errors)
            meta = data.get("meta") or {}
            newest = newest or str(meta.get("newest_id") or "")
            token = str(meta.get("next_token") or "")
            if not token:
                return {"since_id": newest or since_id}
        return {"since_id": since_id, "next_token": token, "pending_newest": newest}

    def _poll_dms(self, after: str, items: list[IncomingItem],
                  errors: list[ItemError]) -> str:
        """DM events come newest first with no since_id, so read until a known one."""
        user_id, token, newest = self.user_id, "", after
        for _ in range(MAX_PAGES):
            data = self._get("2/dm_events", event_types="MessageCreate", max_results=100,
                             pagination_token=token, expansions="sender_id",
                             **{"dm_event.fields": DM_FIELDS, "user.fields": "name,username"})
            users = mapping.users_by_id(data.get("includes"))
            reached = False
            for event in data.get("data") or []:
                event_id = str(event.get("id", "")) if isinstance(event, dict) else ""
                if after and event_id.isdigit() and int(event_id) <= int(after):
                    reached = True
                    break
                if event_id.isdigit() and (not newest or int(event_id) > int(newest)):
                    newest = event_id
                self._keep(lambda e=event, u=users: mapping.v2_dm_event(
                    e, users=u, user_id=user_id, channel=self.handle), items, errors)
            token = str((data.get("meta") or {}).get("next_token") or "")
            if reached or not token:
                break
        return newest

    # Replies ----------------------------------------------------------------

    def send_reply(self, *, text: str, thread_id: str, in_reply_to: str,
                   idempotency_key: str) -> SentMessage:
        client = self._client()
        if thread_id.startswith(mapping.DM_PREFIX):
            if len(text) > DM_MAX_LENGTH:
                raise PermanentError(f"The message is {len(text):,} characters; X allows "
                                     f"{DM_MAX_LENGTH:,} in a direct message. Shorten it.")
            resident = thread_id.removeprefix(mapping.DM_PREFIX)
            data = client.request("POST", f"2/dm_conversations/with/{resident}/messages",
                                  json_body={"text": text})
            return SentMessage(platform_message_id=str(data["data"]["dm_event_id"]))
        length = weighted_length(text)
        if length > MAX_WEIGHTED_LENGTH:
            raise PermanentError(f"The reply counts as {length} characters on X, which "
                                 f"allows {MAX_WEIGHTED_LENGTH}. Links count as 23 and most "
                                 "Chinese, Japanese and Korean characters and emoji as 2. "
                                 "Shorten it.")
        try:
            data = client.request("POST", "2/tweets", json_body={
                "text": text, "reply": {"in_reply_to_tweet_id": in_reply_to or thread_id}})
        except PermanentError as error:
            if error.status == 403 and "duplicate content" in str(error).lower():
                # X refuses a post the account has just made word for word. Most often
                # an earlier attempt did go out and the timeline was slow to show it,
                # so look again rather than call the reply failed.
                raise RetriableError("X says the account has just posted exactly this text. "
                                     "Townhall will look for that post before trying again.",
                                     retry_after=30.0, maybe_sent=True, status=403) from None
            raise
        return SentMessage(platform_message_id=str(data["data"]["id"]))

    def find_sent(self, *, text: str, thread_id: str, in_reply_to: str, idempotency_key: str,
                  since: datetime) -> SentMessage | None:
        """X takes no idempotency key, so look for the account's own post (or DM) with
        the same text since the first attempt. X rewrites links as t.co and escapes
        &, < and >, so texts are compared with links and escapes taken out."""
        user_id, wanted = self.user_id, _comparable(text)
        start = (since - timedelta(seconds=60)).astimezone(UTC)
        if thread_id.startswith(mapping.DM_PREFIX):
            resident = thread_id.removeprefix(mapping.DM_PREFIX)
            data = self._get(f"2/dm_conversations/with/{resident}/dm_events",
                             event_types="MessageCreate", max_results=100,
                             **{"dm_event.fields": DM_FIELDS})
            for event in data.get("data") or []:
                created = _time(event.get("created_at"))
                if (str(event.get("sender_id")) == user_id
                        and _comparable(str(event.get("text", ""))) == wanted
                        and (created is None or created >= start)):
                    return SentMessage(platform_message_id=str(event["id"]), sent_at=created)
            return None
        target = in_reply_to or thread_id
        data = self._get(f"2/users/{user_id}/tweets", max_results=100,
                         start_time=start.strftime("%Y-%m-%dT%H:%M:%SZ"),
                         **{"tweet.fields": TWEET_FIELDS})
        for tweet in data.get("data") or []:
            if (mapping._replied_to(tweet) == target
                    and _comparable(str(tweet.get("text", ""))) == wanted):
                return SentMessage(platform_message_id=str(tweet["id"]),
                                   sent_at=_time(tweet.get("created_at")))
        return None

    def fetch_profile(self, author: str) -> Profile:
        data = self._get(f"2/users/{author}", **{"user.fields": "name,username,description"})
        user = data.get("data") or {}
        return Profile(handle=str(user.get("username", author)), name=str(user.get("name", "")),
                       extra={"id": str(user.get("id", author))})


def _comparable(text: str) -> str:
    return " ".join(URL.sub("<link>", html.unescape(text)).split())


def _time(raw: Any) -> datetime | None:
    if not isinstance(raw, str):
        return None
    try:
        return datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        return None
