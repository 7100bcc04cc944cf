"""Analytics on a year of a million messages: the dashboard, the targets page and a refresh.

`run()` starts one child process per database so each gets a fresh, empty database
(SQLite under a temporary TOWNHALL_VAR_DIR, or PostgreSQL's `townhall_bench_analytics`),
fills it with bulk inserts, counts the roll-ups once (timed), then times the real views
through Django's test client, so the figures include middleware, the session, every
query and the SVG and template rendering.

    python -m townhall.benchmarks.analytics_bench            # SQLite
    python -m townhall.benchmarks.analytics_bench --postgres postgres://postgres@127.0.0.1:5432/postgres
"""

import argparse
import json
import os
import random
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta
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

REPEAT = int(os.environ.get("TOWNHALL_BENCH_REPEAT", "10"))
TEAMS = ["customer-services", "highways", "waste", "housing", "environment", "parks"]
SENTIMENTS = [("negative", 50), ("neutral", 25), ("positive", 25)]
PRIORITIES = [("critical", 2), ("high", 15), ("normal", 70), ("low", 13)]
WORDS = ["pothole", "bins", "street light", "flooding", "graffiti", "noise", "parking",
         "council tax", "fly tipping", "dog fouling", "trees", "library"]


def _fill(seed: int = 11) -> dict[str, Any]:
    """A council with a year of CONVERSATIONS conversations and MESSAGES messages.

    Categories are routed to a team (85% of the time, as a council's routing does),
    one in ten conversations is in Welsh, a third of first messages give a postcode.
    """
    from django.contrib.auth import get_user_model

    from townhall.accounts.models import Role
    from townhall.accounts.services import user_create
    from townhall.analytics.demo import WARDS
    from townhall.analytics.models import Target, TargetKind, Ward
    from townhall.core.lib.db import insert_rows
    from townhall.inbox.models import Conversation, Message
    from townhall.respond.hours import OfficeHours

    rng = random.Random(seed)
    hours = OfficeHours.default()
    council, categories, teams = bench_council(TEAMS)
    team_of = {c: teams[n % len(teams)] for n, c in enumerate(categories)}
    officers: dict[int, list[int]] = {t.pk: [] for t in teams}
    for n in range(24):
        home = teams[n % len(teams)]
        user_create(council=council, username=f"officer{n}", password="bench-password-1",
                    role=Role.OFFICER, first_name=f"Officer{n}", last_name="Bench",
                    teams=[home])
        officers[home.pk].append(get_user_model().objects.get(username=f"officer{n}").pk)
    user_create(council=council, username="supervisor", password="bench-password-1",
                role=Role.SUPERVISOR, first_name="Super", last_name="Visor", teams=[teams[0]])
    for name, (districts, streets) in WARDS.items():
        Ward.objects.create(council=council, name=name, postcode_districts=districts,
                            streets=streets)
    now = datetime.now(UTC)
    year = now.year if now.month >= 4 else now.year - 1
    for kind, extra in ((TargetKind.FIRST_RESPONSE, {"percent": 50, "office_minutes": 120}),
                        (TargetKind.FIRST_RESPONSE, {"percent": 90}),
                        (TargetKind.RESOLUTION, {"percent": 50, "office_minutes": 2400}),
                        (TargetKind.WELSH_IN_WELSH, {"percent": 95}),
                        (TargetKind.MONEY_SAVED, {"amount_pence": 5_000_000}),
                        (TargetKind.SHIFT_RATE, {"percent": 20})):
        Target.objects.create(council=council, year=year, kind=kind, **extra)
    # Response targets by priority, and by category and priority for a few categories, so
    # "within target" differs from conversation to conversation, as in a real council.
    from townhall.respond.models import ResponseTarget

    for priority, minutes, resolution in (("high", 120, 960), ("low", 2400, 9600)):
        ResponseTarget.objects.create(council=council, category_id=None, priority=priority,
                                      first_response_minutes=minutes,
                                      resolution_minutes=resolution)
    for specific in categories[:6]:
        ResponseTarget.objects.create(council=council, category_id=specific,
                                      priority="normal", first_response_minutes=90,
                                      resolution_minutes=480)
    channels, identities = bench_identities(council, rng, residents=CONVERSATIONS // 2)
    start = now - timedelta(days=365)
    span = (now - start).total_seconds()
    sizes = [1] * CONVERSATIONS
    for _ in range(MESSAGES - CONVERSATIONS):
        sizes[rng.randrange(CONVERSATIONS)] += 1
    conversations: list[Any] = []
    plans: list[tuple[int, int, Any]] = []
    for n, size in enumerate(sizes):
        identity = identities[rng.randrange(len(identities))]
        created = start + timedelta(seconds=rng.random() * span)
        category = rng.choice(categories) if rng.random() < 0.92 else None
        team = (team_of[category] if category and rng.random() < 0.85
                else rng.choice(teams) if rng.random() < 0.9 else None)
        replies = size // 2
        first = created + timedelta(minutes=rng.lognormvariate(4.5, 1.3)) if replies else None
        if first is not None and first > now:
            first = None
        status = weighted(rng, [("closed", 85), ("open", 11), ("pending", 4)])
        closed = (created + timedelta(hours=rng.lognormvariate(3.5, 1.2))
                  if status == "closed" else None)
        if closed is not None and closed > now:
            closed, status = None, "open"
        last = max(t for t in (created, first, closed) if t is not None)
        language = "cy" if rng.random() < 0.1 else "en"
        conversations.append(Conversation(
            council=council, channel=channels[identity.platform], platform=identity.platform,
            thread_key=f"t{n}", resident_id=identity.resident_id, status=status, team=team,
            assignee_id=(rng.choice(officers[team.pk]) if team and rng.random() < 0.7
                         else None),
            category_id=category, priority=weighted(rng, PRIORITIES),
            safeguarding=rng.random() < 0.01, language=language,
            subject=f"Report {n}: {rng.choice(WORDS)}", created_at=created,
            last_message_at=last, first_response_at=first, closed_at=closed,
            waiting_since=None if first or status == "closed" else created,
            first_response_office_seconds=(hours.seconds_between(created, first)
                                           if first else None),
            resolution_office_seconds=(hours.seconds_between(created, closed)
                                       if closed else None),
            message_count=size))
        plans.append((size, replies, first))
    for begin in range(0, len(conversations), 20_000):
        insert_rows(Conversation, conversations[begin:begin + 20_000])
    districts = [d for ds, _ in WARDS.values() for d in ds]
    batch: list[Message] = []
    for conversation, (size, _replies, first) in zip(conversations, plans, strict=True):
        for k in range(size):
            outbound = k % 2 == 1 and first is not None
            at: datetime = (first + timedelta(minutes=(k - 1) * 30) if outbound
                            else conversation.created_at + timedelta(minutes=k * 45))
            if at > now:
                at = now
            places = ([{"type": "postcode", "text": f"{rng.choice(districts)} 1AB"}]
                      if k == 0 and rng.random() < 0.35 else [])
            batch.append(Message(
                council_id=council.pk, conversation_id=conversation.pk,
                channel_id=conversation.channel_id, direction="out" if outbound else "in",
                platform_message_id=f"p{conversation.pk}-{k}", author_name="Resident",
                text=(f"Diolch, rydym wedi rhoi gwybod i'r tîm {k}" if outbound
                      and conversation.language == "cy" else
                      f"Message {k} about the {conversation.subject.split(': ')[1]}"),
                created_at=at, received_at=at, priority="normal",
                language="" if outbound else conversation.language,
                sentiment="" if outbound else weighted(rng, SENTIMENTS),
                category_id=conversation.category_id, places=places))
        if len(batch) >= 20_000:
            insert_rows(Message, batch)
            batch = []
    insert_rows(Message, batch)
    return {"council": council.pk, "team": teams[1].pk, "category": categories[3],
            "year": year}


def _time(client: Any, url: str, repeat: int = REPEAT, before: Any = None,
          after: Any = None) -> dict[str, float]:
    """Wall and CPU time of `repeat` requests. The CPU time is this process's (Python
    and, for SQLite, the database too): on a busy shared machine it is the better guide
    to what the request costs on an idle one."""
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    times, cpu = [], []
    for _ in range(repeat):
        if before is not None:
            before()
        started, started_cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        if after is not None:
            after()
    times.sort()
    return {"p50": statistics.median(times), "max": times[-1], "cpu": statistics.median(cpu)}


def _wait_for_background_refresh() -> None:
    from townhall.analytics import tasks

    with tasks._REFRESHING:
        pass


def _late_messages(council_id: int, n: int, days: int = 30) -> None:
    """n messages written over the last `days` days that arrive only now, each starting
    a conversation."""
    from townhall.core.lib.db import insert_rows
    from townhall.inbox.models import Conversation, Message

    base = Conversation.objects.filter(council_id=council_id).order_by("-id").first()
    assert base is not None
    now = datetime.now(UTC)
    conversations = [Conversation(
        council_id=council_id, channel_id=base.channel_id, platform=base.platform,
        thread_key=f"late-{time.time_ns()}-{k}", created_at=now - timedelta(days=k % days),
        last_message_at=now - timedelta(days=k % days), subject="Late") for k in range(n)]
    insert_rows(Conversation, conversations)
    insert_rows(Message, [Message(
        council_id=council_id, conversation_id=c.pk, channel_id=c.channel_id,
        direction="in", platform_message_id=c.thread_key, text="Late pothole report",
        created_at=c.created_at, received_at=now, sentiment="negative")
        for c in conversations])


def _child() -> None:
    django_migrated()
    from django.conf import settings
    from django.test import Client

    from townhall.accounts.models import Membership
    from townhall.analytics.rollups import rollups_rebuild, rollups_refresh
    from townhall.core.models import Council

    started = time.perf_counter()
    ids = _fill()
    filled = time.perf_counter() - started
    council = Council.objects.get(pk=ids["council"])
    started = time.perf_counter()
    rollups_rebuild(council=council)
    counted = time.perf_counter() - started
    analyze()
    assert not settings.DEBUG, "measure with DEBUG off, as in production"
    from townhall.analytics.models import Rollup

    rollup_rows = Rollup.objects.filter(council=council).count()
    load = os.getloadavg()
    today = datetime.now(UTC).date()
    year_ago = today - timedelta(days=364)
    fy = f"{ids['year']}-04-01"
    supervisor = Membership.objects.select_related("user").get(user__username="supervisor")
    officer = Membership.objects.select_related("user").get(user__username="officer1")
    rows = []
    client = Client()
    client.force_login(supervisor.user)
    year = f"from={year_ago}&to={today}"
    cases = [
        ("dashboard, supervisor, financial year so far (default)", "/analytics/"),
        (f"dashboard, supervisor, 12 months (all {MESSAGES:,} messages)", f"/analytics/?{year}"),
        ("dashboard, 12 months, one platform", f"/analytics/?{year}&platform=x"),
        ("dashboard, 12 months, one team", f"/analytics/?{year}&team={ids['team']}"),
        ("dashboard, 12 months, one category", f"/analytics/?{year}&category={ids['category']}"),
        ("dashboard, last 30 days (a point a day)",
         f"/analytics/?from={today - timedelta(days=29)}&to={today}"),
        ("targets page, the financial year", f"/analytics/targets/?year={ids['year']}"),
        ("conversations behind a figure (a month's contacts)",
         f"/analytics/conversations/?metric=contacts&from={fy}&to={date.fromisoformat(fy) + timedelta(days=29)}"),
    ]
    for label, url in cases:
        rows.append((label, _time(client, url)))
    officer_client = Client()
    officer_client.force_login(officer.user)
    rows.append(("dashboard, officer (team view), 12 months",
                 _time(officer_client, f"/analytics/?{year}")))
    # 1,000 messages written over the last month arrive late. The next view does not
    # wait for the 30 days they touch to be recounted: it starts that in the background
    # and says the figures may be behind. (Each round waits for that refresh to end.)
    rows.append(("dashboard, 12 months, first view after 1,000 late messages (30 days)",
                 _time(client, f"/analytics/?{year}", repeat=3,
                       before=lambda: _late_messages(council.pk, 1000),
                       after=_wait_for_background_refresh)))
    rows.append(("dashboard, 12 months, first view after 10 new messages",
                 _time(client, f"/analytics/?{year}", repeat=3,
                       before=lambda: _late_messages(council.pk, 10, days=1),
                       after=_wait_for_background_refresh)))
    refreshes = []
    for label, count, days in (("1,000 late messages over 30 days", 1000, 30),
                               ("100 new messages today", 100, 1)):
        _late_messages(council.pk, count, days=days)
        started, started_cpu = time.perf_counter(), time.process_time()
        result = rollups_refresh(council=council)
        refreshes.append((label, time.perf_counter() - started,
                          time.process_time() - started_cpu, result.days))
    started = time.perf_counter()
    rollups_refresh(council=council)
    refreshes.append(("nothing new", time.perf_counter() - started, 0.0, 0))
    print(json.dumps({"filled": filled, "counted": counted, "rows": rows, "load": load,
                      "rollup_rows": rollup_rows, "refreshes": refreshes,
                      "load_after": os.getloadavg()}))


def run(*, databases: list[tuple[str, str]]) -> list[str]:
    out = ["## Analytics (`python -m townhall.benchmarks.analytics_bench`)", "",
           f"{MESSAGES:,} messages in {CONVERSATIONS:,} conversations over the last 12 "
           f"months, 6 teams, 26 staff, 6 wards. Django test client, {REPEAT} requests after "
           "1 warm-up request, server time in milliseconds; CPU is this process's time "
           "(for SQLite it includes the database). Target: dashboard <= 1,000 ms.",
           ""]
    for name, result in child_results("townhall.benchmarks.analytics_bench", databases,
                                      database="townhall_bench_analytics", out=out):
        out += [f"### {name}", "",
                f"Filled in {result['filled']:.0f} s; roll-ups counted from nothing in "
                f"{result['counted']:.0f} s ({result['rollup_rows']:,} roll-up rows).",
                "", load_line(result),
                "", "| request | p50 ms | max ms | CPU p50 ms |", "|---|---|---|---|"]
        out += [f"| {label} | {t['p50']:.0f} | {t['max']:.0f} | {t['cpu']:.0f} |"
                for label, t in result["rows"]]
        out += ["", "| refresh (`rollups_refresh`) | wall s | CPU s | days recounted |",
                "|---|---|---|---|"]
        out += [f"| {label} | {wall:.2f} | {cpu:.2f} | {days} |"
                for label, wall, cpu, days in result["refreshes"]]
        out.append("")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m townhall.benchmarks.analytics_bench")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
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
