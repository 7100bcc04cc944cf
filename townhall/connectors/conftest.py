from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _webhooks_processed_before_the_answer(settings: Any) -> None:
    """Connector tests read what a webhook stored right after posting it, so its items are
    processed in the request. The background and Celery paths have their own tests."""
    settings.TOWNHALL_WEBHOOK_PROCESSING = "inline"
