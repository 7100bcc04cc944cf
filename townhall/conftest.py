"""Shared fixtures: two councils and named people.

alice is an officer in Customer Services, bob supervises it, carol is an officer in
Highways, dave is the admin; eve works for another council entirely.
"""

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from townhall.accounts.models import Membership, Role, Team
from townhall.accounts.services import team_create, user_create
from townhall.connectors.models import Channel
from townhall.connectors.services import channel_create
from townhall.core.models import Council
from townhall.core.services import council_create

PASSWORD = "correct horse battery"


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """Each test starts with an empty cache, as a new deployment does.

    Rate-limit counters, platform rate-limit waits and cached inbox counts live in the
    cache; left over from an earlier test in the same worker, they would make a later
    one wait or refuse for reasons of its neighbour's making.
    """
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _no_webhook_thread_left_running() -> Iterator[None]:
    """A test that answers a webhook in the background mode starts this process's
    drainer thread; stopped after the test, it cannot touch a later test's database."""
    yield
    from townhall.connectors.background import drainer

    drainer.stop()


@pytest.fixture(autouse=True, scope="session")
def _own_webhook_spool(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Each test process keeps spooled webhook bodies in its own folder: the two
    processes' test databases have channels with the same ids."""
    from django.conf import settings

    settings.TOWNHALL_WEBHOOK_SPOOL_DIR = tmp_path_factory.mktemp("webhook-spool")


@pytest.fixture
def council(db: Any) -> Council:
    return council_create(slug="afon", name="Afon Borough Council")


@pytest.fixture
def other_council(db: Any) -> Council:
    return council_create(slug="elsewhere", name="Elsewhere District Council")


@pytest.fixture
def customer_services(council: Council) -> Team:
    return team_create(council=council, code="customer-services", name="Customer Services")


@pytest.fixture
def highways(council: Council) -> Team:
    return team_create(council=council, code="highways", name="Highways")


def _member(council: Council, username: str, role: str, teams: list[Team]) -> Membership:
    user = user_create(council=council, username=username, password=PASSWORD, role=role,
                       first_name=username.title(), last_name="Jones", teams=teams)
    return Membership.objects.get(user=user, council=council)


@pytest.fixture
def alice(council: Council, customer_services: Team) -> Membership:
    return _member(council, "alice", Role.OFFICER, [customer_services])


@pytest.fixture
def bob(council: Council, customer_services: Team) -> Membership:
    return _member(council, "bob", Role.SUPERVISOR, [customer_services])


@pytest.fixture
def carol(council: Council, highways: Team) -> Membership:
    return _member(council, "carol", Role.OFFICER, [highways])


@pytest.fixture
def dave(council: Council) -> Membership:
    return _member(council, "dave", Role.ADMIN, [])


@pytest.fixture
def eve(other_council: Council) -> Membership:
    return _member(other_council, "eve", Role.ADMIN, [])


@pytest.fixture
def webform(council: Council) -> tuple[Channel, str]:
    return channel_create(council=council, platform="webform", handle="report-it")


def message_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "platform": "facebook",
        "channel": "afoncouncil",
        "platform_message_id": "m1",
        "author": "fb:1001",
        "author_name": "Sam Evans",
        "text": "The bins on Mill Lane were not collected this week",
        "created_at": "2026-03-02T09:15:00+00:00",
    }
    data.update(overrides)
    return data


@pytest.fixture
def make_data() -> Callable[..., dict[str, Any]]:
    return message_data


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


from townhall.core.testing.browser import browser, page  # noqa: E402,F401
