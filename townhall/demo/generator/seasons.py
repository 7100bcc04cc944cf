"""The calendar a council lives by: everyday volumes, the seasons, and the big incidents.

Everything here is a pure function of dates, so tests can ask where the bin strike or the
flood fell without generating any messages.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

# Everyday share of new conversations by category, before the month adjusts it.
CATEGORY_WEIGHTS: dict[str, float] = {
    "bins_collections": 13, "roads_potholes": 10, "council_tax": 7, "flytipping": 6,
    "housing": 6, "street_cleaning_litter": 5, "general_enquiry": 5, "vehicles_parking": 4,
    "parking_permits_fines": 4, "street_lighting": 4, "trees_parks_verges": 4, "dog_fouling": 3,
    "antisocial_behaviour": 3, "pavements_footpaths": 3, "benefits": 3, "schools": 3,
    "libraries_leisure": 3, "compliments": 3, "drains_flooding": 2.5, "planning": 2.5,
    "graffiti_flyposting": 2, "pests_environmental_health": 2, "social_care": 2, "other": 2,
    "signs_signals": 1.5, "dead_animal": 1.5,
}

# Month multipliers (January first) for categories that have a season.
MONTH_FACTOR: dict[str, tuple[float, ...]] = {
    "roads_potholes": (1.8, 1.7, 1.5, 1.1, 0.9, 0.7, 0.7, 0.7, 0.8, 1.0, 1.2, 1.5),
    "council_tax": (1.0, 1.3, 3.2, 2.0, 1.0, 0.9, 0.8, 0.8, 0.9, 1.0, 1.0, 0.9),
    "schools": (1.3, 0.9, 1.0, 1.1, 0.9, 0.8, 0.6, 0.5, 2.2, 2.6, 1.2, 1.0),
    "drains_flooding": (1.5, 1.2, 1.0, 0.8, 0.6, 0.5, 0.5, 0.6, 0.9, 2.0, 2.5, 1.8),
    "street_cleaning_litter": (0.9, 0.8, 0.9, 1.0, 1.1, 1.3, 1.4, 1.4, 1.1, 1.6, 1.6, 1.0),
    "trees_parks_verges": (0.7, 0.7, 0.9, 1.2, 1.8, 1.9, 1.8, 1.6, 1.1, 1.5, 1.4, 0.8),
    "bins_collections": (1.4, 1.0, 1.6, 1.7, 1.5, 1.0, 1.0, 1.0, 0.9, 0.9, 1.0, 1.4),
    "pests_environmental_health": (0.6, 0.6, 0.8, 1.0, 1.4, 2.0, 2.2, 2.2, 1.6, 0.9, 0.7, 0.6),
    "antisocial_behaviour": (0.8, 0.8, 0.9, 1.0, 1.1, 1.4, 1.6, 1.6, 1.0, 1.5, 1.3, 0.9),
    "dog_fouling": (1.3, 1.3, 1.1, 1.0, 0.9, 0.8, 0.8, 0.8, 0.9, 1.0, 1.2, 1.3),
    "housing": (1.5, 1.4, 1.1, 0.9, 0.8, 0.8, 0.8, 0.8, 0.9, 1.2, 1.5, 1.5),
    "street_lighting": (1.7, 1.4, 1.0, 0.8, 0.6, 0.5, 0.5, 0.6, 0.9, 1.5, 1.9, 1.9),
    "libraries_leisure": (1.0, 0.9, 0.9, 1.0, 0.9, 1.0, 1.5, 1.5, 1.0, 0.9, 0.9, 1.1),
    "compliments": (1.1, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.3),
}

# Topics within each category, with the months they happen in (None means all year).
TOPICS: dict[str, list[tuple[str, float, dict[int, float] | None]]] = {
    "bins_collections": [
        ("missed_bin", 5, None), ("new_bin", 1.5, None), ("bulky_waste", 1, None),
        ("garden_waste", 4, {2: 0.5, 3: 1.5, 4: 1.5, 5: 1.2, 6: 0.6, 7: 0.4, 8: 0.4, 9: 0.4}),
        ("christmas_collections", 4, {12: 1.0, 1: 0.6}),
    ],
    "roads_potholes": [
        ("pothole", 6, None), ("roadworks", 2, None),
        ("gritting", 5, {11: 0.4, 12: 1.0, 1: 1.5, 2: 1.1, 3: 0.2}),
    ],
    "drains_flooding": [
        ("blocked_drain", 3, None), ("leaf_drains", 5, {10: 1.0, 11: 1.2, 12: 0.4}),
    ],
    "street_cleaning_litter": [
        ("litter", 4, None), ("broken_glass", 1, None),
        ("leaves", 4, {10: 1.0, 11: 1.3, 12: 0.3}), ("park_litter", 3, {6: 1, 7: 1.3, 8: 1.3}),
    ],
    "trees_parks_verges": [
        ("overhanging_tree", 2, None), ("park_equipment", 1, None),
        ("grass_cutting", 4, {4: 0.6, 5: 1.2, 6: 1.5, 7: 1.3, 8: 1.0, 9: 0.5}),
        ("fallen_leaves_tree", 3, {10: 1.0, 11: 1.0}),
    ],
    "pavements_footpaths": [
        ("uneven_pavement", 4, None), ("overgrown_path", 2, {5: 1, 6: 1, 7: 1, 8: 1}),
        ("icy_pavement", 3, {12: 1, 1: 1.3, 2: 1}),
    ],
    "schools": [
        ("admissions", 4, {9: 1.5, 10: 2.0, 11: 0.8, 1: 1.0, 12: 0.6}),
        ("school_transport", 2, None), ("term_dates", 1, None),
        ("free_school_meals", 1, None),
    ],
    "council_tax": [
        ("bill", 3, {3: 3.0, 4: 1.5, 2: 0.8}), ("single_person", 2, None),
        ("direct_debit", 2, None), ("welsh_form", 0.6, None), ("arrears", 1.5, None),
        ("moving_house", 1.5, None),
    ],
    "pests_environmental_health": [
        ("rats", 3, None), ("wasps", 4, {6: 1, 7: 1.3, 8: 1.3, 9: 0.8}), ("food_hygiene", 1, None),
    ],
    "housing": [
        ("repair", 4, None), ("damp_mould", 3, {10: 1, 11: 1.3, 12: 1.5, 1: 1.5, 2: 1.3, 3: 1}),
        ("register", 2, None), ("heating", 2, {11: 1, 12: 1.3, 1: 1.3, 2: 1}),
    ],
    "compliments": [
        ("thanks_crew", 3, None), ("thanks_officer", 2, None),
        ("thanks_gritting", 3, {12: 1, 1: 1.3, 2: 1}),
    ],
}


@dataclass(frozen=True)
class Event:
    """A burst of extra conversations about one topic on consecutive days."""

    key: str
    start: dt.date
    per_day: tuple[int, ...]
    category: str
    topic: str
    priority: str = "normal"

    @property
    def days(self) -> list[dt.date]:
        return [self.start + dt.timedelta(days=i) for i in range(len(self.per_day))]


def window(end: dt.date) -> tuple[dt.date, dt.date]:
    """The first and last day of the demo year, both inclusive."""
    return end - dt.timedelta(days=364), end


def _place(end: dt.date, month: int, day: int, length: int) -> dt.date:
    """Place an annual event that starts on month/day inside the window, whole if possible."""
    first, last = window(end)
    for year in (end.year, end.year - 1):
        start = dt.date(year, month, day)
        if first <= start and start + dt.timedelta(days=length - 1) <= last:
            return start
    # The anchor falls across the window edge, so keep the event whole at the nearer edge.
    start = dt.date(end.year, month, day)
    return last - dt.timedelta(days=length - 1) if start <= last else first


def _monday_on_or_after(day: dt.date) -> dt.date:
    return day + dt.timedelta(days=(7 - day.weekday()) % 7)


def events(end: dt.date) -> list[Event]:
    """The incidents of the demo year: snow, a flood, a bin strike."""
    snow1 = _place(end, 1, 13, 4)
    snow2 = _place(end, 2, 17, 3)
    flood = _place(end, 11, 20, 3)
    strike = _place(end, 7, 7, 7)
    # Strikes are called for whole working weeks, so start on the Monday when it still fits.
    monday = strike - dt.timedelta(days=strike.weekday())
    strike = monday if monday >= window(end)[0] else strike
    result = [
        Event("bin_strike", strike, (14, 18, 19, 17, 16, 12, 9), "bins_collections", "strike"),
        Event("flood", flood, (52, 34, 14), "drains_flooding", "flood_incident", "high"),
        Event("flood", flood, (14, 10, 4), "drains_flooding", "sandbags", "high"),
        Event("flood", flood, (11, 9, 3), "roads_potholes", "flood_road_closure", "high"),
        Event("flood", flood, (5, 3, 1), "trees_parks_verges", "storm_tree", "high"),
    ]
    for snow, scale in ((snow1, (18, 22, 15, 8)), (snow2, (14, 12, 6))):
        result += [
            Event("snow", snow, scale, "roads_potholes", "gritting", "high"),
            Event("snow", snow, tuple(n // 2 for n in scale), "schools", "snow_closure"),
            Event("snow", snow, tuple(n // 3 for n in scale), "bins_collections", "snow_bins"),
            Event("snow", snow, tuple(n // 4 for n in scale), "pavements_footpaths",
                  "icy_pavement"),
        ]
    return result


def easter(year: int) -> dt.date:
    """Easter Sunday by the anonymous Gregorian algorithm."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    line = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * line) // 451
    month, day = divmod(h + line - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


def _last_monday(year: int, month: int) -> dt.date:
    day = dt.date(year, month + 1, 1) - dt.timedelta(days=1)
    return day - dt.timedelta(days=day.weekday())


def bank_holidays(year: int) -> set[dt.date]:
    """Bank holidays in England and Wales (ignoring substitute days and one-offs)."""
    e = easter(year)
    return {
        dt.date(year, 1, 1), e - dt.timedelta(days=2), e + dt.timedelta(days=1),
        _monday_on_or_after(dt.date(year, 5, 1)), _last_monday(year, 5), _last_monday(year, 8),
        dt.date(year, 12, 25), dt.date(year, 12, 26),
    }


# Weekdays are busier than weekends; residents write most between 8am and 8pm.
WEEKDAY_FACTOR = (1.15, 1.05, 1.0, 1.0, 0.95, 0.6, 0.55)
HOUR_WEIGHTS = (0.15, 0.08, 0.05, 0.04, 0.04, 0.08, 0.3, 0.8, 1.4, 1.6, 1.5, 1.4,
                1.5, 1.4, 1.3, 1.3, 1.4, 1.4, 1.5, 1.5, 1.2, 0.9, 0.6, 0.3)
# During a flood or snow people write through the night too.
INCIDENT_HOUR_WEIGHTS = (0.6, 0.4, 0.3, 0.3, 0.3, 0.5, 0.9, 1.3, 1.5, 1.5, 1.4, 1.3,
                         1.3, 1.3, 1.3, 1.3, 1.4, 1.5, 1.5, 1.5, 1.3, 1.2, 1.0, 0.8)


def day_factor(day: dt.date, holidays: set[dt.date]) -> float:
    if day in holidays:
        return 0.5
    if (day.month, day.day) in ((12, 24), (12, 31)):
        return 0.7
    return WEEKDAY_FACTOR[day.weekday()]


def category_weights(month: int) -> dict[str, float]:
    return {
        code: weight * MONTH_FACTOR.get(code, (1.0,) * 12)[month - 1]
        for code, weight in CATEGORY_WEIGHTS.items()
    }


def topic_weights(category: str, month: int) -> dict[str, float]:
    """Topic weights for a category in a month; a category without topics is its own topic."""
    topics = TOPICS.get(category)
    if topics is None:
        return {category: 1.0}
    return {
        key: weight * (1.0 if months is None else months.get(month, 0.0))
        for key, weight, months in topics
    }
