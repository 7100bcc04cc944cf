"""Every change an officer makes to a conversation, each with its audit event.

A change that could overwrite a colleague's (assign, reply, close, reopen, snooze,
correct) names the version of the conversation the officer saw. If a colleague has moved
it on since, nothing is written and ConversationChanged says who did what and when.
"""

import unicodedata
import uuid
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from townhall.accounts.models import Membership, Team
from townhall.core.actions import BaseAction
from townhall.core.models import AuditEvent
from townhall.core.services import audit_record
from townhall.inbox.models import (
    Conversation,
    DeliveryStatus,
    Direction,
    Message,
    Note,
    SavedReply,
    Status,
    TriageCorrection,
    Viewer,
)
from townhall.inbox.selectors import conversation_history
from townhall.triage.models import Category, Priority

# Platforms that cut a post at a length; the rest take long replies.
REPLY_LIMITS = {"x": 280, "bluesky": 300, "mastodon": 500}


class ConversationChanged(Exception):
    """A colleague changed the conversation after the officer's form was shown."""

    def __init__(self, *, conversation: Conversation, changes: list[AuditEvent]) -> None:
        super().__init__("The conversation changed after the form was shown.")
        self.conversation = conversation
        self.changes = changes


def _member_of(by: Membership, conversation: Conversation) -> None:
    if by.council_id != conversation.council_id:
        raise PermissionDenied


def _advance(conversation: Conversation, *, version: int, **changes: Any) -> None:
    """Write `changes` and move to the next version, only if still at `version`.

    The compare-and-set is one UPDATE, so two officers saving at the same moment cannot
    both win, on SQLite or PostgreSQL. Call it inside the caller's transaction.
    """
    updated = Conversation.objects.filter(pk=conversation.pk, version=version).update(
        version=F("version") + 1, **changes)
    conversation.refresh_from_db()
    if not updated:
        raise ConversationChanged(
            conversation=conversation,
            changes=conversation_history(conversation=conversation, since_version=version))


def _audit(conversation: Conversation, by: Membership, action: str, **data: Any) -> None:
    audit_record(council=conversation.council, actor=by.user, action=action, obj=conversation,
                 data={"version": conversation.version, **data})


def _person(user: Any) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()  # type: ignore[attr-defined]


@transaction.atomic
def conversation_assign(*, conversation: Conversation, team: Team | None,
                        assignee: Any, by: Membership,
                        version: int) -> Conversation:
    _member_of(by, conversation)
    if team is not None and team.council_id != conversation.council_id:
        raise PermissionDenied
    if assignee is not None and not Membership.objects.filter(
            user=assignee, council_id=conversation.council_id).exists():
        raise PermissionDenied
    _advance(conversation, version=version, team=team, assignee=assignee)
    _audit(conversation, by, "conversation.assigned",
           team=team.name if team else "", assignee=_person(assignee))
    return conversation


def grapheme_count(text: str) -> int:
    """Roughly what a person sees as characters: marks, joiners and variation
    selectors do not count, nor does the emoji after a zero-width joiner."""
    count, joined = 0, False
    for char in text:
        if char == "\u200d":
            joined = True
            continue
        if unicodedata.category(char) in ("Mn", "Me") or "\ufe00" <= char <= "\ufe0f":
            continue
        if not joined:
            count += 1
        joined = False
    return count


def reply_signature(*, user: Any) -> str:
    """How an officer signs a reply; issue 6 makes the style each council's choice."""
    first = getattr(user, "first_name", "") or user.get_username()
    return f"^{first}"


def reply_with_signature(*, text: str, user: Any) -> str:
    return f"{text.rstrip()}\n{reply_signature(user=user)}"


def reply_limit(*, platform: str) -> int | None:
    return REPLY_LIMITS.get(platform)


