"""A small HTTP client for connectors: timeouts, error classes and rate-limit headers."""

import json
import random
import time
from collections.abc import Mapping
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import requests

from townhall.connectors.errors import PermanentError, RetriableError

DEFAULT_TIMEOUT = 10.0
BACKOFF_BASE = 2.0
BACKOFF_CAP = 15 * 60.0


def backoff(attempt: int, *, base: float = BACKOFF_BASE, cap: float = BACKOFF_CAP) -> float:
    """Seconds to wait before attempt `attempt` (1-based): exponential, full jitter, capped.

    Full jitter spreads the retries of many replies that failed together (a platform
    outage) instead of sending them all back at the same moment.
    """
    ceiling = min(cap, base * (2 ** max(0, attempt - 1)))
    return random.uniform(0, ceiling)


def _seconds_until(epoch: float, now: float) -> float:
    return max(0.0, epoch - now)


def retry_after_from(headers: Mapping[str, str], *, now: float | None = None) -> float | None:
    """Read how long the platform asks us to wait, from whichever header it uses."""
    now = time.time() if now is None else now
    lower = {k.lower(): v for k, v in headers.items()}
    value = lower.get("retry-after")
    if value:
        value = value.strip()
        if value.replace(".", "", 1).isdigit():
            return float(value)
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError):
            when = None
        if when is not None:
            if when.tzinfo is None:
                when = when.replace(tzinfo=UTC)
            return _seconds_until(when.timestamp(), now)
    for name in ("x-ratelimit-reset", "x-rate-limit-reset"):
        value = lower.get(name, "").strip()
        if value.replace(".", "", 1).isdigit():
            number = float(value)
            # Mastodon sends an ISO time; X sends epoch seconds; small numbers are a delay.
            return _seconds_until(number, now) if number > 1e9 else number
        if value:
            try:
                return _seconds_until(datetime.fromisoformat(value.replace("Z", "+00:00"))
                                      .timestamp(), now)
            except ValueError:
                pass
    usage = lower.get("x-business-use-case-usage") or lower.get("x-app-usage")
    if usage:
        return _meta_usage_wait(usage)
    return None


def _meta_usage_wait(raw: str) -> float | None:
    """Meta's usage header: {"<id>": [{"estimated_time_to_regain_access": minutes}]}."""
    try:
        data = json.loads(raw)
    except json.JSONDecodeError:
        return None
    minutes: list[float] = []
    entries = data.values() if isinstance(data, dict) else []
    for value in entries:
        for entry in value if isinstance(value, list) else [value]:
            if isinstance(entry, dict):
                wait = entry.get("estimated_time_to_regain_access")
                if isinstance(wait, int | float) and wait > 0:
                    minutes.append(float(wait))
    return max(minutes) * 60 if minutes else None


class HttpClient:
    """JSON over HTTP with a timeout on every call and errors sorted for retrying.

    `name` is the platform's name as a person knows it, used in error text. Secrets go
    in `params` or `headers` and are never put into an error message.
    """

    def __init__(self, *, base_url: str, name: str, timeout: float = DEFAULT_TIMEOUT,
                 session: requests.Session | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.name = name
        self.timeout = timeout
        self.session = session or requests.Session()

    def request(self, method: str, path: str, *, params: Mapping[str, Any] | None = None,
                json_body: Any = None, headers: Mapping[str, str] | None = None,
                form: Mapping[str, str] | None = None,
                auth: tuple[str, str] | None = None) -> Any:
        """One call. `form` sends an application/x-www-form-urlencoded body, as OAuth
        token endpoints want; `auth` is HTTP Basic (an OAuth client id and secret)."""
        url = path if path.startswith("http") else f"{self.base_url}/{path.lstrip('/')}"
        sends = method.upper() != "GET"
        try:
            response = self.session.request(method, url, params=params, json=json_body,
                                            data=form, auth=auth, headers=headers,
                                            timeout=self.timeout)
        except requests.Timeout:
            raise RetriableError(f"{self.name} did not answer within {self.timeout:g} seconds.",
                                 maybe_sent=sends) from None
        except requests.ConnectionError:
            raise RetriableError(f"Townhall could not connect to {self.name}.",
                                 maybe_sent=False) from None
        return self._result(response, sends=sends)

    def _result(self, response: requests.Response, *, sends: bool) -> Any:
        status = response.status_code
        if 200 <= status < 300:
            try:
                return response.json() if response.content else {}
            except ValueError:
                raise RetriableError(f"{self.name} sent an answer that is not JSON.",
                                     maybe_sent=sends, status=status) from None
        detail = self._detail(response)
        if status == 429 or status >= 500:
            wait = retry_after_from(response.headers)
            what = "is limiting how fast Townhall may send" if status == 429 else "had an error"
            raise RetriableError(f"{self.name} {what} (HTTP {status}){detail}.",
                                 retry_after=wait, maybe_sent=sends and status >= 500,
                                 status=status)
        raise PermanentError(f"{self.name} refused the request (HTTP {status}){detail}.",
                             status=status)

    @staticmethod
    def _detail(response: requests.Response) -> str:
        """The platform's own error message, if it gave one, cut short."""
        try:
            data = response.json()
        except ValueError:
            return ""
        error = data.get("error") if isinstance(data, dict) else None
        message = error.get("message") if isinstance(error, dict) else error
        # OAuth token endpoints (RFC 6749) say why in error_description.
        if isinstance(data, dict) and data.get("error_description"):
            message = data["error_description"]
        return f": {str(message)[:200]}" if message else ""
