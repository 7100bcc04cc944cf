"""Back-office updates as entries in the conversation's thread (townhall.inbox.timeline).

Each status update the back office sends is shown among the messages, in time order,
marked as an update rather than a message. "Send this update to the resident" starts a
normal reply from a plain-English (and, for a resident who wrote in Welsh, Welsh)
wording; the reply goes through the inbox's reply service, so the Welsh rule and the
approval rules apply, and the update remembers it.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from townhall.accounts.models import Membership
from townhall.core.services import audit_record
from townhall.inbox.models import Conversation, DeliveryStatus, Message
from townhall.inbox.timeline import ThreadEvent
from townhall.open311.models import BackOffice, RequestUpdate
from townhall.open311.wording import status_name, update_reply_text

PREFIX = "backoffice-update"
# What the reply about an update has come to; "sent" covers queued and sent.
REPLY_STATES: dict[str, str] = {DeliveryStatus.AWAITING_APPROVAL: "approval",
                                DeliveryStatus.REJECTED: "rejected",
                                DeliveryStatus.FAILED: "failed"}


def thread_key(update: RequestUpdate) -> str:
    return f"{PREFIX}-{update.pk}"


def thread_events(*, conversation: Conversation) -> list[ThreadEvent]:
    """The conversation's back-office updates: one query, two more when there are any."""
    from townhall.respond.welsh import resident_language

    updates = list(RequestUpdate.objects.filter(request__conversation_id=conversation.pk)
                   .select_related("request", "reply")
                   .only("pk", "update_id", "status", "description", "updated_at", "source",
                         "request__service_request_id", "request__conversation_id",
                         "request__created_at", "request__sent_at",
                         "reply__delivery_status")
                   .order_by("updated_at", "id"))
    if not updates:
        return []
    backoffice = BackOffice.objects.filter(council_id=conversation.council_id).only(
        "name", "updates_need_approval").first()
    language = resident_language(conversation)
    approval = (_("Replies about back-office updates need a supervisor's approval")
                if backoffice is not None and backoffice.updates_need_approval else "")
    events = []
    for update in updates:
        reference = update.request.service_request_id
        detail = update.get_source_display()
        if reference:
            detail = _("%(how)s · reference %(reference)s") % {"how": detail,
                                                                "reference": reference}
        state = ""
        if update.reply is not None:
            state = REPLY_STATES.get(update.reply.delivery_status, "sent")
        # The back office's clock, in whole seconds, can put an update a moment before
        # the hand-off it follows; it is shown no earlier than the request was sent.
        sent = update.request.sent_at or update.request.created_at
        events.append(ThreadEvent(
            key=thread_key(update), at=max(update.updated_at, sent),
            kind=_("Back-office update"),
            source=backoffice.name if backoffice else _("Back office"),
            title=status_name(update.status), text=update.description, detail=detail,
            reply_text=update_reply_text(update=update, conversation=conversation,
                                         language=language),
            reply_label=_("Send this update to the resident"), reply_state=state,
            approval_reason=approval))
    return events


def thread_event_replied(*, conversation: Conversation, key: str, message: Message,
                         by: Membership) -> None:
    """Remember which reply told the resident about the update (inside the reply's
    transaction), and audit it."""
    update_id = key.removeprefix(f"{PREFIX}-")
    with transaction.atomic():
        update = (RequestUpdate.objects.select_related("request")
                  .filter(pk=int(update_id) if update_id.isdigit() else 0,
                          request__conversation_id=conversation.pk).first())
        if update is None:
            return
        RequestUpdate.objects.filter(pk=update.pk).update(reply=message)
        audit_record(council=conversation.council, actor=by.user, action="open311.update_told",
                     obj=update.request, data={"update": update.update_id,
                                               "message": message.pk,
                                               "held_for_approval": message.delivery_status
                                               == DeliveryStatus.AWAITING_APPROVAL})
