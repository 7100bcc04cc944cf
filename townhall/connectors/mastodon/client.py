"""Mastodon's HTTP client: the shared one, keeping the last answer's Link and
X-RateLimit-* headers so polling can page and slow down before it is refused."""

from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qs, urlsplit

import requests

from townhall.connectors.http import HttpClient

# Stop paging when fewer requests than this are left in the window (300 per 5 minutes
# by default), so replies still have room to go out.
RATE_RESERVE = 10


class MastodonClient(HttpClient):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.last_headers: Mapping[str, str] = {}
        self.last_links: dict[str, dict[str, str]] = {}

    def _result(self, response: requests.Response, *, sends: bool) -> Any:
        self.last_headers = response.headers
        self.last_links = dict(response.links)
        return super()._result(response, sends=sends)

    def link_param(self, rel: str, name: str) -> str | None:
        """A query parameter of the last answer's Link header, e.g. next's max_id."""
        url = (self.last_links.get(rel) or {}).get("url", "")
        values = parse_qs(urlsplit(url).query).get(name)
        return values[-1] if values else None

    def running_low(self) -> bool:
        remaining = str(self.last_headers.get("X-RateLimit-Remaining", "")).strip()
        return remaining.isdigit() and int(remaining) < RATE_RESERVE
