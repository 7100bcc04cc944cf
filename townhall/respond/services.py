"""Changes to a council's office hours, targets, approval rules and saved replies.

Every change is made by an admin and audited in the same transaction.
"""

from datetime import date, time
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from townhall.accounts.models import Membership
from townhall.core.lib.db import update_rows
from townhall.core.models import Council
from townhall.core.services import audit_record
from townhall.inbox.models import Conversation, SavedReply
from townhall.respond.hours import OfficeHours
from townhall.respond.models import (
    ApprovalRule,
    ClosureDay,
    ResponseSettings,
    ResponseTarget,
)
from townhall.respond.selectors import office_hours_for
from townhall.respond.timing import RESPONSE_TIME_FIELDS, response_times_set
from townhall.triage.models import Category

BACKFILL_BATCH = 2000


def _admin(by: Membership, council: Council) -> None:
    if by.council_id != council.pk or not by.is_admin:
        raise PermissionDenied


def _audit(council: Council, by: Membership, action: str, obj: Any, data: dict[str, Any],
           ip_address: str | None) -> None:
    audit_record(council=council, actor=by.user, action=action, obj=obj, data=data,
                 ip_address=ip_address)


# Office hours -------------------------------------------------------------------------


def opening_times_from(week: dict[int, list[tuple[time, time]]]) -> dict[str, list[list[str]]]:
    return {str(d): [[s.strftime("%H:%M"), e.strftime("%H:%M")] for s, e in week.get(d, [])]
            for d in range(7)}


@transaction.atomic
def response_settings_update(*, council: Council, by: Membership,
                             week: dict[int, list[tuple[time, time]]], nation: str,
                             warn_at_percent: int,
                             ip_address: str | None = None) -> ResponseSettings:
    """Save opening times, nation and warning share; refuse hours that never open."""
    _admin(by, council)
    try:
        OfficeHours(week, nation=nation)
    except ValueError as error:
        raise ValidationError(str(error)) from error
    if not 1 <= warn_at_percent <= 99:
        raise ValidationError(_("Enter a warning share between 1 and 99 percent"))
    found, _created = ResponseSettings.objects.get_or_create(council=council)
    found.opening_times = opening_times_from(week)
    found.nation = nation
    found.warn_at_percent = warn_at_percent
    found.save()
    _audit(council, by, "respond.hours_changed", found,
           {"opening_times": found.opening_times, "nation": nation,
            "warn_at_percent": warn_at_percent}, ip_address)
    return found


@transaction.atomic
def closure_day_add(*, council: Council, by: Membership, day: date, reason: str,
                    ip_address: str | None = None) -> ClosureDay:
    _admin(by, council)
    if ClosureDay.objects.filter(council=council, day=day).exists():
        raise ValidationError(_("%(day)s is already a closure day") % {"day": day.isoformat()})
    closure = ClosureDay.objects.create(council=council, day=day, reason=reason.strip())
    _audit(council, by, "respond.closure_added", closure,
           {"day": day.isoformat(), "reason": closure.reason}, ip_address)
    return closure


@transaction.atomic
def closure_day_remove(*, council: Council, by: Membership, closure_id: int,
                       ip_address: str | None = None) -> None:
    _admin(by, council)
    closure = ClosureDay.objects.get(council=council, pk=closure_id)
    _audit(council, by, "respond.closure_removed", closure,
           {"day": closure.day.isoformat()}, ip_address)
    closure.delete()


# Targets ------------------------------------------------------------------------------


@transaction.atomic
def response_target_save(*, council: Council, by: Membership, category: Category | None,
                         priority: str, first_response_minutes: int,
                         resolution_minutes: int | None, target: ResponseTarget | None = None,
                         ip_address: str | None = None) -> ResponseTarget:
    """Add a target, or change one; a category and priority has at most one."""
    _admin(by, council)
    if category is not None and category.council_id != council.pk:
        raise PermissionDenied
    if first_response_minutes < 1:
        raise ValidationError(_("Enter a first response target of at least 1 minute"))
    if resolution_minutes is not None and resolution_minutes < first_response_minutes:
        raise ValidationError(_("The resolution target must not be shorter than the first "
                                "response target"))
    clash = ResponseTarget.objects.filter(council=council, category=category, priority=priority)
    if target is not None:
        clash = clash.exclude(pk=target.pk)
    if clash.exists():
        raise ValidationError(_("There is already a target for this category and priority. "
                                "Change that one instead."))
    target = target or ResponseTarget(council=council)
    if target.council_id != council.pk:
        raise PermissionDenied
    target.category, target.priority = category, priority
    target.first_response_minutes = first_response_minutes
    target.resolution_minutes = resolution_minutes
    target.save()
    _audit(council, by, "respond.target_saved", target,
           {"category": category.code if category else "", "priority": priority,
            "first_response_minutes": first_response_minutes,
            "resolution_minutes": resolution_minutes}, ip_address)
    return target


