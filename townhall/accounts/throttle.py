"""Refuse sign-in attempts after too many failures, for a username or from one address.

A count starts at the first failure and lasts one window; when it reaches the limit,
the username (or address) is paused until a set time and every attempt is refused, even
with the right password. There is no CAPTCHA: a cognitive test at sign-in would fail
WCAG 2.2 (3.3.8 Accessible Authentication).

The counts live in the database (SignInThrottle), not in the cache: every web process
and the command line then agree on them, `townhall demo` can lift a pause on the demo
accounts it resets, and an installation sharing a Redis with another (a copy of the
same database, say) is not locked out by failures against the other. Decision 0402.
"""

import hashlib
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from townhall.accounts.models import SignInThrottle

WINDOW_SECONDS = getattr(settings, "TOWNHALL_LOGIN_WINDOW_SECONDS", 15 * 60)
LOCK_SECONDS = getattr(settings, "TOWNHALL_LOGIN_LOCK_SECONDS", 15 * 60)
USERNAME_LIMIT = getattr(settings, "TOWNHALL_LOGIN_USERNAME_LIMIT", 5)
IP_LIMIT = getattr(settings, "TOWNHALL_LOGIN_IP_LIMIT", 20)

USER, IP = "user", "ip"


@dataclass(frozen=True)
class _Subject:
    kind: str
    value: str
    limit: int

    @property
    def digest(self) -> str:
        # Hashed so that the table never holds a username or address in clear.
        return hashlib.sha256(self.value.encode()).hexdigest()


@dataclass(frozen=True)
class Lock:
    """Sign-in is paused until `until`: for the username typed ("user"), or for every
    attempt from the address ("ip")."""

    kind: str
    until: datetime

    def seconds_left(self, now: datetime | None = None) -> int:
        return max(1, math.ceil((self.until - (now or timezone.now())).total_seconds()))

    @property
    def minutes_left(self) -> int:
        return math.ceil(self.seconds_left() / 60)

    @property
    def for_network(self) -> bool:
        return self.kind == IP


def _user(username: str) -> _Subject:
    return _Subject(USER, username.strip().lower(), USERNAME_LIMIT)


def _subjects(*, username: str, ip_address: str | None) -> list[_Subject]:
    subjects = [_user(username)]
    if ip_address:
        subjects.append(_Subject(IP, ip_address, IP_LIMIT))
    return subjects


def _match(subjects: list[_Subject]) -> Q:
    q = Q(pk__in=[])
    for subject in subjects:
        q |= Q(kind=subject.kind, digest=subject.digest)
    return q


def login_lock(*, username: str, ip_address: str | None,
               now: datetime | None = None) -> Lock | None:
    """The pause on this username or address, if there is one: the one ending last."""
    now = now or timezone.now()
    found = (SignInThrottle.objects.filter(_match(_subjects(username=username,
                                                            ip_address=ip_address)),
                                           locked_until__gt=now)
             .order_by("-locked_until").values_list("kind", "locked_until").first())
    if found is None or found[1] is None:
        return None
    return Lock(found[0], found[1])


def login_is_locked(*, username: str, ip_address: str | None) -> bool:
    return login_lock(username=username, ip_address=ip_address) is not None


def _expired(now: datetime) -> Q:
    return (Q(window_started_at__lte=now - timedelta(seconds=WINDOW_SECONDS))
            & (Q(locked_until__isnull=True) | Q(locked_until__lte=now)))


def login_failure_record(*, username: str, ip_address: str | None,
                         now: datetime | None = None) -> Lock | None:
    """Record one failure; return the pause if this failure started one.

    Call inside a transaction (sign_in_attempt is one): the row is locked while it is
    counted, so two failures at once both count.
    """
    now = now or timezone.now()
    # Forget counts and pauses that are over, so the table stays small.
    SignInThrottle.objects.filter(_expired(now)).delete()
    engaged: Lock | None = None
    for subject in _subjects(username=username, ip_address=ip_address):
        row, _created = SignInThrottle.objects.get_or_create(
            kind=subject.kind, digest=subject.digest, defaults={"window_started_at": now})
        row = SignInThrottle.objects.select_for_update().get(pk=row.pk)
        if row.window_started_at <= now - timedelta(seconds=WINDOW_SECONDS):
            row.failures, row.window_started_at = 0, now
        row.failures += 1
        if row.failures >= subject.limit:
            # The pause starts now; counting starts again once it is over.
            row.locked_until = now + timedelta(seconds=LOCK_SECONDS)
            row.failures, row.window_started_at = 0, row.locked_until
            if engaged is None or row.locked_until > engaged.until:
                engaged = Lock(subject.kind, row.locked_until)
        row.save(update_fields=["failures", "window_started_at", "locked_until"])
    return engaged


def login_success_clear(*, username: str) -> None:
    """A correct sign-in forgets that username's failures, not the address's."""
    subject = _user(username)
    SignInThrottle.objects.filter(kind=subject.kind, digest=subject.digest).filter(
        Q(locked_until__isnull=True) | Q(locked_until__lte=timezone.now())).delete()


def login_throttle_clear(*, username: str) -> bool:
    """Forget a username's failures and lift any pause on it (an administrator's or
    `townhall demo`'s reset of the account). True if there was a pause to lift."""
    subject = _user(username)
    rows = SignInThrottle.objects.filter(kind=subject.kind, digest=subject.digest)
    paused = rows.filter(locked_until__gt=timezone.now()).exists()
    rows.delete()
    return paused
