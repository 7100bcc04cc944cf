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
from townhall.connectors.services import reply_publish
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
    """Store an officer's reply to the resident, queued for its platform's connector.

    The Welsh rule and the council's approval rules (townhall.respond) are applied
    first: an English-only reply to a Welsh message is refused unless overridden, and
    a reply that needs approval is stored but held for a supervisor, not sent.

    Where storing a reply is what publishes it (an Open311 report's status_notes), it
    is marked sent in the same transaction. `by_email` sends the reply to a web chat
    whose chat has ended by email instead, through the council's email channel, to the
    address the resident gave in the chat (townhall.connectors.webchat).
    """

    audit_action = "conversation.replied"

    def __init__(self, *, conversation: Conversation, text: str, by: Membership, version: int,
                 idempotency_key: str = "", welsh_override: bool = False,
                 hold_reasons: list[dict[str, str]] | None = None,
                 by_email: bool = False) -> None:
        super().__init__(council=conversation.council, actor=by.user)
        self.conversation, self.by, self.version = conversation, by, version
        self.text = text.strip()
        self.idempotency_key = idempotency_key or uuid.uuid4().hex
        self.welsh_override = welsh_override
        # Reasons beyond the council's rules, such as "replies about back-office updates
        # wait for a supervisor" (townhall.open311).
        self.hold_reasons = hold_reasons or []
        self.by_email = by_email
        self.email_route: Any = None

    def check(self) -> None:
        from townhall.connectors.webchat.selectors import chat_email_route
        from townhall.respond.approvals import reply_decide

        _member_of(self.by, self.conversation)
        if not self.text:
            raise ValidationError(_("Enter a reply"))
        if self.by_email:
            self.email_route = chat_email_route(conversation=self.conversation,
                                                now=timezone.now())
            if self.email_route is None:
                raise ValidationError(_("This reply cannot be sent by email now. Untick the "
                                        "email option and send it again."))
        body = reply_with_signature(text=self.text, user=self.by.user)
        limit = reply_limit(platform=self.conversation.platform)
        if limit is not None and grapheme_count(body) > limit:
            raise ValidationError(
                _("Your reply is %(n)d characters with your signature. This platform allows "
                  "%(limit)d. Shorten it.") % {"n": grapheme_count(body), "limit": limit})
        self.decision = reply_decide(conversation=self.conversation, text=self.text,
                                     by=self.by, welsh_override=self.welsh_override,
                                     extra_reasons=self.hold_reasons)

    def _execute(self) -> tuple[Message, Any, dict[str, Any]]:
        from townhall.respond.approvals import approval_hold, welsh_override_audit
        from townhall.respond.selectors import office_hours_for
        from townhall.respond.welsh import reply_language

        now = timezone.now()
        conversation = self.conversation
        held = self.decision.hold
        if held:
            # Stored in the thread, but the resident is still waiting for an answer.
            _advance(conversation, version=self.version, message_count=F("message_count") + 1)
        else:
            first: dict[str, Any] = {}
            if conversation.first_response_at is None:
                first["first_response_office_seconds"] = office_hours_for(
                    conversation.council).seconds_between(conversation.created_at, now)
            _advance(conversation, version=self.version, last_message_at=now, waiting_since=None,
                     first_response_at=Coalesce(F("first_response_at"), Value(now)),
                     message_count=F("message_count") + 1, **first)
        route = self.email_route
        message = Message.objects.create(
            council_id=conversation.council_id, conversation=conversation,
            channel_id=route.channel.pk if route else conversation.channel_id,
            # A reply by email starts a new email, to the address in the mailto: URI.
            in_reply_to=route.mailto if route else "",
            direction=Direction.OUT,
            author_name=_person(self.by.user), sent_by=self.by.user,
            text=reply_with_signature(text=self.text, user=self.by.user),
            language=reply_language(self.text), created_at=now, received_at=now,
            delivery_status=DeliveryStatus.AWAITING_APPROVAL if held else DeliveryStatus.QUEUED,
            idempotency_key=self.idempotency_key)
        data: dict[str, Any] = {"version": conversation.version, "message": message.pk}
        if route:
            data["by_email"] = True
        if not held:
            reply_publish(message=message)
        if held:
            approval_hold(message=message, decision=self.decision, by=self.by)
            data["held_for_approval"] = [r["code"] for r in self.decision.reasons]
        elif self.decision.welsh_override:
            welsh_override_audit(conversation=conversation, message=message, actor=self.by.user,
                                 approved_request=False)
        return message, conversation, data


