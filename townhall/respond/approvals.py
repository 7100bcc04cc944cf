"""Which replies wait for a supervisor, and the approve and reject actions.

A held reply is stored as an outbound message with delivery status "approval": the
resident sees nothing and no connector sends it. Approving queues it to send exactly
once; rejecting keeps it in the thread, marked, with the supervisor's reason.
"""

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from townhall.accounts.models import Membership
from townhall.connectors.services import reply_publish
from townhall.core.actions import BaseAction
from townhall.core.services import audit_record
from townhall.inbox.models import Conversation, DeliveryStatus, Message
from townhall.respond.models import ApprovalRule, ApprovalStatus, ReplyApproval
from townhall.respond.welsh import WelshReplyRequired, breaks_welsh_rule, reply_language

SAFEGUARDING = "safeguarding"
WELSH_OVERRIDE = "welsh-override"


@dataclass
class ReplyDecision:
    """What happens to a reply: sent at once, or held for these reasons."""

    reasons: list[dict[str, str]] = field(default_factory=list)
    welsh_override: bool = False

    @property
    def hold(self) -> bool:
        return bool(self.reasons)


def rule_matches(rule: ApprovalRule, *, conversation: Conversation, text: str,
                 by: Membership) -> bool:
    """Every condition the rule sets must hold; a keyword rule needs any one keyword."""
    if rule.category_id is not None and rule.category_id != conversation.category_id:
        return False
    if rule.priority and rule.priority != conversation.priority:
        return False
    if rule.officer_id is not None and rule.officer_id != by.user_id:
        return False
    keywords = rule.keyword_list
    return not keywords or any(k in text.lower() for k in keywords)


def reply_decide(*, conversation: Conversation, text: str, by: Membership,
                 welsh_override: bool = False,
                 extra_reasons: list[dict[str, str]] | None = None) -> ReplyDecision:
    """Apply the Welsh rule and the approval rules to a reply before it is stored.

    Raises WelshReplyRequired for an English-only reply to a Welsh resident unless
    welsh_override is set: a supervisor's override sends it (audited); an officer's
    becomes a request that a supervisor approves. `extra_reasons` hold an officer's
    reply as a rule would (a supervisor's goes), like the back office's setting that
    replies about its updates need approval.
    """
    from townhall.respond.selectors import approval_rules_active

    decision = ReplyDecision()
    supervisor = by.is_supervisor_or_admin
    if breaks_welsh_rule(conversation, text):
        if not welsh_override:
            raise WelshReplyRequired(can_override=supervisor)
        decision.welsh_override = True
        if not supervisor:
            decision.reasons.append({"code": WELSH_OVERRIDE,
                                     "label": _("English-only reply to a Welsh message")})
    if conversation.safeguarding:
        # Always a second pair of eyes, whoever wrote it.
        decision.reasons.append({"code": SAFEGUARDING, "label": _("Safeguarding conversation")})
    if not supervisor:
        decision.reasons.extend(extra_reasons or [])
        for rule in approval_rules_active(council_id=conversation.council_id):
            if rule_matches(rule, conversation=conversation, text=text, by=by):
                decision.reasons.append({"code": f"rule:{rule.pk}", "label": rule.name})
    return decision


def approval_hold(*, message: Message, decision: ReplyDecision, by: Membership) -> ReplyApproval:
    """Record that a stored reply waits for approval. Call inside the reply's transaction."""
    approval = ReplyApproval.objects.create(
        council_id=message.council_id, conversation_id=message.conversation_id,
        message=message, requested_by=by.user, reasons=decision.reasons,
        welsh_override=decision.welsh_override, original_text=message.text,
        created_at=message.created_at)
    audit_record(council=message.conversation.council, actor=by.user,
                 action="reply.held_for_approval", obj=message.conversation,
                 data={"approval": approval.pk, "message": message.pk,
                       "reasons": [r["code"] for r in decision.reasons]})
    return approval


def welsh_override_audit(*, conversation: Conversation, message: Message, actor: Any,
                         approved_request: bool) -> None:
    audit_record(council=conversation.council, actor=actor, action="reply.welsh_override",
                 obj=conversation, data={"message": message.pk,
                                         "approved_request": approved_request})


def _check_decider(approval: ReplyApproval, by: Membership) -> None:
    if by.council_id != approval.council_id or not by.is_supervisor_or_admin:
        raise PermissionDenied(_("Only a supervisor can approve or reject replies."))
    if approval.requested_by_id == by.user_id:
        raise PermissionDenied(_("You cannot approve or reject your own reply. Ask another "
                                 "supervisor."))
    if approval.status != ApprovalStatus.PENDING:
        raise ValidationError(_("This reply has already been %(outcome)s.")
                              % {"outcome": approval.get_status_display().lower()})


