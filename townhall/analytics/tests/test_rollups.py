"""Every figure equals a direct count over the conversations and messages, including
after messages arrive late and officers change conversations."""

from collections import Counter
from datetime import date, timedelta

import pytest

from townhall.analytics.buckets import bucket_of, nearest_rank
from townhall.analytics.figures import Totals, grouped, total
from townhall.analytics.fy import london_day
from townhall.analytics.models import SPLIT_MEASURES, Grain, Rollup, RollupState, SplitBy
from townhall.analytics.rollups import LAG, rollups_rebuild, rollups_refresh
from townhall.analytics.scope import Filters, Scope, rollups, split_sums
from townhall.analytics.tests.conftest import Oracle, ingest
from townhall.conftest import at
from townhall.inbox.models import Conversation, Message
from townhall.inbox.services import (
    conversation_assign,
    conversation_close,
    conversation_correct,
    conversation_reopen,
)
from townhall.respond.models import ResponseTarget
from townhall.respond.services import response_target_delete, response_target_save
from townhall.triage.nlp.language import detect_language
from townhall.triage.services import taxonomy_install

pytestmark = pytest.mark.django_db

YEAR = Filters(date(2026, 4, 1), date(2026, 11, 20))


@pytest.fixture
def story(council, make_thread, customer_services, highways, bob):
    """A spread of conversations: platforms, days, replies fast and slow, Welsh and
    English, teams, some closed by an officer."""
    taxonomy_install(council=council)
    threads = [
        make_thread(at=at("2026-05-04T09:00:00+01:00"), reply_after=timedelta(hours=1),
                    text="Huge pothole on Mill Lane, AC3 4XY"),  # a bank holiday
        make_thread(at=at("2026-05-05T10:00:00+01:00"), reply_after=timedelta(minutes=20),
                    platform="x", text="Bins not collected on Church Road again, terrible"),
        make_thread(at=at("2026-05-08T16:30:00+01:00"), reply_after=timedelta(days=3),
                    text="Street light out on Station Road"),
        make_thread(at=at("2026-05-31T23:30:00+01:00"), reply_after=timedelta(hours=10),
                    platform="email", text="Fly tipping in the lane behind the school"),
        make_thread(at=at("2026-06-01T08:00:00+01:00"), reply_after=timedelta(hours=30),
                    text="Thank you for fixing the swings, brilliant work"),
        make_thread(at=at("2026-06-15T11:00:00+01:00"),
                    text="Mae'r biniau heb eu casglu ar Stryd Fawr ers pythefnos",
                    reply_after=timedelta(hours=2),
                    reply="Diolch am eich neges. Rydyn ni wedi rhoi gwybod i'r tîm."),
        make_thread(at=at("2026-06-16T11:00:00+01:00"),
                    text="Mae'r golau stryd wedi torri ar Heol yr Orsaf ers wythnos",
                    reply_after=timedelta(hours=4), reply="Thanks, we have passed this on."),
        make_thread(at=at("2026-10-25T01:30:00+01:00"), platform="x",
                    text="Dog fouling all over the park, disgusting"),  # clocks go back
        make_thread(at=at("2026-10-26T12:00:00+00:00"), reply_after=timedelta(hours=6),
                    platform="email", text="When is my council tax due?"),
    ]
    conversation_assign(conversation=threads[0], team=highways, assignee=None, by=bob,
                        version=threads[0].version)
    conversation_assign(conversation=threads[1], team=customer_services, assignee=bob.user,
                        by=bob, version=threads[1].version)
    for thread in threads[2:5]:
        thread.refresh_from_db()
        conversation_close(conversation=thread, by=bob, version=thread.version)
    return threads


