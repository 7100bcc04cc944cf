"""Mastodon through its REST API, its user stream and (on a council's own instance) its
admin webhooks.

Settings: instance_url (for example https://social.example.gov.uk), account_id (read
from verify_credentials when absent; needed to read webhooks), timeout,
max_characters (overrides what the instance says), and for each secret either
`<name>_env` naming an environment variable or an encrypted stored value:
access_token (scopes read and write:statuses) and webhook_secret (admin webhooks only).
"""

import re
from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import Any

import requests
from django.utils.translation import gettext_lazy

from townhall.connectors.base import CheckResult, Connector, PollResult, Profile, SentMessage
from townhall.connectors.errors import ConnectorError, NotConfigured, PermanentError, RetriableError
from townhall.connectors.mastodon import mapping
from townhall.connectors.mastodon.client import MastodonClient
from townhall.connectors.mastodon.stream import sse_events
from townhall.ingest.items import IncomingItem, ItemError

NAME = "Mastodon"
DEFAULT_MAX_CHARACTERS = 500
# Mastodon counts every link as 23 characters, whatever its length.
URL_LENGTH = 23
URL = re.compile(r"https?://\S+")
PAGE_SIZE = 40
MAX_PAGES = 25
# How long the stream may stay silent; Mastodon sends a heartbeat every few seconds.
STREAM_READ_TIMEOUT = 90.0


def _newer(a: str, b: str) -> bool:
    """Mastodon ids are decimal strings that grow with time."""
    return (len(a), a) > (len(b), b)


def status_length(text: str) -> int:
    """Characters as Mastodon counts them: links count 23, a mention only its
    username (not @domain)."""
    text = URL.sub("x" * URL_LENGTH, text)
    text = re.sub(r"(@[\w.]+)@[\w.-]+\w", r"\1", text)
    return len(text)


