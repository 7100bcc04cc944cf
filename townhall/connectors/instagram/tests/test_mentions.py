"""Instagram @mentions: the webhook names only the comment or post, so the connector
fetches it (mentioned_comment / mentioned_media) after the webhook is answered, files
it in its own conversation, and replies through POST /{ig-user-id}/mentions."""

from pathlib import Path
from unittest import mock

import pytest
from django.test import Client
from django.utils import timezone

from townhall.connectors.fake import Scripted
from townhall.connectors.instagram.connector import InstagramConnector
from townhall.connectors.instagram.tests.conftest import APP_SECRET
from townhall.connectors.instagram.tests.fake_graph import IG_USER_ID
from townhall.connectors.models import Delivery, DeliveryAttempt, WebhookBatch
from townhall.connectors.services import reply_deliver
from townhall.connectors.webhooks import webhook_batches_process_due
from townhall.core.lib.signatures import sign
from townhall.inbox.models import Conversation, DeliveryStatus, Message
from townhall.inbox.services import conversation_reply
from townhall.ingest.models import RawEvent, RawStatus

WEBHOOKS = Path(__file__).parent / "fixtures" / "webhooks"


def post(channel, name: str):
    body = (WEBHOOKS / name).read_bytes()
    return Client().post(f"/connectors/instagram/{channel.key}/webhook", data=body,
                         content_type="application/json",
                         headers={"X-Hub-Signature-256": sign(APP_SECRET, body)})


def test_a_comment_mention_is_fetched_and_stored_in_its_own_conversation(
        instagram_channel, instagram_api) -> None:
    assert post(instagram_channel, "batch_mixed.json").status_code == 200
    mention = Message.objects.get(platform_message_id="17894227972186120")
    assert mention.text.startswith("@afoncouncil the footpath by the Riverside play area")
    assert mention.conversation.thread_key == "mention:17918195224117851:17894227972186120"
    asked = [r.query["fields"] for r in instagram_api.requests if r.path == f"/{IG_USER_ID}"]
    assert asked == ["mentioned_comment.comment_id(17894227972186120)"
                     "{id,text,timestamp,media{id,permalink}}"]
    # The comment and the DM in the same body are stored too.
    assert Message.objects.filter(channel=instagram_channel).count() == 3


def test_a_caption_mention_keeps_its_author_and_photo(instagram_channel, instagram_api) -> None:
    assert post(instagram_channel, "mention_caption.json").status_code == 200
    message = Message.objects.get(platform_message_id="17920112008063024")
    assert message.author_name == "cardiffwalker"
    assert message.attachments[0]["url"].endswith("station_rd.jpg")
    assert message.conversation.thread_key == "mention:17920112008063024"


def test_a_mention_instagram_will_not_give_is_kept_with_the_reason(
        instagram_channel, instagram_api) -> None:
    instagram_api.mentioned["comments"].clear()
    assert post(instagram_channel, "batch_mixed.json").status_code == 200
    rejected = RawEvent.objects.get(channel=instagram_channel, status=RawStatus.REJECTED)
    assert "the mention could not be read" in rejected.error
    assert Message.objects.filter(channel=instagram_channel).count() == 2


def test_instagram_being_down_keeps_the_whole_body_for_later(instagram_channel,
                                                            instagram_api) -> None:
    instagram_api.script("GET", rf"/{IG_USER_ID}", Scripted(503, {"error": {
        "message": "Service temporarily unavailable"}}))
    assert post(instagram_channel, "batch_mixed.json").status_code == 200
    kept = WebhookBatch.objects.get(channel=instagram_channel)
    assert kept.status == "failed" and "had an error (HTTP 503)" in kept.error
    assert Message.objects.filter(channel=instagram_channel).count() == 0
    WebhookBatch.objects.filter(pk=kept.pk).update(next_attempt_at=kept.received_at)
    assert webhook_batches_process_due()["processed"] == 1
    assert Message.objects.filter(channel=instagram_channel).count() == 3