def check(council, filters: Filters = YEAR, **dims) -> Totals:
    """Compare the roll-ups with the oracle for these dates and conversation columns."""
    oracle = Oracle(council)
    scope = Scope(council.pk, None, True)
    f = Filters(filters.first, filters.last, dims.get("platform", ""),
                str(dims["team_id"]) if dims.get("team_id") else "",
                str(dims["category_id"]) if dims.get("category_id") else "")
    found = total(rollups(scope=scope, filters=f))
    inbound = oracle.messages(f.first, f.last, **dims)
    assert found.messages_in == len(inbound)
    assert found.messages_out == len(oracle.messages(f.first, f.last, "out", **dims))
    assert found.contacts == len(oracle.conversations(f.first, f.last, **dims))
    sentiments = Counter(m.sentiment for m in inbound)
    assert (found.positive, found.neutral, found.negative) == (
        sentiments["positive"], sentiments["neutral"], sentiments["negative"])
    first = oracle.first_response_seconds(f.first, f.last, **dims)
    resolved = oracle.resolution_seconds(f.first, f.last, **dims)
    assert found.answered == len(first)
    assert found.first_response_sum == sum(first)
    assert found.resolved == len(resolved)
    for q in (0.5, 0.9):
        expected = nearest_rank(first, q)
        assert found.band("fr", q) == (None if expected is None else bucket_of(expected))
        expected = nearest_rank(resolved, q)
        assert found.band("res", q) == (None if expected is None else bucket_of(expected))
    for minutes in (60, 120, 480):
        assert found.within("fr", minutes) == sum(1 for s in first if s <= minutes * 60)
    assert found.answered_in_target == len(oracle.answered_in_target(f.first, f.last, **dims))
    assert found.resolved_in_target == len(oracle.resolved_in_target(f.first, f.last, **dims))
    welsh = [c for c in oracle.conversations(f.first, f.last, language="cy", **dims)
             if c.first_response_at]
    in_welsh = [c for c in welsh if detect_language(
        Message.objects.filter(conversation=c, direction="out").order_by("created_at")
        .first().text) == "cy"]
    assert (found.welsh_replied, found.welsh_in_welsh) == (len(welsh), len(in_welsh))
    return found


def test_it_counts_every_figure_as_a_direct_count_would(council, story, highways) -> None:
    rollups_refresh(council=council)
    found = check(council)
    assert found.contacts == 9 and found.answered == 8 and found.resolved == 3
    assert (found.welsh_replied, found.welsh_in_welsh) == (2, 1)
    check(council, platform="x")
    check(council, platform="email")
    check(council, team_id=highways.pk)
    check(council, Filters(date(2026, 5, 5), date(2026, 6, 1)))
    check(council, Filters(date(2026, 10, 25), date(2026, 10, 25)))
    check(council, Filters(date(2026, 5, 31), date(2026, 5, 31)))


def test_it_keeps_months_equal_to_their_days(council, story) -> None:
    rollups_refresh(council=council)
    scope = Scope(council.pk, None, True)
    months = grouped(Rollup.objects.filter(council=council, grain=Grain.MONTH), "start")
    days = grouped(rollups(scope=scope, filters=YEAR, daily=True), "start")
    by_month: dict[date, Totals] = {}
    for day, totals in days.items():
        by_month.setdefault(day.replace(day=1), Totals()).add(totals)
    assert {m: t.values for m, t in months.items()} == {
        m: t.values for m, t in by_month.items()}


def test_it_counts_a_late_message_on_the_day_it_was_written(council, story) -> None:
    rollups_refresh(council=council)
    # Written on 3 June, delivered in November: a new conversation and a late reply to
    # the dog fouling report, which had none.
    ingest(council, platform_message_id="late-1", thread_id="late", author="r-late",
           text="Overflowing bins at the play park, attracting rats",
           created_at="2026-06-03T14:00:00+01:00")
    dog = story[7]
    ingest(council, platform_message_id="late-2", thread_id=dog.thread_key, platform="x",
           channel="x-account", author="council", direction="out", text="Sorry, on it",
           created_at="2026-10-27T09:30:00+00:00")
    result = rollups_refresh(council=council)
    assert result.messages == 2
    found = check(council)
    assert found.contacts == 10 and found.answered == 9
    check(council, Filters(date(2026, 6, 3), date(2026, 6, 3)))
    check(council, Filters(date(2026, 10, 1), date(2026, 10, 31)))


def test_it_moves_figures_when_an_officer_changes_a_conversation(council, story, bob,
                                                                 customer_services,
                                                                 highways) -> None:
    rollups_refresh(council=council)
    pothole = Conversation.objects.get(pk=story[0].pk)
    other = council.categories.exclude(pk=pothole.category_id).first()
    conversation_correct(conversation=pothole, category=other, priority="high", by=bob,
                         version=pothole.version)
    conversation_assign(conversation=pothole, team=customer_services, assignee=None, by=bob,
                        version=pothole.version)
    conversation_close(conversation=pothole, by=bob, version=pothole.version)
    closed = Conversation.objects.get(pk=story[2].pk)
    conversation_reopen(conversation=closed, by=bob, version=closed.version)
    rollups_refresh(council=council)
    found = check(council)
    assert found.resolved == 3
    check(council, category_id=other.pk)
    check(council, team_id=customer_services.pk)
    check(council, team_id=highways.pk)
    check(council, Filters(date(2026, 5, 4), date(2026, 5, 4)), category_id=other.pk)


