"""A platform webhook is answered once its body is committed; its items are stored after.

The background thread (embedded mode), a Celery worker (REDIS_URL) and the sweep after a
crash all end in the same place: every item stored once, and no body left waiting.
"""

import json
import threading
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from celery.signals import task_success
from django.test import Client
from django.utils import timezone

from townhall.cli import main as townhall
from townhall.connectors import tasks, webhooks  # noqa: F401 - tasks registers the task
from townhall.connectors.background import AckPriority, drainer
from townhall.connectors.models import WebhookBatch
from townhall.connectors.services import channel_create, channel_credentials_set
from townhall.connectors.webhooks import webhook_batches_process_due, webhook_store
from townhall.core.lib.signatures import sign
from townhall.inbox.models import Message
from townhall.ingest.tests.test_celery_redis import redis_celery  # noqa: F401 - fixture

PAGE_ID = "104729381234567"
APP_SECRET = "ack-test-app-secret"


@pytest.fixture(autouse=True)
def _no_thread_left_behind() -> Iterator[None]:
    yield
    drainer.stop()


@pytest.fixture
def page(council: Any) -> Any:
    channel, _ = channel_create(council=council, platform="facebook", handle="afonpage")
    channel_credentials_set(channel=channel, settings={"page_id": PAGE_ID},
                            secrets={"app_secret": APP_SECRET, "verify_token": "v"})
    return channel


def messenger_body(*mids: str) -> bytes:
    return json.dumps({"object": "page", "entry": [{"id": PAGE_ID, "time": 1772443000,
        "messaging": [{"sender": {"id": f"70012{n}"}, "recipient": {"id": PAGE_ID},
                       "timestamp": 1772443000000 + n,
                       "message": {"mid": mid, "text": f"Message {mid}"}}]}
        for n, mid in enumerate(mids)]}).encode()


def post(channel: Any, body: bytes) -> Any:
    return Client().post(f"/connectors/facebook/{channel.key}/webhook", data=body,
                         content_type="application/json",
                         headers={"X-Hub-Signature-256": sign(APP_SECRET, body)})


def gated(monkeypatch: pytest.MonkeyPatch) -> tuple[threading.Event, list[int]]:
    """Hold the background thread before it touches a batch, and record the order it
    takes them in. (SQLite's shared test database refuses a write while another
    connection writes, where a real file database would wait; the gate keeps the test's
    own reads and writes apart from the thread's.)"""
    gate, order = threading.Event(), []
    real = webhooks.webhook_batch_process

    def held(*, batch_id: int, **kwargs: Any) -> Any:
        gate.wait(timeout=30)
        order.append(batch_id)
        return real(batch_id=batch_id, **kwargs)

    monkeypatch.setattr(webhooks, "webhook_batch_process", held)
    return gate, order


