"""Facebook Pages and Messenger through Meta's Graph API and Page webhooks.

Settings: page_id, graph_url (default below; tests point it at a fake), timeout, and
for each secret either `<name>_env` naming an environment variable or an encrypted
stored value: page_access_token, app_secret, verify_token.
"""

from datetime import datetime
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
from townhall.connectors.errors import PermanentError
from townhall.connectors.facebook import mapping
from townhall.connectors.facebook.verification import MetaWebhookVerification
from townhall.connectors.facebook.window import messaging_window, outside_window, tagged
from townhall.connectors.meta import (
    MESSAGE_FIELDS,
    MetaGraphApi,
    own_reply,
    parse_time,
    polled,
)
from townhall.ingest.items import IncomingItem, ItemError

NAME = "Facebook"
COMMENT_FIELDS = "id,message,created_time,from,parent"
POST_FIELDS = "id,message,created_time,from,full_picture"


class FacebookConnector(MetaWebhookVerification, MetaGraphApi, Connector):
    platform = "facebook"
    name = NAME
    webhook_help = gettext_lazy("In Meta's app dashboard, open Webhooks, choose the Page object, and "
                     "enter this callback URL and the verify token. Subscribe to the feed "
                     "and messages fields.")

    @property
    def page_id(self) -> str:
        return str(self.config.require("page_id", "Facebook Page id"))

    # Checks -----------------------------------------------------------------

    def check(self) -> CheckResult:
        def whose() -> str:
            page = self._get(self.page_id, fields="id,name")
            return f"the Page {page.get('name', self.page_id)!r}"

        return self._check(setting="page_id", what="Page id", whose=whose)

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
            updated = parse_time(conversation.get("updated_time"))
            if since and updated is not None and updated.timestamp() < since:
                continue
            for message in (conversation.get("messages") or {}).get("data", []):
                keep(lambda m=message: mapping.graph_message(m, page_id=page_id,
                                                             channel=channel))
        return polled(items, errors, since)

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
            rows = self._conversation_messages(
                f"{page_id}/conversations", platform="messenger",
                user_id=thread_id.removeprefix(mapping.MESSENGER_PREFIX))
        else:
            rows = self._pages(f"{in_reply_to or thread_id}/comments", fields=COMMENT_FIELDS,
                               filter="stream", since=int(since.timestamp()) - 60)
        return own_reply(rows, account=page_id, text=text, floor=since.timestamp() - 60)

    def fetch_profile(self, author: str) -> Profile:
        data = self._get(author, fields="id,name")
        return Profile(handle=author, name=str(data.get("name", "")))
