from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from townhall.core.tests import scheduled


class Clock:
    """A clock a test moves by hand; the scheduler asks it the time."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


@pytest.fixture
def clock() -> Clock:
    # Monday 2 March 2026, 12:00 UTC (and London: GMT).
    return Clock(datetime(2026, 3, 2, 12, 0, tzinfo=UTC))


@pytest.fixture(autouse=True)
def _fresh_calls() -> Iterator[None]:
    scheduled.reset()
    yield
    scheduled.reset()
