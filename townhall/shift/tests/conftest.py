from collections.abc import Callable
from typing import Any

import pytest
from django.core.cache import cache

from townhall.conftest import PASSWORD


@pytest.fixture(autouse=True)
def _fresh_cache() -> Any:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def signed_in(client: Any) -> Callable[[Any], Any]:
    def sign_in(membership: Any) -> Any:
        assert client.login(username=membership.user.username, password=PASSWORD)
        return client
    return sign_in