def _claim(approval: ReplyApproval, by: Membership, status: str, reason: str = "") -> None:
    """Decide once: of two supervisors pressing at the same moment, one wins."""
    now = timezone.now()
    updated = ReplyApproval.objects.filter(pk=approval.pk, status=ApprovalStatus.PENDING).update(
        status=status, decided_by=by.user, decided_at=now, rejection_reason=reason)
    if not updated:
        raise ValidationError(_("Another supervisor has just decided on this reply."))
    approval.refresh_from_db()


class ReplyApprove(BaseAction[Message]):
    """Send a held reply, as written or as the supervisor edited it."""

    audit_action = "reply.approved"

    def __init__(self, *, approval: ReplyApproval, by: Membership, text: str = "",
                 welsh_override: bool = False, ip_address: str | None = None) -> None:
        super().__init__(council=approval.conversation.council, actor=by.user,
                         ip_address=ip_address)
        self.approval, self.by = approval, by
        # Browsers send a textarea's line breaks as CRLF; the stored reply uses LF.
        self.text = text.replace("\r\n", "\n").strip() or approval.message.text
        self.edited = self.text != approval.message.text
        self.welsh_override = welsh_override

    def check(self) -> None:
        from townhall.inbox.services import grapheme_count, reply_limit

        _check_decider(self.approval, self.by)
        conversation = self.approval.conversation
        limit = reply_limit(platform=conversation.platform)
        if limit is not None and grapheme_count(self.text) > limit:
            raise ValidationError(
                _("The reply is %(n)d characters. This platform allows %(limit)d. Shorten it.")
                % {"n": grapheme_count(self.text), "limit": limit})
        if (breaks_welsh_rule(conversation, self.text) and not self.approval.welsh_override
                and not self.welsh_override):
            raise WelshReplyRequired(can_override=True)

    def _execute(self) -> tuple[Message, Any, dict[str, Any]]:
        from townhall.respond.selectors import office_hours_for

        _claim(self.approval, self.by, ApprovalStatus.APPROVED)
        now = timezone.now()
        message = self.approval.message
        message.text = self.text
        message.language = reply_language(self.text)
        message.delivery_status = DeliveryStatus.QUEUED
        message.created_at = now
        message.save(update_fields=["text", "language", "delivery_status", "created_at"])
        # Where storing the reply publishes it (Open311's status_notes), it is sent now.
        reply_publish(message=message)
        conversation = self.approval.conversation
        seconds = office_hours_for(conversation.council).seconds_between(
            conversation.created_at, now)
        Conversation.objects.filter(pk=conversation.pk).update(
            version=F("version") + 1, last_message_at=now,
            first_response_at=Coalesce(F("first_response_at"), Value(now)),
            first_response_office_seconds=Coalesce(F("first_response_office_seconds"),
                                                   Value(seconds)))
        # The reply answers what the resident had written when it was drafted; anything
        # they wrote since still waits.
        Conversation.objects.filter(pk=conversation.pk,
                                    waiting_since__lte=self.approval.created_at).update(
            waiting_since=None)
        conversation.refresh_from_db()
        override = self.approval.welsh_override or (
            self.welsh_override and breaks_welsh_rule(conversation, self.text))
        if override:
            welsh_override_audit(conversation=conversation, message=message,
                                 actor=self.by.user, approved_request=True)
        return message, conversation, {"version": conversation.version,
                                       "approval": self.approval.pk, "message": message.pk,
                                       "edited": self.edited, "welsh_override": override}


class ReplyReject(BaseAction[ReplyApproval]):
    """Keep a held reply from the resident; the officer sees the reason in the thread."""

    audit_action = "reply.rejected"

    def __init__(self, *, approval: ReplyApproval, by: Membership, reason: str,
                 ip_address: str | None = None) -> None:
        super().__init__(council=approval.conversation.council, actor=by.user,
                         ip_address=ip_address)
        self.approval, self.by, self.reason = approval, by, reason.strip()

    def check(self) -> None:
        _check_decider(self.approval, self.by)
        if not self.reason:
            raise ValidationError(_("Enter the reason, so the officer knows what to change"))

    def _execute(self) -> tuple[ReplyApproval, Any, dict[str, Any]]:
        _claim(self.approval, self.by, ApprovalStatus.REJECTED, self.reason)
        Message.objects.filter(pk=self.approval.message_id).update(
            delivery_status=DeliveryStatus.REJECTED)
        return self.approval, self.approval.conversation, {
            "approval": self.approval.pk, "message": self.approval.message_id,
            "reason": self.reason}


def reply_approve(*, approval: ReplyApproval, by: Membership, text: str = "",
                  welsh_override: bool = False, ip_address: str | None = None) -> Message:
    from townhall.inbox.services import _send_when_committed

    message = ReplyApprove(approval=approval, by=by, text=text, welsh_override=welsh_override,
                           ip_address=ip_address).execute()
    _send_when_committed(message)
    return message


def reply_reject(*, approval: ReplyApproval, by: Membership, reason: str,
                 ip_address: str | None = None) -> ReplyApproval:
    return ReplyReject(approval=approval, by=by, reason=reason, ip_address=ip_address).execute()
