from datetime import UTC, date, datetime, timedelta

import pytest

from townhall.inbox.models import Conversation, Direction, Message
from townhall.open311.models import BackOffice, BackOfficeRequest
from townhall.shift.demo import demo_install
from townhall.shift.models import LedgerEntry, ServiceRoute, TrackedLink
from townhall.shift.tests.helpers import categories, post

pytestmark = pytest.mark.django_db


def _answered(council, n):
    start = datetime(2026, 1, 5, 9, tzinfo=UTC)
    for i in range(n):
        conversation = post(council, f"pothole outside {i + 1} Mill Lane, SW1A 1AA",
                            created_at=start + timedelta(days=i))
        when = conversation.created_at + timedelta(hours=2)
        Message.objects.create(council=council, conversation=conversation,
                               channel=conversation.channel, direction=Direction.OUT,
                               text="Thanks, we will look.", created_at=when, received_at=when)
        Conversation.objects.filter(pk=conversation.pk).update(first_response_at=when)


def test_the_demo_council_shows_routes_links_savings_and_back_office_requests(council) -> None:
    categories(council)
    _answered(council, 40)
    demo_install(council, today=date(2026, 3, 1))
    assert ServiceRoute.objects.filter(council=council, category__code="roads_potholes").exists()
    links = TrackedLink.objects.filter(council=council)
    assert links.exists() and links.filter(visitors__gt=0).exists()
    link = links.first()
    assert Message.objects.filter(conversation=link.conversation, direction=Direction.OUT,
                                  text__contains=f"/go/{link.token}").exists()
    entries = LedgerEntry.objects.filter(council=council)
    assert entries.exists() and all(e.saved_pence == 268 for e in entries)
    assert BackOffice.objects.get(council=council).api_key == "demo-key"
    requests = BackOfficeRequest.objects.filter(council=council)
    assert requests.count() == 10
    assert {r.status for r in requests} >= {"open", "closed", "in_progress"}


def test_the_demo_is_the_same_every_time(council) -> None:
    categories(council)
    _answered(council, 30)

    def run():
        demo_install(council, today=date(2026, 3, 1))
        found = (sorted(TrackedLink.objects.values_list("conversation_id", "visitors")),
                 sorted(LedgerEntry.objects.values_list("conversation_id", "saved_pence")),
                 sorted(BackOfficeRequest.objects.values_list("conversation_id", "status")))
        LedgerEntry.objects.all().delete()
        TrackedLink.objects.all().delete()
        BackOfficeRequest.objects.all().delete()
        return found

    first = run()
    assert first[0] and first[1]
    assert run() == first
