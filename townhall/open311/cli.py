"""`townhall open311 ...`: issue API keys, run the back-office sweep, run a test back office."""

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from townhall.open311.fake_backoffice import FakeBackOffice


def cmd_key(args: argparse.Namespace) -> int:
    from townhall.cli import _council, _django

    _django()
    from townhall.open311.server import api_key_create

    council = _council(args.council)
    _, raw = api_key_create(council=council, name=args.name)
    print(raw)
    return 0


def cmd_sweep(args: argparse.Namespace) -> int:
    from townhall.cli import _django

    _django()
    from townhall.open311.sync import sweep_all

    for council_id, summary in sweep_all().items():
        print(f"Council {council_id}: " + ", ".join(f"{k} {v}" for k, v in summary.items()))
    return 0


def _adopt_sent(server: "FakeBackOffice") -> int:
    """Start the test back office with the requests Townhall already sent to its address
    (the demo council's history), so that Townhall's sweep finds them there."""
    from urllib.parse import urlsplit

    from townhall.cli import _django

    try:
        _django()
        from django.db import DatabaseError

        from townhall.open311.models import BackOffice, BackOfficeRequest, SendState
    except Exception:  # noqa: BLE001 - without a database it still serves new requests
        return 0
    port = server.server.server_address[1]
    adopted = 0
    try:
        for backoffice in BackOffice.objects.all():
            where = urlsplit(backoffice.base_url)
            if where.hostname not in ("127.0.0.1", "localhost") or where.port != port:
                continue
            for request in (BackOfficeRequest.objects
                            .filter(council_id=backoffice.council_id, send_state=SendState.SENT)
                            .exclude(service_request_id="")):
                sent = request.sent_at or request.created_at
                server.adopt(service_request_id=request.service_request_id,
                             service_code=request.service_code, status=request.status or "open",
                             notes=request.status_notes, requested=sent,
                             updated=request.remote_updated_at or sent,
                             fields={"description": request.description,
                                     "address_string": request.address_string})
                adopted += 1
    except DatabaseError:
        return adopted
    return adopted


def cmd_fake(args: argparse.Namespace) -> int:
    """A GeoReport v2 back office in memory, for the demo and for trying Townhall out."""
    from townhall.open311.fake_backoffice import FakeBackOffice

    server = FakeBackOffice(port=args.port, api_key=args.api_key, close_after=args.close_after)
    adopted = _adopt_sent(server)
    print(f"A test back office is answering at {server.url} (API key {args.api_key!r}). "
          f"It knows the {adopted} requests Townhall already sent to it, and closes new ones "
          f"after {args.close_after:g} seconds. Press Ctrl+C to stop.", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


def add_commands(subparsers: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    p = subparsers.add_parser("open311", help="Open311: API keys, back-office sweep.")
    sub = p.add_subparsers(dest="open311_command", required=True)
    k = sub.add_parser("key", help="Issue an API key for Townhall's Open311 endpoint "
                                   "(prints it once; only its hash is kept).")
    k.add_argument("--council", required=True)
    k.add_argument("--name", default="Open311 client")
    k.set_defaults(func=cmd_key)
    s = sub.add_parser("sweep", help="Send due requests and check the back office for "
                                     "updates (`townhall serve` runs it on a timetable).")
    s.set_defaults(func=cmd_sweep)
    f = sub.add_parser("fake-backoffice", help="Run a GeoReport v2 test back office on this "
                                               "machine, for the demo.")
    f.add_argument("--port", type=int, default=8311)
    f.add_argument("--api-key", default="demo-key")
    f.add_argument("--close-after", type=float, default=120.0,
                   help="Seconds after which it marks a request closed.")
    f.set_defaults(func=cmd_fake)
