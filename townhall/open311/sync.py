"""Talking to the back office: send requests, follow their status, notice self-service.

Run by Celery beat every few minutes (`townhall serve`'s scheduler in embedded
mode). Each step is safe to run twice: a send holds a lease, updates are stored once per
update id, and the ledger has one entry per conversation.
"""

import logging
import random
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from townhall.core.services import audit_record
from townhall.inbox.models import Conversation
from townhall.open311.client import GeoReportClient, parse_datetime
from townhall.open311.errors import Open311Error, Refused, Retriable
from townhall.open311.models import (
    BackOffice,
    BackOfficeRequest,
    RequestUpdate,
    SendState,
    ServiceMapping,
    UpdateSource,
)
from townhall.triage.models import Priority

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 6
RETRY_BASE = timedelta(minutes=1)
RETRY_CAP = timedelta(hours=2)
SEND_LEASE = timedelta(minutes=5)
FIRST_LOOK_BACK = timedelta(days=1)
OVERLAP = timedelta(minutes=5)
RULE_BATCH = 50
# Statuses, including those of mySociety's extension, after which nothing more happens.
CLOSED = {"closed", "fixed", "duplicate", "not_councils_responsibility", "no_further_action",
          "internal_referral", "unable_to_fix", "cancelled"}


def client_for(backoffice: BackOffice, **overrides: Any) -> GeoReportClient:
    return GeoReportClient(base_url=backoffice.base_url, jurisdiction_id=backoffice.jurisdiction_id,
                           api_key=backoffice.api_key, fmt=backoffice.format,
                           timeout=float(backoffice.timeout_seconds), name=backoffice.name,
                           **overrides)


def retry_delay(attempt: int) -> timedelta:
    """Exponential with full jitter, so requests that failed together do not retry together."""
    ceiling = min(RETRY_CAP, RETRY_BASE * (2 ** max(0, attempt - 1)))
    return timedelta(seconds=random.uniform(ceiling.total_seconds() / 2, ceiling.total_seconds()))


def _fields(request: BackOfficeRequest) -> dict[str, Any]:
    fields: dict[str, Any] = {"service_code": request.service_code,
                              "description": request.description,
                              "address_string": ", ".join(filter(None, [request.address_string,
                                                                        request.postcode])),
                              "media_url": request.media_url}
    if request.lat is not None and request.long is not None:
        fields.update(lat=f"{request.lat:.6f}", long=f"{request.long:.6f}")
    if request.contact_consent:
        fields.update(first_name=request.first_name, last_name=request.last_name,
                      email=request.email)
    return fields


def _claim(request: BackOfficeRequest, now: datetime) -> bool:
    """Take the send for a few minutes, so a sweep and a task never send it twice at once."""
    return bool(BackOfficeRequest.objects.filter(
        pk=request.pk, send_state=SendState.QUEUED, next_attempt_at__lte=now,
    ).update(next_attempt_at=now + SEND_LEASE))


def request_send(*, request: BackOfficeRequest, client: GeoReportClient | None = None,
                 now: datetime | None = None) -> BackOfficeRequest:
    """Create the request in the back office. Retriable failures wait and try again (up to
    MAX_ATTEMPTS); a refusal is final and its reason shown to the officer."""
    now = now or timezone.now()
    backoffice = BackOffice.objects.filter(council_id=request.council_id).first()
    if backoffice is None or not backoffice.is_active or not _claim(request, now):
        request.refresh_from_db()
        return request
    client = client or client_for(backoffice)
    request.attempts += 1
    try:
        answer = client.create(_fields(request))
    except Retriable as error:
        request.last_error = str(error)
        if request.attempts >= MAX_ATTEMPTS:
            request.send_state, request.next_attempt_at = SendState.FAILED, None
        else:
            request.next_attempt_at = now + retry_delay(request.attempts)
    except Refused as error:
        request.last_error = str(error)
        request.send_state, request.next_attempt_at = SendState.FAILED, None
    else:
        request.service_request_id = str(answer.get("service_request_id") or "")
        request.token = "" if request.service_request_id else str(answer.get("token") or "")
        request.service_notice = str(answer.get("service_notice") or "")
        request.send_state, request.next_attempt_at, request.last_error = SendState.SENT, None, ""
        request.status, request.sent_at = "open", now
    with transaction.atomic():
        request.save()
        actions = {SendState.SENT.value: "open311.request_sent",
                   SendState.FAILED.value: "open311.request_failed"}
        action = actions.get(str(request.send_state), "open311.request_deferred")
        audit_record(council=backoffice.council, actor=None, actor_label="open311",
                     action=action, obj=request,
                     data={"attempt": request.attempts, "error": request.last_error,
                           "service_request_id": request.service_request_id})
    return request


