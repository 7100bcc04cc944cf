"""XRPC over HTTP: the shared client, plus the AT Protocol's way of saying a token has
expired and its RateLimit-* headers."""

from typing import Any

import requests

from townhall.connectors.errors import PermanentError, RetriableError
from townhall.connectors.http import HttpClient, retry_after_from

TOKEN_ERRORS = {"ExpiredToken", "InvalidToken"}


class TokenExpired(PermanentError):
    """The session's access token has expired or was refused; refresh and try once more."""


class XrpcClient(HttpClient):
    def _result(self, response: requests.Response, *, sends: bool) -> Any:
        status = response.status_code
        if status in (400, 401):
            try:
                error = response.json().get("error")
            except (ValueError, AttributeError):
                error = None
            if isinstance(error, str) and error in TOKEN_ERRORS:
                raise TokenExpired(f"{self.name} said the session token is no longer valid.",
                                   status=status)
        try:
            return super()._result(response, sends=sends)
        except RetriableError as error:
            if error.retry_after is None:
                error.retry_after = _ratelimit_reset(response)
            raise

    @staticmethod
    def _detail(response: requests.Response) -> str:
        """XRPC errors are {"error": "<Name>", "message": "<words>"}; show the words."""
        try:
            data = response.json()
        except ValueError:
            return ""
        if not isinstance(data, dict) or isinstance(data.get("error"), dict):
            return HttpClient._detail(response)
        message = data.get("message") or data.get("error")
        return f": {str(message)[:200]}" if message else ""


def _ratelimit_reset(response: requests.Response) -> float | None:
    """Bluesky's RateLimit-Reset is the epoch second the window resets."""
    reset = str(response.headers.get("RateLimit-Reset", "")).strip()
    if reset:
        return retry_after_from({"X-RateLimit-Reset": reset})
    return None