def test_it_reads_again_below_its_mark_when_a_late_commit_lands_there(council,
                                                                       story) -> None:
    rollups_refresh(council=council)
    state = RollupState.objects.get(council=council)
    # As if the refresh had read past a message whose transaction had not committed:
    # the mark moves beyond it, but the window count remembers it was not there.
    ingest(council, platform_message_id="slow", thread_id="slow", author="r-slow",
           text="Graffiti on the bus shelter", created_at="2026-07-07T10:00:00+01:00")
    newest = Message.objects.filter(council=council).order_by("-id").first()
    RollupState.objects.filter(council=council).update(last_message_id=newest.pk)
    assert newest.pk - state.last_message_id < LAG
    rollups_refresh(council=council)
    assert check(council).contacts == 10


def test_a_rebuild_gives_the_same_rows_as_refreshes(council, story, bob, highways) -> None:
    rollups_refresh(council=council)
    ingest(council, platform_message_id="late-3", thread_id="late3", author="r3",
           text="Potholes everywhere on Castle Way", created_at="2026-05-20T10:00:00+01:00")
    conversation = Conversation.objects.get(pk=story[1].pk)
    conversation_assign(conversation=conversation, team=highways, assignee=None, by=bob,
                        version=conversation.version)
    rollups_refresh(council=council)

    def rows() -> list[tuple]:
        return sorted(Rollup.objects.filter(council=council).values_list(
            "grain", "start", "platform", "category_id", "team_id", "language",
            "messages_in", "messages_out", "contacts", "answered", "first_response_sum",
            "resolved", "resolution_sum", "negative", "welsh_in_welsh", "fr_0", "res_23",
            "answered_in_target", "resolved_in_target"),
            key=repr)

    before = rows()
    rollups_rebuild(council=council)
    assert rows() == before


def test_it_never_mixes_councils(council, other_council, story, make_thread) -> None:
    make_thread(at=at("2026-05-05T10:00:00+01:00"), target=other_council,
                reply_after=timedelta(hours=1))
    rollups_refresh(council=council)
    rollups_refresh(council=other_council)
    assert check(council).contacts == 9
    other = total(rollups(scope=Scope(other_council.pk, None, True), filters=YEAR))
    assert other.contacts == 1 and other.messages_in == 1


def test_an_officer_sees_only_their_teams(council, story, highways) -> None:
    rollups_refresh(council=council)
    scope = Scope(council.pk, (highways.pk,), False)
    found = total(rollups(scope=scope, filters=YEAR))
    oracle = Oracle(council)
    assert found.contacts == len(oracle.conversations(YEAR.first, YEAR.last,
                                                      team_id=highways.pk)) == 1


def test_london_days_follow_the_clock_change(council, make_thread) -> None:
    # 00:30 on 26 October 2026 is GMT; 23:30 on 24 October is BST, 22:30 UTC.
    make_thread(at=at("2026-10-24T23:30:00+01:00"))
    make_thread(at=at("2026-10-26T00:30:00+00:00"))
    rollups_refresh(council=council)
    days = sorted(Rollup.objects.filter(council=council, grain=Grain.DAY)
                  .values_list("start", flat=True))
    assert days == [date(2026, 10, 24), date(2026, 10, 26)]
    assert london_day(at("2026-10-24T22:30:00+00:00")) == date(2026, 10, 24)