def conversation_reply(*, conversation: Conversation, text: str, by: Membership, version: int,
                       idempotency_key: str = "", welsh_override: bool = False,
                       about: str = "", by_email: bool = False) -> Message:
    """Store a reply and queue it to send, unless it must wait for approval.

    `about` names an entry in the thread that is not a message (a back-office update,
    see townhall.inbox.timeline) when the reply tells the resident about it: its app
    records the reply in the same transaction, and may ask for a supervisor's approval.
    `by_email` sends a reply to an ended web chat by email (see ConversationReply).
    Sending the same form twice (same key) gives back the first reply.
    """
    from townhall.inbox.timeline import thread_event_get, thread_event_replied

    if idempotency_key:
        earlier = Message.objects.filter(idempotency_key=idempotency_key,
                                         conversation=conversation).first()
        if earlier is not None:
            return earlier
    _member_of(by, conversation)
    event = thread_event_get(conversation=conversation, key=about) if about else None
    hold = ([{"code": about.rpartition("-")[0], "label": event.approval_reason}]
            if event is not None and event.approval_reason else [])
    action = ConversationReply(conversation=conversation, text=text, by=by, version=version,
                               idempotency_key=idempotency_key, welsh_override=welsh_override,
                               hold_reasons=hold, by_email=by_email)
    try:
        with transaction.atomic():
            message = action.execute()
            if event is not None:
                thread_event_replied(conversation=conversation, key=about, message=message,
                                     by=by)
    except IntegrityError:
        # The same key won a race with this request: the reply exists once, as intended.
        return Message.objects.get(idempotency_key=idempotency_key, conversation=conversation)
    if message.delivery_status == DeliveryStatus.QUEUED:
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
    from townhall.respond.selectors import office_hours_for

    _member_of(by, conversation)
    now = timezone.now()
    seconds = office_hours_for(conversation.council).seconds_between(conversation.created_at, now)
    _advance(conversation, version=version, status=Status.CLOSED, closed_at=now,
             resolution_office_seconds=seconds, snoozed_until=None)
    _audit(conversation, by, "conversation.closed")
    return conversation


@transaction.atomic
def conversation_reopen(*, conversation: Conversation, by: Membership,
                        version: int) -> Conversation:
    _member_of(by, conversation)
    _advance(conversation, version=version, status=Status.OPEN, closed_at=None,
             resolution_office_seconds=None, snoozed_until=None)
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
             closed_at=None, resolution_office_seconds=None)
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


# Said to someone whose name we do not know: "you" in Welsh, not translated.
WELSH_NO_NAME = "chi"
MERGE_FIELDS = ("resident_name", "reference", "self_service_link", "officer_name", "category")


def saved_reply_render(*, saved_reply: SavedReply, conversation: Conversation,
                       officer: Any, language: str = "en") -> str:
    """The saved reply in `language` (else its other language), merge fields filled.

    Unknown braces are left as written.
    """
    resident = conversation.resident.display_name if conversation.resident else ""
    category = conversation.category
    welsh = language == "cy"
    values = {"resident_name": resident or (WELSH_NO_NAME if welsh else _("there")),
              "officer_name": _person(officer),
              "reference": conversation.reference,
              "self_service_link": (category.self_service_url if category else "") or "",
              "category": category.name if category else ""}
    text = saved_reply.text_in(language)
    for key, value in values.items():
        text = text.replace("{" + key + "}", value)
    return text


@transaction.atomic
def saved_reply_create(*, council_id: int, title: str, body: str,
                       language: str = "en") -> SavedReply:
    """A one-language saved reply; townhall.respond manages bilingual ones."""
    if language == "cy":
        return SavedReply.objects.create(council_id=council_id, title_cy=title, body_cy=body)
    return SavedReply.objects.create(council_id=council_id, title=title, body=body)


DEFAULT_SAVED_REPLIES = [
    ("Passed to the team",
     "Thank you for your message, {resident_name}. I have passed this to the team who deal "
     "with it. Your reference is {reference}.",
     "Wedi'i basio i'r tîm",
     "Diolch am eich neges, {resident_name}. Rydw i wedi pasio hyn i'r tîm perthnasol. "
     "Eich cyfeirnod yw {reference}."),
    ("Report it online",
     "Thanks for letting us know, {resident_name}. The quickest way to report this is on "
     "our website, where you can follow its progress: {self_service_link} Your reference "
     "is {reference}.",
     "Rhowch wybod ar-lein",
     "Diolch am roi gwybod i ni, {resident_name}. Y ffordd gyflymaf o roi gwybod am hyn "
     "yw ar ein gwefan, lle gallwch ddilyn ei hynt: {self_service_link} Eich cyfeirnod yw "
     "{reference}."),
]


@transaction.atomic
def saved_replies_install(*, council_id: int) -> list[SavedReply]:
    """Give a new council a few bilingual saved replies to start from."""
    return [SavedReply.objects.get_or_create(
                council_id=council_id, title=title,
                defaults={"body": body, "title_cy": title_cy, "body_cy": body_cy})[0]
            for title, body, title_cy, body_cy in DEFAULT_SAVED_REPLIES]
