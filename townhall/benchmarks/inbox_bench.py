"""Inbox server time on a million messages: the list with each filter, and a long thread.

`run()` starts one child process per database so each gets a fresh, empty database
(SQLite under a temporary TOWNHALL_VAR_DIR, or PostgreSQL's `townhall_bench`), fills it
with bulk inserts, and times the real views through Django's test client, so the
figures include middleware, the session, queries and template rendering.

    python -m townhall.benchmarks.inbox_bench            # SQLite
    python -m townhall.benchmarks.inbox_bench --postgres postgres://postgres@127.0.0.1:5432/postgres
"""

import argparse
import json
import os
import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from townhall.benchmarks.fixtures import (
    CONVERSATIONS,
    MESSAGES,
    analyze,
    bench_council,
    bench_identities,
    child_results,
    django_migrated,
    load_line,
    weighted,
)

THREAD = 200
REPEAT = 40
TEAMS = ["customer-services", "highways", "waste", "housing", "council-tax", "parks"]


def _fill(seed: int = 7) -> dict[str, Any]:
    """Bulk-insert a council with 300k conversations and 1M messages; return ids to query."""
    from django.contrib.auth import get_user_model

    from townhall.accounts.models import Membership, Role
    from townhall.accounts.services import user_create
    from townhall.core.lib.db import insert_rows
    from townhall.inbox.models import Conversation, Message

    rng = random.Random(seed)
    council, categories, teams = bench_council(TEAMS)
    officers = []
    for n in range(24):
        user_create(council=council, username=f"officer{n}", password="bench-password-1",
                    role=Role.OFFICER, first_name=f"Officer{n}", last_name="Bench",
                    teams=[teams[n % len(teams)], teams[(n + 1) % len(teams)]])
        officers.append(get_user_model().objects.get(username=f"officer{n}").pk)
    user_create(council=council, username="admin", password="bench-password-1",
                role=Role.ADMIN, first_name="Admin", last_name="Bench")
    channels, identities = bench_identities(council, rng, residents=CONVERSATIONS // 2)
    now = datetime.now(UTC)
    start = now - timedelta(days=3 * 365)
    span = (now - start).total_seconds()
    # One long thread for the conversation page; the rest share the remaining messages.
    sizes = [THREAD] + [1] * (CONVERSATIONS - 1)
    for _ in range(MESSAGES - sum(sizes)):
        sizes[rng.randrange(1, CONVERSATIONS)] += 1
    conversations = []
    for n, size in enumerate(sizes):
        identity = identities[rng.randrange(len(identities))]
        created = start + timedelta(seconds=rng.random() * span)
        last = created + timedelta(minutes=size * rng.randint(5, 90))
        status = weighted(rng, [("closed", 85), ("open", 11), ("pending", 4)])
        waiting = None
        if status == "open" and rng.random() < 0.8:
            last = now - timedelta(minutes=rng.randint(1, 60 * 24 * 10))
            waiting = last
        team = None if rng.random() < 0.15 else teams[rng.randrange(len(teams))]
        conversations.append(Conversation(
            council=council, channel=channels[identity.platform], platform=identity.platform,
            thread_key=f"t{n}", resident_id=identity.resident_id, status=status, team=team,
            assignee_id=rng.choice(officers) if rng.random() < 0.5 else None,
            category_id=rng.choice(categories) if rng.random() < 0.9 else None,
            priority=weighted(rng, [("critical", 2), ("high", 13), ("normal", 65),
                                    ("low", 20)]),
            safeguarding=rng.random() < 0.005, language="cy" if rng.random() < 0.1 else "en",
            subject=f"Report {n}: {rng.choice(['pothole', 'bins', 'street light', 'noise'])}",
            created_at=created, last_message_at=last, waiting_since=waiting,
            closed_at=last if status == "closed" else None, message_count=size,
            snoozed_until=(now + timedelta(days=1)
                           if status == "open" and rng.random() < 0.05 else None)))
    for begin in range(0, len(conversations), 20_000):
        insert_rows(Conversation, conversations[begin:begin + 20_000])
    batch: list[Message] = []
    for conversation, size in zip(conversations, sizes, strict=True):
        for k in range(size):
            at = conversation.created_at + timedelta(minutes=k * 7)
            batch.append(Message(
                council_id=council.pk, conversation_id=conversation.pk,
                channel_id=conversation.channel_id, direction="out" if k % 2 else "in",
                platform_message_id=f"p{conversation.pk}-{k}", author_name="Resident",
                text=f"Message {k} about {conversation.subject}", created_at=at,
                received_at=at, priority=conversation.priority, language=conversation.language,
                category_id=conversation.category_id))
        if len(batch) >= 20_000:
            insert_rows(Message, batch)
            batch = []
    insert_rows(Message, batch)
    officer = Membership.objects.get(user__username="officer0")
    return {"council": council.pk, "thread": conversations[0].pk, "officer": officer.pk,
            "team": teams[0].pk, "category": categories[3]}


def _time(client: Any, url: str, expect: int = 200,
          before: Any = None) -> dict[str, float]:
    for _ in range(3):
        response = client.get(url)
        assert response.status_code == expect, (url, response.status_code)
    times = []
    for _ in range(REPEAT):
        if before is not None:
            before()
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == expect, (url, response.status_code)
    times.sort()
    return {"p50": statistics.median(times), "p95": times[int(len(times) * 0.95) - 1]}


def _child() -> None:
    django_migrated()
    from django.conf import settings
    from django.core.cache import cache
    from django.test import Client

    from townhall.accounts.models import Membership

    started = time.perf_counter()
    ids = _fill()
    analyze()
    filled = time.perf_counter() - started
    assert not settings.DEBUG, "measure with DEBUG off, as in production"
    officer = Membership.objects.select_related("user").get(pk=ids["officer"])
    admin = Membership.objects.select_related("user").get(user__username="admin")
    # Other work on the machine moves these figures; the report shows how busy it was.
    load = os.getloadavg()
    rows = []
    cases = [
        ("open (default)", ""), ("status: pending", "status=pending"),
        ("status: snoozed", "status=snoozed"), ("status: closed", "status=closed"),
        ("team", f"team={ids['team']}"), ("team: none", "team=none"),
        ("assignee: mine", "assignee=me"), ("assignee: unassigned", "assignee=none"),
        ("platform: x", "platform=x"), ("category", f"category={ids['category']}"),
        ("priority: critical", "priority=critical"), ("safeguarding", "safeguarding=yes"),
        ("language: cy", "language=cy"), ("search: words", "q=street+light"),
        ("search: reference", "q=TH-000123"), ("page 20", "page=20"),
    ]
    for who, membership in (("officer (2 teams)", officer), ("admin (all)", admin)):
        client = Client()
        client.force_login(membership.user)
        for label, query in cases:
            t = _time(client, f"/?{query}")
            rows.append((f"list, {who}, {label}", t))
        # The filter counts are cached for 15 s; the rows above mostly hit that cache.
        # These show the first request after a change, which counts again.
        for label, query in [("open, counts not cached", ""),
                             ("pending, counts not cached", "status=pending")]:
            t = _time(client, f"/?{query}", before=cache.clear)
            rows.append((f"list, {who}, {label}", t))
    client = Client()
    client.force_login(admin.user)
    rows.append((f"conversation page, {THREAD} messages",
                 _time(client, f"/conversations/{ids['thread']}/")))
    page = client.get(f"/conversations/{ids['thread']}/").content.decode()
    token = page.split("?since=")[1].split("&")[0]
    rows.append(("live poll, nothing new (204)",
                 _time(client, f"/conversations/{ids['thread']}/live/?since={token}", 204)))
    print(json.dumps({"filled": filled, "rows": rows, "load": load,
                      "load_after": os.getloadavg()}))


def run(*, databases: list[tuple[str, str]]) -> list[str]:
    out = ["## Inbox server time (`python -m townhall.benchmarks.inbox_bench`)", "",
           f"{MESSAGES:,} messages in {CONVERSATIONS:,} conversations (85% closed, 11% open, "
           f"4% pending), 6 teams, 25 staff. Django test client, {REPEAT} requests after 3 "
           "warm-up requests, server time in milliseconds. Targets: list p95 <= 150 ms, "
           "conversation p95 <= 100 ms.", ""]
    for name, result in child_results("townhall.benchmarks.inbox_bench", databases,
                                      database="townhall_bench", out=out):
        out += [f"### {name} (filled in {result['filled']:.0f} s)", "", load_line(result), "",
                "| request | p50 ms | p95 ms |", "|---|---|---|"]
        out += [f"| {label} | {t['p50']:.1f} | {t['p95']:.1f} |"
                for label, t in result["rows"]]
        out.append("")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m townhall.benchmarks.inbox_bench")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--sqlite", action="store_true", default=True)
    parser.add_argument("--postgres", default="", help="A DATABASE_URL to also measure.")
    args = parser.parse_args(argv)
    if args.child:
        _child()
        return 0
    databases = [("SQLite", "")] + ([("PostgreSQL", args.postgres)] if args.postgres else [])
    print("\n".join(run(databases=databases)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
