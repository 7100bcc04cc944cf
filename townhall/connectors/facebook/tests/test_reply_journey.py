"""From an officer's reply in the inbox to the comment on the council's Facebook Page."""

from townhall.conftest import message_data
from townhall.inbox.models import Conversation, Message
from townhall.inbox.services import conversation_reply
from townhall.ingest.items import parse_item
from townhall.ingest.services import items_ingest


def test_an_officers_reply_is_posted_to_facebook_exactly_once(
        council, alice, facebook_channel, graph, django_capture_on_commit_callbacks) -> None:
    items_ingest(council=council, channel=facebook_channel, source="connector", items=[
        parse_item(message_data(platform_message_id="111_222", thread_id="111_222",
                                text="Pothole on Mill Lane, nearly came off my bike"))])
    conversation = Conversation.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        reply = conversation_reply(conversation=conversation, by=alice, text="Thanks, we'll "
                                   "inspect it today.", version=conversation.version,
                                   idempotency_key="form-1")
    # The form submitted twice (a double click) must not post twice.
    with django_capture_on_commit_callbacks(execute=True):
        conversation_reply(conversation=conversation, by=alice, text="Thanks, we'll inspect "
                           "it today.", version=conversation.version, idempotency_key="form-1")
    reply.refresh_from_db()
    assert reply.delivery_status == "sent"
    assert reply.platform_message_id
    assert len(graph.sent_comments) == 1
    assert graph.sent_comments[0]["message"].startswith("Thanks, we'll inspect it today.")
    assert Message.objects.filter(direction="out").count() == 1