class ConversationReply(BaseAction[Message]):
    """Queue an officer's reply to the resident. Sending through the platform's
    connector is a later issue, so the message waits as "queued" with no platform id."""

    audit_action = "conversation.replied"

    def __init__(self, *, conversation: Conversation, text: str, by: Membership, version: int,
                 idempotency_key: str = "") -> None:
        super().__init__(council=conversation.council, actor=by.user)
        self.conversation, self.by, self.version = conversation, by, version
        self.text = text.strip()
        self.idempotency_key = idempotency_key or uuid.uuid4().hex

    def check(self) -> None:
        _member_of(self.by, self.conversation)
        if not self.text:
            raise ValidationError(_("Enter a reply"))
        body = reply_with_signature(text=self.text, user=self.by.user)
        limit = reply_limit(platform=self.conversation.platform)
        if limit is not None and grapheme_count(body) > limit:
            raise ValidationError(
                _("Your reply is %(n)d characters with your signature. This platform allows "
                  "%(limit)d. Shorten it.") % {"n": grapheme_count(body), "limit": limit})

    def _execute(self) -> tuple[Message, Any, dict[str, Any]]:
        now = timezone.now()
        conversation = self.conversation
        _advance(conversation, version=self.version, last_message_at=now, waiting_since=None,
                 first_response_at=Coalesce(F("first_response_at"), Value(now)),
                 message_count=F("message_count") + 1)
        message = Message.objects.create(
            council_id=conversation.council_id, conversation=conversation,
            channel_id=conversation.channel_id, direction=Direction.OUT,
            author_name=_person(self.by.user), sent_by=self.by.user,
            text=reply_with_signature(text=self.text, user=self.by.user),
            created_at=now, received_at=now, delivery_status=DeliveryStatus.QUEUED,
            idempotency_key=self.idempotency_key)
        return message, conversation, {"version": conversation.version, "message": message.pk}


def conversation_reply(*, conversation: Conversation, text: str, by: Membership, version: int,
                       idempotency_key: str = "") -> Message:
    """Queue a reply. Sending the same form twice (same key) gives back the first reply."""
    if idempotency_key:
        earlier = Message.objects.filter(idempotency_key=idempotency_key,
                                         conversation=conversation).first()
        if earlier is not None:
            return earlier
    action = ConversationReply(conversation=conversation, text=text, by=by, version=version,
                               idempotency_key=idempotency_key)
    try:
        message = action.execute()
    except IntegrityError:
        # The same key won a race with this request: the reply exists once, as intended.
        return Message.objects.get(idempotency_key=idempotency_key, conversation=conversation)
    _send_when_committed(message)
    return message


def _send_when_committed(message: Message) -> None:
    """Hand the reply to its platform's connector once it is safely stored.

    A channel not yet connected (no connector for its platform, or no credentials
    entered) keeps the reply queued, as the thread says, rather than failing it.
    """
    from townhall.connectors.models import ChannelCredentials
    from townhall.connectors.registry import CONNECTORS
    from townhall.connectors.tasks import deliver_reply

    channel = message.channel
    if channel.platform in CONNECTORS and ChannelCredentials.objects.filter(
            channel=channel).exists():
        transaction.on_commit(partial(deliver_reply.delay, message.pk))


@transaction.atomic
def conversation_note_add(*, conversation: Conversation, text: str, by: Membership) -> Note:
    """Add an internal note. Notes only add, so they never conflict and keep the version."""
    _member_of(by, conversation)
    if not text.strip():
        raise ValidationError(_("Enter a note"))
    note = Note.objects.create(council_id=conversation.council_id, conversation=conversation,
                               author=by.user, text=text.strip())
    _audit(conversation, by, "conversation.noted", note=note.pk)
    return note


@transaction.atomic
def conversation_close(*, conversation: Conversation, by: Membership,
                       version: int) -> Conversation:
    _member_of(by, conversation)
    _advance(conversation, version=version, status=Status.CLOSED, closed_at=timezone.now(),
             snoozed_until=None)
    _audit(conversation, by, "conversation.closed")
    return conversation


@transaction.atomic
def conversation_reopen(*, conversation: Conversation, by: Membership,
                        version: int) -> Conversation:
    _member_of(by, conversation)
    _advance(conversation, version=version, status=Status.OPEN, closed_at=None,
             snoozed_until=None)
    _audit(conversation, by, "conversation.reopened")
    return conversation


