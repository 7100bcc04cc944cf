"""Welsh and English response times side by side, on screen and as CSV."""

import csv
import io
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from townhall.conftest import PASSWORD, message_data
from townhall.core.models import AuditEvent
from townhall.ingest.items import parse_item
from townhall.ingest.services import items_ingest
from townhall.respond.reports import percentile, welsh_report

pytestmark = pytest.mark.django_db
WELSH = "Mae'r biniau heb eu casglu ar Heol y Felin yr wythnos hon"
ENGLISH = "The bins on Mill Lane were not collected this week"


def thread(council, n: int, text: str, reply: str | None, reply_at: str = "") -> None:
    """A resident's message on Monday 13 January 2025 at 09:00 and, maybe, the reply."""
    items = [parse_item(message_data(platform_message_id=f"in{n}", thread_id=f"t{n}", text=text,
                                     created_at="2025-01-13T09:00:00+00:00"))]
    if reply is not None:
        items.append(parse_item(message_data(
            platform_message_id=f"out{n}", thread_id=f"t{n}", direction="out",
            author="council", text=reply, created_at=reply_at)))
    items_ingest(council=council, source="import", items=items)


@pytest.fixture
def answered(council) -> None:
    # Welsh: answered after 1 h in Welsh, after 3 h in English, and one not answered.
    thread(council, 1, WELSH, "Diolch, byddwn yn anfon y criw yn ôl yfory.",
           "2025-01-13T10:00:00+00:00")
    thread(council, 2, WELSH, "Thanks, we will send the crew back tomorrow.",
           "2025-01-13T12:00:00+00:00")
    thread(council, 3, WELSH, None)
    # English: after 30 min, 2 h (bilingually) and 6 h.
    thread(council, 4, ENGLISH, "Thanks, a crew is on the way.", "2025-01-13T09:30:00+00:00")
    thread(council, 5, ENGLISH, "Diolch am eich neges.\nThanks for your message, we are on it.",
           "2025-01-13T11:00:00+00:00")
    thread(council, 6, ENGLISH, "Sorry for the wait, it is fixed.", "2025-01-13T15:00:00+00:00")


def test_the_nearest_rank_percentile_is_a_real_value() -> None:
    assert percentile([], 0.9) is None
    assert percentile([5], 0.9) == 5
    assert percentile(list(range(1, 11)), 0.9) == 9
    assert percentile([40, 10, 30, 20], 0.5) == 20


def test_it_sets_welsh_and_english_side_by_side(council, answered) -> None:
    welsh, english = welsh_report(council=council, start=date(2025, 1, 1),
                                  end=date(2025, 1, 31))
    assert (welsh.language, welsh.conversations, welsh.answered, welsh.in_language) == \
        ("cy", 3, 2, 1)
    assert (welsh.median_seconds, welsh.p90_seconds) == (2 * 3600, 3 * 3600)
    assert (english.conversations, english.answered, english.in_language) == (3, 3, 3)
    assert (english.median_seconds, english.p90_seconds) == (2 * 3600, 6 * 3600)


def test_it_counts_only_conversations_begun_in_the_range(council, answered) -> None:
    welsh, english = welsh_report(council=council, start=date(2025, 1, 14),
                                  end=date(2025, 2, 1))
    assert welsh.conversations == english.conversations == 0
    assert welsh.median_seconds is None


def test_the_page_shows_the_figures_and_exports_csv(council, answered, bob, alice) -> None:
    client = Client()
    client.login(username="bob", password=PASSWORD)
    url = reverse("respond:report")
    page = client.get(url, {"start": "2025-01-01", "end": "2025-01-31"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "Welsh" in html and "2 h" in html and "1 (50%)" in html
    exported = client.get(url, {"start": "2025-01-01", "end": "2025-01-31", "format": "csv"})
    assert exported["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(exported.content.decode())))
    assert [(r["language"], r["answered"], r["median_first_response_office_hours"],
             r["answered_in_residents_language"]) for r in rows] == [
        ("cy", "2", "2.00", "1"), ("en", "3", "2.00", "3")]
    assert AuditEvent.objects.filter(action="respond.welsh_report_exported",
                                     actor=bob.user).exists()
    bad = client.get(url, {"start": "2025-02-01", "end": "2025-01-01"})
    assert bad.status_code == 400 and "on or after the first date" in bad.content.decode()
    officer = Client()
    officer.login(username="alice", password=PASSWORD)
    assert officer.get(url).status_code == 403


def test_the_report_is_scoped_to_the_council(council, answered, eve) -> None:
    assert [r.conversations for r in welsh_report(council=eve.council, start=date(2025, 1, 1),
                                                  end=date(2025, 1, 31))] == [0, 0]
    client = Client()
    client.login(username="eve", password=PASSWORD)
    html = client.get(reverse("respond:report"),
                      {"start": "2025-01-01", "end": "2025-01-31"}).content.decode()
    assert "1 (50%)" not in html and "3 (100%)" not in html
