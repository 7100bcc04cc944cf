"""Targets by category and priority, office-hours response times on conversations, the
inbox's time left and breaches, and the backfill."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse

from townhall.conftest import PASSWORD, message_data
from townhall.core.models import AuditEvent
from townhall.inbox.models import Conversation
from townhall.inbox.services import conversation_close, conversation_reopen, conversation_reply
from townhall.ingest.items import parse_item
from townhall.ingest.services import items_ingest
from townhall.respond.models import ClosureDay, ResponseSettings, ResponseTarget
from townhall.respond.selectors import office_hours_for, response_clock_for
from townhall.respond.services import response_times_backfill
from townhall.respond.targets import TargetTable
from townhall.triage.services import taxonomy_install

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
HOUR = 3600


def london(*args: int) -> datetime:
    return datetime(*args, tzinfo=LONDON)  # type: ignore[misc]


def test_a_category_target_beats_the_priority_fallback_and_safeguarding_is_critical() -> None:
    table = TargetTable([(7, "high", 120, 960), (None, "high", 300, None),
                         (None, "critical", 30, None)])
    assert table.target_for(priority="high", category_id=7).first_response == 2 * HOUR
    assert table.target_for(priority="high", category_id=7).resolution == 16 * HOUR
    assert table.target_for(priority="high", category_id=8).first_response == 5 * HOUR
    assert table.target_for(priority="low").first_response == 24 * HOUR  # the default
    assert table.target_for(priority="high", category_id=7,
                            safeguarding=True).first_response == 30 * 60


def test_the_councils_hours_nation_and_closures_come_from_its_settings(council) -> None:
    ResponseSettings.objects.create(
        council=council, nation="scotland",
        opening_times={"0": [["09:00", "17:00"]], "1": [], "2": [], "3": [], "4": [],
                       "5": [], "6": []})
    ClosureDay.objects.create(council=council, day=date(2025, 1, 13), reason="Training")
    hours = office_hours_for(council)
    assert hours.weekly[0] == ((time(9), time(17)),) and hours.weekly[1] == ()
    # Monday 6 January is open; Monday 13 is closed; Monday 20 is open again.
    start = london(2025, 1, 6, 17, 0)
    assert hours.deadline(start, HOUR) == london(2025, 1, 20, 10, 0).astimezone(UTC)
    assert hours.is_closed_day(date(2025, 8, 4))  # Scotland's summer bank holiday


def test_a_reply_and_closing_store_office_seconds(make_conversation, alice) -> None:
    # Friday 10 January 2025 16:00: 45 office minutes that day, 15 on Monday.
    conversation = make_conversation(created_at=london(2025, 1, 10, 16, 0),
                                     waiting_since=london(2025, 1, 10, 16, 0))
    Conversation.objects.filter(pk=conversation.pk).update(created_at=london(2025, 1, 10, 16, 0))
    conversation.refresh_from_db()
    hours = office_hours_for(conversation.council)
    conversation_reply(conversation=conversation, text="On it", by=alice,
                       version=conversation.version)
    conversation.refresh_from_db()
    expected = hours.seconds_between(conversation.created_at, conversation.first_response_at)
    assert conversation.first_response_office_seconds == expected > 3600
    conversation_close(conversation=conversation, by=alice, version=conversation.version)
    conversation.refresh_from_db()
    assert conversation.resolution_office_seconds == hours.seconds_between(
        conversation.created_at, conversation.closed_at)
    conversation_reopen(conversation=conversation, by=alice, version=conversation.version)
    conversation.refresh_from_db()
    assert conversation.resolution_office_seconds is None


def test_an_imported_council_reply_stores_office_seconds(council) -> None:
    items_ingest(council=council, source="import", items=[
        parse_item(message_data(platform_message_id="in1", thread_id="t-imp",
                                created_at="2025-01-10T16:00:00+00:00")),
        parse_item(message_data(platform_message_id="out1", thread_id="t-imp", direction="out",
                                author="council", text="Thanks, passed on.",
                                created_at="2025-01-13T10:00:00+00:00"))])
    conversation = Conversation.objects.get(thread_key="t-imp")
    # Friday 16:00-16:45, Monday 08:45-10:00.
    assert conversation.first_response_office_seconds == 45 * 60 + 75 * 60


def test_the_backfill_fills_old_rows_and_follows_new_office_hours(make_conversation, council,
                                                                  dave) -> None:
    conversation = make_conversation()
    Conversation.objects.filter(pk=conversation.pk).update(
        created_at=london(2025, 1, 10, 16, 0), first_response_at=london(2025, 1, 13, 10, 0),
        first_response_office_seconds=None, status="closed",
        closed_at=london(2025, 1, 14, 8, 45))
    assert response_times_backfill(council, commit=False) == 1
    assert Conversation.objects.get(pk=conversation.pk).first_response_office_seconds is None
    assert response_times_backfill(council) == 1
    conversation.refresh_from_db()
    assert conversation.first_response_office_seconds == 120 * 60
    assert conversation.resolution_office_seconds == 120 * 60 + (17 * 60 + 15 - 10 * 60) * 60
    assert response_times_backfill(council) == 0
    assert AuditEvent.objects.filter(action="respond.response_times_backfilled").count() == 2


def test_the_inbox_shows_time_left_and_breaches_in_office_hours(make_conversation, council,
                                                                alice) -> None:
    taxonomy_install(council=council)
    roads = council.categories.get(code="roads_potholes")
    ResponseTarget.objects.create(council=council, category=roads, priority="normal",
                                  first_response_minutes=10 * 8 * 60)
    clock = response_clock_for(council)
    now = datetime.now(UTC)
    start = now - timedelta(days=1)
    waited = clock.hours.seconds_between(start, now)
    make_conversation(text="Pothole on Mill Lane", waiting_since=start, category=roads)
    make_conversation(text="Critical thing", waiting_since=start - timedelta(days=9),
                      priority="critical")
    client = Client()
    client.login(username="alice", password=PASSWORD)
    page = client.get(reverse("inbox:inbox")).content.decode()
    assert "Breached" in page  # ten days is past a one-hour target
    # The page is drawn a moment after `waited` was counted: allow for a minute passing.
    shown = []
    for slack in (0, 60):
        hours, minutes = divmod((10 * 8 * HOUR - waited - slack) // 60, 60)
        shown += [f"{hours} h {minutes} min left", f"{hours} h left"]
    assert any(text in page for text in shown), shown
    assert "target 80 h in office hours" in page


def test_the_backfill_command_is_a_dry_run_unless_committed(make_conversation, council,
                                                            capsys) -> None:
    from townhall.cli import main

    conversation = make_conversation()
    Conversation.objects.filter(pk=conversation.pk).update(
        created_at=london(2025, 1, 10, 16, 0), first_response_at=london(2025, 1, 13, 10, 0))
    assert main(["respond", "backfill", "--council", council.slug]) == 0
    assert "would change: 1. Nothing was written" in capsys.readouterr().out
    assert Conversation.objects.get(pk=conversation.pk).first_response_office_seconds is None
    assert main(["respond", "backfill", "--council", council.slug, "--commit"]) == 0
    assert "response times changed: 1." in capsys.readouterr().out
    assert Conversation.objects.get(pk=conversation.pk).first_response_office_seconds == 7200
