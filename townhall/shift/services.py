"""Channel shift writes: routes, unit costs, tracked links, clicks and confirmations."""

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from townhall.core.models import Council
from townhall.core.services import audit_record
from townhall.inbox.models import Conversation
from townhall.shift.models import (
    Baseline,
    LedgerEntry,
    LinkVisitor,
    ServiceRoute,
    ShiftSettings,
    TrackedLink,
)
from townhall.shift.routes import template_check
from townhall.triage.models import Category, Priority

TOKEN_BYTES = 12  # 16 URL-safe characters, 96 random bits
TOKEN_PATTERN = re.compile(r"(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{16}(?![A-Za-z0-9_-])")


class NotSignpostable(Exception):
    """The conversation must not be answered with a form link; the text says why."""


# Routes and costs ----------------------------------------------------------------------


@transaction.atomic
def route_save(*, category: Category, url_template: str, resident_action: str,
               form_category: str = "", resident_action_cy: str = "",
               is_reportable: bool = True, by: Any, ip_address: str | None = None
               ) -> ServiceRoute:
    """Create or change a category's self-service route; the audit names what changed."""
    route = ServiceRoute.objects.filter(category=category).first()
    new = {"url_template": template_check(url_template), "form_category": form_category.strip(),
           "resident_action": resident_action.strip(),
           "resident_action_cy": resident_action_cy.strip(), "is_reportable": is_reportable}
    created = route is None
    if route is None:
        route = ServiceRoute(council_id=category.council_id, category=category)
    changes = {name: {"from": "" if created else getattr(route, name), "to": value}
               for name, value in new.items() if created or getattr(route, name) != value}
    for name, value in new.items():
        setattr(route, name, value)
    route.full_clean()
    route.save()
    if changes:
        audit_record(council=category.council, actor=by, action="shift.route_saved", obj=route,
                     data={"category": category.code, "changes": changes}, ip_address=ip_address)
    return route


@transaction.atomic
def route_remove(*, route: ServiceRoute, by: Any, ip_address: str | None = None) -> None:
    """Stop offering the route. Links already sent stop working; savings already counted stay."""
    audit_record(council=route.category.council, actor=by, action="shift.route_removed",
                 obj=route, data={"category": route.category.code,
                                  "url_template": route.url_template}, ip_address=ip_address)
    route.delete()


def _settings_row(council: Council) -> ShiftSettings:
    row, _ = ShiftSettings.objects.get_or_create(council=council)
    return row


COST_FIELDS = ("source", "face_to_face_pence", "phone_pence", "web_pence", "social_pence",
               "baseline")


@transaction.atomic
def unit_costs_update(*, council: Council, source: str, face_to_face_pence: int,
                      phone_pence: int, web_pence: int, social_pence: int, baseline: str,
                      by: Any, ip_address: str | None = None) -> ShiftSettings:
    """Change the unit costs. Entries already in the ledger keep the costs they were made with."""
    row = _settings_row(council)
    new = {"source": source.strip(), "face_to_face_pence": face_to_face_pence,
           "phone_pence": phone_pence, "web_pence": web_pence, "social_pence": social_pence,
           "baseline": baseline}
    changes = {name: {"from": getattr(row, name), "to": value}
               for name, value in new.items() if getattr(row, name) != value}
    for name, value in new.items():
        setattr(row, name, value)
    row.full_clean()
    row.save()
    if changes:
        audit_record(council=council, actor=by, action="shift.costs_updated", obj=row,
                     data={"changes": changes}, ip_address=ip_address)
    return row


@transaction.atomic
def shift_webhook_secret_rotate(*, council: Council, by: Any,
                                ip_address: str | None = None) -> str:
    """A new secret for POST /shift/confirm; the old one stops working at once."""
    row = _settings_row(council)
    secret = secrets.token_urlsafe(32)
    row.set_webhook_secret(secret)
    row.save(update_fields=["webhook_secret_encrypted", "updated_at"])
    audit_record(council=council, actor=by, action="shift.webhook_secret_rotated", obj=row,
                 ip_address=ip_address)
    return secret


# Signposting ---------------------------------------------------------------------------


def signpost_blocked_reason(*, conversation: Conversation) -> str:
    """Why this conversation must not get a form link, or "" if it may (issue 4's rule:
    a person answers safeguarding and critical conversations, never a form)."""
    if conversation.safeguarding:
        return _("This conversation has a safeguarding concern. A person must answer it: "
                 "do not send a form link.")
    if conversation.priority == Priority.CRITICAL:
        return _("This conversation is critical. A person must answer it: do not send a "
                 "form link.")
    return ""


def tracked_link_get_or_create(*, conversation: Conversation,
                               route: ServiceRoute) -> TrackedLink:
    """The conversation's link for the route, made once. Refuses when signposting is barred."""
    reason = signpost_blocked_reason(conversation=conversation)
    if reason:
        raise NotSignpostable(reason)
    if route.council_id != conversation.council_id or not route.is_reportable:
        raise NotSignpostable(_("This category has no self-service route for reports."))
    existing = TrackedLink.objects.filter(conversation=conversation, route=route).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return TrackedLink.objects.create(
                council_id=conversation.council_id, conversation=conversation, route=route,
                category_id=route.category_id, token=secrets.token_urlsafe(TOKEN_BYTES))
    except IntegrityError:
        # Two pages rendered at once: both use the link the first one made.
        return TrackedLink.objects.get(conversation=conversation, route=route)