def status_apply(*, request: BackOfficeRequest, status: str, description: str = "",
                 updated_at: datetime | None, source: str, update_id: str = "",
                 media_url: str = "") -> RequestUpdate | None:
    """Record what the back office says, once per update; None if it says nothing new."""
    status = (status or "").strip().lower().replace(" ", "_")
    description = (description or "").strip()
    if not status:
        return None
    when = updated_at or timezone.now()
    if source == UpdateSource.POLL:
        if status == request.status and description in ("", request.status_notes):
            return None
        update_id = update_id or f"poll:{when.isoformat()}:{status}"
    elif RequestUpdate.objects.filter(request=request, source=UpdateSource.POLL, status=status,
                                      description=description,
                                      updated_at__gte=when - OVERLAP).exists():
        # A poll already showed this change; the pushed copy would only repeat it.
        return None
    with transaction.atomic():
        update, created = RequestUpdate.objects.get_or_create(
            request=request, update_id=update_id[:120],
            defaults={"status": status[:40], "description": description, "updated_at": when,
                      "source": source, "media_url": media_url[:500]})
        if not created:
            return None
        request.status, request.remote_updated_at = status[:40], when
        if description:
            request.status_notes = description
        request.closed_at = (request.closed_at or when) if status in CLOSED else None
        request.save(update_fields=["status", "status_notes", "remote_updated_at", "closed_at"])
        audit_record(council=request.conversation.council, actor=None, actor_label="open311",
                     action="open311.request_updated", obj=request,
                     data={"status": status, "source": source, "update_id": update.update_id})
    return update


def request_check(*, request: BackOfficeRequest, client: GeoReportClient,
                  now: datetime | None = None) -> RequestUpdate | None:
    """Poll one request: swap a token for its id, then read its status (GET requests/{id})."""
    now = now or timezone.now()
    if not request.service_request_id and request.token:
        answer = client.token(request.token)
        found = str((answer or {}).get("service_request_id") or "")
        if found:
            request.service_request_id = found
            request.save(update_fields=["service_request_id"])
    update = None
    if request.service_request_id:
        answer = client.request(request.service_request_id)
        if answer:
            update = status_apply(request=request, status=str(answer.get("status") or ""),
                                  description=str(answer.get("status_notes") or ""),
                                  updated_at=parse_datetime(answer.get("updated_datetime")),
                                  source=UpdateSource.POLL)
    BackOfficeRequest.objects.filter(pk=request.pk).update(last_checked_at=now)
    return update


def updates_pull(*, backoffice: BackOffice, client: GeoReportClient,
                 now: datetime | None = None) -> int:
    """mySociety's servicerequestupdates: every update since the last pull."""
    now = now or timezone.now()
    start = (backoffice.updates_checked_until or now - FIRST_LOOK_BACK) - OVERLAP
    applied = 0
    # The spec's times have whole seconds: ask up to the next one, so nothing from this
    # second is missed; the overlap and update ids absorb what is seen twice.
    for item in client.updates(start, now + timedelta(seconds=1)):
        request = BackOfficeRequest.objects.filter(
            council_id=backoffice.council_id,
            service_request_id=str(item.get("service_request_id") or "")).first()
        if request is None or not item.get("service_request_id"):
            continue
        update_id = str(item.get("update_id") or "") or (
            f"push:{item.get('updated_datetime')}:{item.get('status')}")
        if status_apply(request=request, status=str(item.get("status") or ""),
                        description=str(item.get("description") or ""),
                        updated_at=parse_datetime(item.get("updated_datetime")),
                        source=UpdateSource.PUSH, update_id=update_id,
                        media_url=str(item.get("media_url") or "")):
            applied += 1
    BackOffice.objects.filter(pk=backoffice.pk).update(updates_checked_until=now)
    return applied


