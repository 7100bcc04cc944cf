"""The year has the shape a council knows: seasons, incidents and office hours."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from zoneinfo import ZoneInfo

import pytest

from townhall.demo.generator import DemoCouncil, generate
from townhall.demo.generator.seasons import events, window

END = dt.date(2026, 3, 1)
LONDON = ZoneInfo("Europe/London")


@pytest.fixture(scope="module")
def demo() -> DemoCouncil:
    return generate(end=END)


def _day(conversation) -> dt.date:
    return conversation.messages[0].created_at.astimezone(LONDON).date()


def _event_days(key: str) -> list[dt.date]:
    return next(e for e in events(END) if e.key == key).days


def test_it_talks_about_gritting_in_january_and_not_in_july(demo: DemoCouncil) -> None:
    def gritting(month: int) -> int:
        return sum(
            1 for c in demo.conversations
            if c.category == "roads_potholes" and _day(c).month == month
            and any(word in c.messages[0].text.lower() for word in ("grit", "graean", "snow"))
        )

    roads = Counter(_day(c).month for c in demo.conversations if c.category == "roads_potholes")
    assert gritting(1) > 30
    assert gritting(7) == 0
    assert roads[1] > roads[7]


def test_it_has_a_bin_strike_week_with_five_times_the_usual_bin_complaints(
        demo: DemoCouncil) -> None:
    strike = set(_event_days("bin_strike"))
    assert len(strike) == 7
    bins = [_day(c) for c in demo.conversations if c.category == "bins_collections"]
    in_strike = sum(day in strike for day in bins)
    usual_week = (len(bins) - in_strike) / ((365 - 7) / 7)
    assert in_strike >= 5 * usual_week


def test_it_has_a_flood_with_many_posts_about_mill_lane(demo: DemoCouncil) -> None:
    flood = _event_days("flood")
    assert 2 <= len(flood) <= 3
    drains = Counter(_day(c) for c in demo.conversations if c.category == "drains_flooding")
    usual_day = (sum(drains.values()) - sum(drains[d] for d in flood)) / (365 - len(flood))
    assert drains[flood[0]] >= 10 * usual_day
    mill_lane = [c for c in demo.conversations if _day(c) in flood
                 and ("mill lane" in c.messages[0].text.lower()
                      or "lôn y felin" in c.messages[0].text.lower())]
    assert len(mill_lane) >= 30


def test_it_peaks_council_tax_in_march_and_admissions_in_autumn(demo: DemoCouncil) -> None:
    months = Counter((c.category, _day(c).month) for c in demo.conversations)
    other_tax = [months[("council_tax", m)] for m in range(1, 13) if m not in (3, 4)]
    assert months[("council_tax", 3)] > 2 * (sum(other_tax) / len(other_tax))
    assert months[("schools", 10)] > 2 * months[("schools", 7)]


def test_it_brings_garden_waste_in_spring_and_leaves_in_autumn(demo: DemoCouncil) -> None:
    def mentions(words: tuple[str, ...], month_set: tuple[int, ...]) -> int:
        return sum(1 for c in demo.conversations if _day(c).month in month_set
                   and any(w in c.messages[0].text.lower() for w in words))

    assert mentions(("garden waste", "gwastraff gardd"), (3, 4, 5)) > 3 * mentions(
        ("garden waste", "gwastraff gardd"), (10, 11, 12))
    assert mentions(("leaves", "dail"), (10, 11)) > 3 * mentions(("leaves", "dail"), (5, 6))


def test_it_is_busier_on_weekdays_and_in_the_daytime(demo: DemoCouncil) -> None:
    firsts = [c.messages[0].created_at.astimezone(LONDON) for c in demo.conversations]
    days = Counter(t.date() for t in firsts)
    weekday = [n for d, n in days.items() if d.weekday() < 5]
    weekend = [n for d, n in days.items() if d.weekday() >= 5]
    assert sum(weekday) / len(weekday) > 1.4 * sum(weekend) / len(weekend)
    daytime = sum(8 <= t.hour < 20 for t in firsts) / len(firsts)
    night = sum(0 <= t.hour < 6 for t in firsts) / len(firsts)
    assert daytime > 0.75
    assert night < 0.06


def test_it_answers_mostly_in_office_hours_and_slower_at_weekends(demo: DemoCouncil) -> None:
    def first_reply_hours(weekend: bool) -> list[float]:
        waits = []
        for c in demo.conversations:
            start = c.messages[0].created_at
            if c.safeguarding or (start.astimezone(LONDON).weekday() >= 5) != weekend:
                continue
            out = next((m for m in c.messages if m.direction == "out"), None)
            if out:
                waits.append((out.created_at - start).total_seconds() / 3600)
        return sorted(waits)

    weekday, weekend = first_reply_hours(False), first_reply_hours(True)
    assert weekday[len(weekday) // 2] < 3
    assert weekend[len(weekend) // 2] > weekday[len(weekday) // 2]
    replies = [m.created_at.astimezone(LONDON) for c in demo.conversations if not c.safeguarding
               for m in c.messages if m.direction == "out"]
    assert sum(8 <= t.hour < 20 for t in replies) / len(replies) > 0.97


@pytest.mark.parametrize("end", [dt.date(2026, 1, 14), dt.date(2025, 7, 9),
                                 dt.date(2025, 11, 21), dt.date(2024, 2, 29),
                                 dt.date(2026, 12, 31)])
def test_it_places_every_incident_whole_inside_the_year(end: dt.date) -> None:
    first, last = window(end)
    for event in events(end):
        assert first <= event.days[0] and event.days[-1] <= last
    keys = Counter(e.key for e in events(end))
    assert {"snow", "flood", "bin_strike"} <= set(keys)