@transaction.atomic
def response_target_delete(*, council: Council, by: Membership, target: ResponseTarget,
                           ip_address: str | None = None) -> None:
    _admin(by, council)
    if target.council_id != council.pk:
        raise PermissionDenied
    _audit(council, by, "respond.target_deleted", target,
           {"category": target.category.code if target.category else "",
            "priority": target.priority}, ip_address)
    target.delete()


# Response times on conversations --------------------------------------------------------


def response_times_backfill(council: Council, *, commit: bool = True) -> int:
    """Recompute office seconds to first response and resolution for every conversation.

    Run after office hours change, or once for rows stored before issue 6. Returns how
    many rows changed (or would change, with commit=False).
    """
    hours = office_hours_for(council)
    changed_total, last_id = 0, 0
    while True:
        rows = list(Conversation.objects.filter(council=council, pk__gt=last_id)
                    .order_by("pk")
                    .only("id", "council_id", "status", "created_at", "first_response_at",
                          "closed_at", *RESPONSE_TIME_FIELDS)[:BACKFILL_BATCH])
        if not rows:
            break
        last_id = rows[-1].pk
        changed = [c for c in rows if response_times_set(c, hours=hours)]
        changed_total += len(changed)
        if commit and changed:
            update_rows(Conversation, changed, RESPONSE_TIME_FIELDS)
    if commit:
        audit_record(council=council, actor=None, actor_label="response times",
                     action="respond.response_times_backfilled", obj=council,
                     data={"changed": changed_total})
    return changed_total


# Approval rules -----------------------------------------------------------------------


@transaction.atomic
def approval_rule_save(*, council: Council, by: Membership, name: str,
                       category: Category | None, priority: str, officer: Any,
                       keywords: str, is_active: bool = True, rule: ApprovalRule | None = None,
                       ip_address: str | None = None) -> ApprovalRule:
    _admin(by, council)
    if category is not None and category.council_id != council.pk:
        raise PermissionDenied
    if officer is not None and not Membership.objects.filter(user=officer,
                                                             council=council).exists():
        raise PermissionDenied
    if not name.strip():
        raise ValidationError(_("Enter a name for the rule"))
    rule = rule or ApprovalRule(council=council)
    if rule.council_id != council.pk:
        raise PermissionDenied
    rule.name, rule.category, rule.priority, rule.officer = name.strip(), category, priority, officer
    rule.keywords = ", ".join(k.strip() for k in keywords.split(",") if k.strip())
    rule.is_active = is_active
    rule.save()
    _audit(council, by, "respond.approval_rule_saved", rule,
           {"name": rule.name, "category": category.code if category else "",
            "priority": priority, "officer": officer.get_username() if officer else "",
            "keywords": rule.keywords, "is_active": is_active}, ip_address)
    return rule


@transaction.atomic
def approval_rule_delete(*, council: Council, by: Membership, rule: ApprovalRule,
                         ip_address: str | None = None) -> None:
    _admin(by, council)
    if rule.council_id != council.pk:
        raise PermissionDenied
    _audit(council, by, "respond.approval_rule_deleted", rule, {"name": rule.name}, ip_address)
    rule.delete()


# Saved replies ------------------------------------------------------------------------


@transaction.atomic
def saved_reply_save(*, council: Council, by: Membership, title: str, body: str,
                     title_cy: str, body_cy: str, category: Category | None,
                     is_active: bool = True, saved_reply: SavedReply | None = None,
                     ip_address: str | None = None) -> SavedReply:
    """A saved reply in English, Welsh or both; each language needs a title and a text."""
    _admin(by, council)
    if category is not None and category.council_id != council.pk:
        raise PermissionDenied
    title, body, title_cy, body_cy = (v.strip() for v in (title, body, title_cy, body_cy))
    if not (body or body_cy):
        raise ValidationError(_("Enter the text in English, in Welsh, or both"))
    if bool(title) != bool(body) or bool(title_cy) != bool(body_cy):
        raise ValidationError(_("Give each language you use both a title and a text"))
    saved_reply = saved_reply or SavedReply(council=council)
    if saved_reply.council_id != council.pk:
        raise PermissionDenied
    saved_reply.title, saved_reply.body = title, body
    saved_reply.title_cy, saved_reply.body_cy = title_cy, body_cy
    saved_reply.category, saved_reply.is_active = category, is_active
    saved_reply.save()
    _audit(council, by, "respond.saved_reply_saved", saved_reply,
           {"title": title, "title_cy": title_cy, "is_active": is_active}, ip_address)
    return saved_reply


@transaction.atomic
def saved_reply_delete(*, council: Council, by: Membership, saved_reply: SavedReply,
                       ip_address: str | None = None) -> None:
    _admin(by, council)
    if saved_reply.council_id != council.pk:
        raise PermissionDenied
    _audit(council, by, "respond.saved_reply_deleted", saved_reply,
           {"title": saved_reply.title or saved_reply.title_cy}, ip_address)
    saved_reply.delete()

