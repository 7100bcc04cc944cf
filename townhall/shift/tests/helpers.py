"""Conversations made through the real ingest path, and a pothole route, for tests."""

from datetime import UTC, datetime
from itertools import count
from typing import Any

from townhall.core.models import Council
from townhall.inbox.models import Conversation
from townhall.ingest.items import IncomingItem
from townhall.ingest.services import items_ingest
from townhall.shift.models import ServiceRoute
from townhall.shift.services import route_save
from townhall.triage.models import Category
from townhall.triage.services import taxonomy_install

POTHOLE = "huge pothole outside 12 Mill Lane, SW1A 1AA, nearly came off my bike"
ROUTE = "https://www.afon.example/report?category={category}&postcode={postcode}&ref={reference}"
_ids = count(1)


def post(council: Council, text: str = POTHOLE, *, author: str = "fb:1001",
         author_name: str = "Sam Evans", platform: str = "facebook",
         created_at: datetime | None = None, attachments: list[dict[str, Any]] | None = None,
         **fields: Any) -> Conversation:
    """A resident's post, stored and triaged as any other; `fields` then set on the
    conversation (safeguarding, priority) where a test needs a particular state."""
    n = next(_ids)
    when = created_at or datetime.now(UTC)
    items_ingest(council=council, source="import", items=[IncomingItem(
        platform=platform, channel=f"{platform}-account", platform_message_id=f"p{n}",
        author=author, author_name=author_name, text=text, created_at=when,
        thread_id=f"thread-{n}", attachments=attachments or [])])
    conversation = Conversation.objects.get(council=council, thread_key=f"thread-{n}")
    if fields:
        Conversation.objects.filter(pk=conversation.pk).update(**fields)
        conversation.refresh_from_db()
    return conversation


def categories(council: Council) -> dict[str, Category]:
    if not Category.objects.filter(council=council).exists():
        taxonomy_install(council=council)
    return {c.code: c for c in Category.objects.filter(council=council)}


def pothole_route(council: Council, template: str = ROUTE) -> ServiceRoute:
    return route_save(category=categories(council)["roads_potholes"], url_template=template,
                      form_category="potholes",
                      resident_action="Mark the pothole on the map and add a photo if you can.",
                      resident_action_cy="Marciwch y twll ar y map ac ychwanegwch lun.",
                      is_reportable=True, by=None)