@pytest.fixture
def targeted(council, make_thread, dave):
    """Conversations whose response targets differ by category and priority: the
    council's own rows, a priority's fallback row, respond's defaults, safeguarding.
    Tuesday 5 May 2026, in office hours, so office time is clock time."""
    taxonomy_install(council=council)
    roads, waste = (council.categories.get(code=code)
                    for code in ("roads_potholes", "bins_collections"))
    response_target_save(council=council, by=dave, category=roads,
                         priority="normal", first_response_minutes=30,
                         resolution_minutes=120)
    response_target_save(council=council, by=dave, category=None,
                         priority="high", first_response_minutes=120,
                         resolution_minutes=300)
    start = at("2026-05-05T09:00:00+01:00")

    def made(minutes, closed_after=None, **fields):
        if closed_after is not None:
            fields.update(status="closed", closed_at=start + closed_after)
        return make_thread(at=start, reply_after=timedelta(minutes=minutes), **fields)

    return {
        # Roads, normal: 30 min to reply, 2 h to resolve.
        "roads-late": made(45, timedelta(hours=1), category=roads, priority="normal"),
        "roads-fast": made(20, timedelta(hours=3), category=roads, priority="normal"),
        # Waste, normal: no row of its own or for normal, so respond's 8 h.
        "waste-normal": made(180, timedelta(hours=7), category=waste, priority="normal"),
        # Waste, high: the high fallback row, 2 h and 5 h.
        "waste-high": made(180, timedelta(hours=4), category=waste, priority="high"),
        # Safeguarding: the critical default (1 h), whatever its category and priority.
        "safeguarding": made(90, category=roads, priority="low", safeguarding=True),
        "critical": made(30, priority="critical"),
    }


def test_within_target_means_the_target_for_the_conversations_category_and_priority(
        council, targeted) -> None:
    rollups_refresh(council=council)
    found = check(council, Filters(date(2026, 5, 5), date(2026, 5, 5)))
    # Met: roads-fast (20 min of 30), waste-normal (3 h of 8 h), critical (30 min of 1 h).
    # Missed: roads-late, waste-high (3 h of 2 h), safeguarding (1 h 30 min of 1 h).
    assert (found.answered, found.answered_in_target) == (6, 3)
    # Resolved: roads-late (1 h of 2 h) and waste-high (4 h of 5 h) in time; roads-fast
    # (3 h of 2 h) not; waste-normal (7 h of the 40 h default) in time.
    assert (found.resolved, found.resolved_in_target) == (4, 3)
    # One time for all (2 h, say) would count differently: that is the point.
    assert found.within("fr", 120) == 4
    roads = council.categories.get(code="roads_potholes")
    check(council, YEAR, category_id=roads.pk)
    check(council, YEAR, platform="facebook")


def test_the_month_and_officer_rows_count_within_target_too(council, targeted, bob) -> None:
    rollups_refresh(council=council)
    may = Filters(date(2026, 5, 1), date(2026, 5, 31))
    month = total(Rollup.objects.filter(council=council, grain=Grain.MONTH,
                                        start=date(2026, 5, 1)))
    assert (month.answered_in_target, month.resolved_in_target) == (3, 3)
    scope = Scope(council.pk, None, True)
    for filters in (may, Filters(date(2026, 5, 5), date(2026, 5, 6)), YEAR):
        names, rows = split_sums(scope=scope, filters=filters, by=SplitBy.OFFICER)
        summed = [sum(values[names.index(m)] for values in rows.values())
                  for m in ("answered", "answered_in_target", "resolved_in_target")]
        assert summed == [6, 3, 3], filters
    assert names == list(SPLIT_MEASURES)


def test_a_changed_response_target_recounts_every_figure(council, targeted, dave) -> None:
    rollups_refresh(council=council)
    roads = council.categories.get(code="roads_potholes")
    row = ResponseTarget.objects.get(council=council, category=roads)
    # Roads, normal, now has an hour to reply and no resolution target of its own, so
    # it falls back to the default 40 h (there is no normal-priority row).
    response_target_save(council=council, by=dave, category=roads,
                         priority="normal", first_response_minutes=60,
                         resolution_minutes=None, target=row)
    rollups_refresh(council=council)
    found = check(council, Filters(date(2026, 5, 5), date(2026, 5, 5)))
    assert (found.answered_in_target, found.resolved_in_target) == (4, 4)
    response_target_delete(council=council, by=dave,
                           target=ResponseTarget.objects.get(council=council, priority="high"))
    rollups_refresh(council=council)
    found = check(council, Filters(date(2026, 5, 5), date(2026, 5, 5)))
    # Waste, high, now has respond's 4 h: its 3 h reply is in time.
    assert found.answered_in_target == 5


def test_a_conversation_moved_to_another_priority_is_measured_against_its_new_target(
        council, targeted, bob) -> None:
    rollups_refresh(council=council)
    late = Conversation.objects.get(pk=targeted["roads-late"].pk)
    conversation_correct(conversation=late, category=late.category, priority="low", by=bob,
                         version=late.version)
    rollups_refresh(council=council)
    found = check(council, Filters(date(2026, 5, 5), date(2026, 5, 5)))
    assert found.answered_in_target == 4  # roads, low: respond's 24 h
