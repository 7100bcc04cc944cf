"""Task functions for the scheduler tests, named by dotted path as a schedule names them."""

import threading
import time
from collections.abc import Callable

calls: list[str] = []
lock = threading.Lock()
# Run inside `during`, while the task holds its lease: lets a test act at that moment.
during: Callable[[], object] | None = None


def reset() -> None:
    global during
    calls.clear()
    during = None


def count(label: str = "count") -> int:
    with lock:
        calls.append(label)
    if during is not None:
        during()
    return len(calls)


def slowly(seconds: float = 0.5) -> str:
    with lock:
        calls.append("slowly")
    time.sleep(seconds)
    return "took a while"


def explode() -> None:
    calls.append("explode")
    raise RuntimeError("could not reach postgres://townhall:hunter2-secret@db.internal/x "
                       "with access_token=EAAB-very-secret")
