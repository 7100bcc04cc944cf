"""Channel shift figures from townhall.shift, read through its two promised selectors.

They count the whole council (they take no platform, team or category), and each reads
the conversations of its period, so results are cached for a few minutes per period.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.core.cache import cache
from django.urls import NoReverseMatch, reverse

from townhall.analytics.fy import day_start_utc
from townhall.core.models import Council

CACHE_SECONDS = 300


@dataclass(frozen=True)
class ShiftFigures:
    contacts: int
    shifted: int
    rate: float | None
    saved_pence: int
    would_have_cost_pence: int
    cost_pence: int


def shift_figures(*, council: Council, first: date, last: date) -> ShiftFigures | None:
    """Channel shift for London days first..last, or None if shift is not installed."""
    try:
        from townhall.shift.selectors import savings_totals, shift_rate
    except ImportError:  # pragma: no cover - shift is installed with analytics
        return None
    key = f"analytics-shift:{council.pk}:{first}:{last}"
    found: ShiftFigures | None = cache.get(key)
    if found is None:
        start, end = day_start_utc(first), day_start_utc(last + timedelta(days=1))
        totals = savings_totals(council=council, start=start, end=end)
        found = ShiftFigures(contacts=totals.contacts, shifted=totals.shifted,
                             rate=shift_rate(council=council, start=start, end=end),
                             saved_pence=totals.saved_pence,
                             would_have_cost_pence=totals.would_have_cost_pence,
                             cost_pence=totals.cost_pence)
        cache.set(key, found, CACHE_SECONDS)
    return found


def ledger_url() -> str:
    try:
        return reverse("shift:ledger")
    except NoReverseMatch:
        return ""
