"""A small GeoReport v2 back office, in memory, written to the spec.

The tests run it on a free port in a thread to test Townhall's client end to end, and
`townhall open311 fake-backoffice` runs it for the demo. It speaks JSON and XML, checks
the API key, service_code and location of a POST, answers the spec's errors, and
supports mySociety's servicerequestupdates. Tests can make it fail, stall or hand out
tokens instead of ids, and can close requests or add updates as a back office would.
"""

import itertools
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from townhall.open311.formats import CONTENT_TYPES, render

PREFIX = "/open311/v2/"
DEFAULT_SERVICES = [
    {"service_code": "POT", "service_name": "Pothole", "group": "Roads"},
    {"service_code": "LIGHT", "service_name": "Street light not working", "group": "Roads"},
    {"service_code": "FLY", "service_name": "Fly-tipping", "group": "Street cleaning"},
]


def _w3c(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _when(raw: str) -> datetime | None:
    try:
        when = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        return None
    return when if when.tzinfo else None


@dataclass
class Stored:
    service_request_id: str
    service_code: str
    fields: dict[str, str]
    requested: datetime
    status: str = "open"
    status_notes: str = ""
    updated: datetime = field(default_factory=lambda: datetime.now(UTC))
    token: str = ""
    # Requests it was started with (see adopt) keep their status: only new ones close.
    auto_close: bool = True


@dataclass
class Update:
    update_id: str
    service_request_id: str
    status: str
    description: str
    updated: datetime


class FakeBackOffice:
    def __init__(self, *, port: int = 0, api_key: str = "test-key", batch: bool = False,
                 close_after: float | None = None,
                 services: list[dict[str, Any]] | None = None) -> None:
        self.api_key = api_key
        self.batch = batch
        self.close_after = close_after
        self.services = services or DEFAULT_SERVICES
        self.requests: dict[str, Stored] = {}
        self.tokens: dict[str, str] = {}
        self.pending_tokens: set[str] = set()
        self.updates: list[Update] = []
        self.received: list[dict[str, str]] = []
        self.calls: list[str] = []
        self.failures: list[int] = []
        self.stall_seconds = 0.0
        self.lock = threading.Lock()
        self._ids = itertools.count(1001)
        self._update_ids = itertools.count(1)
        self.server = ThreadingHTTPServer(("127.0.0.1", port), self._handler())
        self.server.daemon_threads = True
        self.thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}{PREFIX.rstrip('/')}"

    # Running --------------------------------------------------------------------------

    def start(self) -> "FakeBackOffice":
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    def serve_forever(self) -> None:
        self.server.serve_forever()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    # What a test (or a back-office worker) does ---------------------------------------

    def fail_next(self, status: int, times: int = 1) -> None:
        self.failures.extend([status] * times)

    def stall(self, seconds: float) -> None:
        self.stall_seconds = seconds

    def set_status(self, service_request_id: str, status: str, notes: str = "",
                   push: bool = True) -> None:
        """Change a request's status; with `push`, also publish it as an update."""
        with self.lock:
            stored = self.requests[service_request_id]
            stored.status, stored.status_notes = status, notes
            stored.updated = datetime.now(UTC)
            if push:
                self.updates.append(Update(f"u{next(self._update_ids)}", service_request_id,
                                           status, notes, stored.updated))

    def assign_token(self, token: str) -> str:
        """In batch mode, give a waiting token its request id, as a back office later does."""
        with self.lock:
            self.pending_tokens.discard(token)
            return self.tokens[token]

    def adopt(self, *, service_request_id: str, service_code: str, status: str, notes: str,
              requested: datetime, updated: datetime, fields: dict[str, str]) -> None:
        """Know a request made before this server started, as a real back office would
        (the demo's history), so that asking about it does not answer "not found"."""
        with self.lock:
            self.requests[service_request_id] = Stored(
                service_request_id, service_code, dict(fields), requested, status, notes,
                updated, auto_close=False)

    def add_report(self, description: str, service_code: str = "POT") -> str:
        """A report a resident made on the council's own form, straight into the back office."""
        with self.lock:
            rid = str(next(self._ids))
            self.requests[rid] = Stored(rid, service_code, {"description": description},
                                        datetime.now(UTC))
            return rid

    # The spec -------------------------------------------------------------------------

    def _as_request(self, stored: Stored) -> dict[str, Any]:
        if (self.close_after is not None and stored.status == "open" and stored.auto_close
                and datetime.now(UTC) - stored.requested > timedelta(seconds=self.close_after)):
            stored.status, stored.status_notes = "closed", "Repaired by the highways team."
            stored.updated = datetime.now(UTC)
            self.updates.append(Update(f"u{next(self._update_ids)}", stored.service_request_id,
                                       "closed", stored.status_notes, stored.updated))
        f = stored.fields
        return {"service_request_id": stored.service_request_id, "status": stored.status,
                "status_notes": stored.status_notes or None,
                "service_code": stored.service_code,
                "service_name": next((s["service_name"] for s in self.services
                                      if s["service_code"] == stored.service_code), None),
                "description": f.get("description") or None, "agency_responsible": "Highways",
                "service_notice": None, "requested_datetime": _w3c(stored.requested),
                "updated_datetime": _w3c(stored.updated), "expected_datetime": None,
                "address": f.get("address_string") or None, "address_id": None,
                "zipcode": None, "lat": f.get("lat"), "long": f.get("long"),
                "media_url": f.get("media_url") or None}

    def handle(self, method: str, path: str, query: dict[str, str],
               form: dict[str, str]) -> tuple[int, str, Any]:
        """(HTTP status, root element, body) for one call, as the spec says."""
        self.calls.append(f"{method} {path}")
        if self.failures:
            status = self.failures.pop(0)
            return status, "errors", [{"code": status, "description": "The back office is "
                                       "having a problem."}]
        if path == "services" and method == "GET":
            return 200, "services", [{"description": "", "metadata": False, "type": "realtime",
                                      "keywords": "", **s} for s in self.services]
        if path == "requests" and method == "POST":
            return self._create(form)
        if path == "requests" and method == "GET":
            return self._list(query)
        if path.startswith("requests/") and method == "GET":
            stored = self.requests.get(path.split("/", 1)[1])
            if stored is None:
                return 404, "errors", [{"code": 404, "description": "service_request_id not "
                                        "found"}]
            return 200, "service_requests", [self._as_request(stored)]
        if path.startswith("tokens/") and method == "GET":
            token = path.split("/", 1)[1]
            if token not in self.tokens:
                return 404, "errors", [{"code": 404, "description": "token not found"}]
            rid = None if token in self.pending_tokens else self.tokens[token]
            return 200, "service_requests", [{"service_request_id": rid, "token": token}]
        if path == "servicerequestupdates" and method == "GET":
            return self._updates(query)
        return 404, "errors", [{"code": 404, "description": "No such method."}]

    def _create(self, form: dict[str, str]) -> tuple[int, str, Any]:
        self.received.append(dict(form))
        if form.get("api_key") != self.api_key:
            return 403, "errors", [{"code": 403, "description": "Invalid api_key received -- "
                                    "can't proceed with create_request."}]
        code = form.get("service_code", "")
        errors = []
        if not code:
            errors.append((400, "service_code was not provided"))
        elif code not in {s["service_code"] for s in self.services}:
            return 404, "errors", [{"code": 404, "description": f"service_code {code} not "
                                    "found"}]
        if not ((form.get("lat") and form.get("long")) or form.get("address_string")
                or form.get("address_id")):
            errors.append((400, "A location is required"))
        if errors:
            return 400, "errors", [{"code": c, "description": d} for c, d in errors]
        with self.lock:
            rid = str(next(self._ids))
            self.requests[rid] = Stored(rid, code, dict(form), datetime.now(UTC))
            if self.batch:
                token = f"tok{rid}"
                self.tokens[token] = rid
                self.pending_tokens.add(token)
                return 200, "service_requests", [{"token": token,
                                                  "service_notice": "Queued."}]
        return 200, "service_requests", [{"service_request_id": rid,
                                          "service_notice": "We aim to inspect within 5 "
                                                            "working days.",
                                          "account_id": None}]

    def _list(self, query: dict[str, str]) -> tuple[int, str, Any]:
        ids = [i for i in query.get("service_request_id", "").split(",") if i]
        start, end = _when(query.get("start_date", "")), _when(query.get("end_date", ""))
        found = []
        for stored in list(self.requests.values()):
            if ids and stored.service_request_id not in ids:
                continue
            if not ids and ((start and stored.requested < start)
                            or (end and stored.requested > end)):
                continue
            found.append(self._as_request(stored))
        return 200, "service_requests", found

    def _updates(self, query: dict[str, str]) -> tuple[int, str, Any]:
        start, end = _when(query.get("start_date", "")), _when(query.get("end_date", ""))
        for stored in list(self.requests.values()):
            self._as_request(stored)  # lets close_after publish its update
        return 200, "service_request_updates", [
            {"update_id": u.update_id, "service_request_id": u.service_request_id,
             "status": u.status, "updated_datetime": _w3c(u.updated),
             "description": u.description, "media_url": ""}
            for u in self.updates
            if (not start or u.updated >= start) and (not end or u.updated <= end)]

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        office = self

        class Handler(BaseHTTPRequestHandler):
            def _serve(self, method: str) -> None:
                parts = urlsplit(self.path)
                if office.stall_seconds:
                    time.sleep(office.stall_seconds)
                query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
                form: dict[str, str] = {}
                if method == "POST":
                    length = int(self.headers.get("Content-Length") or 0)
                    body = self.rfile.read(length).decode("utf-8")
                    form = {k: v[-1] for k, v in parse_qs(body, keep_blank_values=True).items()}
                path, _, fmt = parts.path.removeprefix(PREFIX).rpartition(".")
                fmt = fmt if fmt in ("json", "xml") else "xml"
                status, root, value = office.handle(method, path, query, form)
                data = render(fmt, root, value)
                self.send_response(status)
                self.send_header("Content-Type", CONTENT_TYPES[fmt])
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
                self._serve("GET")

            def do_POST(self) -> None:  # noqa: N802 - the name http.server calls
                self._serve("POST")

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                return

        return Handler
