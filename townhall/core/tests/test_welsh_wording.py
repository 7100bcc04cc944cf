"""Wording built from parts on a Welsh screen: dates, hours, field names, ordinals, and
the lang attribute that tells a screen reader which language a label is in."""

import html
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from celery.schedules import crontab
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from townhall.analytics.buckets import minutes_text
from townhall.conftest import message_data
from townhall.connectors.facebook.window import messaging_window
from townhall.connectors.services import channel_create
from townhall.core.models import AuditEvent
from townhall.core.scheduler.schedule import how_often
from townhall.inbox.models import Conversation, Message
from townhall.inbox.services import conversation_snooze
from townhall.inbox.targets import duration_text, office_duration_text
from townhall.inbox.templatetags.inbox_tags import event_text
from townhall.ingest.items import parse_item
from townhall.ingest.services import items_ingest
from townhall.respond.services import saved_reply_save

LONDON = ZoneInfo("Europe/London")
WELSH_MONTHS = ["Ionawr", "Chwefror", "Mawrth", "Ebrill", "Mai", "Mehefin", "Gorffennaf",
                "Awst", "Medi", "Hydref", "Tachwedd", "Rhagfyr"]


@pytest.fixture(autouse=True)
def _english_afterwards() -> Iterator[None]:
    yield
    translation.deactivate()


@pytest.fixture
def welsh(db) -> Client:
    client = Client(raise_request_exception=False)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    return client


@pytest.fixture
def conversation(council) -> Conversation:
    items_ingest(council=council, source="import", items=[parse_item(message_data(
        platform_message_id="m1", thread_id="t1", channel="facebook-account"))])
    return Conversation.objects.get(council=council, thread_key="t1")


