"""Facebook Pages and Messenger through Meta's Graph API and Page webhooks.

Settings: page_id, graph_url (default below; tests point it at a fake), timeout, and
for each secret either `<name>_env` naming an environment variable or an encrypted
stored value: page_access_token, app_secret, verify_token.
"""

from datetime import UTC, datetime
from typing import Any

from django.utils.translation import gettext_lazy

from townhall.connectors.base import (
    CheckResult,
    Connector,
    PollResult,
    Profile,
    ReplyWindow,
    SentMessage,
)
from townhall.connectors.errors import ConnectorError, NotConfigured, PermanentError
from townhall.connectors.facebook import mapping
from townhall.connectors.facebook.verification import MetaGraphApi, MetaWebhookVerification
from townhall.connectors.facebook.window import messaging_window, outside_window, tagged
from townhall.ingest.items import IncomingItem, ItemError

GRAPH_URL = "https://graph.facebook.com/v21.0"
NAME = "Facebook"
COMMENT_FIELDS = "id,message,created_time,from,parent"
POST_FIELDS = "id,message,created_time,from,full_picture"
MESSAGE_FIELDS = "messages{id,message,created_time,from,to}"
# Stop following pages after this many per call, so one poll cannot run for ever; the
# cursor only moves to what was read, and the next poll carries on.
MAX_PAGES = 50