# Clicks --------------------------------------------------------------------------------


def visitor_key(*, token: str, address: str, agent: str) -> str:
    """A keyed hash of who is clicking, good for telling one visitor from another and
    useless for finding out who they are without the server's secret key."""
    key = hashlib.sha256(b"townhall-link-visitor:" + settings.SECRET_KEY.encode()).digest()
    return hmac.new(key, f"{token}|{address}|{agent}".encode(), hashlib.sha256).hexdigest()[:32]


@dataclass(frozen=True)
class Click:
    link: TrackedLink
    counted: bool
    first_for_visitor: bool


def link_click(*, link: TrackedLink, visitor: str | None,
               now: datetime | None = None) -> Click:
    """Count a click: a new visitor once, then each of their later clicks as a repeat.

    `visitor` is None for clicks that must not count: link-preview robots and council
    staff checking the link.
    """
    if visitor is None:
        return Click(link=link, counted=False, first_for_visitor=False)
    now = now or timezone.now()
    with transaction.atomic():
        try:
            with transaction.atomic():
                LinkVisitor.objects.create(link=link, visitor_key=visitor, first_at=now)
            first = True
        except IntegrityError:
            first = False
        if first:
            TrackedLink.objects.filter(pk=link.pk).update(visitors=F("visitors") + 1)
            TrackedLink.objects.filter(pk=link.pk, first_clicked_at__isnull=True).update(
                first_clicked_at=now)
        else:
            LinkVisitor.objects.filter(link=link, visitor_key=visitor).update(
                clicks=F("clicks") + 1)
            TrackedLink.objects.filter(pk=link.pk).update(repeat_clicks=F("repeat_clicks") + 1)
    link.refresh_from_db()
    return Click(link=link, counted=True, first_for_visitor=first)


# Confirmation and the ledger ------------------------------------------------------------


def _assumptions(row: ShiftSettings) -> dict[str, Any]:
    return {name: getattr(row, name) for name in COST_FIELDS}


def ledger_amounts(assumptions: dict[str, Any]) -> tuple[int, int, int]:
    """(would have cost, cost, saved) in pence: the contact would have been a phone call (or
    a visit, if that is the council's baseline); instead it cost one web transaction plus
    the staff time of the social media answer."""
    would = int(assumptions["face_to_face_pence"] if assumptions["baseline"] ==
                Baseline.FACE_TO_FACE else assumptions["phone_pence"])
    cost = int(assumptions["web_pence"]) + int(assumptions["social_pence"])
    return would, cost, would - cost


def shift_confirm(*, link: TrackedLink, source: str, external_reference: str = "",
                  at: datetime | None = None) -> LedgerEntry:
    """Record that the resident completed the self-service route: one ledger entry per
    conversation, however many times the back office confirms it."""
    conversation = link.conversation
    earlier = LedgerEntry.objects.filter(conversation=conversation).first()
    if earlier is not None:
        return earlier
    at = at or timezone.now()
    row = ShiftSettings.objects.filter(council_id=link.council_id).first() or ShiftSettings(
        council_id=link.council_id)
    assumptions = _assumptions(row)
    would, cost, saved = ledger_amounts(assumptions)
    category = link.category or conversation.category
    try:
        with transaction.atomic():
            entry = LedgerEntry.objects.create(
                council_id=link.council_id, conversation=conversation,
                conversation_reference=conversation.reference, link=link, category=category,
                category_name=category.name if category else "", source=source,
                external_reference=external_reference[:100], contact_at=conversation.created_at,
                shifted_at=at, baseline=assumptions["baseline"], would_have_cost_pence=would,
                cost_pence=cost, saved_pence=saved, assumptions=assumptions)
            audit_record(council=conversation.council, actor=None, actor_label=source,
                         action="shift.confirmed", obj=entry,
                         data={"conversation": conversation.reference, "source": source,
                               "external_reference": external_reference[:100],
                               "saved_pence": saved})
    except IntegrityError:
        return LedgerEntry.objects.get(conversation=conversation)
    return entry


def shift_confirm_token(*, council: Council, token: str, source: str,
                        external_reference: str = "",
                        at: datetime | None = None) -> LedgerEntry | None:
    """Confirm by a link's token; None if the council has no such link."""
    link = (TrackedLink.objects.filter(council=council, token=token)
            .select_related("conversation", "conversation__council", "category").first())
    if link is None:
        return None
    return shift_confirm(link=link, source=source, external_reference=external_reference, at=at)


def tokens_in(text: str) -> list[str]:
    """Candidate link tokens in free text, such as a back-office report's description."""
    return list(dict.fromkeys(TOKEN_PATTERN.findall(text or "")))


def shift_confirm_in_text(*, council: Council, text: str, source: str,
                          external_reference: str = "",
                          at: datetime | None = None) -> list[LedgerEntry]:
    """Confirm every conversation whose link token appears in `text`."""
    entries = []
    for token in tokens_in(text):
        entry = shift_confirm_token(council=council, token=token, source=source,
                                    external_reference=external_reference, at=at)
        if entry is not None:
            entries.append(entry)
    return entries
