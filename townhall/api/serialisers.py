from typing import Any

from townhall.inbox.models import Conversation, Message


def message_out(message: Message) -> dict[str, Any]:
    return {
        "id": message.pk,
        "conversation_id": message.conversation_id,
        "platform": message.channel.platform,
        "channel": message.channel.handle,
        "direction": message.direction,
        "platform_message_id": message.platform_message_id,
        "author": message.author.handle if message.author else "",
        "author_name": message.author_name,
        "text": message.text,
        "attachments": message.attachments,
        "created_at": message.created_at,
        "received_at": message.received_at,
        "category": message.category.code if message.category else None,
        "priority": message.priority,
        "language": message.language,
        "has_conflicting_redelivery": message.has_conflicting_redelivery,
    }


def conversation_out(conversation: Conversation) -> dict[str, Any]:
    return {
        "id": conversation.pk,
        "platform": conversation.platform,
        "channel": conversation.channel.handle,
        "status": conversation.status,
        "subject": conversation.subject,
        "team": conversation.team.code if conversation.team else None,
        "assignee": conversation.assignee.get_username() if conversation.assignee else None,
        "category": conversation.category.code if conversation.category else None,
        "priority": conversation.priority,
        "safeguarding": conversation.safeguarding,
        "version": conversation.version,
        "created_at": conversation.created_at,
        "last_message_at": conversation.last_message_at,
        "waiting_since": conversation.waiting_since,
        "message_count": conversation.message_count,
    }
