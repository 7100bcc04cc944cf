"""Where a financial-year figure will end up by 31 March, with an uncertainty band.

Plain Python and numpy, no Django. Decision record 0702 explains the methods:

- A share (replies within target, Welsh answered in Welsh, requests shifted) is carried
  forward at its rate so far. The band comes from a parametric bootstrap: each remaining
  month borrows the outcome of a month already seen (so month-to-month swings count) and
  draws its count from that month's rate (so small numbers count too).
- A sum (money saved) is carried forward at its seasonally weighted run rate. Each
  remaining month borrows the weighted rate of a month already seen, so the band is as
  wide as the months have been uneven.

Each draws DRAWS futures with a fixed seed, so the same data always gives the same
answer. The chance of meeting the target is the share of futures that meet it.
"""

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

DRAWS = 4000
LOW_Q, HIGH_Q = 0.1, 0.9
# Below this many months seen, month-to-month swings cannot be measured, so a sum's
# monthly rate is assumed to vary by this much (coefficient of variation).
MIN_MONTHS_FOR_SPREAD = 3
ASSUMED_MONTHLY_CV = 0.25
LIKELY, UNLIKELY = 0.8, 0.2


@dataclass(frozen=True)
class Projection:
    actual: float | None
    projected: float | None
    low: float | None
    high: float | None
    chance: float | None
    status: str  # "green", "amber", "red" or "grey" when there is nothing to go on

    @property
    def has_data(self) -> bool:
        return self.status != "grey"


NO_DATA = Projection(None, None, None, None, None, "grey")


def status_for(chance: float) -> str:
    if chance >= LIKELY:
        return "green"
    if chance <= UNLIKELY:
        return "red"
    return "amber"


def _rng(seed: str) -> np.random.Generator:
    return np.random.default_rng(sum((n + 1) * ord(c) for n, c in enumerate(seed)))


def project_share(*, months: Sequence[tuple[int, int]], remaining: Sequence[float],
                  target: float, seed: str = "") -> Projection:
    """months: (hits, trials) for each month seen so far, the current one included;
    remaining: how many trials each month still to come is expected to bring.
    target: the share to reach, 0 to 1."""
    hits = sum(k for k, _ in months)
    trials = sum(n for _, n in months)
    if trials == 0:
        return NO_DATA
    actual = hits / trials
    future = np.rint(np.asarray(remaining, dtype=float)).astype(np.int64)
    future = future[future > 0]
    if future.size == 0:
        met = actual >= target
        return Projection(actual, actual, actual, actual, 1.0 if met else 0.0,
                          "green" if met else "red")
    rng = _rng(seed or "share")
    seen = [(k, n) for k, n in months if n > 0]
    picks = rng.integers(0, len(seen), size=(DRAWS, future.size))
    alpha = np.array([k + 0.5 for k, _ in seen])[picks]
    beta = np.array([n - k + 0.5 for k, n in seen])[picks]
    rates = rng.beta(alpha, beta)
    drawn = rng.binomial(np.broadcast_to(future, rates.shape), rates)
    finals = (hits + drawn.sum(axis=1)) / (trials + future.sum())
    chance = float(np.mean(finals >= target - 1e-12))
    return Projection(actual, actual, float(np.quantile(finals, LOW_Q)),
                      float(np.quantile(finals, HIGH_Q)), chance, status_for(chance))


def project_sum(*, values: Sequence[float], weights: Sequence[float],
                remaining_weights: Sequence[float], target: float,
                seed: str = "") -> Projection:
    """values: the sum in each month seen so far (the current one to date);
    weights: each of those months' expected share of a year (seasonal profile times
    the part of the month elapsed); remaining_weights: the same for what is still to
    come. target: the year's total to reach."""
    seen = [(v, w) for v, w in zip(values, weights, strict=True) if w > 0]
    if not seen:
        return NO_DATA
    actual = float(sum(values))
    elapsed = sum(w for _, w in seen)
    rest = np.asarray([w for w in remaining_weights if w > 0], dtype=float)
    projected = actual + actual / elapsed * float(rest.sum())
    if rest.size == 0:
        met = actual >= target
        return Projection(actual, actual, actual, actual, 1.0 if met else 0.0,
                          "green" if met else "red")
    rng = _rng(seed or "sum")
    rates = np.array([v / w for v, w in seen])
    picks = rng.integers(0, len(rates), size=(DRAWS, rest.size))
    drawn = rates[picks]
    if len(seen) < MIN_MONTHS_FOR_SPREAD:
        noise = rng.normal(1.0, ASSUMED_MONTHLY_CV, size=drawn.shape)
        drawn = drawn * np.clip(noise, 0.0, None)
    finals = actual + (drawn * rest).sum(axis=1)
    chance = float(np.mean(finals >= target))
    return Projection(actual, projected, float(np.quantile(finals, LOW_Q)),
                      float(np.quantile(finals, HIGH_Q)), chance, status_for(chance))
