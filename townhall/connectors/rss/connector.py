"""News and community feeds (RSS 2.0, RSS 1.0, Atom 1.0), read for mentions of the council.

Settings: feed_url (required), timeout, max_bytes, and reply_url (optional: a community
site's own endpoint that takes replies). Secrets, each from `<name>_env` or stored
encrypted: hub_secret (WebSub pushes, optional) and reply_secret (signs replies).

Only entries that match one of the council's keyword rules (townhall/listening) become
mentions; the rest are read and left. Each entry's Atom id or RSS guid (else its link)
is its platform message id, so an entry never comes in twice.
"""

import json
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, Self
from urllib.parse import urlsplit

import requests
from django.utils import timezone

from townhall.connectors.base import CheckResult, Connector, PollResult, Profile, SentMessage
from townhall.connectors.errors import (
    ConnectorError,
    PermanentError,
    RetriableError,
)
from townhall.connectors.http import retry_after_from
from townhall.connectors.rss.client import FeedClient
from townhall.connectors.rss.feeds import FeedError, parse_feed
from townhall.connectors.rss.mapping import feed_items
from townhall.core.lib.signatures import sign
from townhall.ingest.items import IncomingItem, ItemError
from townhall.listening.matching import Rule

if TYPE_CHECKING:
    from townhall.connectors.models import Channel

NAME = "The site"
DEFAULT_MAX_BYTES = 5 * 1024 * 1024
USER_AGENT = "Townhall feed reader (+https://github.com/townhall)"
ACCEPT = ("application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, "
          "application/xml;q=0.8, text/xml;q=0.8, */*;q=0.1")


