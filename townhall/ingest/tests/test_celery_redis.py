"""The queued path: a webhook enqueues to Redis and a Celery worker makes the message.

The embedded path (tasks run in-process) is what the other ingest tests exercise.
"""

import os
import socket
import time

import pytest
from celery.signals import task_received

from config.celery import app
from townhall.core.lib.signatures import sign
from townhall.inbox.models import Message
from townhall.ingest.models import RawEvent, RawStatus
from townhall.ingest.tests.test_webhook import body_for, post

REDIS = os.environ.get("TOWNHALL_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def redis_reachable() -> bool:
    host, port = "127.0.0.1", 6379
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


@pytest.fixture
def redis_celery():
    if not redis_reachable():
        if os.environ.get("TOWNHALL_REQUIRE_REDIS"):
            pytest.fail("Redis is required on 127.0.0.1:6379 but is not reachable.")
        pytest.skip("Redis is not running on 127.0.0.1:6379.")
    from celery.contrib.testing.worker import start_worker

    previous = dict(app.conf)
    app.conf.update(task_always_eager=False, broker_url=REDIS, result_backend=None,
                    broker_connection_retry_on_startup=True)
    with start_worker(app, perform_ping_check=False, pool="solo", shutdown_timeout=10):
        yield app
    app.conf.update(task_always_eager=previous["task_always_eager"],
                    broker_url=previous["broker_url"])


@pytest.mark.django_db(transaction=True)
def test_a_queued_webhook_is_processed_by_a_worker(client, webform, redis_celery) -> None:
    channel, secret = webform
    body = body_for(platform_message_id="queued-1")
    received = []
    task_received.connect(lambda request=None, **_: received.append(request.name), weak=False)
    response = post(client, channel, body, sign(secret, body))
    assert response.status_code == 202
    raw = RawEvent.objects.get()
    for _ in range(100):
        raw.refresh_from_db()
        if raw.status == RawStatus.PROCESSED:
            break
        time.sleep(0.1)
    assert raw.status == RawStatus.PROCESSED
    assert Message.objects.get().platform_message_id == "queued-1"
    # The worker took it from Redis, rather than the web request running it inline.
    assert received == ["townhall.ingest.tasks.process_raw_events"]