@transaction.atomic
def conversation_snooze(*, conversation: Conversation, until: datetime, by: Membership,
                        version: int) -> Conversation:
    """Hide the conversation from the open list until `until`, when it comes back."""
    _member_of(by, conversation)
    if until <= timezone.now():
        raise ValidationError(_("The snooze time must be in the future"))
    if until > timezone.now() + timedelta(days=90):
        raise ValidationError(_("Snooze for 90 days or less"))
    _advance(conversation, version=version, status=Status.OPEN, snoozed_until=until,
             closed_at=None)
    _audit(conversation, by, "conversation.snoozed", until=until.isoformat())
    return conversation


@transaction.atomic
def conversation_correct(*, conversation: Conversation, category: Category | None,
                         priority: str, by: Membership, version: int) -> list[TriageCorrection]:
    """Change the category or priority, keeping each change as a correction to triage."""
    _member_of(by, conversation)
    if category is not None and category.council_id != conversation.council_id:
        raise PermissionDenied
    if priority not in Priority.values:
        raise ValidationError(_("Choose a priority"))
    old_category = conversation.category
    old_priority = conversation.priority
    _advance(conversation, version=version, category=category, priority=priority)
    message = (Message.objects.filter(conversation=conversation, direction=Direction.IN)
               .order_by("-created_at", "-id").first())
    corrections = []
    if old_category != category:
        corrections.append(TriageCorrection(
            field="category", old_value=old_category.code if old_category else "",
            new_value=category.code if category else ""))
    if old_priority != priority:
        corrections.append(TriageCorrection(field="priority", old_value=old_priority,
                                            new_value=priority))
    for correction in corrections:
        correction.council_id = conversation.council_id
        correction.conversation = conversation
        correction.message = message
        correction.by = by.user
        correction.save()
    _audit(conversation, by, "conversation.corrected",
           changes={c.field: [c.old_value, c.new_value] for c in corrections})
    return corrections


VIEWER_BEAT = timedelta(seconds=15)


def viewer_heartbeat(*, conversation: Conversation, user: Any,
                     now: datetime | None = None) -> None:
    """Record that `user` has the conversation open; at most one write per 15 s."""
    now = now or timezone.now()
    updated = Viewer.objects.filter(conversation=conversation, user=user,
                                    seen_at__lt=now - VIEWER_BEAT).update(seen_at=now)
    if not updated and not Viewer.objects.filter(conversation=conversation, user=user).exists():
        try:
            with transaction.atomic():
                Viewer.objects.create(conversation=conversation, user=user, seen_at=now)
        except IntegrityError:
            pass


def viewer_leave(*, conversation: Conversation, user: Any) -> None:
    Viewer.objects.filter(conversation=conversation, user=user).delete()


def saved_reply_render(*, saved_reply: SavedReply, conversation: Conversation,
                       officer: Any) -> str:
    """Fill the merge fields; unknown braces are left as written."""
    resident = conversation.resident.display_name if conversation.resident else ""
    values = {"resident_name": resident or _("there"), "officer_name": _person(officer),
              "reference": conversation.reference}
    text = saved_reply.body
    for key, value in values.items():
        text = text.replace("{" + key + "}", value)
    return text


@transaction.atomic
def saved_reply_create(*, council_id: int, title: str, body: str,
                       language: str = "en") -> SavedReply:
    return SavedReply.objects.create(council_id=council_id, title=title, body=body,
                                     language=language)


DEFAULT_SAVED_REPLIES = [
    ("Passed to the team", "en",
     "Thank you for your message, {resident_name}. I have passed this to the team who deal "
     "with it. Your reference is {reference}."),
    ("Report it online", "en",
     "Thanks for letting us know, {resident_name}. The quickest way to report this is on "
     "our website, where you can follow its progress. Your reference is {reference}."),
    ("Wedi'i basio i'r tîm", "cy",
     "Diolch am eich neges, {resident_name}. Rydw i wedi pasio hyn i'r tîm perthnasol. "
     "Eich cyfeirnod yw {reference}."),
]


@transaction.atomic
def saved_replies_install(*, council_id: int) -> list[SavedReply]:
    """Give a new council a few saved replies to start from (issue 6 adds editing)."""
    return [SavedReply.objects.get_or_create(council_id=council_id, title=title,
                                             defaults={"body": body, "language": language})[0]
            for title, language, body in DEFAULT_SAVED_REPLIES]
