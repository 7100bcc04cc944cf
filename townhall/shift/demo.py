"""Channel shift and the back office in the demo council: routes, signposted replies,
clicks, shifted conversations with ledger entries, and back-office requests.

Deterministic: the same demo year gives the same links, clicks and savings. The demo's
back office is `townhall open311 fake-backoffice` on port 8311; run it beside `make demo`
to hand conversations off from the demo (without it, hand-offs wait and retry).
"""

import random
import secrets
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from townhall.core.models import Council
from townhall.demo.generator.council import WEBSITE
from townhall.inbox.models import Conversation, Direction, Message
from townhall.shift.models import LinkVisitor, ServiceRoute, ShiftSettings, ShiftSource, TrackedLink
from townhall.shift.services import shift_confirm
from townhall.triage.models import Category, Priority

# (category code, path on the council's site, what the resident does there)
ROUTES = [
    ("roads_potholes", "potholes", "Mark the pothole on the map and add a photo if you can."),
    ("pavements_footpaths", "pavements", "Mark the spot on the map and say what is wrong."),
    ("street_lighting", "street-lights", "Choose the light on the map: its number is on the post."),
    ("flytipping", "fly-tipping", "Mark where it is and say what has been dumped."),
    ("graffiti_flyposting", "graffiti", "Mark where it is and add a photo if you can."),
    ("street_cleaning_litter", "litter", "Mark the street on the map."),
    ("dog_fouling", "dog-fouling", "Mark the street on the map."),
    ("drains_flooding", "drains", "Mark the drain on the map. If water is entering a home, "
                                  "phone us instead."),
    ("signs_signals", "signs", "Choose the sign or signal on the map."),
    ("dead_animal", "dead-animals", "Mark where the animal is."),
    ("bins_collections", "missed-bin", "Enter your postcode and choose the bin that was missed."),
    ("trees_parks_verges", "trees", "Mark the tree or verge on the map."),
    ("vehicles_parking", "abandoned-vehicles", "Give the registration and mark where it is."),
]
SIGNPOST_SHARE = 0.35
CLICK_SHARE = 0.7
SHIFT_SHARE = 0.5


def _routes(council: Council) -> dict[int, ServiceRoute]:
    categories = {c.code: c for c in Category.objects.filter(council=council)}
    routes = {}
    for code, path, action in ROUTES:
        category = categories.get(code)
        if category is None:
            continue
        template = (f"{WEBSITE}/report/{path}?postcode={{postcode}}&street={{street}}"
                    f"&ref={{reference}}")
        route, _ = ServiceRoute.objects.update_or_create(
            category=category, defaults={"council": council, "url_template": template,
                                         "resident_action": action, "is_reportable": True})
        Category.objects.filter(pk=category.pk, self_service_url="").update(
            self_service_url=f"{WEBSITE}/report/{path}")
        routes[category.pk] = route
    return routes


def _signposted(council: Council, routes: dict[int, ServiceRoute],
                rng: random.Random) -> list[tuple[TrackedLink, datetime]]:
    """Give about a third of the answered street reports a tracked link in their reply."""
    candidates = (Conversation.objects
                  .filter(council=council, category_id__in=list(routes), safeguarding=False,
                          first_response_at__isnull=False)
                  .exclude(priority=Priority.CRITICAL).order_by("id"))
    chosen = []
    for conversation in candidates.iterator():
        if rng.random() >= SIGNPOST_SHARE:
            continue
        reply = (Message.objects.filter(conversation=conversation, direction=Direction.OUT)
                 .order_by("created_at", "id").first())
        if reply is None:
            continue
        route = routes[conversation.category_id or 0]
        token = secrets.token_urlsafe(12)
        link = TrackedLink.objects.create(
            council=council, conversation=conversation, route=route,
            category_id=conversation.category_id, token=token)
        TrackedLink.objects.filter(pk=link.pk).update(created_at=reply.created_at)
        url = f"{settings.TOWNHALL_BASE_URL}/go/{token}"
        Message.objects.filter(pk=reply.pk).update(
            text=f"{reply.text.rstrip()}\nThe quickest way to report this is online: {url}")
        chosen.append((link, reply.created_at))
    return chosen


def _clicks(link: TrackedLink, sent_at: datetime, rng: random.Random) -> bool:
    if rng.random() >= CLICK_SHARE:
        return False
    visitors = rng.choice([1, 1, 1, 2])
    repeats = rng.choice([0, 0, 1, 2])
    for n in range(visitors):
        LinkVisitor.objects.create(link=link, visitor_key=f"demo{link.pk:08d}{n:020d}"[:32],
                                   first_at=sent_at + timedelta(minutes=rng.randint(2, 600)),
                                   clicks=1 + (repeats if n == 0 else 0))
    TrackedLink.objects.filter(pk=link.pk).update(
        visitors=visitors, repeat_clicks=repeats,
        first_clicked_at=sent_at + timedelta(minutes=rng.randint(1, 120)))
    return True


@transaction.atomic
def demo_install(council: Council, *, today: date | None = None) -> None:
    rng = random.Random(f"shift-{council.slug}")
    ShiftSettings.objects.get_or_create(council=council)
    routes = _routes(council)
    end = timezone.now() if today is None else timezone.make_aware(
        datetime.combine(today, datetime.max.time()))
    for n, (link, sent_at) in enumerate(_signposted(council, routes, rng), start=1):
        if not _clicks(link, sent_at, rng) or rng.random() >= SHIFT_SHARE:
            continue
        shifted_at = min(sent_at + timedelta(hours=rng.randint(1, 36)), end)
        link.refresh_from_db()
        source = ShiftSource.OPEN311_CLIENT if n % 3 else ShiftSource.WEBHOOK
        shift_confirm(link=link, source=source, external_reference=f"AFN-{30000 + n}",
                      at=shifted_at)
    from townhall.open311.demo import demo_install as open311_demo_install

    open311_demo_install(council, today=today)
