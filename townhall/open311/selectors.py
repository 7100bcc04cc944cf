"""Open311 reads, each scoped to one council (and, for officers, to what they may see)."""

from dataclasses import dataclass

from django.http import Http404

from townhall.accounts.models import Membership
from townhall.core.models import Council
from townhall.inbox.models import Conversation, Direction, Identity, Message
from townhall.inbox.selectors import conversations_visible
from townhall.open311.models import BackOffice, BackOfficeRequest, RequestUpdate, ServiceMapping
from townhall.shift.routes import places_values
from townhall.triage.models import Category

MAX_DESCRIPTION = 4000


def backoffice_for(*, council: Council) -> BackOffice | None:
    return BackOffice.objects.filter(council=council).first()


def mapping_for(*, category: Category | None) -> ServiceMapping | None:
    if category is None:
        return None
    return ServiceMapping.objects.filter(category=category).first()


@dataclass
class CategoryMapping:
    category: Category
    mapping: ServiceMapping | None


def category_mappings(*, council: Council) -> list[CategoryMapping]:
    mappings = {m.category_id: m for m in ServiceMapping.objects.filter(council=council)}
    return [CategoryMapping(c, mappings.get(c.pk))
            for c in Category.objects.filter(council=council, is_active=True)
            .order_by("group", "name")]


def service_codes(*, council: Council) -> list[tuple[str, str]]:
    """(service_code, category name) for every mapped category, for the hand-off form."""
    return [(m.service_code, m.category.name) for m in
            ServiceMapping.objects.filter(council=council).select_related("category")
            .order_by("category__name")]


@dataclass
class HandoffDraft:
    """What the hand-off form starts with, taken from the conversation and triage."""

    service_code: str
    address_string: str
    postcode: str
    lat: float | None
    long: float | None
    description: str
    media_url: str
    first_name: str
    last_name: str
    email: str


def _point(attachments: list[dict[str, object]]) -> tuple[float | None, float | None]:
    """Coordinates a platform attached (a shared location), if any."""
    for item in attachments or []:
        lat, long = item.get("lat", item.get("latitude")), item.get("long",
                                                                    item.get("longitude"))
        try:
            lat_f, long_f = float(str(lat)), float(str(long))
        except (TypeError, ValueError):
            continue
        if -90 <= lat_f <= 90 and -180 <= long_f <= 180:
            return lat_f, long_f
    return None, None


def handoff_draft(*, conversation: Conversation) -> HandoffDraft:
    inbound = list(Message.objects.filter(conversation=conversation, direction=Direction.IN)
                   .order_by("created_at", "id"))
    postcode = street = place = media_url = ""
    lat = long = None
    texts = []
    for message in inbound:
        found = places_values(message.places or [])
        postcode, street, place = postcode or found[0], street or found[1], place or found[2]
        if lat is None:
            lat, long = _point(message.attachments)
        if not media_url:
            media_url = next((str(a.get("url")) for a in message.attachments or []
                              if a.get("type") in ("image", "photo") and a.get("url")), "")
        # Personal details triage found (phone numbers, emails) are left out unless the
        # officer adds them: the back office needs the problem, not the person.
        texts.append(message.redacted_text or message.text)
    footer = (f"Reported on {conversation.channel.get_platform_display()} to "
              f"{conversation.council.name}. Townhall reference {conversation.reference}.")
    body = "\n\n".join(t.strip() for t in texts if t.strip())
    description = f"{body[:MAX_DESCRIPTION - len(footer) - 2]}\n\n{footer}".strip()
    name = (conversation.resident.display_name if conversation.resident else "").split()
    email = (Identity.objects.filter(resident_id=conversation.resident_id, platform="email")
             .values_list("handle", flat=True).first() if conversation.resident_id else None)
    mapping = mapping_for(category=conversation.category)
    return HandoffDraft(
        service_code=mapping.service_code if mapping else "",
        address_string=", ".join(filter(None, [street, place])), postcode=postcode,
        lat=lat, long=long, description=description, media_url=media_url,
        first_name=name[0] if name else "", last_name=" ".join(name[1:]),
        email=email or "")


def conversation_request(*, conversation: Conversation) -> BackOfficeRequest | None:
    return (BackOfficeRequest.objects.filter(conversation=conversation)
            .select_related("created_by").first())


def conversation_for_handoff(*, membership: Membership, conversation_id: int) -> Conversation:
    conversation = (conversations_visible(membership=membership)
                    .select_related("council", "channel", "category", "resident")
                    .filter(pk=conversation_id).first())
    if conversation is None:
        raise Http404("No such conversation.")
    return conversation


def update_get(*, membership: Membership, update_id: int) -> RequestUpdate:
    """An update on a request whose conversation this member may see."""
    visible = conversations_visible(membership=membership)
    update = (RequestUpdate.objects.filter(pk=update_id, request__conversation__in=visible)
              .select_related("request", "request__conversation",
                              "request__conversation__resident").first())
    if update is None:
        raise Http404("No such update.")
    return update


def request_get(*, membership: Membership, request_id: int) -> BackOfficeRequest:
    visible = conversations_visible(membership=membership)
    found = (BackOfficeRequest.objects.filter(pk=request_id, conversation__in=visible)
             .select_related("conversation").first())
    if found is None:
        raise Http404("No such request.")
    return found
