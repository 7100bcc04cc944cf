"""Webhook bodies kept as files until the background thread stores them (decision 508).

SQLite lets one connection write at a time. Committing each webhook body as a row meant
the answer to a platform waited behind whatever the background thread was writing, and
under load a few answers took over a second. In the embedded (SQLite) mode a verified
body is therefore written to a file in TOWNHALL_WEBHOOK_SPOOL_DIR and flushed to disk
before the platform is answered; the background thread then moves it into a
`WebhookBatch` row and processes it as before. A body in the spool is as safe as a
committed row: it is written under a temporary name, flushed, renamed (atomic) and the
directory flushed, so a crash leaves either nothing (the platform was not answered and
sends again) or the whole body.

A file is taken by renaming it, which only one process can do; a process that dies
holding one leaves it for the sweep after `webhooks.LEASE`. Moving a file into the table
twice (a crash between the insert and the unlink) only processes the body twice, which
ingest absorbs.
"""

import logging
import os
import secrets
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.db import connection

logger = logging.getLogger(__name__)

READY, WRITING, TAKEN = ".body", ".tmp", ".taken"


@dataclass(frozen=True)
class SpooledBody:
    """A body on disk, not yet a row: what `webhook_store` returns in spool mode."""

    path: Path
    channel_id: int
    pk: None = None


def spool_dir() -> Path:
    return Path(settings.TOWNHALL_WEBHOOK_SPOOL_DIR)


def spool_enabled() -> bool:
    """`TOWNHALL_WEBHOOK_SPOOL`: "auto" spools on SQLite when the web process processes
    bodies in its background thread; "on" and "off" force it."""
    choice = settings.TOWNHALL_WEBHOOK_SPOOL
    if choice in ("on", "off"):
        return choice == "on"
    from townhall.connectors.webhooks import BACKGROUND, processing_mode

    return connection.vendor == "sqlite" and processing_mode() == BACKGROUND


def spool_write(*, channel_id: int, body: bytes) -> SpooledBody:
    """Put a body safely on disk; raises OSError when it cannot (the caller then commits
    it to the database instead)."""
    folder = spool_dir()
    folder.mkdir(parents=True, exist_ok=True)
    # Microseconds first, so sorting the names sorts the bodies by arrival.
    name = f"{time.time_ns() // 1000:017d}-{channel_id}-{secrets.token_hex(6)}"
    writing = folder / (name + WRITING)
    descriptor = os.open(writing, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        view = memoryview(body)
        while view:
            view = view[os.write(descriptor, view):]
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
    ready = folder / (name + READY)
    os.rename(writing, ready)
    _flush_directory(folder)
    return SpooledBody(path=ready, channel_id=channel_id)


def _flush_directory(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _parse_name(path: Path) -> tuple[datetime, int]:
    micros, channel_id, _ = path.name.split(".", 1)[0].split("-", 2)
    return datetime.fromtimestamp(int(micros) / 1_000_000, tz=UTC), int(channel_id)


def spool_adopt(path: Path) -> int | None:
    """Move one spooled body into a `WebhookBatch` row and return the row's id; None when
    another thread or process took the file first, or it cannot be read as ours."""
    from townhall.connectors.models import Channel, WebhookBatch

    taken = path.with_name(f"{path.name.split('.', 1)[0]}.{os.getpid()}-"
                           f"{threading.get_ident()}{TAKEN}")
    try:
        os.rename(path, taken)
    except FileNotFoundError:
        return None
    try:
        received_at, channel_id = _parse_name(taken)
    except ValueError:
        logger.error("Webhook spool file %s has a name Townhall did not give it; left "
                     "in place for an administrator.", taken.name)
        return None
    body = taken.read_bytes()
    if not Channel.objects.filter(pk=channel_id).exists():
        # The channel was deleted since; its stored bodies went with it.
        logger.warning("Webhook spool file %s belongs to a deleted channel; removed.",
                       taken.name)
        taken.unlink(missing_ok=True)
        return None
    batch = WebhookBatch.objects.create(channel_id=channel_id, body=body,
                                        received_at=received_at)
    taken.unlink(missing_ok=True)
    return batch.pk


def spool_adopt_waiting(*, older_than: float) -> list[int]:
    """The sweep's share: adopt bodies waiting longer than `older_than` seconds (their
    thread may have died), and files taken by a process that died holding them (older
    than the lease). Unfinished writes are removed: their platform was never answered.
    Returns the new rows' ids, oldest body first."""
    from townhall.connectors.webhooks import LEASE

    folder = spool_dir()
    if not folder.is_dir():
        return []
    now = time.time()
    adopted = []
    for path in sorted(folder.iterdir()):
        try:
            age = now - path.stat().st_mtime
        except FileNotFoundError:
            continue
        if path.name.endswith(WRITING):
            if age > LEASE.total_seconds():
                path.unlink(missing_ok=True)
            continue
        if path.name.endswith(TAKEN) and age <= LEASE.total_seconds():
            continue
        if not path.name.endswith((READY, TAKEN)) or age < older_than:
            continue
        batch_id = spool_adopt(path)
        if batch_id is not None:
            adopted.append(batch_id)
    return adopted


def spool_waiting() -> int:
    """How many bodies are on disk and not yet rows (for the channel page)."""
    folder = spool_dir()
    if not folder.is_dir():
        return 0
    return sum(1 for p in folder.iterdir() if p.name.endswith((READY, TAKEN)))