def test_a_reply_to_a_comment_mention_goes_to_the_mentions_edge(
        instagram_channel, instagram_api, alice) -> None:
    post(instagram_channel, "batch_mixed.json")
    conversation = Conversation.objects.get(
        thread_key="mention:17918195224117851:17894227972186120")
    reply = conversation_reply(conversation=conversation, text="Thanks, we have told the "
                               "parks team.", by=alice, version=conversation.version,
                               idempotency_key="m-1")
    assert reply_deliver(message=reply).delivery_status == DeliveryStatus.SENT
    [sent] = instagram_api.mention_replies
    assert sent["media_id"] == "17918195224117851"
    assert sent["comment_id"] == "17894227972186120"
    assert sent["message"].startswith("Thanks, we have told the parks team.")



def _mention_reply(channel, alice, thread: str, text: str):
    conversation = Conversation.objects.get(thread_key=thread)
    return conversation_reply(conversation=conversation, text=text, by=alice,
                              version=conversation.version, idempotency_key=f"m-{thread}")


def _short_timeout(seconds):
    original = InstagramConnector._client

    def client(self):
        made = original(self)
        made.timeout = seconds
        return made

    return client


def _due(reply) -> None:
    Delivery.objects.filter(message=reply).update(next_attempt_at=timezone.now())


@pytest.mark.parametrize("fixture, thread", [
    ("batch_mixed.json", "mention:17918195224117851:17894227972186120"),
    ("mention_caption.json", "mention:17920112008063024"),
])
def test_a_timed_out_reply_to_a_mention_is_found_and_not_sent_twice(
        instagram_channel, instagram_api, alice, fixture, thread) -> None:
    post(instagram_channel, fixture)
    reply = _mention_reply(instagram_channel, alice, thread, "Thanks, the team is on its way.")
    # Instagram takes the reply but its answer comes too late.
    instagram_api.script("POST", rf"/{IG_USER_ID}/mentions", Scripted(delay=1.2))
    with mock.patch.object(InstagramConnector, "_client", _short_timeout(0.3)):
        assert reply_deliver(message=reply).delivery_status == DeliveryStatus.QUEUED
    assert Delivery.objects.get(message=reply).maybe_sent
    assert len(instagram_api.mention_replies) == 1
    _due(reply)
    done = reply_deliver(message=reply)
    assert done.delivery_status == DeliveryStatus.SENT
    assert len(instagram_api.mention_replies) == 1
    assert done.platform_message_id == instagram_api.mention_replies[0]["id"]
    assert DeliveryAttempt.objects.filter(message=reply).last().outcome == "found"
    looked = [r.query["fields"] for r in instagram_api.requests
              if r.path == f"/{IG_USER_ID}" and r.query["fields"].startswith("username,")]
    edge = "replies" if thread.count(":") == 2 else "comments"
    assert looked and f"{{{edge}{{id,text,timestamp,username}}}}" in looked[0]


def test_someone_elses_identical_comment_is_not_taken_for_the_reply(
        instagram_channel, instagram_api, alice) -> None:
    post(instagram_channel, "batch_mixed.json")
    text = "Thanks, the team is on its way."
    reply = _mention_reply(instagram_channel, alice,
                           "mention:17918195224117851:17894227972186120", text)
    # Instagram fails before taking the reply; a resident happens to write the same words.
    instagram_api.script("POST", rf"/{IG_USER_ID}/mentions",
                         Scripted(500, {"error": {"message": "An unknown error occurred"}}))
    assert reply_deliver(message=reply).delivery_status == DeliveryStatus.QUEUED
    instagram_api.others_on_mentions["17894227972186120"] = [{
        "id": "17900000000099999", "text": reply.text, "username": "cerys.j",
        "timestamp": timezone.now().strftime("%Y-%m-%dT%H:%M:%S+0000")}]
    _due(reply)
    done = reply_deliver(message=reply)
    assert done.delivery_status == DeliveryStatus.SENT
    assert [r["message"] for r in instagram_api.mention_replies] == [reply.text]
    assert done.platform_message_id == instagram_api.mention_replies[0]["id"]
    assert DeliveryAttempt.objects.filter(message=reply).last().outcome == "sent"