class FacebookConnector(MetaWebhookVerification, MetaGraphApi, Connector):
    platform = "facebook"
    name = NAME
    graph_url = GRAPH_URL
    generated_secrets = (("verify_token", gettext_lazy("Verify token")),)
    webhook_help = gettext_lazy("In Meta's app dashboard, open Webhooks, choose the Page object, and "
                     "enter this callback URL and the verify token. Subscribe to the feed "
                     "and messages fields.")

    @property
    def page_id(self) -> str:
        return str(self.config.require("page_id", "Facebook Page id"))

    def _pages(self, path: str, **params: Any) -> list[dict[str, Any]]:
        """Every row of a paged Graph API list, following paging.next."""
        data = self._get(path, **params)
        rows: list[dict[str, Any]] = []
        for _ in range(MAX_PAGES):
            rows += [r for r in data.get("data", []) if isinstance(r, dict)]
            after = (data.get("paging") or {}).get("cursors", {}).get("after")
            if not (data.get("paging") or {}).get("next") or not after:
                break
            data = self._get(path, **params, after=after)
        return rows

    # Checks -----------------------------------------------------------------

    def check(self) -> CheckResult:
        lines, missing = [], []
        for name, what in (("page_id", "Page id"),):
            if not self.config.get(name):
                missing.append(f"The {what} is not set. Add '{name}' to the channel's settings.")
        for name, what in (("page_access_token", "Page access token"),
                           ("app_secret", "app secret"), ("verify_token", "verify token")):
            try:
                self.config.secret(name, what)
            except NotConfigured as error:
                missing.append(str(error))
        if missing:
            return CheckResult(credentials_ok=False, reachable=False,
                               lines=[*missing, "Townhall did not contact Facebook."])
        lines.append("The Page id, Page access token, app secret and verify token are set.")
        try:
            page = self._get(self.page_id, fields="id,name")
        except ConnectorError as error:
            return CheckResult(credentials_ok=True, reachable=False,
                               lines=[*lines, f"Facebook could not be reached: {error}"])
        lines.append(f"Facebook answered: the token works for the Page "
                     f"{page.get('name', self.page_id)!r}.")
        return CheckResult(credentials_ok=True, reachable=True, lines=lines)

    # Webhooks ---------------------------------------------------------------

    def webhook_items(self, data: Any) -> list[IncomingItem | ItemError]:
        page_id = str(self.config.get("page_id") or "")
        return mapping.webhook_items(data, page_id=page_id, channel=self.handle)

    # Polling ----------------------------------------------------------------

    def poll(self, cursor: dict[str, Any]) -> PollResult:
        """What arrived since the cursor: visitor posts and comments, then Messenger.

        The cursor is the newest created time seen, in epoch seconds. Graph's `since` is
        inclusive, so the newest items come back once more and ingest absorbs them.
        """
        since = int(cursor.get("since") or 0)
        page_id, channel = self.page_id, self.handle
        items: list[IncomingItem] = []
        errors: list[ItemError] = []

        def keep(build: Any) -> None:
            try:
                item = build()
            except (ItemError, TypeError, ValueError) as error:
                errors.append(ItemError(str(error)))
                return
            if item is not None:
                items.append(item)

        # Residents keep commenting on older posts, so posts are read from a look-back
        # window and only their comments are held to the cursor.
        lookback = int(self.config.get("lookback_days") or 7) * 86400
        posts_since = max(0, since - lookback) if since else None
        for post in self._pages(f"{page_id}/feed", fields=POST_FIELDS, since=posts_since):
            keep(lambda p=post: mapping.graph_post(p, page_id=page_id, channel=channel))
            for comment in self._pages(f"{post['id']}/comments", fields=COMMENT_FIELDS,
                                       filter="stream", since=since or None):
                keep(lambda c=comment, p=post: mapping.graph_comment(
                    c, post_id=str(p["id"]), page_id=page_id, channel=channel))
        for conversation in self._pages(f"{page_id}/conversations", platform="messenger",
                                        fields=f"updated_time,{MESSAGE_FIELDS}"):
            updated = _parse_time(conversation.get("updated_time"))
            if since and updated is not None and updated.timestamp() < since:
                continue
            for message in (conversation.get("messages") or {}).get("data", []):
                keep(lambda m=message: mapping.graph_message(m, page_id=page_id,
                                                             channel=channel))
        newest = max([since] + [int(i.created_at.timestamp()) for i in items])
        return PollResult(items=[i for i in items if i.created_at.timestamp() >= since],
                          cursor={"since": newest}, errors=errors)

    # Replies ----------------------------------------------------------------

    def reply_window(self, *, thread_id: str, last_inbound_at: datetime | None,
                     now: datetime) -> ReplyWindow | None:
        """Messenger's 24-hour window (7 days with the human agent tag, if the council
        switched it on); comments have none."""
        if not thread_id.startswith(mapping.MESSENGER_PREFIX):
            return None
        return messaging_window(last_resident_at=last_inbound_at, now=now, where="Messenger",
                                human_agent=bool(self.config.get("human_agent_tag")))

    def send_reply(self, *, text: str, thread_id: str, in_reply_to: str,
                   idempotency_key: str, tag: str = "") -> SentMessage:
        client = self._client()
        if thread_id.startswith(mapping.MESSENGER_PREFIX):
            body = {"recipient": {"id": thread_id.removeprefix(mapping.MESSENGER_PREFIX)},
                    "messaging_type": "RESPONSE", "message": {"text": text}}
            try:
                data = client.request("POST", "me/messages", params=self._token(),
                                      json_body=tagged(body, tag))
            except PermanentError as error:
                raise outside_window(error, "Messenger") from None
            return SentMessage(platform_message_id=str(data["message_id"]))
        target = in_reply_to or thread_id
        data = client.request("POST", f"{target}/comments", params=self._token(),
                              json_body={"message": text})
        return SentMessage(platform_message_id=str(data["id"]))

    def find_sent(self, *, text: str, thread_id: str, in_reply_to: str, idempotency_key: str,
                  since: datetime) -> SentMessage | None:
        """The Graph API takes no idempotency key, so look for the Page's own reply with
        the same text written since the first attempt."""
        page_id = self.page_id
        if thread_id.startswith(mapping.MESSENGER_PREFIX):
            resident = thread_id.removeprefix(mapping.MESSENGER_PREFIX)
            rows: list[dict[str, Any]] = []
            for conversation in self._pages(f"{page_id}/conversations", platform="messenger",
                                            user_id=resident, fields=MESSAGE_FIELDS):
                rows += (conversation.get("messages") or {}).get("data", [])
        else:
            rows = self._pages(f"{in_reply_to or thread_id}/comments", fields=COMMENT_FIELDS,
                               filter="stream", since=int(since.timestamp()) - 60)
        for row in rows:
            author = str((row.get("from") or {}).get("id", ""))
            created = _parse_time(row.get("created_time"))
            if author == page_id and row.get("message") == text and (
                    created is None or created.timestamp() >= since.timestamp() - 60):
                return SentMessage(platform_message_id=str(row["id"]), sent_at=created)
        return None

    def fetch_profile(self, author: str) -> Profile:
        data = self._get(author, fields="id,name")
        return Profile(handle=author, name=str(data.get("name", "")))


def _parse_time(raw: Any) -> datetime | None:
    if isinstance(raw, str):
        try:
            return datetime.fromisoformat(raw)
        except ValueError:
            return None
    if isinstance(raw, int | float):
        return datetime.fromtimestamp(raw, tz=UTC)
    return None
