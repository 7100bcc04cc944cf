"""Instagram direct messages have Meta's messaging window, as Messenger does."""

from pathlib import Path

from townhall.connectors.facebook.tests.retime import written_ago
from townhall.connectors.registry import connector_for
from townhall.connectors.selectors import delivery_error
from townhall.connectors.services import reply_deliver
from townhall.inbox.models import Conversation, DeliveryStatus
from townhall.inbox.services import conversation_reply
from townhall.ingest.services import items_ingest

WEBHOOKS = Path(__file__).parent / "fixtures" / "webhooks"


def test_an_instagram_dm_answered_too_late_fails_with_the_reason(instagram_channel,
                                                                 instagram_api, alice) -> None:
    body = written_ago((WEBHOOKS / "message_text.json").read_bytes(), hours=26)
    items_ingest(council=instagram_channel.council, source="connector", channel=instagram_channel,
                 items=connector_for(instagram_channel).parse_webhook(body))
    conversation = Conversation.objects.get(thread_key="igdm:1254459154682919")
    reply = conversation_reply(conversation=conversation, text="Sorry for the wait.", by=alice,
                               version=conversation.version, idempotency_key="late-1")
    assert reply_deliver(message=reply).delivery_status == DeliveryStatus.FAILED
    assert "not allow a normal reply in Instagram" in delivery_error(message=reply)
    assert instagram_api.sent_messages == []
