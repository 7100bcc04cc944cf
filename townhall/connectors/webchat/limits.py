"""Fixed-window rate limits in Django's cache (Redis in production, shared by workers).

Limits are read from settings at each call, so a deployment can tune them and a test can
lower them with override_settings.
"""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache

DEFAULTS = {
    # A visitor's browser opens one session; a few more allow for cleared storage.
    "sessions_per_ip_per_hour": 20,
    "messages_per_session_per_minute": 10,
    "messages_per_ip_per_minute": 30,
    # The widget polls every 5 seconds, and once more after each reply to acknowledge it.
    "polls_per_session_per_minute": 40,
}


def limit(name: str) -> int:
    overrides = getattr(settings, "TOWNHALL_WEBCHAT_LIMITS", {}) or {}
    return int(overrides.get(name, DEFAULTS[name]))


def hit(scope: str, who: str, *, per: int, name: str) -> int | None:
    """Count one request; return the seconds to wait if `who` is over the limit."""
    now = time.time()
    window = int(now // per)
    # Hashed, so the cache never holds an address or session id in clear.
    digest = hashlib.sha256(who.encode()).hexdigest()[:32]
    key = f"th:webchat:{scope}:{digest}:{window}"
    cache.add(key, 0, timeout=per + 5)
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=per + 5)
        count = 1
    if count > limit(name):
        return max(1, int(per - now % per))
    return None
