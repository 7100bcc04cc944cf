"""The demo council's back office: its settings, service codes, and requests with statuses.

The back office is `townhall open311 fake-backoffice` (port 8311, key "demo-key"). The
requests made here are history that lives only in Townhall, as if sent earlier.
"""

import random
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from townhall.core.models import Council
from townhall.inbox.models import Conversation, Direction, Message
from townhall.open311.models import (
    BackOffice,
    BackOfficeRequest,
    RequestUpdate,
    SendState,
    ServiceMapping,
    UpdateSource,
)
from townhall.open311.selectors import handoff_draft
from townhall.triage.models import Category, Priority

MAPPINGS = {"roads_potholes": "POT", "street_lighting": "LIGHT", "flytipping": "FLY"}
# How each request's story went, as (status, note) steps after it was sent.
STORIES = [
    [("closed", "Pothole filled. Thank you for reporting it.")],
    [("action_scheduled", "Repair booked for next week."), ("fixed", "Repaired.")],
    [("investigating", "An inspector will visit within 5 working days.")],
    [("in_progress", "Crew on site.")],
    [],
    [("duplicate", "Already reported: we are dealing with it under another reference.")],
    [("action_scheduled", "Lamp column replacement booked."), ("closed", "New lamp fitted.")],
    [("fixed", "Cleared by the street scene team.")],
    [],
    [("in_progress", "Waiting for the utility company.")],
]


@transaction.atomic
def demo_install(council: Council, *, today: date | None = None) -> None:
    rng = random.Random(f"open311-{council.slug}")
    now = timezone.now()
    backoffice, _ = BackOffice.objects.update_or_create(council=council, defaults={
        "name": "Afoncaster Highways (test back office)",
        "base_url": "http://127.0.0.1:8311/open311/v2", "format": "json",
        "use_updates_extension": True, "match_self_service": True, "is_active": True})
    backoffice.set_api_key("demo-key")
    backoffice.save(update_fields=["api_key_encrypted"])
    categories = {c.code: c for c in Category.objects.filter(council=council,
                                                             code__in=list(MAPPINGS))}
    for code, service_code in MAPPINGS.items():
        if code in categories:
            ServiceMapping.objects.update_or_create(category=categories[code], defaults={
                "council": council, "service_code": service_code})
    officer = get_user_model().objects.filter(username="officer").first()
    candidates = list(Conversation.objects
                      .filter(council=council, category__in=categories.values(),
                              safeguarding=False, first_response_at__isnull=False,
                              backoffice_request__isnull=True)
                      .exclude(priority=Priority.CRITICAL)
                      .select_related("council", "channel", "category", "resident")
                      .order_by("-created_at")[:60])
    for n, conversation in enumerate(rng.sample(candidates, min(len(STORIES), len(candidates)))):
        draft = handoff_draft(conversation=conversation)
        if not (draft.address_string or draft.postcode):
            draft.address_string = "Afoncaster"
        sent_at = conversation.first_response_at or conversation.created_at
        request = BackOfficeRequest.objects.create(
            council=council, conversation=conversation, category=conversation.category,
            service_code=MAPPINGS[conversation.category.code if conversation.category else ""],
            description=draft.description,
            address_string=draft.address_string, postcode=draft.postcode,
            media_url=draft.media_url, send_state=SendState.SENT, attempts=1,
            service_request_id=f"HW-{24100 + n}", status="open", sent_at=sent_at,
            service_notice="We aim to inspect within 5 working days.", created_by=officer,
            last_checked_at=sent_at)
        when = sent_at
        for step, (status, note) in enumerate(STORIES[n]):
            # Never in the future: the thread shows updates among the messages, in time.
            when = min(when + timedelta(hours=rng.randint(6, 72)), now)
            RequestUpdate.objects.create(request=request, update_id=f"demo-{request.pk}-{step}",
                                         status=status, description=note, updated_at=when,
                                         source=UpdateSource.PUSH)
            request.status, request.status_notes, request.remote_updated_at = status, note, when
        if request.status in ("closed", "fixed", "duplicate"):
            request.closed_at = when
        request.save()
        _tell_resident(request)


def _tell_resident(request: BackOfficeRequest) -> None:
    """For closed requests, the officer's reply that told the resident."""
    last = request.updates.order_by("-updated_at").first()
    if last is None or request.closed_at is None:
        return
    reply = (Message.objects.filter(conversation=request.conversation, direction=Direction.OUT)
             .order_by("-created_at").first())
    if reply is not None and reply.created_at >= last.updated_at:
        RequestUpdate.objects.filter(pk=last.pk).update(reply=reply)
