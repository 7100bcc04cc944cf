"""A local fake of a platform's HTTP API for tests: a real server on 127.0.0.1.

Routes answer like the platform; scripted responses (429 with headers, 500, a slow
answer, 400) are served first, in order, to the requests they match.
"""

import json
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass
class FakeRequest:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body or b"{}")


@dataclass
class Scripted:
    """One canned answer. status None means "answer as the route would", after `delay`."""

    status: int | None = None
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


# A handler answers (status, body) or (status, body, headers). A body of bytes is sent
# as it is (server-sent events, say); anything else is sent as JSON.
Handler = Callable[[FakeRequest], tuple[Any, ...]]


class FakeApi:
    def __init__(self) -> None:
        self.routes: list[tuple[str, re.Pattern[str], Handler]] = []
        self.scripts: list[tuple[str, re.Pattern[str], Scripted]] = []
        self.requests: list[FakeRequest] = []
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def base_url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}"

    def route(self, method: str, pattern: str, handler: Handler) -> None:
        self.routes.append((method, re.compile(f"^{pattern}$"), handler))

    def script(self, method: str, pattern: str, *answers: Scripted) -> None:
        with self.lock:
            for answer in answers:
                self.scripts.append((method, re.compile(f"^{pattern}$"), answer))

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _answer(self, request: FakeRequest) -> tuple[int, Any, dict[str, str], float]:
        with self.lock:
            self.requests.append(request)
            scripted = None
            for index, (method, pattern, _answer) in enumerate(self.scripts):
                if method == request.method and pattern.match(request.path):
                    scripted = self.scripts.pop(index)[2]
                    break
        if scripted is not None and scripted.status is not None:
            return scripted.status, scripted.body, scripted.headers, scripted.delay
        for method, pattern, handler in self.routes:
            if method == request.method and pattern.match(request.path):
                status, body, *rest = handler(request)
                headers = {**(rest[0] if rest else {}), **(scripted.headers if scripted else {})}
                delay = scripted.delay if scripted else 0.0
                return status, body, headers, delay
        return 404, {"error": {"message": "Unknown path in the fake API."}}, {}, 0.0

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class _Handler(BaseHTTPRequestHandler):
            def _serve(self) -> None:
                url = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                request = FakeRequest(
                    method=self.command, path=url.path,
                    query={k: v[-1] for k, v in parse_qs(url.query).items()},
                    headers={k.lower(): v for k, v in self.headers.items()},
                    body=self.rfile.read(length) if length else b"")
                status, body, headers, delay = fake._answer(request)
                if delay:
                    time.sleep(delay)
                if isinstance(body, bytes):
                    data = body
                else:
                    data = json.dumps(body).encode() if body is not None else b""
                try:
                    self.send_response(status)
                    self.send_header("Content-Type",
                                     headers.get("Content-Type", "application/json"))
                    self.send_header("Content-Length", str(len(data)))
                    for name, value in headers.items():
                        if name.lower() != "content-type":
                            self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # The client gave up waiting, as a timeout test means it to.

            do_GET = do_POST = do_PUT = do_DELETE = _serve

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                pass

        return _Handler
