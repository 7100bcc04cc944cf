"""The queued path: a webhook enqueues to Redis and a Celery worker makes the message.

The embedded path (tasks run in-process) is what the other ingest tests exercise.
"""

import os
import socket
import threading

import pytest
from celery.signals import task_received, task_success

from config.celery import app
from townhall.core.lib.signatures import sign
from townhall.inbox.models import Message
from townhall.ingest import tasks  # noqa: F401 - registers the task on every app
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
    from celery import Celery
    from celery.contrib.testing.worker import start_worker

    # A separate app, made current for the test: the shared tasks resolve through the
    # current app, and the embedded app's connection pool stays untouched.
    queued = Celery("townhall-queued", set_as_current=False)
    queued.config_from_object("django.conf:settings", namespace="CELERY")
    queued.conf.update(task_always_eager=False, broker_url=REDIS, result_backend=None,
                       broker_connection_retry_on_startup=True,
                       task_default_queue=f"townhall-test-{os.getpid()}")
    queued.set_current()
    try:
        with start_worker(queued, perform_ping_check=False, pool="solo", shutdown_timeout=10):
            yield queued
    finally:
        # start_worker also makes its app the process-wide default, which every thread
        # without an app of its own (the live server's, for one) falls back to: put
        # the embedded app back in both places, or later tests' tasks go to Redis.
        app.set_default()
        app.set_current()


@pytest.mark.django_db(transaction=True)
def test_a_queued_webhook_is_processed_by_a_worker(client, webform, redis_celery) -> None:
    channel, secret = webform
    body = body_for(platform_message_id="queued-1")
    received: list[str] = []
    done = threading.Event()

    def on_received(request=None, **_):
        received.append(request.name)

    def on_success(**_):
        done.set()

    task_received.connect(on_received)
    task_success.connect(on_success)
    try:
        response = post(client, channel, body, sign(secret, body))
        assert response.status_code == 202
        # Wait on the worker rather than polling the database: SQLite's shared-cache
        # test database would make a polling reader block the worker's write.
        assert done.wait(timeout=30), f"The worker did not finish the task: {received}"
    finally:
        task_received.disconnect(on_received)
        task_success.disconnect(on_success)
    raw = RawEvent.objects.get()
    assert raw.status == RawStatus.PROCESSED
    assert Message.objects.get().platform_message_id == "queued-1"
    # The worker took it from Redis, rather than the web request running it inline.
    assert received == ["townhall.ingest.tasks.process_raw_events"]
