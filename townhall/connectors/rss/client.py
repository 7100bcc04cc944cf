"""The shared HTTP client, plus a POST of exact bytes: a signature covers the body as
sent, so the body cannot be left to the HTTP library to serialise."""

from collections.abc import Mapping
from typing import Any

import requests

from townhall.connectors.errors import RetriableError
from townhall.connectors.http import HttpClient


class FeedClient(HttpClient):
    def post_bytes(self, url: str, body: bytes, headers: Mapping[str, str]) -> Any:
        try:
            response = self.session.post(url, data=body, headers=dict(headers),
                                         timeout=self.timeout)
        except requests.Timeout:
            raise RetriableError(f"{self.name} did not answer within {self.timeout:g} seconds.",
                                 maybe_sent=True) from None
        except requests.ConnectionError:
            raise RetriableError(f"Townhall could not connect to {self.name}.",
                                 maybe_sent=False) from None
        return self._result(response, sends=True)
