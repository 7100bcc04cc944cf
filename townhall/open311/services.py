"""Open311 client writes: back-office settings, mappings and hand-offs (telling residents
about updates is in timeline.py, through the inbox's reply service)."""

from functools import partial
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from townhall.accounts.models import Membership
from townhall.core.actions import BaseAction
from townhall.core.models import Council
from townhall.core.services import audit_record
from townhall.inbox.models import Conversation
from townhall.open311.models import (
    BackOffice,
    BackOfficeRequest,
    Format,
    SendState,
    ServiceMapping,
)
from townhall.triage.models import Category

MAX_DESCRIPTION = 4000  # the spec's limit


@transaction.atomic
def backoffice_save(*, council: Council, name: str, base_url: str, jurisdiction_id: str,
                    api_key_env: str, api_key: str, fmt: str, timeout_seconds: int,
                    use_updates_extension: bool, match_self_service: bool, is_active: bool,
                    by: Any, updates_need_approval: bool = False,
                    ip_address: str | None = None) -> BackOffice:
    """Create or change the back-office endpoint. A blank `api_key` keeps the stored one;
    the audit says that the key changed, never what it is."""
    backoffice = BackOffice.objects.filter(council=council).first() or BackOffice(
        council=council)
    new = {"name": name.strip() or "Back office", "base_url": base_url.strip(),
           "jurisdiction_id": jurisdiction_id.strip(), "api_key_env": api_key_env.strip(),
           "format": fmt if fmt in Format.values else Format.JSON,
           "timeout_seconds": timeout_seconds, "use_updates_extension": use_updates_extension,
           "match_self_service": match_self_service, "is_active": is_active,
           "updates_need_approval": updates_need_approval}
    changes: dict[str, Any] = {k: {"from": getattr(backoffice, k), "to": v}
                               for k, v in new.items() if getattr(backoffice, k) != v}
    for key, value in new.items():
        setattr(backoffice, key, value)
    if api_key:
        backoffice.set_api_key(api_key)
        changes["api_key"] = "changed"
    backoffice.full_clean()
    backoffice.save()
    if changes:
        audit_record(council=council, actor=by, action="open311.backoffice_saved",
                     obj=backoffice, data={"changes": changes}, ip_address=ip_address)
    return backoffice


@transaction.atomic
def mapping_save(*, category: Category, service_code: str, send_automatically: bool,
                 by: Any, ip_address: str | None = None) -> ServiceMapping | None:
    """Map a category to a service_code; a blank code removes the mapping."""
    mapping = ServiceMapping.objects.filter(category=category).first()
    code = service_code.strip()
    before = ({"service_code": mapping.service_code,
               "send_automatically": mapping.send_automatically} if mapping else None)
    if not code:
        if mapping is not None:
            mapping.delete()
            audit_record(council=category.council, actor=by, action="open311.mapping_removed",
                         obj=category, data={"before": before}, ip_address=ip_address)
        return None
    if mapping is None:
        mapping = ServiceMapping(council_id=category.council_id, category=category)
    if send_automatically and not mapping.send_automatically:
        # The rule applies to conversations from now on, never to the backlog.
        mapping.automatic_since = timezone.now()
    mapping.service_code = code
    mapping.send_automatically = send_automatically
    mapping.full_clean()
    mapping.save()
    after = {"service_code": code, "send_automatically": send_automatically}
    if after != before:
        audit_record(council=category.council, actor=by, action="open311.mapping_saved",
                     obj=category, data={"before": before, "after": after},
                     ip_address=ip_address)
    return mapping


class BackOfficeHandoff(BaseAction[BackOfficeRequest]):
    """Create a service request in the back office from a conversation.

    An officer does it from the conversation page; the rule does it with `by=None`. The
    resident's name and email go only when `contact_consent` is true, which an officer
    sets only when the resident agreed; a rule never sends them.
    """

    audit_action = "open311.request_created"

    def __init__(self, *, conversation: Conversation, by: Membership | None, service_code: str,
                 address_string: str = "", postcode: str = "", lat: float | None = None,
                 long: float | None = None, description: str = "", media_url: str = "",
                 contact_consent: bool = False, first_name: str = "", last_name: str = "",
                 email: str = "", ip_address: str | None = None) -> None:
        super().__init__(council=conversation.council, actor=by.user if by else None,
                         ip_address=ip_address)
        self.conversation, self.by = conversation, by
        self.fields = {
            "service_code": service_code.strip(), "address_string": address_string.strip(),
            "postcode": postcode.strip().upper(), "lat": lat, "long": long,
            "description": description.strip()[:MAX_DESCRIPTION], "media_url": media_url.strip(),
            "contact_consent": contact_consent,
            "first_name": first_name.strip() if contact_consent else "",
            "last_name": last_name.strip() if contact_consent else "",
            "email": email.strip() if contact_consent else "",
        }

    def check(self) -> None:
        if self.by is not None and self.by.council_id != self.conversation.council_id:
            raise PermissionDenied
        backoffice = BackOffice.objects.filter(council_id=self.conversation.council_id).first()
        if backoffice is None or not backoffice.is_active:
            raise ValidationError(_("The council's back office is not set up in Townhall. "
                                    "Ask an administrator to connect it."))
        if BackOfficeRequest.objects.filter(conversation=self.conversation).exists():
            raise ValidationError(_("This conversation is already with the back office."))
        if not self.fields["service_code"]:
            raise ValidationError(_("Choose the back-office service"))
        has_point = self.fields["lat"] is not None and self.fields["long"] is not None
        if not (has_point or self.fields["address_string"] or self.fields["postcode"]):
            raise ValidationError(_("Enter where the problem is: a street, a postcode or "
                                    "map coordinates"))

    def _execute(self) -> tuple[BackOfficeRequest, Any, dict[str, Any]]:
        request = BackOfficeRequest.objects.create(
            council_id=self.conversation.council_id, conversation=self.conversation,
            category=self.conversation.category, created_by=self.actor,
            by_rule=self.by is None, next_attempt_at=timezone.now(), **self.fields)
        from townhall.open311.tasks import send_request

        transaction.on_commit(partial(send_request.delay, request.pk))
        return request, request, {"conversation": self.conversation.reference,
                                  "service_code": request.service_code,
                                  "contact_consent": request.contact_consent,
                                  "by_rule": request.by_rule}


@transaction.atomic
def request_retry(*, request: BackOfficeRequest, by: Membership) -> BackOfficeRequest:
    """Send a request that could not be sent once more, now."""
    if by.council_id != request.council_id:
        raise PermissionDenied
    if request.send_state != SendState.FAILED:
        raise ValidationError(_("This request is not waiting to be sent again."))
    BackOfficeRequest.objects.filter(pk=request.pk).update(
        send_state=SendState.QUEUED, attempts=0, next_attempt_at=timezone.now(), last_error="")
    request.refresh_from_db()
    audit_record(council=request.conversation.council, actor=by.user,
                 action="open311.request_retried", obj=request)
    from townhall.open311.tasks import send_request

    transaction.on_commit(partial(send_request.delay, request.pk))
    return request