def page_text(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def an_event(member, action: str, at: datetime, **data) -> AuditEvent:
    """An event as the history shows it; unsaved, since saved ones cannot be back-dated."""
    return AuditEvent(council=member.council, actor=member.user, action=action, at=at,
                      data=data)


def test_a_history_entry_from_another_day_names_the_month_in_welsh(alice) -> None:
    alice.user.first_name, alice.user.last_name = "Alice", "Jones"
    event = an_event(alice, "conversation.closed", datetime(2026, 7, 3, 9, 30, tzinfo=UTC))
    with translation.override("cy"):
        assert event_text(event) == "Alice Jones wedi cau'r sgwrs ar 3 Gorffennaf am 10:30"
    with translation.override("en"):
        assert event_text(event) == "Alice Jones closed it on 3 July at 10:30"


def test_the_conversation_page_gives_a_snooze_date_with_a_welsh_month(
        welsh, client, alice, conversation) -> None:
    until = (timezone.now() + timedelta(days=40)).astimezone(LONDON).replace(
        hour=10, minute=0, second=0, microsecond=0)
    conversation_snooze(conversation=conversation, until=until, by=alice,
                        version=conversation.version)
    url = reverse("inbox:conversation", args=[conversation.pk])
    welsh.force_login(alice.user)
    welsh_month = WELSH_MONTHS[until.month - 1]
    assert f"wedi oedi'r sgwrs tan {until.day} {welsh_month} 10:00" in page_text(welsh, url)
    client.force_login(alice.user)
    assert f"snoozed it until {until.day} {until:%B} 10:00" in page_text(client, url)


def test_a_correction_names_its_fields_in_welsh(alice) -> None:
    now = timezone.now()
    both = an_event(alice, "conversation.corrected", now,
                    changes={"priority": ["normal", "high"], "category": ["", "bins"]})
    one = an_event(alice, "conversation.corrected", now, changes={"priority": ["low", "high"]})
    with translation.override("cy"):
        assert "wedi newid categori a blaenoriaeth y sgwrs am " in event_text(both)
        assert "wedi newid blaenoriaeth y sgwrs am " in event_text(one)
        assert "priority" not in event_text(both)
    with translation.override("en"):
        assert "changed its category and priority at " in event_text(both)
        assert "changed its priority at " in event_text(one)


def test_whole_hours_are_in_welsh() -> None:
    with translation.override("cy"):
        assert office_duration_text(timedelta(hours=1)) == "1 awr"
        assert office_duration_text(timedelta(hours=4)) == "4 awr"
        assert office_duration_text(timedelta(hours=4, minutes=30)) == "4 awr 30 mun"
        assert duration_text(timedelta(days=2, hours=3)) == "2 diwrnod 3 awr"
        assert minutes_text(8 * 60) == "8 awr"
    with translation.override("en"):
        assert office_duration_text(timedelta(hours=4)) == "4 h"
        assert duration_text(timedelta(days=2, hours=3)) == "2 days 3 h"


def test_the_thread_marks_its_language_label_in_the_language_it_is_written_in(
        welsh, client, alice, conversation) -> None:
    Message.objects.filter(conversation=conversation).update(language="cy")
    url = reverse("inbox:conversation", args=[conversation.pk])
    welsh.force_login(alice.user)
    assert 'th-tag" lang="cy">Cymraeg</strong>' in page_text(welsh, url)
    client.force_login(alice.user)
    assert 'th-tag" lang="en">Welsh</strong>' in page_text(client, url)

    Message.objects.filter(conversation=conversation).update(language="en")
    assert 'th-tag" lang="cy">Saesneg</strong>' in page_text(welsh, url)


def test_welsh_has_july_spelt_right() -> None:
    with translation.override("cy"):
        assert date_format(date(2026, 7, 3), "j F") == "3 Gorffennaf"
        assert date_format(date(2026, 7, 3), "E") == "Gorffennaf"


def test_a_messenger_reply_window_names_the_month_in_welsh() -> None:
    last = datetime(2026, 12, 3, 14, 5, tzinfo=UTC)
    with translation.override("cy"):
        window = messaging_window(last_resident_at=last, now=last, human_agent=False,
                                  where="Messenger")
    assert "tan 14:05 ar 4 Rhagfyr, 24 awr" in window.explanation


def test_a_monthly_task_is_described_with_a_welsh_ordinal() -> None:
    def monthly(day: int) -> str:
        return how_often(crontab(minute=0, hour=7, day_of_month=day))

    with translation.override("cy"):
        assert monthly(1) == "Ar y 1af o bob mis am 07:00"
        assert monthly(2) == "Ar yr 2il o bob mis am 07:00"
        assert monthly(11) == "Ar yr 11eg o bob mis am 07:00"
        assert monthly(15) == "Ar y 15fed o bob mis am 07:00"
        assert monthly(23) == "Ar y 23ain o bob mis am 07:00"
    with translation.override("en"):
        assert monthly(2) == "On the 2nd of each month at 07:00"


def test_the_background_page_is_in_welsh(welsh, dave) -> None:
    welsh.force_login(dave.user)
    assert "Ar y 1af o bob mis am 07:00" in page_text(welsh, "/manage/background/")


def test_the_web_chat_setup_explains_the_language_attributes_in_welsh(welsh, dave) -> None:
    channel, _ = channel_create(council=dave.council, platform="webchat", handle="afon-chat",
                                name="Afon web chat")
    welsh.force_login(dave.user)
    page = page_text(welsh, f"/webchat/channels/{channel.pk}/")
    assert ('ar dudalen sydd wedi\'i marcio â lang="cy", bydd yn Gymraeg. I ddewis yr iaith '
            'eich hun, ychwanegwch data-lang="cy" neu data-lang="en".') in page


def test_the_missing_welsh_tag_on_saved_replies_is_marked_in_the_screens_language(
        welsh, client, dave) -> None:
    saved_reply_save(council=dave.council, by=dave, title="Thanks", body="Thank you.",
                     title_cy="", body_cy="", category=None)
    url = reverse("respond:saved-replies")
    welsh.force_login(dave.user)
    assert 'govuk-tag--orange" lang="cy">Dim testun Cymraeg</strong>' in page_text(welsh, url)
    client.force_login(dave.user)
    assert 'govuk-tag--orange" lang="en">No Welsh text</strong>' in page_text(client, url)
