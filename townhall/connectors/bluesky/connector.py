"""Bluesky through the AT Protocol's XRPC API, signed in with an app password.

Settings: service_url (the account's PDS; default https://bsky.social), identifier (the
handle to sign in as; default the channel's handle), timeout, lookback_days, and for
each secret either `<name>_env` naming an environment variable or an encrypted stored
value: app_password, and relay_secret (only if a relay posts notifications to
Townhall's webhook address; Bluesky itself sends no webhooks).
"""

import threading
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from townhall.connectors.base import CheckResult, Connector, PollResult, Profile, SentMessage
from townhall.connectors.bluesky import mapping
from townhall.connectors.bluesky.client import TokenExpired, XrpcClient
from townhall.connectors.bluesky.text import LIMIT, graphemes
from townhall.connectors.errors import ConnectorError, NotConfigured, PermanentError
from townhall.ingest.items import IncomingItem, ItemError

SERVICE_URL = "https://bsky.social"
NAME = "Bluesky"
PAGE_SIZE = 50
MAX_PAGES = 20

# Sessions are kept for the life of the process: createSession is limited to 30 calls in
# five minutes and 300 a day per account, so signing in on every poll would soon be
# refused. Keyed by (service, identifier); values hold accessJwt, refreshJwt and did.
_SESSIONS: dict[tuple[str, str], dict[str, str]] = {}
_SESSIONS_LOCK = threading.Lock()


def sessions_forget() -> None:
    with _SESSIONS_LOCK:
        _SESSIONS.clear()


