"""Fixtures for respond: conversations made through the real ingest path, and Welsh ones."""

from collections.abc import Callable
from typing import Any

import pytest

from townhall.core.models import Council
from townhall.inbox.models import Conversation
from townhall.inbox.tests.conftest import _fresh_cache, _stop_polling, make_conversation

__all__ = ["_fresh_cache", "_stop_polling", "make_conversation"]

WELSH_TEXT = "Mae'r biniau heb eu casglu ar Heol y Felin yr wythnos hon"


@pytest.fixture
def welsh_council(council: Council) -> Council:
    council.welsh_language_standards = True
    council.save(update_fields=["welsh_language_standards"])
    return council


@pytest.fixture
def make_welsh_conversation(make_conversation: Callable[..., Conversation],
                            welsh_council: Council) -> Callable[..., Conversation]:
    def make(**fields: Any) -> Conversation:
        conversation = make_conversation(text=WELSH_TEXT, **fields)
        assert conversation.language == "cy"
        return conversation
    return make
