"""On SQLite a webhook body is answered once it is flushed to a spool file (decision 508).

The body must be as safe there as in a committed row: whole or absent after a crash,
taken by exactly one process, found by the sweep when its thread died, and never lost
when the disk refuses it.
"""

import os
import time
from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings

from townhall.connectors import spool, webhooks
from townhall.connectors.background import drainer
from townhall.connectors.models import WebhookBatch
from townhall.connectors.spool import spool_adopt, spool_adopt_waiting, spool_write
from townhall.connectors.tests.test_webhook_ack import gated, messenger_body, page, post  # noqa: F401
from townhall.connectors.webhooks import webhook_batches_process_due, webhook_store
from townhall.inbox.models import Message


@pytest.fixture(autouse=True)
def spool_on(settings: Any, tmp_path: Path) -> Path:
    settings.TOWNHALL_WEBHOOK_PROCESSING = "background"
    settings.TOWNHALL_WEBHOOK_SPOOL = "on"
    settings.TOWNHALL_WEBHOOK_SPOOL_DIR = tmp_path / "spool"
    yield tmp_path / "spool"
    drainer.stop()


def files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


def age(path: Path, seconds: float) -> None:
    then = time.time() - seconds
    os.utime(path, (then, then))


@pytest.mark.django_db(transaction=True)
def test_the_answer_comes_once_the_body_is_on_disk_and_the_thread_stores_it(
        page: Any, spool_on: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    gate, _ = gated(monkeypatch)
    real_adopt = spool.spool_adopt
    monkeypatch.setattr(spool, "spool_adopt",
                        lambda path: gate.wait(timeout=30) and real_adopt(path))
    body = messenger_body("m_f1", "m_f2")
    response = post(page, body)

    assert response.status_code == 200 and response.json() == {"received": True}
    [name] = files(spool_on)
    assert name.endswith(".body") and (spool_on / name).read_bytes() == body
    assert Message.objects.count() == 0
    gate.set()
    assert drainer.wait(timeout=30)
    assert sorted(Message.objects.filter(channel=page).values_list(
        "platform_message_id", flat=True)) == ["m_f1", "m_f2"]
    assert files(spool_on) == [] and not WebhookBatch.objects.exists()


def test_a_body_left_on_disk_by_a_crash_is_stored_by_the_sweep(
        page: Any, spool_on: Path) -> None:  # noqa: F811
    spooled = webhook_store(channel=page, body=messenger_body("m_c1"))
    # The thread may still be on its way: the sweep leaves a fresh body to it...
    assert webhook_batches_process_due() == {"processed": 0, "still_waiting": 0}
    assert files(spool_on) == [spooled.path.name]
    # ...and takes it once it has waited longer than a thread would.
    age(spooled.path, webhooks.SPOOL_PATIENCE + 1)
    assert webhook_batches_process_due() == {"processed": 1, "still_waiting": 0}
    assert Message.objects.get(channel=page).platform_message_id == "m_c1"
    assert files(spool_on) == []


def test_ingest_retry_takes_every_spooled_body_at_once(
        page: Any, spool_on: Path, capsys: Any) -> None:  # noqa: F811
    from townhall.cli import main as townhall

    webhook_store(channel=page, body=messenger_body("m_r1"))
    webhook_store(channel=page, body=messenger_body("m_r2"))
    assert townhall(["ingest", "retry", "--council", page.council.slug]) == 0
    assert "Webhook bodies processed: 2" in capsys.readouterr().out
    assert Message.objects.filter(channel=page).count() == 2


def test_only_one_of_two_takers_gets_a_body(page: Any, spool_on: Path) -> None:  # noqa: F811
    spooled = spool_write(channel_id=page.pk, body=messenger_body("m_t1"))
    first = spool_adopt(spooled.path)
    second = spool_adopt(spooled.path)
    assert first is not None and second is None
    assert WebhookBatch.objects.count() == 1
    assert bytes(WebhookBatch.objects.get().body) == messenger_body("m_t1")


def test_a_body_held_by_a_process_that_died_is_taken_after_the_lease(
        page: Any, spool_on: Path) -> None:  # noqa: F811
    spooled = spool_write(channel_id=page.pk, body=messenger_body("m_d1"))
    held = spooled.path.with_name(spooled.path.stem + ".999-1.taken")
    spooled.path.rename(held)
    assert spool_adopt_waiting(older_than=0) == []  # its holder may still be working
    age(held, webhooks.LEASE.total_seconds() + 1)
    [batch_id] = spool_adopt_waiting(older_than=0)
    assert webhooks.webhook_batch_process(batch_id=batch_id) is not None
    assert Message.objects.get(channel=page).platform_message_id == "m_d1"


def test_an_unfinished_write_is_removed_not_stored(page: Any, spool_on: Path) -> None:  # noqa: F811
    # A crash while writing: the platform never got its answer and will send again.
    spool_on.mkdir(parents=True)
    partial = spool_on / f"{time.time_ns() // 1000:017d}-{page.pk}-abc.tmp"
    partial.write_bytes(b'{"object": "page", "entr')
    age(partial, webhooks.LEASE.total_seconds() + 1)
    assert webhook_batches_process_due(everything=True) == {"processed": 0, "still_waiting": 0}
    assert files(spool_on) == [] and not WebhookBatch.objects.exists()


def test_the_same_body_taken_twice_stores_each_message_once(page: Any, spool_on: Path) -> None:  # noqa: F811
    # A crash between storing the row and removing the file takes the body twice.
    body = messenger_body("m_w1", "m_w2")
    for _ in range(2):
        spooled = spool_write(channel_id=page.pk, body=body)
        batch_id = spool_adopt(spooled.path)
        assert batch_id is not None
        webhooks.webhook_batch_process(batch_id=batch_id)
    assert Message.objects.filter(channel=page).count() == 2


def test_a_disk_that_refuses_the_body_falls_back_to_the_database(
        page: Any, spool_on: Path, caplog: Any) -> None:  # noqa: F811
    spool_on.parent.mkdir(parents=True, exist_ok=True)
    spool_on.write_text("a file where the folder should be")
    stored = webhook_store(channel=page, body=messenger_body("m_x1"))
    assert isinstance(stored, WebhookBatch)
    assert bytes(WebhookBatch.objects.get().body) == messenger_body("m_x1")
    assert "storing it in the database instead" in caplog.text


def test_bodies_are_taken_in_the_order_they_came(page: Any, spool_on: Path) -> None:  # noqa: F811
    for n in range(5):
        webhook_store(channel=page, body=messenger_body(f"m_o{n}"))
    adopted = spool_adopt_waiting(older_than=0)
    bodies = [bytes(WebhookBatch.objects.get(pk=b).body) for b in adopted]
    assert bodies == [messenger_body(f"m_o{n}") for n in range(5)]


def test_a_body_for_a_deleted_channel_is_dropped_with_its_channel(
        page: Any, spool_on: Path, caplog: Any) -> None:  # noqa: F811
    spooled = spool_write(channel_id=page.pk, body=messenger_body("m_g1"))
    page.delete()
    assert spool_adopt(spooled.path) is None
    assert files(spool_on) == [] and "deleted channel" in caplog.text


def test_auto_spools_only_on_sqlite_with_the_background_thread(settings: Any) -> None:
    from django.db import connection

    settings.TOWNHALL_WEBHOOK_SPOOL = "auto"
    assert spool.spool_enabled() is (connection.vendor == "sqlite")
    settings.TOWNHALL_WEBHOOK_PROCESSING = "inline"
    assert spool.spool_enabled() is False
    with override_settings(TOWNHALL_WEBHOOK_SPOOL="off", TOWNHALL_WEBHOOK_PROCESSING="background"):
        assert spool.spool_enabled() is False