@pytest.mark.django_db(transaction=True)
def test_it_answers_before_the_items_are_stored_and_stores_them_after(
        page: Any, settings: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    settings.TOWNHALL_WEBHOOK_PROCESSING = "background"
    settings.TOWNHALL_WEBHOOK_SPOOL = "off"  # the database path; test_webhook_spool.py has the other
    gate, _ = gated(monkeypatch)
    response = post(page, messenger_body("m_a1", "m_a2", "m_a3"))

    assert response.status_code == 200
    assert response.json() == {"received": True}
    # Answered while processing is still held: the body is committed, no message yet.
    assert WebhookBatch.objects.filter(channel=page).count() == 1
    assert Message.objects.filter(channel=page).count() == 0
    gate.set()
    assert drainer.wait(timeout=30)
    assert sorted(Message.objects.filter(channel=page).values_list(
        "platform_message_id", flat=True)) == ["m_a1", "m_a2", "m_a3"]
    assert not WebhookBatch.objects.filter(channel=page).exists()


@pytest.mark.django_db(transaction=True)
def test_the_background_thread_drains_bodies_in_the_order_they_came(
        page: Any, settings: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    settings.TOWNHALL_WEBHOOK_PROCESSING = "background"
    settings.TOWNHALL_WEBHOOK_SPOOL = "off"  # the database path; test_webhook_spool.py has the other
    gate, order = gated(monkeypatch)
    for n in range(5):
        assert post(page, messenger_body(f"m_o{n}")).status_code == 200
    stored = list(WebhookBatch.objects.filter(channel=page).values_list("id", flat=True))
    gate.set()
    assert drainer.wait(timeout=30)
    assert order == stored and len(order) == 5
    assert Message.objects.filter(channel=page).count() == 5
    assert not WebhookBatch.objects.exists()


def test_a_body_left_by_a_crash_is_stored_by_ingest_retry(page: Any, capsys: Any) -> None:
    # The process died after answering and before processing: only the body is there.
    webhook_store(channel=page, body=messenger_body("m_c1", "m_c2"))
    assert Message.objects.count() == 0

    assert townhall(["ingest", "retry", "--council", page.council.slug]) == 0
    assert "Webhook bodies processed: 1" in capsys.readouterr().out
    assert Message.objects.filter(channel=page).count() == 2
    assert not WebhookBatch.objects.exists()


def test_the_sweep_takes_a_body_only_once_its_worker_had_time(page: Any) -> None:
    batch = webhook_store(channel=page, body=messenger_body("m_s1"))
    # Just received: a worker is probably on it, so the sweep leaves it alone.
    assert webhook_batches_process_due() == {"processed": 0, "still_waiting": 0}
    WebhookBatch.objects.filter(pk=batch.pk).update(
        received_at=timezone.now() - timedelta(minutes=5))
    assert webhook_batches_process_due() == {"processed": 1, "still_waiting": 0}
    assert Message.objects.get(channel=page).platform_message_id == "m_s1"


def test_processing_a_body_twice_stores_each_message_once(page: Any) -> None:
    body = messenger_body("m_t1", "m_t2")
    first = webhook_store(channel=page, body=body)
    second = webhook_store(channel=page, body=body)
    assert webhooks.webhook_batch_process(batch_id=first.pk) is not None
    summary = webhooks.webhook_batch_process(batch_id=second.pk)
    assert summary is not None and summary.duplicates == 2
    assert Message.objects.filter(channel=page).count() == 2


def test_a_body_another_worker_holds_is_left_to_it(page: Any) -> None:
    batch = webhook_store(channel=page, body=messenger_body("m_h1"))
    WebhookBatch.objects.filter(pk=batch.pk).update(
        claimed_until=timezone.now() + timedelta(minutes=1))
    assert webhooks.webhook_batch_process(batch_id=batch.pk) is None
    assert Message.objects.count() == 0
    assert WebhookBatch.objects.filter(pk=batch.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_a_celery_worker_stores_the_items_when_a_queue_is_configured(
        page: Any, redis_celery: Any) -> None:  # noqa: F811
    done = threading.Event()

    def on_success(sender: Any = None, **_: Any) -> None:
        if sender is not None and sender.name.endswith("process_webhook_batch"):
            done.set()

    task_success.connect(on_success)
    try:
        response = post(page, messenger_body("m_q1"))
        assert response.status_code == 200
        assert response.json() == {"received": True}
        assert done.wait(timeout=30), "The worker did not process the webhook body."
    finally:
        task_success.disconnect(on_success)
    assert Message.objects.get(channel=page).platform_message_id == "m_q1"
    assert not WebhookBatch.objects.exists()


def test_a_body_of_a_thousand_updates_is_stored_whole_in_short_transactions(
        page: Any) -> None:
    body = messenger_body(*[f"m_k{n}" for n in range(1000)])
    response = post(page, body)
    assert response.status_code == 200
    assert response.json()["accepted"] == 1000
    assert Message.objects.filter(channel=page).count() == 1000


def test_processing_waits_while_a_request_is_storing_a_body() -> None:
    priority = AckPriority()
    entered, release, done = threading.Event(), threading.Event(), []

    def store() -> None:
        with priority.storing():
            entered.set()
            release.wait(timeout=10)
            done.append("stored")

    storing = threading.Thread(target=store)
    storing.start()
    assert entered.wait(timeout=10)
    waiting = threading.Thread(target=lambda: (priority.wait_turn(timeout=10),
                                               done.append("processed")))
    waiting.start()
    waiting.join(timeout=0.2)
    assert waiting.is_alive() and done == []
    release.set()
    storing.join(timeout=10)
    waiting.join(timeout=10)
    assert done == ["stored", "processed"]
