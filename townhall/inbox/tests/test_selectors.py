from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.http import Http404
from django.utils import timezone

from townhall.inbox.selectors import (
    InboxFilters,
    conversation_get,
    inbox_counts,
    inbox_page,
)
from townhall.inbox.services import conversation_assign
from townhall.inbox.targets import response_target, waiting

pytestmark = pytest.mark.django_db


def subjects(membership, **filters) -> list[str]:
    return [c.subject for c in inbox_page(membership=membership,
                                          filters=InboxFilters(**filters)).rows]


def test_it_puts_safeguarding_first_then_priority_then_longest_wait(make_conversation,
                                                                     alice) -> None:
    now = timezone.now()
    make_conversation(text="old normal", waiting_since=now - timedelta(hours=9))
    make_conversation(text="new normal", waiting_since=now - timedelta(hours=1))
    make_conversation(text="high", priority="high", waiting_since=now - timedelta(minutes=5))
    make_conversation(text="safeguarding", safeguarding=True, priority="low",
                      waiting_since=now - timedelta(minutes=1))
    make_conversation(text="answered critical", priority="critical", waiting_since=None)
    assert subjects(alice) == ["safeguarding", "high", "old normal", "new normal",
                               "answered critical"]


def test_it_shows_an_officer_their_teams_and_the_front_door_only(make_conversation, alice,
                                                                  customer_services,
                                                                  highways) -> None:
    make_conversation(text="ours", team=customer_services)
    make_conversation(text="unrouted")
    theirs = make_conversation(text="theirs", team=highways)
    assert sorted(subjects(alice)) == ["ours", "unrouted"]
    with pytest.raises(Http404):
        conversation_get(membership=alice, conversation_id=theirs.pk)


def test_it_never_shows_another_councils_conversations(make_conversation, eve, alice) -> None:
    ours = make_conversation(text="Mill Lane bins")
    assert subjects(eve) == [] and subjects(eve, q="Mill Lane") == []
    assert subjects(eve, q=ours.reference) == []
    with pytest.raises(Http404):
        conversation_get(membership=eve, conversation_id=ours.pk)


def test_it_filters_by_each_facet_and_searches(make_conversation, alice, bob,
                                               customer_services) -> None:
    make_conversation(text="mine", assignee=alice.user, team=customer_services)
    make_conversation(text="bobs", assignee=bob.user, platform="x", language="cy")
    make_conversation(text="urgent", priority="critical", safeguarding=True)
    assert subjects(alice, assignee="me") == ["mine"]
    assert sorted(subjects(alice, assignee="none")) == ["urgent"]
    assert subjects(alice, platform="x") == ["bobs"]
    assert subjects(alice, language="cy") == ["bobs"]
    assert subjects(alice, priority="critical") == ["urgent"]
    assert subjects(alice, safeguarding="yes") == ["urgent"]
    assert subjects(alice, team="none") == ["bobs", "urgent"] or sorted(
        subjects(alice, team="none")) == ["bobs", "urgent"]
    assert subjects(alice, q="URG") == ["urgent"]


def test_it_hides_snoozed_conversations_until_their_time(make_conversation, alice) -> None:
    later = timezone.now() + timedelta(hours=1)
    make_conversation(text="snoozed", snoozed_until=later)
    make_conversation(text="woken", snoozed_until=timezone.now() - timedelta(minutes=1))
    assert subjects(alice) == ["woken"]
    assert subjects(alice, status="snoozed") == ["snoozed"]


def test_it_counts_each_filter_value(make_conversation, alice, customer_services) -> None:
    make_conversation(assignee=alice.user, team=customer_services)
    make_conversation(priority="high")
    make_conversation(status="closed")
    counts = inbox_counts(membership=alice, filters=InboxFilters())
    assert counts["status"] == {"open": 2}
    assert counts["assignee"]["me"] == 1 and counts["assignee"]["none"] == 1
    assert counts["priority"] == {"normal": 1, "high": 1}
    assert counts["team"] == {str(customer_services.pk): 1, "none": 1}


def test_it_pages_through_the_queue(make_conversation, alice, monkeypatch) -> None:
    monkeypatch.setattr("townhall.inbox.selectors.PAGE_SIZE", 2)
    for n in range(5):
        make_conversation(text=f"c{n}")
    first = inbox_page(membership=alice, filters=InboxFilters())
    third = inbox_page(membership=alice, filters=InboxFilters(page=3))
    assert first.has_next and len(first.rows) == 2
    assert not third.has_next and len(third.rows) == 1


