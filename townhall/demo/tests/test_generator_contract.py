"""The generator's output honours the contract the Django loader relies on."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from zoneinfo import ZoneInfo

import pytest

from townhall.demo.generator import DemoCouncil, generate
from townhall.demo.generator.council import CATEGORY_TEAM

END = dt.date(2026, 3, 1)
LONDON = ZoneInfo("Europe/London")
TAXONOMY = set(CATEGORY_TEAM)


@pytest.fixture(scope="module")
def demo() -> DemoCouncil:
    return generate(end=END)


def _messages(demo: DemoCouncil) -> list:
    return [m for c in demo.conversations for m in c.messages]


def test_it_is_deterministic_for_the_same_end_and_seed() -> None:
    first = generate(end=dt.date(2025, 8, 15), seed=7)
    second = generate(end=dt.date(2025, 8, 15), seed=7)
    assert first == second


def test_it_changes_with_the_seed(demo: DemoCouncil) -> None:
    other = generate(end=END, seed=1)
    assert [m.text for m in _messages(other)[:50]] != [m.text for m in _messages(demo)[:50]]


def test_it_defaults_the_end_to_today_in_london() -> None:
    today = dt.datetime.now(LONDON).date()
    demo = generate()
    last = max(m.created_at for m in _messages(demo))
    assert last.astimezone(LONDON).date() <= today
    assert last.astimezone(LONDON).date() >= today - dt.timedelta(days=3)


def test_it_produces_at_least_ten_thousand_messages(demo: DemoCouncil) -> None:
    directions = Counter(m.direction for m in _messages(demo))
    assert directions["in"] + directions["out"] >= 10_000
    assert 7_000 <= directions["in"] <= 9_000
    assert 3_800 <= directions["out"] <= 5_500


def test_it_uses_at_least_six_platforms(demo: DemoCouncil) -> None:
    platforms = Counter(c.platform for c in demo.conversations)
    assert len(platforms) >= 6
    assert {c.platform for c in demo.channels} >= set(platforms)


def test_it_uses_only_taxonomy_categories_and_at_least_sixteen(demo: DemoCouncil) -> None:
    used = {c.category for c in demo.conversations}
    assert used <= TAXONOMY
    assert len(used) >= 16
    assert demo.categories_used == sorted(used)


def test_it_has_the_named_demo_users_with_the_right_roles(demo: DemoCouncil) -> None:
    by_username = {o.username: o for o in demo.officers}
    assert by_username["officer"].role == "officer"
    assert by_username["officer"].team_code == "customer_services"
    assert by_username["supervisor"].role == "supervisor"
    assert by_username["supervisor"].team_code == "customer_services"
    assert by_username["admin"].role == "admin"
    assert len(by_username) == len(demo.officers)
    assert {o.team_code for o in demo.officers} <= {t.code for t in demo.teams}
    assert all(o.email.endswith(".example") for o in demo.officers)


def test_it_staffs_each_team_as_the_brief_asks(demo: DemoCouncil) -> None:
    teams = Counter(o.team_code for o in demo.officers)
    assert 4 <= teams["customer_services"] <= 5
    assert 2 <= teams["highways"] <= 3
    assert teams["waste"] == teams["housing"] == teams["communications"] == 2
    assert teams["safeguarding"] >= 1


def test_it_keeps_every_datetime_aware_and_inside_the_year(demo: DemoCouncil) -> None:
    first = dt.datetime.combine(END - dt.timedelta(days=365), dt.time(), LONDON)
    last = dt.datetime.combine(END, dt.time(23, 59, 59), LONDON)
    for message in _messages(demo):
        assert message.created_at.utcoffset() == dt.timedelta(0)
        assert first <= message.created_at <= last


def test_it_keeps_message_and_thread_ids_unique_per_platform(demo: DemoCouncil) -> None:
    pmids = Counter((c.platform, m.platform_message_id) for c in demo.conversations
                    for m in c.messages)
    threads = Counter((c.platform, c.thread_id) for c in demo.conversations)
    assert max(pmids.values()) == 1
    assert max(threads.values()) == 1


def test_it_puts_every_reply_after_the_message_it_answers(demo: DemoCouncil) -> None:
    for conversation in demo.conversations:
        seen: dict[str, dt.datetime] = {}
        for message in conversation.messages:
            if message.in_reply_to is not None:
                assert message.created_at > seen[message.in_reply_to]
            seen[message.platform_message_id] = message.created_at
        times = [m.created_at for m in conversation.messages]
        assert times == sorted(times)
        assert conversation.messages[0].direction == "in"


def test_it_signs_outbound_messages_by_named_officers(demo: DemoCouncil) -> None:
    officers = {o.username: o for o in demo.officers}
    channels = {(c.platform, c.handle) for c in demo.channels}
    for conversation in demo.conversations:
        assert (conversation.platform, conversation.channel_handle) in channels
        for message in conversation.messages:
            if message.direction == "out":
                assert message.officer_username is not None
                officer = officers[message.officer_username]
                assert message.author == conversation.channel_handle
                assert message.in_reply_to is not None
                assert officer.first_name in message.text
            else:
                assert message.officer_username is None


def test_it_assigns_conversations_to_known_officers_and_teams(demo: DemoCouncil) -> None:
    officers = {o.username for o in demo.officers}
    teams = {t.code for t in demo.teams}
    for conversation in demo.conversations:
        assert conversation.assignee_username in officers | {None}
        assert conversation.team_code in teams | {None}
        assert conversation.priority in ("critical", "high", "normal", "low")
    assert any(c.assignee_username is None and c.status == "open" for c in demo.conversations)


def test_it_closes_old_conversations_and_leaves_recent_ones_open(demo: DemoCouncil) -> None:
    cutoff = dt.datetime.combine(END - dt.timedelta(days=60), dt.time(), LONDON)
    old = Counter(c.status for c in demo.conversations if c.messages[-1].created_at < cutoff)
    recent_cutoff = dt.datetime.combine(END - dt.timedelta(days=3), dt.time(), LONDON)
    recent = Counter(c.status for c in demo.conversations
                     if c.messages[0].created_at >= recent_cutoff)
    assert old["closed"] / sum(old.values()) > 0.85
    assert recent["open"] + recent["pending"] > recent["closed"]


def test_it_links_every_conversation_to_a_resident_identity(demo: DemoCouncil) -> None:
    residents = {r.key: r for r in demo.residents}
    for conversation in demo.conversations:
        identities = dict(residents[conversation.resident_key].identities)
        assert identities[conversation.platform] == conversation.messages[0].author
    assert 1_000 <= len(residents) <= 5_000
    assert any(len(r.identities) == 2 for r in demo.residents)
    contacts = Counter(c.resident_key for c in demo.conversations)
    assert max(contacts.values()) >= 5


def test_it_attaches_images_with_the_documented_shape(demo: DemoCouncil) -> None:
    attachments = [a for m in _messages(demo) for a in m.attachments]
    assert attachments
    for attachment in attachments:
        assert attachment["type"] == "image"
        assert attachment["url"].startswith("https://example.invalid/")
        assert "alt" in attachment


def test_it_never_imports_django() -> None:
    from pathlib import Path

    import townhall.demo.generator as package

    for source in Path(package.__file__).parent.glob("*.py"):
        text = source.read_text(encoding="utf-8")
        assert "import django" not in text and "from django" not in text, source.name