class MastodonConnector(Connector):
    platform = "mastodon"
    webhook_help = gettext_lazy("Mastodon needs no webhook: Townhall reads the account's stream and "
                     "polls it. Only if the council runs its own server, an administrator "
                     "there may add a webhook for status.created to this address.")
    # Mastodon's admin webhooks sign the raw body with HMAC-SHA256 in X-Hub-Signature.
    signature_header = "X-Hub-Signature"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._account_id = str(self.config.get("account_id") or "")
        self._max_characters: int | None = None

    @property
    def instance_url(self) -> str:
        return str(self.config.require("instance_url", "Mastodon server address")).rstrip("/")

    def _client(self) -> MastodonClient:
        return MastodonClient(base_url=self.instance_url, name=NAME,
                              timeout=float(self.config.get("timeout") or 10))

    def _auth(self, **extra: str) -> dict[str, str]:
        token = self.config.secret("access_token", "Mastodon access token")
        return {"Authorization": f"Bearer {token}", **extra}

    def _get(self, path: str, client: MastodonClient | None = None, **params: Any) -> Any:
        return (client or self._client()).request("GET", path, params=params,
                                                  headers=self._auth())

    def account_id(self) -> str:
        if not self._account_id:
            me = self._get("/api/v1/accounts/verify_credentials")
            self._account_id = str(me["id"])
        return self._account_id

    def max_characters(self) -> int:
        """The instance's own limit (configuration.statuses.max_characters), else 500."""
        if self._max_characters is None:
            override = self.config.get("max_characters")
            if override:
                self._max_characters = int(override)
            else:
                try:
                    instance = self._get("/api/v2/instance")
                    limit = instance["configuration"]["statuses"]["max_characters"]
                    self._max_characters = int(limit)
                except (ConnectorError, KeyError, TypeError, ValueError):
                    self._max_characters = DEFAULT_MAX_CHARACTERS
        return self._max_characters

    # Checks -----------------------------------------------------------------

    def check(self) -> CheckResult:
        missing = []
        if not self.config.get("instance_url"):
            missing.append("The Mastodon server address is not set. Add 'instance_url' to "
                           "the channel's settings.")
        try:
            self.config.secret("access_token", "Mastodon access token")
        except NotConfigured as error:
            missing.append(str(error))
        if missing:
            return CheckResult(credentials_ok=False, reachable=False,
                               lines=[*missing, "Townhall did not contact Mastodon."])
        lines = ["The server address and access token are set."]
        if not self.config.has_secret("webhook_secret"):
            lines.append("No webhook secret is set. That is fine unless the council runs "
                         "its own server and sends Townhall its webhooks.")
        try:
            me = self._get("/api/v1/accounts/verify_credentials")
            instance = self._get("/api/v2/instance")
        except ConnectorError as error:
            return CheckResult(credentials_ok=True, reachable=False,
                               lines=[*lines, f"Mastodon could not be reached: {error}"])
        self._account_id = str(me.get("id", ""))
        try:
            limit = int(instance["configuration"]["statuses"]["max_characters"])
        except (KeyError, TypeError, ValueError):
            limit = DEFAULT_MAX_CHARACTERS
        self._max_characters = int(self.config.get("max_characters") or limit)
        lines.append(f"Mastodon answered: the token works for @{me.get('acct', '?')} on "
                     f"{instance.get('domain', self.instance_url)}.")
        lines.append(f"Replies can be up to {self._max_characters} characters long on "
                     "this server.")
        return CheckResult(credentials_ok=True, reachable=True, lines=lines)

    # Webhooks ---------------------------------------------------------------

    def verify_webhook(self, headers: Mapping[str, str], body: bytes) -> bool:
        return self._webhook_signed(headers, body, secret="webhook_secret",
                                    label="webhook secret")

    def webhook_items(self, data: Any) -> list[IncomingItem | ItemError]:
        account_id = str(self.config.get("account_id") or "")
        if not account_id:
            return [ItemError("The channel has no 'account_id' setting, so Townhall cannot "
                              "tell which statuses are for the council.")]
        return mapping.webhook_items(data, account_id=account_id, channel=self.handle)

    # Polling ----------------------------------------------------------------

    def poll(self, cursor: dict[str, Any]) -> PollResult:
        """Mentions since the cursor's since_id, then direct conversations.

        Notifications come newest first, so a catch-up follows the Link header's `next`
        (older) with since_id kept. If it stops early (the page cap, or the rate limit
        running low), the cursor keeps since_id and remembers where to carry on, so no
        mention between the two is skipped.
        """
        client = self._client()
        account_id = self.account_id()
        items: list[IncomingItem] = []
        errors: list[ItemError] = []
        since = str(cursor.get("since_id") or "")
        resume = cursor.get("resume") or {}
        max_id = str(resume.get("max_id") or "") or None
        newest = str(resume.get("newest") or "")
        complete = False
        for _ in range(MAX_PAGES):
            params: dict[str, Any] = {"types[]": "mention", "limit": PAGE_SIZE}
            if since:
                params["since_id"] = since
            if max_id:
                params["max_id"] = max_id
            page = self._get("/api/v1/notifications", client, **params)
            rows = [r for r in page if isinstance(r, dict)] if isinstance(page, list) else []
            for row in rows:
                row_id = str(row.get("id") or "")
                if row_id and (not newest or _newer(row_id, newest)):
                    newest = row_id
                try:
                    item = mapping.notification_item(row, account_id=account_id,
                                                      channel=self.handle)
                except ItemError as error:
                    errors.append(error)
                    continue
                if item is not None:
                    items.append(item)
            max_id = client.link_param("next", "max_id")
            if not rows or not max_id or len(rows) < PAGE_SIZE or not since and not resume:
                # A first poll reads only the newest page rather than all history.
                complete = True
                break
            if client.running_low():
                break
        next_cursor: dict[str, Any] = {"since_id": newest or since} if complete else {
            "since_id": since, "resume": {"max_id": max_id, "newest": newest}}
        dm_items, dm_since = self._direct(client, account_id,
                                          str(cursor.get("dm_since") or ""), errors)
        if dm_since:
            next_cursor["dm_since"] = dm_since
        return PollResult(items=items + dm_items, cursor=next_cursor, errors=errors)

    def _direct(self, client: MastodonClient, account_id: str, since: str,
                errors: list[ItemError]) -> tuple[list[IncomingItem], str]:
        """Direct messages newer than `since`, each threaded by its conversation id.

        A conversation shows only its last status, so the earlier ones come from that
        status's context (its in_reply_to_id ancestors).
        """
        items: list[IncomingItem] = []
        newest = since
        params: dict[str, Any] = {"limit": PAGE_SIZE}
        if since:
            params["since_id"] = since
        for conversation in self._get("/api/v1/conversations", client, **params) or []:
            last = conversation.get("last_status") if isinstance(conversation, dict) else None
            if not isinstance(last, dict) or not last.get("id"):
                continue
            last_id = str(last["id"])
            if since and not _newer(last_id, since):
                continue
            newest = last_id if not newest or _newer(last_id, newest) else newest
            context = self._get(f"/api/v1/statuses/{last_id}/context", client)
            statuses = [*(context.get("ancestors") or []), last]
            for status in statuses:
                if not isinstance(status, dict) or status.get("visibility") != mapping.DIRECT:
                    continue
                if since and not _newer(str(status.get("id") or ""), since):
                    continue
                try:
                    items.append(mapping.status_item(
                        status, account_id=account_id, channel=self.handle,
                        conversation_id=str(conversation["id"])))
                except ItemError as error:
                    errors.append(error)
        return items, newest

    # Streaming --------------------------------------------------------------

    def stream_open(self) -> Iterator[IncomingItem | ItemError]:
        """Connect to the user stream and return its items as they come.

        The connection is made before this returns, so a back-fill run straight after
        covers everything up to the moment the stream started. When the stream ends or
        breaks, the iterator raises RetriableError.
        """
        url = str(self.config.get("streaming_url") or self.instance_url).rstrip("/")
        try:
            response = self._client().session.get(
                f"{url}/api/v1/streaming/user", headers=self._auth(), stream=True,
                timeout=(float(self.config.get("timeout") or 10), STREAM_READ_TIMEOUT))
        except requests.RequestException:
            raise RetriableError("Townhall could not connect to the Mastodon stream.") from None
        if response.status_code != 200:
            response.close()
            if response.status_code in (401, 403):
                raise PermanentError(f"Mastodon refused the stream (HTTP "
                                     f"{response.status_code}). Check the access token.",
                                     status=response.status_code)
            raise RetriableError(f"Mastodon's stream answered HTTP {response.status_code}.",
                                 status=response.status_code)
        return self._stream_items(response)

    def _stream_items(self, response: requests.Response) -> Iterator[IncomingItem | ItemError]:
        account_id = self.account_id()
        lines = response.iter_lines(decode_unicode=True)
        try:
            for event in sse_events(str(line or "") for line in lines):
                try:
                    if event.name == "notification":
                        item = mapping.notification_item(event.data, account_id=account_id,
                                                          channel=self.handle)
                    elif event.name == "conversation":
                        item = mapping.conversation_item(event.data, account_id=account_id,
                                                          channel=self.handle)
                    else:
                        continue
                except ItemError as error:
                    yield error
                    continue
                if item is not None:
                    yield item
        except requests.RequestException:
            pass
        finally:
            response.close()
        raise RetriableError("The Mastodon stream was dropped.")

    # Replies ----------------------------------------------------------------

    def send_reply(self, *, text: str, thread_id: str, in_reply_to: str,
                   idempotency_key: str) -> SentMessage:
        """Reply with the parent's visibility, mentioning its author (a direct message
        reaches only the accounts it mentions). Mastodon keeps the Idempotency-Key for an
        hour, so a resend after a lost answer returns the first status, not a second."""
        client = self._client()
        parent_id = in_reply_to or (thread_id if thread_id.isdigit() else "")
        visibility = "direct" if thread_id.startswith(mapping.CONVERSATION_PREFIX) else "public"
        body_text = text
        if parent_id:
            parent = self._get(f"/api/v1/statuses/{parent_id}", client)
            visibility = str(parent.get("visibility") or visibility)
            acct = str((parent.get("account") or {}).get("acct") or "")
            if acct and str((parent.get("account") or {}).get("id")) != self._account_id \
                    and f"@{acct}" not in text:
                body_text = f"@{acct} {text}"
        limit = self.max_characters()
        if status_length(body_text) > limit:
            raise PermanentError(f"The reply is {status_length(body_text)} characters long; "
                                 f"this Mastodon server allows {limit}. Shorten it and send "
                                 "it again.")
        payload: dict[str, Any] = {"status": body_text, "visibility": visibility}
        if parent_id:
            payload["in_reply_to_id"] = parent_id
        data = client.request("POST", "/api/v1/statuses", json_body=payload,
                              headers=self._auth(**{"Idempotency-Key": idempotency_key}))
        return SentMessage(platform_message_id=str(data["id"]),
                           sent_at=_parse_time(data.get("created_at")))

    def find_sent(self, *, text: str, thread_id: str, in_reply_to: str, idempotency_key: str,
                  since: datetime) -> SentMessage | None:
        """The account's recent statuses: one replying to the same status, written since
        the first attempt, whose text ends with the reply (a mention may lead it)."""
        parent_id = in_reply_to or (thread_id if thread_id.isdigit() else "")
        wanted = " ".join(text.split())
        rows = self._get(f"/api/v1/accounts/{self.account_id()}/statuses", limit=PAGE_SIZE,
                         exclude_reblogs="true")
        for row in rows if isinstance(rows, list) else []:
            created = _parse_time(row.get("created_at"))
            if created is not None and created.timestamp() < since.timestamp() - 60:
                continue
            if parent_id and str(row.get("in_reply_to_id") or "") != parent_id:
                continue
            written = " ".join(mapping.html_to_text(str(row.get("content") or "")).split())
            if written == wanted or written.endswith(" " + wanted):
                return SentMessage(platform_message_id=str(row["id"]), sent_at=created)
        return None

    def fetch_profile(self, author: str) -> Profile:
        data = self._get(f"/api/v1/accounts/{author}")
        return Profile(handle=str(data.get("acct") or author),
                       name=str(data.get("display_name") or ""),
                       extra={"url": data.get("url", "")})


def _parse_time(raw: Any) -> datetime | None:
    if isinstance(raw, str):
        try:
            return datetime.fromisoformat(raw.replace("Z", "+00:00"))
        except ValueError:
            return None
    return None
