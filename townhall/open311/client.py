"""A GeoReport v2 client for the council's back office, in JSON or XML.

Every call has a timeout. A POST is form-encoded, as the spec requires; the API key goes
only in POST bodies (GETs need none) and never into an error message.
"""

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import requests

from townhall.open311.errors import NotConfigured, Refused, Retriable
from townhall.open311.formats import FormatError, as_list, parse

MAX_ERROR_TEXT = 300


def w3c(when: datetime) -> str:
    """2026-03-02T09:15:00Z: the spec's w3 format, in UTC."""
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_datetime(value: Any) -> datetime | None:
    """A spec datetime (with Z or an offset); None if missing or without a zone."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        when = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return when if when.tzinfo is not None else None


@dataclass
class GeoReportClient:
    base_url: str
    jurisdiction_id: str = ""
    api_key: str = ""
    fmt: str = "json"
    timeout: float = 10.0
    name: str = "The back office"
    session: requests.Session | None = None

    def _url(self, path: str) -> str:
        return f"{self.base_url.rstrip('/')}/{path}.{self.fmt}"

    def _params(self, extra: dict[str, Any] | None = None) -> dict[str, Any]:
        params = {"jurisdiction_id": self.jurisdiction_id} if self.jurisdiction_id else {}
        params.update({k: v for k, v in (extra or {}).items() if v not in (None, "")})
        return params

    def call(self, method: str, path: str, *, params: dict[str, Any] | None = None,
             data: dict[str, Any] | None = None) -> Any:
        session = self.session or requests.Session()
        try:
            response = session.request(method, self._url(path), params=params, data=data,
                                       timeout=self.timeout)
        except requests.Timeout:
            raise Retriable(f"{self.name} did not answer within {self.timeout:g} seconds.") \
                from None
        except requests.RequestException:
            raise Retriable(f"Townhall could not connect to {self.name}.") from None
        return self._result(response)

    def _result(self, response: requests.Response) -> Any:
        status = response.status_code
        if 200 <= status < 300:
            try:
                return parse(self.fmt, response.content)
            except FormatError as error:
                raise Retriable(f"{self.name} sent an answer that is {error}.",
                                status=status) from None
        errors = self._errors(response)
        detail = "; ".join(text for _, text in errors)[:MAX_ERROR_TEXT]
        detail = f": {detail}" if detail else ""
        if status == 429 or status >= 500:
            raise Retriable(f"{self.name} had a problem (HTTP {status}){detail}.", status=status)
        raise Refused(f"{self.name} refused the request (HTTP {status}){detail}.",
                      status=status, errors=errors)

    def _errors(self, response: requests.Response) -> list[tuple[str, str]]:
        """The spec's error list: [{code, description}], in either format."""
        try:
            body = parse(self.fmt, response.content)
        except FormatError:
            return []
        return [(str(e.get("code", "")), str(e.get("description", ""))) for e in as_list(body)
                if e.get("description")]

    # The methods of the spec ----------------------------------------------------------

    def services(self) -> list[dict[str, Any]]:
        return as_list(self.call("GET", "services", params=self._params()))

    def create(self, fields: dict[str, Any]) -> dict[str, Any]:
        """POST requests: returns the first request in the answer (id or token)."""
        if not self.api_key:
            raise NotConfigured("The back office's API key is missing. An administrator "
                                "can enter it in the back-office settings.")
        data = self._params({**fields, "api_key": self.api_key})
        found = as_list(self.call("POST", "requests", data=data))
        if not found:
            raise Retriable(f"{self.name} accepted the request but sent back no reference.")
        return found[0]

    def request(self, service_request_id: str) -> dict[str, Any] | None:
        found = as_list(self.call("GET", f"requests/{service_request_id}",
                                  params=self._params()))
        return found[0] if found else None

    def requests_since(self, start: datetime, end: datetime) -> list[dict[str, Any]]:
        return as_list(self.call("GET", "requests", params=self._params(
            {"start_date": w3c(start), "end_date": w3c(end)})))

    def token(self, token: str) -> dict[str, Any] | None:
        found = as_list(self.call("GET", f"tokens/{token}", params=self._params()))
        return found[0] if found else None

    def updates(self, start: datetime, end: datetime) -> list[dict[str, Any]]:
        """mySociety's extension: status updates between two times."""
        return as_list(self.call("GET", "servicerequestupdates", params=self._params(
            {"start_date": w3c(start), "end_date": w3c(end)})))
