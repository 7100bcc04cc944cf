"""The suggested reply that signposts a self-service route, and where its link leads."""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.urls import reverse

from townhall.inbox.models import Conversation, Direction, Message
from townhall.shift.models import ServiceRoute, TrackedLink
from townhall.shift.routes import RouteValues, places_values, template_fill
from townhall.shift.selectors import route_for
from townhall.shift.services import signpost_blocked_reason, tracked_link_get_or_create

# The reply is in the resident's language, whatever language the officer's screen is in,
# so these are not run through gettext.
SUGGESTIONS = {
    "en": "Thanks for letting us know{name}. The quickest way to report this is on our "
          "website, where you can follow its progress: {url} {action}",
    "cy": "Diolch am roi gwybod i ni{name}. Y ffordd gyflymaf o roi gwybod am hyn yw ar ein "
          "gwefan, lle gallwch ddilyn ei hynt: {url} {action}",
}


@dataclass
class Signpost:
    route: ServiceRoute
    blocked: str = ""
    link: TrackedLink | None = None
    url: str = ""
    destination: str = ""
    text: str = ""
    language: str = "en"
    sent_at: datetime | None = None


def route_values(*, conversation: Conversation, route: ServiceRoute | None,
                 token: str = "") -> RouteValues:
    """What the form gets: the category, and the first postcode, street and place triage
    found in the resident's messages."""
    postcode = street = place = ""
    for places in (Message.objects.filter(conversation=conversation, direction=Direction.IN)
                   .order_by("created_at", "id").values_list("places", flat=True)):
        found = places_values(places or [])
        postcode, street, place = postcode or found[0], street or found[1], place or found[2]
        if postcode and street:
            break
    category = ""
    if route is not None:
        category = route.form_category or route.category.name
    return RouteValues(category=category, postcode=postcode, street=street, place=place,
                       reference=token)


def link_destination(*, link: TrackedLink) -> str | None:
    """Where the link sends the resident now, or None if its route has been removed."""
    route = link.route
    if route is None:
        return None
    values = route_values(conversation=link.conversation, route=route, token=link.token)
    return template_fill(route.url_template, values)


def link_url(*, link: TrackedLink) -> str:
    return f"{settings.TOWNHALL_BASE_URL}{reverse('shift-go', args=[link.token])}"


def _first_name(conversation: Conversation) -> str:
    name = conversation.resident.display_name if conversation.resident else ""
    return name.split()[0] if name.strip() else ""


def signpost_for(*, conversation: Conversation) -> Signpost | None:
    """The suggestion for the conversation page, or None when its category has no route
    for reportable problems. Makes the conversation's tracked link the first time."""
    route = route_for(category=conversation.category)
    if route is None or not route.is_reportable:
        return None
    blocked = signpost_blocked_reason(conversation=conversation)
    if blocked:
        return Signpost(route=route, blocked=blocked)
    link = tracked_link_get_or_create(conversation=conversation, route=route)
    link.route = route
    url = link_url(link=link)
    language = "cy" if conversation.language == "cy" else "en"
    action = (route.resident_action_cy or route.resident_action) if language == "cy" else (
        route.resident_action)
    name = _first_name(conversation)
    text = SUGGESTIONS[language].format(name=f", {name}" if name else "", url=url,
                                        action=action).strip()
    sent_at = (Message.objects.filter(conversation=conversation, direction=Direction.OUT,
                                      text__contains=link.token)
               .order_by("created_at").values_list("created_at", flat=True).first())
    return Signpost(route=route, link=link, url=url, language=language, text=text,
                    destination=link_destination(link=link) or "", sent_at=sent_at)
