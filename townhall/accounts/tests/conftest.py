from collections.abc import Iterator

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_throttle() -> Iterator[None]:
    """Sign-in failures are counted in the cache; no test may inherit another's."""
    cache.clear()
    yield
    cache.clear()