def self_service_match(*, backoffice: BackOffice, client: GeoReportClient,
                       now: datetime | None = None) -> int:
    """Reports residents made on the council's own forms: one that carries a tracked
    link's token (from {reference}) means that conversation shifted."""
    from townhall.shift.models import ShiftSource
    from townhall.shift.services import shift_confirm_in_text

    now = now or timezone.now()
    start = (backoffice.reports_checked_until or now - FIRST_LOOK_BACK) - OVERLAP
    ours = set(BackOfficeRequest.objects.filter(council_id=backoffice.council_id)
               .exclude(service_request_id="").values_list("service_request_id", flat=True))
    confirmed = 0
    for item in client.requests_since(start, now + timedelta(seconds=1)):
        reference = str(item.get("service_request_id") or "")
        if reference in ours:
            continue
        text = " ".join(str(item.get(k) or "") for k in ("description", "status_notes",
                                                          "media_url", "address"))
        confirmed += len(shift_confirm_in_text(
            council=backoffice.council, text=text, source=ShiftSource.OPEN311_CLIENT,
            external_reference=reference, at=parse_datetime(item.get("requested_datetime"))))
    BackOffice.objects.filter(pk=backoffice.pk).update(reports_checked_until=now)
    return confirmed


def rule_handoffs(*, backoffice: BackOffice, now: datetime | None = None) -> int:
    """Hand new conversations in 'send automatically' categories to the back office.

    Never safeguarding or critical conversations (a person deals with those first), never
    contact details, and only where triage found a place to send.
    """
    from townhall.open311.selectors import handoff_draft
    from townhall.open311.services import BackOfficeHandoff

    made = 0
    for mapping in ServiceMapping.objects.filter(council_id=backoffice.council_id,
                                                 send_automatically=True,
                                                 automatic_since__isnull=False):
        candidates = (Conversation.objects
                      .filter(council_id=backoffice.council_id, category_id=mapping.category_id,
                              created_at__gte=mapping.automatic_since, safeguarding=False,
                              backoffice_request__isnull=True)
                      .exclude(priority=Priority.CRITICAL)
                      .select_related("council", "category", "resident")
                      .order_by("created_at")[:RULE_BATCH])
        for conversation in candidates:
            draft = handoff_draft(conversation=conversation)
            if not (draft.address_string or draft.postcode or draft.lat is not None):
                continue
            BackOfficeHandoff(conversation=conversation, by=None,
                              service_code=mapping.service_code,
                              address_string=draft.address_string, postcode=draft.postcode,
                              lat=draft.lat, long=draft.long, description=draft.description,
                              media_url=draft.media_url).execute()
            made += 1
    return made


def backoffice_sweep(*, backoffice: BackOffice, client: GeoReportClient | None = None,
                     now: datetime | None = None) -> dict[str, int]:
    """One round with the back office; a failing step is logged and the others still run."""
    now = now or timezone.now()
    client = client or client_for(backoffice)
    summary = {"handed_off": 0, "sent": 0, "updates": 0, "shifted": 0}
    errors: list[str] = []

    def step(name: str, run: Any) -> None:
        try:
            summary[name] += run()
        except Open311Error as error:
            errors.append(str(error))
        except Exception:  # noqa: BLE001 - one broken step must not stop the others
            logger.exception("Open311 sweep step %s failed for council %s", name,
                             backoffice.council_id)
            errors.append(f"{name} failed unexpectedly")

    step("handed_off", lambda: rule_handoffs(backoffice=backoffice, now=now))
    due = BackOfficeRequest.objects.filter(council_id=backoffice.council_id,
                                           send_state=SendState.QUEUED,
                                           next_attempt_at__lte=now)
    for request in due.order_by("next_attempt_at")[:100]:
        step("sent", lambda r=request: int(request_send(request=r, client=client, now=now)
                                           .send_state == SendState.SENT))
    # Pushed updates first: they carry the back office's own ids and notes, and a poll
    # that then finds the same status adds nothing.
    if backoffice.use_updates_extension:
        step("updates", lambda: updates_pull(backoffice=backoffice, client=client, now=now))
    open_requests = (BackOfficeRequest.objects.filter(council_id=backoffice.council_id,
                                                      send_state=SendState.SENT,
                                                      closed_at__isnull=True)
                     .select_related("conversation__council").order_by("last_checked_at"))
    for request in open_requests[:200]:
        step("updates", lambda r=request: int(request_check(request=r, client=client,
                                                            now=now) is not None))
    if backoffice.match_self_service:
        step("shifted", lambda: self_service_match(backoffice=backoffice, client=client,
                                                   now=now))
    BackOffice.objects.filter(pk=backoffice.pk).update(last_sweep_at=now,
                                                       last_sweep_error="\n".join(errors)[:2000])
    return summary


def sweep_all() -> dict[int, dict[str, int]]:
    return {b.council_id: backoffice_sweep(backoffice=b)
            for b in BackOffice.objects.filter(is_active=True).select_related("council")}