def _now_iso() -> str:
    return datetime.now(tz=UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _time(raw: Any) -> datetime | None:
    if isinstance(raw, str):
        try:
            return datetime.fromisoformat(raw.replace("Z", "+00:00"))
        except ValueError:
            return None
    return None


class BlueskyConnector(Connector):
    platform = "bluesky"
    # Bluesky sends no webhooks. A relay the council runs may post listNotifications
    # pages to the webhook address, signed with HMAC-SHA256 of the body and the
    # channel's relay secret.
    signature_header = "X-Townhall-Signature"

    @property
    def service_url(self) -> str:
        return str(self.config.get("service_url") or SERVICE_URL).rstrip("/")

    @property
    def identifier(self) -> str:
        return str(self.config.get("identifier") or self.handle)

    def _client(self) -> XrpcClient:
        return XrpcClient(base_url=f"{self.service_url}/xrpc", name=NAME,
                          timeout=float(self.config.get("timeout") or 10))

    # Sessions ---------------------------------------------------------------

    def _session(self, client: XrpcClient, *, fresh: bool = False) -> dict[str, str]:
        key = (self.service_url, self.identifier)
        with _SESSIONS_LOCK:
            session = None if fresh else _SESSIONS.get(key)
        if session is None:
            password = self.config.secret("app_password", "Bluesky app password")
            try:
                data = client.request("POST", "com.atproto.server.createSession", json_body={
                    "identifier": self.identifier, "password": password})
            except PermanentError as error:
                # createSession answers 401 AuthenticationRequired for a wrong handle or
                # password (and the token errors for an expired account session).
                if not isinstance(error, TokenExpired) and error.status != 401:
                    raise
                raise PermanentError("Bluesky refused the handle or app password. Check "
                                     "them, or make a new app password.",
                                     status=401) from None
            session = {k: str(data[k]) for k in ("accessJwt", "refreshJwt", "did")}
            with _SESSIONS_LOCK:
                _SESSIONS[key] = session
        return session

    def _refresh(self, client: XrpcClient, session: dict[str, str]) -> dict[str, str]:
        """Swap the refresh token for new tokens; sign in again if that has expired too."""
        try:
            data = client.request("POST", "com.atproto.server.refreshSession",
                                  headers={"Authorization": f"Bearer {session['refreshJwt']}"})
        except TokenExpired:
            return self._session(client, fresh=True)
        renewed = {"accessJwt": str(data["accessJwt"]), "refreshJwt": str(data["refreshJwt"]),
                   "did": str(data.get("did") or session["did"])}
        with _SESSIONS_LOCK:
            _SESSIONS[(self.service_url, self.identifier)] = renewed
        return renewed

    def _call(self, method: str, nsid: str, *, params: Mapping[str, Any] | None = None,
              body: Any = None, client: XrpcClient | None = None) -> Any:
        """One XRPC call as the signed-in account; an expired token is refreshed once."""
        client = client or self._client()
        session = self._session(client)
        for attempt in (1, 2):
            try:
                return client.request(method, nsid, params=params, json_body=body, headers={
                    "Authorization": f"Bearer {session['accessJwt']}"})
            except TokenExpired:
                if attempt == 2:
                    raise PermanentError("Bluesky refused a freshly renewed session. Check "
                                         "the app password.") from None
                session = self._refresh(client, session)
        raise AssertionError("unreachable")

    def did(self) -> str:
        return self._session(self._client())["did"]

    # Checks -----------------------------------------------------------------

    def check(self) -> CheckResult:
        try:
            self.config.secret("app_password", "Bluesky app password")
        except NotConfigured as error:
            return CheckResult(credentials_ok=False, reachable=False, lines=[
                str(error), "Townhall did not contact Bluesky."])
        lines = [f"The handle {self.identifier} and an app password are set."]
        try:
            session = self._session(self._client(), fresh=True)
            profile = self._call("GET", "app.bsky.actor.getProfile",
                                 params={"actor": session["did"]})
        except ConnectorError as error:
            ok = not isinstance(error, PermanentError) or error.status not in (400, 401)
            said = f"Bluesky could not be reached: {error}" if ok else str(error)
            return CheckResult(credentials_ok=ok, reachable=ok is False, lines=[*lines, said])
        lines.append(f"Bluesky answered: signed in as @{profile.get('handle', self.identifier)}"
                     f" ({session['did']}).")
        lines.append(f"Replies can be up to {LIMIT} characters long, counting each emoji "
                     "as one.")
        return CheckResult(credentials_ok=True, reachable=True, lines=lines)

    # Webhooks (from a relay) ------------------------------------------------

    def verify_webhook(self, headers: Mapping[str, str], body: bytes) -> bool:
        return self._webhook_signed(headers, body, secret="relay_secret", label="relay secret")

    def webhook_items(self, data: Any) -> list[IncomingItem | ItemError]:
        own = str(self.config.get("did") or "")
        return mapping.notifications_items(data, own_did=own, channel=self.handle)

    # Polling ----------------------------------------------------------------

    def poll(self, cursor: dict[str, Any]) -> PollResult:
        """Mentions, replies and quotes newer than the cursor.

        listNotifications runs newest first and its `cursor` pages back in time, so a
        poll reads down until it reaches what it had already seen (`newest`, an
        indexedAt time). If it stops first (the page cap), it stores the page cursor and
        the next poll carries on from there before moving `newest` on.
        """
        client = self._client()
        own = self.did()
        floor = str(cursor.get("newest") or "")
        if not floor:
            days = int(self.config.get("lookback_days") or 7)
            floor = (datetime.now(tz=UTC) - timedelta(days=days)).isoformat()
        floor_at = _time(floor) or datetime.now(tz=UTC)
        resume = cursor.get("resume") or {}
        page_cursor: str | None = resume.get("cursor")
        top = str(resume.get("top") or "")
        items: list[IncomingItem] = []
        errors: list[ItemError] = []
        reached = False
        for _ in range(MAX_PAGES):
            params: dict[str, Any] = {"limit": PAGE_SIZE, "reasons": list(mapping.REASONS)}
            if page_cursor:
                params["cursor"] = page_cursor
            data = self._call("GET", "app.bsky.notification.listNotifications",
                              params=params, client=client)
            rows = [r for r in data.get("notifications") or [] if isinstance(r, dict)]
            for row in rows:
                indexed = _time(row.get("indexedAt"))
                if indexed is not None and indexed < floor_at:
                    reached = True
                    continue
                if not top or (indexed is not None and indexed > (_time(top) or indexed)):
                    top = str(row.get("indexedAt") or top)
                try:
                    item = mapping.notification_item(row, own_did=own, channel=self.handle)
                except ItemError as error:
                    errors.append(error)
                    continue
                if item is not None:
                    items.append(item)
            page_cursor = data.get("cursor")
            if reached or not rows or not page_cursor:
                reached = True
                break
        if reached:
            newest = max(floor, top, key=lambda t: _time(t) or floor_at) if top else floor
            next_cursor: dict[str, Any] = {"newest": newest}
        else:
            next_cursor = {"newest": floor, "resume": {"cursor": page_cursor, "top": top}}
        return PollResult(items=items, cursor=next_cursor, errors=errors)

    # Replies ----------------------------------------------------------------

    def _parent_refs(self, parent_uri: str, client: XrpcClient) -> dict[str, Any]:
        """The reply's {root, parent} strong refs, from the parent post (getPosts)."""
        data = self._call("GET", "app.bsky.feed.getPosts", params={"uris": [parent_uri]},
                          client=client)
        posts = data.get("posts") or []
        if not posts:
            raise PermanentError("The post being answered is no longer on Bluesky, so the "
                                 "reply cannot be attached to it.")
        post = posts[0]
        parent = {"uri": str(post["uri"]), "cid": str(post["cid"])}
        root = ((post.get("record") or {}).get("reply") or {}).get("root")
        if not (isinstance(root, dict) and root.get("uri") and root.get("cid")):
            root = parent
        return {"root": {"uri": str(root["uri"]), "cid": str(root["cid"])}, "parent": parent}

    def send_reply(self, *, text: str, thread_id: str, in_reply_to: str,
                   idempotency_key: str) -> SentMessage:
        """Create an app.bsky.feed.post record replying to the parent, under its root.

        createRecord takes no idempotency key; find_sent covers a lost answer."""
        length = graphemes(text)
        if length > LIMIT:
            raise PermanentError(f"The reply is {length} characters long; Bluesky allows "
                                 f"{LIMIT}. Shorten it and send it again.")
        client = self._client()
        record: dict[str, Any] = {"$type": mapping.POST, "text": text, "createdAt": _now_iso()}
        parent_uri = in_reply_to or thread_id
        if parent_uri.startswith("at://"):
            record["reply"] = self._parent_refs(parent_uri, client)
        data = self._call("POST", "com.atproto.repo.createRecord", client=client, body={
            "repo": self.did(), "collection": mapping.POST, "record": record})
        return SentMessage(platform_message_id=str(data["uri"]), sent_at=_time(
            record["createdAt"]))

    def find_sent(self, *, text: str, thread_id: str, in_reply_to: str, idempotency_key: str,
                  since: datetime) -> SentMessage | None:
        """The account's own recent posts (getAuthorFeed): one replying to the same
        parent with the same text, written since the first attempt."""
        parent_uri = in_reply_to or thread_id
        data = self._call("GET", "app.bsky.feed.getAuthorFeed", params={
            "actor": self.did(), "filter": "posts_with_replies", "limit": PAGE_SIZE})
        for entry in data.get("feed") or []:
            post = (entry or {}).get("post") or {}
            record = post.get("record") or {}
            created = _time(record.get("createdAt"))
            if created is not None and created.timestamp() < since.timestamp() - 60:
                continue
            parent = ((record.get("reply") or {}).get("parent") or {}).get("uri", "")
            if parent_uri.startswith("at://") and parent != parent_uri:
                continue
            if record.get("text") == text:
                return SentMessage(platform_message_id=str(post["uri"]), sent_at=created)
        return None

    def fetch_profile(self, author: str) -> Profile:
        data = self._call("GET", "app.bsky.actor.getProfile", params={"actor": author})
        return Profile(handle=str(data.get("handle") or author),
                       name=str(data.get("displayName") or ""), extra={"did": data.get("did")})