class RssConnector(Connector):
    platform = "rss"
    # WebSub hubs sign the pushed feed with HMAC of the body in X-Hub-Signature.
    signature_header = "X-Hub-Signature"
    handshake_refusal = "The hub.topic does not match this channel's feed address."

    def __init__(self, *, rules: Sequence[Rule] = (), **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.rules = list(rules)

    @classmethod
    def from_channel(cls, channel: "Channel") -> Self:
        from townhall.listening.selectors import active_rules

        connector = super().from_channel(channel)
        connector.rules = active_rules(council_id=channel.council_id)
        return connector

    @property
    def feed_url(self) -> str:
        return str(self.config.require("feed_url", "feed address"))

    def _where(self) -> str:
        """The feed's host, for error text: a feed URL may carry a key in its query."""
        return urlsplit(str(self.config.get("feed_url") or "")).hostname or "the feed"

    def _client(self) -> FeedClient:
        reply_url = str(self.config.get("reply_url") or "")
        return FeedClient(base_url=reply_url or self.feed_url, name=NAME,
                          timeout=float(self.config.get("timeout") or 10))

    # Checks -----------------------------------------------------------------

    def check(self) -> CheckResult:
        if not self.config.get("feed_url"):
            return CheckResult(credentials_ok=False, reachable=False, lines=[
                "The feed address is not set. Add 'feed_url' to the channel's settings."])
        lines = [f"The feed address is set ({self._where()})."]
        if not self.rules:
            lines.append("The council has no active keyword rules, so no entry will come "
                         "into the inbox. Add rules on the Listening page.")
        try:
            polled = self.poll({})
        except ConnectorError as error:
            return CheckResult(credentials_ok=True, reachable=False,
                               lines=[*lines, f"The feed could not be read: {error}"])
        lines.append(f"The feed was read: {len(polled.items)} entries in it match the "
                     "council's keyword rules now.")
        return CheckResult(credentials_ok=True, reachable=True, lines=lines)

    # Polling ----------------------------------------------------------------

    def _fetch(self, cursor: dict[str, Any]) -> requests.Response | None:
        """GET the feed, conditionally; None means 304 Not Modified."""
        client = self._client()
        headers = {"User-Agent": USER_AGENT, "Accept": ACCEPT}
        if cursor.get("etag"):
            headers["If-None-Match"] = str(cursor["etag"])
        if cursor.get("last_modified"):
            headers["If-Modified-Since"] = str(cursor["last_modified"])
        try:
            response = client.session.get(self.feed_url, headers=headers, stream=True,
                                          timeout=client.timeout, allow_redirects=True)
        except requests.Timeout:
            raise RetriableError(f"The feed at {self._where()} did not answer within "
                                 f"{client.timeout:g} seconds.") from None
        except requests.RequestException:
            raise RetriableError(f"Townhall could not connect to the feed at "
                                 f"{self._where()}.") from None
        status = response.status_code
        if status == 304:
            response.close()
            return None
        if status == 429 or status >= 500:
            response.close()
            raise RetriableError(f"The feed at {self._where()} answered HTTP {status}; "
                                 "Townhall will try again.",
                                 retry_after=retry_after_from(response.headers), status=status)
        if status != 200:
            response.close()
            raise PermanentError(f"The feed at {self._where()} answered HTTP {status}. Check "
                                 "the feed address.", status=status)
        return response

    def _read(self, response: requests.Response) -> bytes:
        limit = int(self.config.get("max_bytes") or DEFAULT_MAX_BYTES)
        chunks, size = [], 0
        try:
            for chunk in response.iter_content(64 * 1024):
                size += len(chunk)
                if size > limit:
                    raise PermanentError(f"The feed at {self._where()} is larger than "
                                         f"{limit:,} bytes, so Townhall did not read it.")
                chunks.append(chunk)
        except requests.RequestException:
            raise RetriableError(f"The connection to the feed at {self._where()} broke "
                                 "while it was being read.") from None
        finally:
            response.close()
        return b"".join(chunks)

    def poll(self, cursor: dict[str, Any]) -> PollResult:
        """Read the feed if it changed since the cursor's ETag / Last-Modified.

        A feed that is not valid XML raises PermanentError and leaves the cursor where it
        was, so the next poll reads the whole feed again: nothing in it is lost.
        """
        now = timezone.now()
        response = self._fetch(cursor)
        if response is None:
            return PollResult(items=[], cursor={**cursor, "checked_at": now.isoformat()})
        etag = response.headers.get("ETag", "")
        last_modified = response.headers.get("Last-Modified", "")
        body = self._read(response)
        try:
            feed = parse_feed(body)
        except FeedError as error:
            raise PermanentError(f"The feed at {self._where()} could not be read: {error} "
                                 "Townhall will read it again at the next poll; nothing in "
                                 "it has been lost.") from None
        parsed = feed_items(feed, feed_url=self.feed_url, channel=self.handle, rules=self.rules,
                            fetched_at=now)
        next_cursor: dict[str, Any] = {"checked_at": now.isoformat()}
        if etag:
            next_cursor["etag"] = etag
        if last_modified:
            next_cursor["last_modified"] = last_modified
        return PollResult(items=[p for p in parsed if isinstance(p, IncomingItem)],
                          cursor=next_cursor,
                          errors=[p for p in parsed if not isinstance(p, IncomingItem)])

    # WebSub -----------------------------------------------------------------

    def handshake(self, query: Mapping[str, str]) -> str | None:
        """A WebSub hub checks the subscription: echo hub.challenge for our own topic."""
        if query.get("hub.mode") not in ("subscribe", "unsubscribe"):
            return None
        if query.get("hub.topic") != self.config.get("feed_url"):
            return None
        return query.get("hub.challenge") or None

    def verify_webhook(self, headers: Mapping[str, str], body: bytes) -> bool:
        return self._webhook_signed(headers, body, secret="hub_secret",
                                    label="WebSub secret")

    def parse_webhook(self, body: bytes) -> list[IncomingItem | ItemError]:
        """A WebSub push carries the feed document itself, not JSON."""
        try:
            feed = parse_feed(body)
        except FeedError as error:
            return [ItemError(str(error))]
        return feed_items(feed, feed_url=str(self.config.get("feed_url") or ""),
                          channel=self.handle, rules=self.rules, fetched_at=timezone.now())

    def webhook_items(self, data: Any) -> list[IncomingItem | ItemError]:
        return [ItemError("A feed push must be an RSS or Atom document, not JSON.")]

    # Replies ----------------------------------------------------------------

    def _reply_client(self) -> tuple[FeedClient, str]:
        if not self.config.get("reply_url"):
            raise PermanentError("News feeds take no replies. Answer on the website where "
                                 "the post appeared, then close the conversation.")
        return self._client(), str(self.config.get("reply_url"))

    def send_reply(self, *, text: str, thread_id: str, in_reply_to: str,
                   idempotency_key: str) -> SentMessage:
        """POST a signed JSON reply to the site's reply_url (see docs/decisions/0506)."""
        client, url = self._reply_client()
        secret = self.config.secret("reply_secret", "reply secret")
        body = json.dumps({"in_reply_to": in_reply_to or thread_id, "thread_id": thread_id,
                           "text": text, "idempotency_key": idempotency_key}).encode()
        data = client.post_bytes(url, body, {
            "Content-Type": "application/json", "X-Townhall-Signature": sign(secret, body),
            "Idempotency-Key": idempotency_key})
        return SentMessage(platform_message_id=str(data["id"]))

    def find_sent(self, *, text: str, thread_id: str, in_reply_to: str, idempotency_key: str,
                  since: datetime) -> SentMessage | None:
        client, url = self._reply_client()
        try:
            data = client.request("GET", url, params={"idempotency_key": idempotency_key})
        except PermanentError as error:
            if error.status == 404:
                return None
            raise
        return SentMessage(platform_message_id=str(data["id"])) if data.get("id") else None

    def fetch_profile(self, author: str) -> Profile:
        return Profile(handle=author, name=author)