def test_it_sets_a_response_target_by_priority_in_office_hours() -> None:
    assert response_target(priority="critical") == timedelta(hours=1)
    assert response_target(priority="low") == timedelta(hours=24)
    assert response_target(priority="low", safeguarding=True) == timedelta(hours=1)
    london = ZoneInfo("Europe/London")
    friday_4pm = datetime(2025, 1, 10, 16, 0, tzinfo=london)
    # Four office hours from Friday 16:00 end at Monday 12:00: the weekend does not count.
    on_time = waiting(waiting_since=friday_4pm, priority="high", safeguarding=False,
                      now=datetime(2025, 1, 13, 11, 0, tzinfo=london))
    late = waiting(waiting_since=friday_4pm, priority="high", safeguarding=False,
                   now=datetime(2025, 1, 13, 13, 0, tzinfo=london))
    assert on_time is not None and not on_time.overdue and on_time.left == timedelta(hours=1)
    assert late is not None and late.overdue and late.over_by == timedelta(hours=1)
    assert late.due_at == datetime(2025, 1, 13, 12, 0, tzinfo=london)


def test_it_does_not_count_filters_over_closed_conversations(make_conversation, alice) -> None:
    make_conversation(status="closed")
    counts = inbox_counts(membership=alice, filters=InboxFilters(status="closed"))
    assert "priority" not in counts and counts["status"] == {}


def test_it_finds_a_conversation_by_its_reference_alone(make_conversation, alice) -> None:
    wanted = make_conversation(text="Pothole on Heol y Bont")
    make_conversation(text=f"Still waiting about {wanted.reference}")
    assert subjects(alice, q=wanted.reference) == ["Pothole on Heol y Bont"]


def test_it_finds_safeguarding_conversations_by_urgency(make_conversation, alice) -> None:
    make_conversation(text="concern", safeguarding=True, priority="low")
    make_conversation(text="routine", priority="critical")
    assert subjects(alice, safeguarding="yes") == ["concern"]
    assert subjects(alice, safeguarding="no") == ["routine"]


def test_it_searches_only_recent_closed_conversations(make_conversation, alice,
                                                      monkeypatch) -> None:
    monkeypatch.setattr("townhall.inbox.selectors.SEARCH_CLOSED_LIMIT", 1)
    now = timezone.now()
    make_conversation(text="old bins", status="closed", last_message_at=now - timedelta(days=9))
    make_conversation(text="new bins", status="closed", last_message_at=now)
    page = inbox_page(membership=alice, filters=InboxFilters(status="closed", q="bins"))
    assert [c.subject for c in page.rows] == ["new bins"] and page.search_limited


def test_it_recounts_when_an_officer_changes_a_conversation(make_conversation, alice,
                                                            customer_services) -> None:
    conversation = make_conversation()
    assert inbox_counts(membership=alice, filters=InboxFilters())["assignee"]["me"] == 0
    conversation_assign(conversation=conversation, team=customer_services,
                        assignee=alice.user, by=alice, version=conversation.version)
    assert inbox_counts(membership=alice, filters=InboxFilters())["assignee"]["me"] == 1


def test_it_finds_words_from_the_message_in_any_order_and_across_punctuation(
        make_conversation, alice) -> None:
    # The demo's pothole post: a comma between the words a person remembers.
    make_conversation(text="Deep pothole on Mill Lane, nearly came off my bike.",
                      author_name="Sam Evans")
    make_conversation(text="Bins on Mill Lane not collected", author="fb:2002",
                      author_name="Rhys Morgan")
    pothole = ["Deep pothole on Mill Lane, nearly came off my bike."]
    assert subjects(alice, q="Mill Lane nearly") == pothole
    assert subjects(alice, q="nearly MILL lane") == pothole
    assert subjects(alice, q="\u201cLane,\u201d bike.") == pothole
    # A word from the resident's name and one from the message.
    assert subjects(alice, q="Evans Mill") == pothole
    assert sorted(subjects(alice, q="Mill Lane")) == sorted(
        pothole + ["Bins on Mill Lane not collected"])
    # Every word must be found: one that is nowhere finds nothing.
    assert subjects(alice, q="Mill Lane flooding") == []
