"""Instagram professional accounts through the Instagram Graph API and the Facebook Page
they are linked to (Instagram API with Facebook Login).

Settings: ig_user_id (the Instagram professional account id), graph_url (default below;
tests point it at a fake), timeout, lookback_days, and for each secret either
`<name>_env` naming an environment variable or an encrypted stored value:
page_access_token (of the linked Page), app_secret, verify_token. Webhooks are
verified exactly as Facebook's are (facebook/verification.py).
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
from townhall.connectors.facebook.verification import MetaWebhookVerification
from townhall.connectors.facebook.window import messaging_window, outside_window, tagged
from townhall.connectors.instagram import mapping
from townhall.connectors.meta import MAX_PAGES, MetaGraphApi, own_reply, parse_time, polled
from townhall.ingest.items import IncomingItem, ItemError

NAME = "Instagram"
COMMENT_FIELDS = "id,text,timestamp,username,from,parent_id"
MEDIA_FIELDS = (f"id,caption,timestamp,permalink,"
                f"comments{{{COMMENT_FIELDS},replies{{{COMMENT_FIELDS}}}}}")
TAG_FIELDS = "id,caption,timestamp,username,media_type,media_url,permalink"
MENTIONED_COMMENT_FIELDS = "id,text,timestamp,media{id,permalink}"
MENTIONED_MEDIA_FIELDS = TAG_FIELDS
MENTION_REPLY_FIELDS = "id,text,timestamp,username"
# A comment reply may be as long as a caption; a DM is capped at 1,000 bytes of UTF-8.
COMMENT_MAX_CHARS = 2200
DM_MAX_BYTES = 1000


class InstagramConnector(MetaWebhookVerification, MetaGraphApi, Connector):
    platform = "instagram"
    name = NAME
    webhook_help = gettext_lazy("In Meta's app dashboard, open Webhooks, choose the Instagram object, "
                     "and enter this callback URL and the verify token. Subscribe to the "
                     "comments, mentions and messages fields.")

    @property
    def ig_user_id(self) -> str:
        return str(self.config.require("ig_user_id", "Instagram account id"))

    # Checks -----------------------------------------------------------------

    def check(self) -> CheckResult:
        def whose() -> str:
            account = self._get(self.ig_user_id, fields="id,username,name")
            return f"@{account.get('username', self.ig_user_id)}"

        return self._check(setting="ig_user_id", what="Instagram account id", whose=whose)

    # Webhooks ---------------------------------------------------------------

    def webhook_items(self, data: Any) -> list[IncomingItem | ItemError]:
        """Comments and DMs as sent; each @mention fetched from the Graph API, since the
        webhook carries only its ids. This runs after the webhook is answered (decision
        508). A mention Instagram will not give (deleted, comments turned off) becomes an
        error kept with the body; a retriable failure raises, so the whole body is tried
        again later and ingest absorbs what was already stored."""
        items = mapping.webhook_items(data, ig_user_id=str(self.config.get("ig_user_id") or ""),
                                      channel=self.handle)
        for index, media_id, comment_id in mapping.mention_refs(data):
            try:
                items.append(self._mention(media_id, comment_id))
            except (PermanentError, ItemError) as error:
                items.append(ItemError(f"Entry {index}: the mention could not be read "
                                       f"({error})."))
        return items

    def _mention(self, media_id: str, comment_id: str) -> IncomingItem:
        if not media_id:
            raise ItemError("'media_id' is missing.")
        if comment_id:
            data = self._get(self.ig_user_id, fields=(
                f"mentioned_comment.comment_id({comment_id}){{{MENTIONED_COMMENT_FIELDS}}}"))
            return mapping.mentioned_comment(data.get("mentioned_comment") or {},
                                             media_id=media_id, channel=self.handle)
        data = self._get(self.ig_user_id, fields=(
            f"mentioned_media.media_id({media_id}){{{MENTIONED_MEDIA_FIELDS}}}"))
        return mapping.mentioned_media(data.get("mentioned_media") or {}, channel=self.handle)

    # Polling ----------------------------------------------------------------

    def poll(self, cursor: dict[str, Any]) -> PollResult:
        """Comments on recent media, then media the account is tagged in.

        The cursor is the newest time seen, in epoch seconds. Residents keep commenting
        on older posts, so media is read back over a look-back window and only the
        comments are held to the cursor. DMs are not polled: the Page's Instagram
        conversations list is read only to find a reply that may have been sent.
        """
        since = int(cursor.get("since") or 0)
        ig_user_id, channel = self.ig_user_id, self.handle
        items: list[IncomingItem] = []
        errors: list[ItemError] = []

        def keep(build: Any) -> None:
            try:
                items.append(build())
            except (ItemError, TypeError, ValueError, AttributeError) as error:
                errors.append(ItemError(str(error)))

        oldest_media = since - int(self.config.get("lookback_days") or 7) * 86400
        for media in self._recent_media(oldest_media if since else None):
            media_id = str(media.get("id", ""))
            comments = media.get("comments") or {}
            for row in self._pages(f"{media_id}/comments", first=comments,
                                   fields=f"{COMMENT_FIELDS},replies{{{COMMENT_FIELDS}}}"):
                for one in [row, *((row.get("replies") or {}).get("data") or [])]:
                    keep(lambda c=one, m=media_id: mapping.graph_comment(
                        c, media_id=m, ig_user_id=ig_user_id, channel=channel))
        for media in self._pages(f"{ig_user_id}/tags", fields=TAG_FIELDS):
            keep(lambda m=media: mapping.tagged_media(m, channel=channel))
        return polled(items, errors, since)

    def _recent_media(self, oldest: int | None) -> list[dict[str, Any]]:
        """The account's media, newest first, stopping once it is older than `oldest`."""
        out: list[dict[str, Any]] = []
        for media in self._rows(f"{self.ig_user_id}/media", fields=MEDIA_FIELDS):
            taken = parse_time(media.get("timestamp"))
            if oldest is not None and taken is not None and taken.timestamp() < oldest:
                break
            out.append(media)
        return out

    # Replies ----------------------------------------------------------------

    def reply_window(self, *, thread_id: str, last_inbound_at: datetime | None,
                     now: datetime) -> ReplyWindow | None:
        """Direct messages have Meta's messaging window, as Messenger does."""
        if not thread_id.startswith(mapping.DM_PREFIX):
            return None
        return messaging_window(last_resident_at=last_inbound_at, now=now,
                                where="Instagram",
                                human_agent=bool(self.config.get("human_agent_tag")))

    def send_reply(self, *, text: str, thread_id: str, in_reply_to: str,
                   idempotency_key: str, tag: str = "") -> SentMessage:
        if thread_id.startswith(mapping.TAG_PREFIX):
            raise PermanentError("Instagram does not let an account comment on a photo it "
                                 "is tagged in. Send the resident a direct message instead.")
        client = self._client()
        if thread_id.startswith(mapping.MENTION_PREFIX):
            return self._reply_to_mention(client, text, thread_id)
        if thread_id.startswith(mapping.DM_PREFIX):
            size = len(text.encode("utf-8"))
            if size > DM_MAX_BYTES:
                raise PermanentError(f"The message is too long for an Instagram direct "
                                     f"message ({size:,} bytes; the limit is "
                                     f"{DM_MAX_BYTES:,}, and accented letters and emoji "
                                     "take 2 to 4 each). Shorten it.")
            body = {"recipient": {"id": thread_id.removeprefix(mapping.DM_PREFIX)},
                    "message": {"text": text}}
            try:
                data = client.request("POST", "me/messages", params=self._token(),
                                      json_body=tagged(body, tag))
            except PermanentError as error:
                raise outside_window(error, "Instagram") from None
            return SentMessage(platform_message_id=str(data["message_id"]))
        if len(text) > COMMENT_MAX_CHARS:
            raise PermanentError(f"The reply is {len(text):,} characters; Instagram allows "
                                 f"{COMMENT_MAX_CHARS:,}. Shorten it.")
        # Instagram takes replies only on top-level comments, which is what a comment
        # thread is keyed by; a reply to a reply goes to the top of its thread.
        data = client.request("POST", f"{thread_id}/replies", params=self._token(),
                              json_body={"message": text})
        return SentMessage(platform_message_id=str(data["id"]))

    def _reply_to_mention(self, client: Any, text: str, thread_id: str) -> SentMessage:
        """A comment under the post or comment that @mentioned the account
        (POST /{ig-user-id}/mentions with media_id, and comment_id for a comment)."""
        if len(text) > COMMENT_MAX_CHARS:
            raise PermanentError(f"The reply is {len(text):,} characters; Instagram allows "
                                 f"{COMMENT_MAX_CHARS:,}. Shorten it.")
        media_id, _, comment_id = thread_id.removeprefix(mapping.MENTION_PREFIX).partition(":")
        body = {"media_id": media_id, "message": text}
        if comment_id:
            body["comment_id"] = comment_id
        data = client.request("POST", f"{self.ig_user_id}/mentions", params=self._token(),
                              json_body=body)
        return SentMessage(platform_message_id=str(data["id"]))

    def find_sent(self, *, text: str, thread_id: str, in_reply_to: str, idempotency_key: str,
                  since: datetime) -> SentMessage | None:
        """The Graph API takes no idempotency key, so look for the account's own reply
        with the same text written since the first attempt. Nothing is ever sent in a
        tagged-media thread, so there is nothing to look for there."""
        ig_user_id, floor = self.ig_user_id, since.timestamp() - 60
        if thread_id.startswith(mapping.TAG_PREFIX):
            return None
        if thread_id.startswith(mapping.MENTION_PREFIX):
            return self._find_mention_reply(text, thread_id, floor)
        if thread_id.startswith(mapping.DM_PREFIX):
            rows = self._conversation_messages(
                "me/conversations", platform="instagram",
                user_id=thread_id.removeprefix(mapping.DM_PREFIX))
            return own_reply(rows, account=ig_user_id, text=text, floor=floor)
        rows = self._pages(f"{thread_id}/replies", fields=COMMENT_FIELDS)
        return own_reply(rows, account=ig_user_id, text=text, floor=floor, stamp="timestamp",
                         body="text")

    def _find_mention_reply(self, text: str, thread_id: str, floor: float) -> SentMessage | None:
        """A reply to a mention is a comment on someone else's media, which the council
        may read only through the mention nodes: the mentioning comment's replies
        (mentioned_comment{replies}) or the captioned media's comments
        (mentioned_media{comments}). Instagram gives the author's username there, not
        an id, so the account's own username is read in the same request."""
        media_id, _, comment_id = thread_id.removeprefix(mapping.MENTION_PREFIX).partition(":")
        node, edge = (("mentioned_comment", "replies") if comment_id
                      else ("mentioned_media", "comments"))
        which = (f"comment_id({comment_id})" if comment_id else f"media_id({media_id})")
        data = self._get(self.ig_user_id, fields=(
            f"username,{node}.{which}{{{edge}{{{MENTION_REPLY_FIELDS}}}}}"))
        username = str(data.get("username") or "").lower()
        listing = (data.get(node) or {}).get(edge) or {}
        wanted = " ".join(text.split())
        for _ in range(MAX_PAGES):
            for row in listing.get("data") or []:
                created = parse_time(row.get("timestamp"))
                author = str((row.get("from") or {}).get("id") or "")
                ours = author == self.ig_user_id or (
                    bool(username) and str(row.get("username") or "").lower() == username)
                if ours and " ".join(str(row.get("text") or "").split()) == wanted and (
                        created is None or created.timestamp() >= floor):
                    return SentMessage(platform_message_id=str(row["id"]), sent_at=created)
            following = (listing.get("paging") or {}).get("next")
            if not following:
                break
            listing = self._client().request("GET", str(following))
        return None

    def fetch_profile(self, author: str) -> Profile:
        data = self._get(author, fields="name,username")
        return Profile(handle=str(data.get("username", author)), name=str(data.get("name", "")))
