from django.test import Client

from townhall.conftest import PASSWORD, message_data
from townhall.connectors.models import Delivery
from townhall.inbox.models import Conversation
from townhall.inbox.services import conversation_reply
from townhall.ingest.items import parse_item
from townhall.ingest.services import items_ingest


def test_the_officer_sees_why_a_reply_was_not_sent(client: Client, council, alice) -> None:
    items_ingest(council=council, source="api", items=[parse_item(message_data())])
    conversation = Conversation.objects.get()
    reply = conversation_reply(conversation=conversation, by=alice, text="On its way",
                               version=conversation.version)
    reply.delivery_status = "failed"
    reply.save(update_fields=["delivery_status"])
    Delivery.objects.create(message=reply, last_error="Facebook refused the reply: the Page "
                            "token has expired. Reconnect the channel, then send it again.")
    client.login(username="alice", password=PASSWORD)
    page = client.get(f"/conversations/{conversation.pk}/").content.decode()
    assert "Not sent" in page
    assert "the Page token has expired. Reconnect the channel" in page
