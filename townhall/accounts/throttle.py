"""Refuse sign-in attempts after too many failures, for a username or from one address.

Counts live in Django's cache (Redis in production, so every web worker shares them).
A count starts at the first failure and lasts one window; when it reaches the limit, a
lock is set for the lock period and every attempt is refused, even with the right
password, until it expires. There is no CAPTCHA: a cognitive test at sign-in would fail
WCAG 2.2 (3.3.8 Accessible Authentication).
"""

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

WINDOW_SECONDS = getattr(settings, "TOWNHALL_LOGIN_WINDOW_SECONDS", 15 * 60)
LOCK_SECONDS = getattr(settings, "TOWNHALL_LOGIN_LOCK_SECONDS", 15 * 60)
USERNAME_LIMIT = getattr(settings, "TOWNHALL_LOGIN_USERNAME_LIMIT", 5)
IP_LIMIT = getattr(settings, "TOWNHALL_LOGIN_IP_LIMIT", 20)


@dataclass(frozen=True)
class _Subject:
    kind: str
    value: str
    limit: int

    @property
    def digest(self) -> str:
        # Hashed so that cache keys never hold a username or address in clear.
        return hashlib.sha256(self.value.encode()).hexdigest()[:32]

    @property
    def count_key(self) -> str:
        return f"th:login:fail:{self.kind}:{self.digest}"

    @property
    def lock_key(self) -> str:
        return f"th:login:lock:{self.kind}:{self.digest}"


def _subjects(*, username: str, ip_address: str | None) -> list[_Subject]:
    subjects = [_Subject("user", username.strip().lower(), USERNAME_LIMIT)]
    if ip_address:
        subjects.append(_Subject("ip", ip_address, IP_LIMIT))
    return subjects


def login_is_locked(*, username: str, ip_address: str | None) -> bool:
    return any(cache.get(s.lock_key) for s in _subjects(username=username, ip_address=ip_address))


def login_failure_record(*, username: str, ip_address: str | None) -> bool:
    """Record one failure; return True if this failure engaged a lock."""
    locked = False
    for subject in _subjects(username=username, ip_address=ip_address):
        cache.add(subject.count_key, 0, timeout=WINDOW_SECONDS)
        try:
            count = cache.incr(subject.count_key)
        except ValueError:
            # The count expired between add() and incr(); start again.
            cache.set(subject.count_key, 1, timeout=WINDOW_SECONDS)
            count = 1
        if count >= subject.limit:
            cache.set(subject.lock_key, True, timeout=LOCK_SECONDS)
            locked = True
    return locked


def login_success_clear(*, username: str) -> None:
    """A correct sign-in forgets that username's failures, not the address's."""
    subject = _subjects(username=username, ip_address=None)[0]
    cache.delete(subject.count_key)
