"""The embedded mode's webhook worker: one thread per process, draining a queue in order.

The web request only commits the body and puts its id here, so the platform is answered
at once. The queue lives in memory; what it holds when the process stops is still in
the database as pending batches, and the sweep (or this thread, when idle) takes them.
"""

import atexit
import logging
import queue
import threading
import time
from pathlib import Path

from django.db import close_old_connections, connections

logger = logging.getLogger(__name__)

# How long the thread waits for work before it looks for batches left behind.
IDLE_SWEEP_SECONDS = 60.0
STOP = -1


class Drainer:
    def __init__(self) -> None:
        # Batch ids, or paths of spooled bodies not yet in the database (spool.py).
        self._queue: queue.Queue[int | Path] = queue.Queue()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def submit(self, batch_id: int) -> None:
        self._queue.put(batch_id)
        self._ensure_running()

    def submit_spooled(self, path: Path) -> None:
        self._queue.put(path)
        self._ensure_running()

    def wait(self, timeout: float) -> bool:
        """Wait until everything submitted so far is processed; False on timeout."""
        deadline = time.monotonic() + timeout
        while self._queue.unfinished_tasks:
            if time.monotonic() > deadline:
                return False
            time.sleep(0.02)
        return True

    def _ensure_running(self) -> None:
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="townhall-webhooks",
                                                daemon=True)
                self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        """Finish what is queued, then end the thread (tests, and a stopping server)."""
        thread = self._thread
        if thread is not None and thread.is_alive():
            self._queue.put(STOP)
            thread.join(timeout)

    def _run(self) -> None:
        from townhall.connectors import webhooks

        last_sweep = time.monotonic()
        while True:
            # The sweep runs when idle, and at least this often when busy, so a body
            # left by a process that died is not kept waiting by a steady stream.
            if time.monotonic() - last_sweep > IDLE_SWEEP_SECONDS:
                self._guarded(webhooks.webhook_batches_process_due)
                last_sweep = time.monotonic()
            try:
                item = self._queue.get(timeout=IDLE_SWEEP_SECONDS)
            except queue.Empty:
                continue
            try:
                if item == STOP:
                    return
                self._guarded(lambda i=item: _process(i))
            finally:
                self._queue.task_done()

    @staticmethod
    def _guarded(work: object) -> None:
        # One bad batch must never stop the thread; its row keeps it for the sweep.
        close_old_connections()
        try:
            work()  # type: ignore[operator]
        except Exception:
            logger.exception("Processing a stored webhook body failed; the sweep will "
                             "try it again.")
        finally:
            connections.close_all()


def _process(item: int | Path) -> None:
    from townhall.connectors import webhooks
    from townhall.connectors.spool import spool_adopt

    batch_id = spool_adopt(item) if isinstance(item, Path) else item
    if batch_id is not None:
        webhooks.webhook_batch_process(batch_id=batch_id)


class AckPriority:
    """Lets a web request that is committing a webhook body go before stored bodies.

    SQLite has one writer at a time, and a waiting writer polls for the lock, so a long
    processing transaction delays every answer behind it. Processing therefore runs in
    short chunks, and between chunks waits while any request in this process is storing
    a body. (Requests in other processes still take turns with it through SQLite.)
    """

    def __init__(self) -> None:
        self._storing = 0
        self._idle = threading.Condition()

    def storing(self) -> "_Storing":
        return _Storing(self)

    def wait_turn(self, timeout: float = 2.0) -> None:
        with self._idle:
            self._idle.wait_for(lambda: self._storing == 0, timeout=timeout)

    def _change(self, by: int) -> None:
        with self._idle:
            self._storing += by
            if self._storing == 0:
                self._idle.notify_all()


class _Storing:
    def __init__(self, priority: AckPriority) -> None:
        self.priority = priority

    def __enter__(self) -> None:
        self.priority._change(1)

    def __exit__(self, *exc: object) -> None:
        self.priority._change(-1)


drainer = Drainer()
ack_priority = AckPriority()


@atexit.register
def _finish_on_exit() -> None:
    """A server stopping gracefully gets a few seconds to finish what it accepted."""
    drainer.stop(timeout=20.0)
