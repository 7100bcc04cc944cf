"""Office-time bands for response and resolution times.

A roll-up cannot keep every conversation's time, so it keeps how many fell in each band.
A median or 90th percentile is then known to the band it falls in, and reported as
"within" the band's upper edge: "half were answered within 1 h 30 min" is exactly true.
Targets are set on band edges, so "the share answered within the target" is an exact
count, not an estimate. Decision record 0701 explains the choice.
"""

from bisect import bisect_left
from collections.abc import Sequence
from math import ceil

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

# Upper edges of the bands, in office minutes; one more band holds everything longer.
BOUNDS_MINUTES: tuple[int, ...] = (
    15, 30, 45, 60, 90, 120, 180, 240, 300, 360, 420, 480, 600, 720, 960, 1200, 1440, 1920,
    2400, 3600, 4800, 7200, 9600,
)
BOUNDS: tuple[int, ...] = tuple(m * 60 for m in BOUNDS_MINUTES)
BUCKETS = len(BOUNDS) + 1


def bucket_of(seconds: int) -> int:
    """The band of a time in office seconds: band i holds (BOUNDS[i-1], BOUNDS[i]]."""
    return bisect_left(BOUNDS, seconds)


def bound_index(minutes: int) -> int:
    """The band whose upper edge is `minutes`; ValueError if it is not an edge."""
    try:
        return BOUNDS_MINUTES.index(minutes)
    except ValueError:
        raise ValueError(f"{minutes} minutes is not one of the reporting bands.") from None


def count_within(histogram: Sequence[int], minutes: int) -> int:
    """How many times were at most `minutes` (which must be a band edge)."""
    return sum(histogram[:bound_index(minutes) + 1])


def percentile_bucket(histogram: Sequence[int], q: float) -> int | None:
    """The band holding the q-th percentile by nearest rank, or None with no times.

    Nearest rank picks a real value (the ceil(q*n)-th smallest), so the band is the
    band of that value: the same answer a direct sort of the times gives.
    """
    total = sum(histogram)
    if total == 0:
        return None
    rank = max(1, ceil(q * total))
    running = 0
    for index, count in enumerate(histogram):
        running += count
        if running >= rank:
            return index
    return len(histogram) - 1


def nearest_rank(values: Sequence[int], q: float) -> int | None:
    """The q-th percentile of raw values by nearest rank (what the bands approximate)."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(1, ceil(q * len(ordered))) - 1]


def minutes_text(minutes: int) -> str:
    """Office time for people: "45 min", "2 h", "1 h 30 min", "40 h"."""
    hours, mins = divmod(minutes, 60)
    if not hours:
        return _("%(m)d min") % {"m": mins}
    if not mins:
        return ngettext("%(h)d h", "%(h)d h", hours) % {"h": hours}
    return _("%(h)d h %(m)d min") % {"h": hours, "m": mins}


def band_text(index: int | None) -> str:
    """A percentile's band as a phrase: "within 1 h 30 min", "more than 160 h"."""
    if index is None:
        return _("no replies yet")
    if index >= len(BOUNDS_MINUTES):
        return _("more than %(t)s") % {"t": minutes_text(BOUNDS_MINUTES[-1])}
    return _("within %(t)s") % {"t": minutes_text(BOUNDS_MINUTES[index])}


def band_bound_text(index: int | None) -> str:
    """A percentile's band as its upper edge, for a table headed "Half answered within"."""
    if index is None:
        return "–"
    if index >= len(BOUNDS_MINUTES):
        return _("more than %(t)s") % {"t": minutes_text(BOUNDS_MINUTES[-1])}
    return minutes_text(BOUNDS_MINUTES[index])


def band_range_text(index: int) -> str:
    """A band's range for a table: "1 h to 1 h 30 min"."""
    if index >= len(BOUNDS_MINUTES):
        return _("more than %(t)s") % {"t": minutes_text(BOUNDS_MINUTES[-1])}
    if index == 0:
        return _("up to %(t)s") % {"t": minutes_text(BOUNDS_MINUTES[0])}
    return _("%(a)s to %(b)s") % {"a": minutes_text(BOUNDS_MINUTES[index - 1]),
                                   "b": minutes_text(BOUNDS_MINUTES[index])}


def threshold_choices() -> list[tuple[int, str]]:
    return [(m, minutes_text(m)) for m in BOUNDS_MINUTES]
