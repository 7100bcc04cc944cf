"""Assemble the demo year: plan conversations day by day, then write each thread."""

from __future__ import annotations

import datetime as dt
import math
import random
from itertools import accumulate

from . import council, seasons
from .ids import Ids
from .model import DemoConversation, DemoCouncil
from .residents import CY_FIRST, CY_LAST, EN_FIRST, EN_LAST, Person, make_people
from .safeguarding import CASES
from .thread import Plan, ThreadWriter
from .timing import LONDON, Staffing, end_of_day, local_midnight

# About 17 new conversations on an ordinary weekday gives roughly 8,000 inbound messages a year
# once chasers, follow-ups and the incidents are added.
BASE_PER_DAY = 17.5
PEOPLE = 3600
# Residents who prefer Welsh. They write in Welsh when a Welsh template exists for the topic.
WELSH_SHARE = 0.07
LOW_PRIORITY = ("compliments", "general_enquiry", "libraries_leisure", "other", "planning")
HIGH_TOPICS = ("heating", "storm_tree", "signs_signals", "flood_incident", "sandbags")


def _poisson(rng: random.Random, lam: float) -> int:
    """Knuth's method, fine for the small means used here."""
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def _priority(category: str, topic: str) -> str:
    if topic in HIGH_TOPICS:
        return "high"
    return "low" if category in LOW_PRIORITY else "normal"


def _moment(rng: random.Random, day: dt.date, incident: bool) -> dt.datetime:
    weights = seasons.INCIDENT_HOUR_WEIGHTS if incident else seasons.HOUR_WEIGHTS
    hour = rng.choices(range(24), weights)[0]
    return local_midnight(day) + dt.timedelta(hours=hour, seconds=rng.randrange(3600))


def _plan(rng: random.Random, end: dt.date, holidays: set[dt.date]) -> list[Plan]:
    first, last = seasons.window(end)
    categories = list(seasons.CATEGORY_WEIGHTS)
    plans: list[Plan] = []
    day = first
    while day <= last:
        weights = seasons.category_weights(day.month)
        count = _poisson(rng, BASE_PER_DAY * seasons.day_factor(day, holidays))
        for category in rng.choices(categories, [weights[c] for c in categories], k=count):
            topics = seasons.topic_weights(category, day.month)
            topic = rng.choices(list(topics), list(topics.values()))[0]
            plans.append(Plan(_moment(rng, day, False), category, topic,
                              _priority(category, topic)))
        day += dt.timedelta(days=1)
    for event in seasons.events(end):
        for event_day, expected in zip(event.days, event.per_day, strict=True):
            for _ in range(_poisson(rng, expected)):
                plans.append(Plan(_moment(rng, event_day, True), event.category, event.topic,
                                  event.priority))
    plans.sort(key=lambda p: p.at)
    return plans


def _safeguarding_people(rng: random.Random, start: int) -> list[Person]:
    people = []
    for n, case in enumerate(CASES, start=start):
        welsh = case.language == "cy"
        first = rng.choice(CY_FIRST if welsh else EN_FIRST)
        last = rng.choice(CY_LAST if welsh else EN_LAST)
        handle = {"email": f"r{n}@example.org", "webchat": f"visitor-{n:05d}-sg",
                  "bluesky": f"r{n}.bsky.social", "facebook": str(200000000000000 + n),
                  "nextdoor": str(50000000 + n), "instagram": f"r{n}_", "x": f"r{n}_"}
        people.append(Person(f"r{n:05d}", first, last, welsh, 1.0,
                             [(case.platform, handle[case.platform])]))
    return people


def generate(*, end: dt.date | None = None, seed: int = 2026) -> DemoCouncil:
    """Generate a year of demo data for Afoncaster ending on ``end`` (today in London)."""
    if end is None:
        end = dt.datetime.now(LONDON).date()
    rng = random.Random(seed)
    first, last = seasons.window(end)
    holidays: set[dt.date] = set()
    for year in range(first.year, last.year + 1):
        holidays |= seasons.bank_holidays(year)
    end_bound = end_of_day(end)
    ids = Ids(rng)
    writer = ThreadWriter(rng, Staffing(holidays), end_bound, holidays, ids)

    people = make_people(rng, PEOPLE, WELSH_SHARE)
    cumulative = list(accumulate(p.weight for p in people))
    conversations: list[DemoConversation] = []
    for plan in _plan(rng, end, holidays):
        person = rng.choices(people, cum_weights=cumulative)[0]
        conversations.append(writer.write(plan, person))

    # Safeguarding cases fall on random days and hours, never in the last day so that the
    # duty officer's reply is always inside the window.
    vulnerable = _safeguarding_people(rng, len(people))
    days = rng.sample(range(1, 364), len(CASES))
    for case, person, offset in zip(CASES, vulnerable, days, strict=True):
        at = _moment(rng, last - dt.timedelta(days=offset), incident=True)
        conversations.append(writer.safeguarding(case, at, person))
    people += vulnerable

    conversations.sort(key=lambda c: c.messages[0].created_at)
    contacted = {c.resident_key for c in conversations}
    return DemoCouncil(
        slug=council.SLUG,
        name=council.NAME,
        teams=list(council.TEAMS),
        officers=list(council.OFFICERS),
        channels=list(council.CHANNELS),
        residents=[p.public() for p in people if p.key in contacted],
        conversations=conversations,
        categories_used=sorted({c.category for c in conversations}),
    )
