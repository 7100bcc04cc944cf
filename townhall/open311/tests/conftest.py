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


@pytest.fixture
def office() -> Any:
    """A GeoReport v2 back office on a free port, in a thread."""
    from townhall.open311.fake_backoffice import FakeBackOffice

    server = FakeBackOffice(api_key="test-key").start()
    yield server
    server.stop()


@pytest.fixture
def backoffice(council: Any, office: Any) -> Any:
    from townhall.open311.services import backoffice_save, mapping_save
    from townhall.shift.tests.helpers import categories

    found = backoffice_save(council=council, name="Highways system", base_url=office.url,
                            jurisdiction_id="afon.example", api_key_env="", api_key="test-key",
                            fmt="json", timeout_seconds=2, use_updates_extension=True,
                            match_self_service=True, is_active=True, by=None)
    mapping_save(category=categories(council)["roads_potholes"], service_code="POT",
                 send_automatically=False, by=None)
    return found
