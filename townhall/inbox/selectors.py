"""Reads of the inbox, always scoped to what one member may see."""

from django.db.models import Q, QuerySet
from django.http import Http404

from townhall.accounts.models import Membership, Role
from townhall.inbox.models import Conversation, Message


def conversations_visible(*, membership: Membership) -> QuerySet[Conversation]:
    """Admins see the whole council; others see their teams' work and the shared queue.

    A conversation with no team yet is in the council's front door, which every
    member can see, so nothing waits unseen before it is routed.
    """
    queryset = Conversation.objects.filter(council_id=membership.council_id)
    if membership.role == Role.ADMIN:
        return queryset
    team_ids = list(membership.teams.values_list("id", flat=True))
    return queryset.filter(Q(team__isnull=True) | Q(team_id__in=team_ids))


def conversation_list(
    *, membership: Membership, status: str | None = None, limit: int = 50, offset: int = 0
) -> list[Conversation]:
    queryset = conversations_visible(membership=membership).select_related(
        "channel", "resident", "team", "assignee", "category"
    )
    if status:
        queryset = queryset.filter(status=status)
    return list(queryset.order_by("-last_message_at", "-id")[offset:offset + limit])


def conversation_get(*, membership: Membership, conversation_id: int) -> Conversation:
    conversation = (
        conversations_visible(membership=membership)
        .select_related("channel", "resident", "team", "assignee", "category")
        .filter(pk=conversation_id)
        .first()
    )
    if conversation is None:
        raise Http404("No such conversation.")
    return conversation


def conversation_messages(*, conversation: Conversation) -> list[Message]:
    return list(
        Message.objects.filter(conversation=conversation)
        .select_related("author", "sent_by", "category")
        .order_by("created_at", "id")
    )


def message_get(*, membership: Membership, message_id: int) -> Message:
    visible = conversations_visible(membership=membership)
    message = (
        Message.objects.filter(pk=message_id, conversation__in=visible)
        .select_related("conversation", "channel", "author", "category")
        .first()
    )
    if message is None:
        raise Http404("No such message.")
    return message
