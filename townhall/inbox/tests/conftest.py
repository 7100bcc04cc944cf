"""Conversations for inbox tests, made through the real ingest path."""

from collections.abc import Callable
from itertools import count
from typing import Any

import pytest

from townhall.conftest import message_data
from townhall.core.models import Council
from townhall.inbox.models import Conversation
from townhall.ingest.items import parse_item
from townhall.ingest.services import items_ingest

_ids = count(1)


@pytest.fixture
def make_conversation(council: Council) -> Callable[..., Conversation]:
    def make(*, text: str = "The bins on Mill Lane were not collected this week",
             target: Council | None = None, author: str = "fb:1001",
             author_name: str = "Sam Evans", platform: str = "facebook",
             **fields: Any) -> Conversation:
        n = next(_ids)
        where = target or council
        items_ingest(council=where, source="import", items=[parse_item(message_data(
            platform_message_id=f"m{n}", thread_id=f"t{n}", text=text, author=author,
            author_name=author_name, platform=platform, channel=f"{platform}-account"))])
        conversation = Conversation.objects.get(council=where, thread_key=f"t{n}")
        if fields:
            Conversation.objects.filter(pk=conversation.pk).update(**fields)
            conversation.refresh_from_db()
        return conversation
    return make


@pytest.fixture(autouse=True)
def _stop_polling(request: pytest.FixtureRequest) -> Any:
    """Leave browser pages blank before the database is emptied after a test, so that
    no poll from the page reaches the live server while the tables are being flushed."""
    page = request.getfixturevalue("page") if "page" in request.fixturenames else None
    yield
    if page is not None:
        page.goto("about:blank")


@pytest.fixture(autouse=True)
def _fresh_cache() -> Any:
    """Filter counts are cached; ids repeat between tests, so start each one empty."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
