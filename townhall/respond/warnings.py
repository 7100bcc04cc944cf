"""Warn supervisors before a conversation misses its response target.

Run every few minutes (Celery beat, or `townhall serve`'s scheduler in embedded
mode). Each wait is warned about once: the unique (conversation, waiting_since) row is
the record, so running twice, or two workers at once, warns once.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from townhall.accounts.models import Membership, Role
from townhall.core.models import Council
from townhall.core.services import audit_record
from townhall.inbox.models import Conversation, Status
from townhall.respond.models import BreachWarning
from townhall.respond.selectors import response_clock_for
from townhall.triage.models import Priority

# Waits that began longer ago than this are not warned about: they breached long since,
# and a first run on an old inbox should not send hundreds of warnings at once.
LOOK_BACK = timedelta(days=14)
EMAIL_LIST_LIMIT = 50


def supervisor_emails(*, council_id: int) -> list[str]:
    return sorted({
        m.user.email for m in Membership.objects.filter(
            council_id=council_id, role__in=[Role.SUPERVISOR, Role.ADMIN], user__is_active=True
        ).select_related("user") if m.user.email})


def _candidates(council: Council, now: datetime, earliest_warning: timedelta) -> list[Conversation]:
    warned = BreachWarning.objects.filter(conversation_id=OuterRef("pk"),
                                          waiting_since=OuterRef("waiting_since"))
    return list(
        Conversation.objects.filter(council=council, status=Status.OPEN,
                                    waiting_since__lte=now - earliest_warning,
                                    waiting_since__gte=now - LOOK_BACK)
        .filter(Q(snoozed_until__isnull=True) | Q(snoozed_until__lte=now))
        .exclude(Exists(warned))
        .only("id", "council_id", "waiting_since", "priority", "safeguarding", "category_id",
              "subject"))


def council_breach_warnings_send(*, council: Council,
                                 now: datetime | None = None) -> list[BreachWarning]:
    """Warn about this council's conversations past the warning share of their target."""
    now = now or timezone.now()
    clock = response_clock_for(council)
    # Office time never runs faster than the clock, so nothing can reach the warning
    # share of the shortest target sooner than this: a cheap first filter in SQL.
    shortest = min(clock.targets.target_for(priority=p).first_response for p in Priority.values)
    shortest = min([shortest, *(t.first_response for t in clock.targets.all_targets())])
    earliest = timedelta(seconds=shortest * clock.warn_share)
    made: list[BreachWarning] = []
    for conversation in _candidates(council, now, earliest):
        waiting_since = conversation.waiting_since
        if waiting_since is None:  # filtered out in SQL; this tells the type checker
            continue
        wait = clock.waiting(waiting_since=waiting_since,
                             priority=conversation.priority,
                             safeguarding=conversation.safeguarding,
                             category_id=conversation.category_id, now=now)
        if wait is None or wait.share < clock.warn_share:
            continue
        try:
            with transaction.atomic():
                warning = BreachWarning.objects.create(
                    council=council, conversation=conversation,
                    waiting_since=waiting_since, due_at=wait.due_at, warned_at=now)
                audit_record(council=council, actor=None, actor_label="response targets",
                             action="respond.breach_warned", obj=conversation,
                             data={"due_at": wait.due_at.isoformat(),
                                   "share": round(wait.share, 2)})
        except IntegrityError:
            continue  # Another run warned about this wait a moment ago.
        warning.conversation = conversation
        made.append(warning)
    if made:
        transaction.on_commit(lambda: _email(council, made))
    return made


def _email(council: Council, warnings: list[BreachWarning]) -> None:
    """One email per run listing the conversations, not one per conversation."""
    recipients = supervisor_emails(council_id=council.pk)
    if not recipients:
        return
    lines = []
    for w in warnings[:EMAIL_LIST_LIMIT]:
        due = timezone.localtime(w.due_at).strftime("%a %-d %b %H:%M")
        lines.append(f"- {w.conversation.reference}, due by {due}: "
                     f"{settings.TOWNHALL_BASE_URL}/conversations/{w.conversation_id}/")
    if len(warnings) > EMAIL_LIST_LIMIT:
        lines.append(_("and %(n)d more: see the inbox.") % {"n": len(warnings) - EMAIL_LIST_LIMIT})
    send_mail(
        subject=_("%(n)d conversations are close to their response targets")
        % {"n": len(warnings)} if len(warnings) > 1
        else _("A conversation is close to its response target"),
        message=_("These residents are still waiting for an answer and are close to, or "
                  "past, the council's response target in office hours:") + "\n\n"
        + "\n".join(lines) + "\n\n" + _("The messages themselves are only shown in Townhall."),
        from_email=settings.DEFAULT_FROM_EMAIL, recipient_list=recipients)


def breach_warnings_send(*, now: datetime | None = None) -> int:
    """Every council's warnings; the number of conversations warned about."""
    return sum(len(council_breach_warnings_send(council=council, now=now))
               for council in Council.objects.all())
