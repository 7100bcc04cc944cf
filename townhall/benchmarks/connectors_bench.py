"""Facebook webhook load: signed batches of 1000 updates a second against the real app.

Starts `townhall serve` (gunicorn) on a fresh TOWNHALL_VAR_DIR and a free loopback port,
posts signed Messenger-shaped batches for a bounded time, then waits until every update
is a stored message (giving up once nothing new is stored for 30 s), and counts them. The webhook answers
once the body is committed and stores the items after (decision 508), so the time until
everything is stored is reported beside the acknowledgement times. Loopback only;
bounded in batches and in time.
"""

import hashlib
import hmac
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from townhall.benchmarks.fixtures import fresh_env, reset_postgres

PAGE_ID = "104729381234567"
APP_SECRET = "bench-app-secret-not-real"
SETUP = """
from townhall.core.models import Council
from townhall.connectors.services import channel_create, channel_credentials_set
council = Council.objects.get(slug="bench")
channel, _ = channel_create(council=council, platform="facebook", handle="benchpage")
channel_credentials_set(channel=channel, secrets={"verify_token": "bench"}, settings={
    "page_id": "PAGE_ID", "app_secret_env": "TOWNHALL_BENCH_FACEBOOK_APP_SECRET"})
print(channel.key)
""".replace("PAGE_ID", PAGE_ID)
COUNT = """
from townhall.inbox.models import Message
print(Message.objects.filter(channel__handle="benchpage").count())
"""
# Polls until `EXPECTED` messages are stored or nothing new arrives for 30 seconds.
WAIT = """
import time
from townhall.inbox.models import Message
last, still = -1, time.monotonic()
while True:
    count = Message.objects.filter(channel__handle="benchpage").count()
    if count >= EXPECTED:
        break
    if count != last:
        last, still = count, time.monotonic()
    elif time.monotonic() - still > 30:
        break
    time.sleep(0.25)
print(count)
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _django(code: str, env: dict[str, str]) -> str:
    script = ("import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', "
              "'config.settings'); django.setup()\n" + code)
    done = subprocess.run([sys.executable, "-c", script], env=env,  # noqa: S603
                          capture_output=True, text=True, check=True)
    return done.stdout.strip()


def _batch(number: int, size: int) -> bytes:
    base = 1772453700000 + number * size
    entries = [{"id": PAGE_ID, "time": base + n, "messaging": [{
        "sender": {"id": str(7_000_000 + (number * size + n) % 5000)},
        "recipient": {"id": PAGE_ID}, "timestamp": base + n,
        "message": {"mid": f"m_bench_{number}_{n}",
                    "text": f"Bench message {number}-{n}: the bins were not collected"}}]}
        for n in range(size)]
    return json.dumps({"object": "page", "entry": entries}).encode()


def _post(url: str, body: bytes) -> tuple[float, int]:
    signature = "sha256=" + hmac.new(APP_SECRET.encode(), body, hashlib.sha256).hexdigest()
    request = urllib.request.Request(url, data=body, method="POST", headers={  # noqa: S310
        "Content-Type": "application/json", "X-Hub-Signature-256": signature})
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    except OSError:
        status = 0
    return time.perf_counter() - started, status


def _wait_until_up(url: str, deadline: float) -> None:
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)  # noqa: S310
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("The server did not start within the time allowed.")


def _one(name: str, database_url: str, seconds: int, per_second: int) -> str:
    with tempfile.TemporaryDirectory() as tmp_name:
        env = fresh_env(Path(tmp_name), reset_postgres(database_url) if database_url else "")
        env["TOWNHALL_BENCH_FACEBOOK_APP_SECRET"] = APP_SECRET
        env["TOWNHALL_MAX_BODY_BYTES"] = str(4 * 1024 * 1024)
        subprocess.run([sys.executable, "-m", "townhall", "migrate", "--verbosity", "0"],  # noqa: S603
                       env=env, check=True)
        subprocess.run([sys.executable, "-m", "townhall", "council", "create", "bench",  # noqa: S603
                        "--name", "Bench Council"], env=env, check=True, capture_output=True)
        key = _django(SETUP, env).splitlines()[-1]
        port = _free_port()
        server = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "townhall", "serve", "--host", "127.0.0.1",
             "--port", str(port), "--workers", "2"],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        url = f"http://127.0.0.1:{port}/connectors/facebook/{key}/webhook"
        try:
            _wait_until_up(url, time.monotonic() + 60)
            started = time.monotonic()
            results, wall = _send(url, seconds, per_second)
            _django(WAIT.replace("EXPECTED", str(seconds * per_second)), env)
            all_stored = time.monotonic() - started
        finally:
            server.terminate()
            server.wait(timeout=30)
        stored = int(_django(COUNT, env))
    latencies = sorted(t for t, status in results if status == 200)
    failures = sum(1 for _, status in results if status != 200)
    sent = len(results) * per_second
    p50 = statistics.median(latencies) if latencies else float("nan")
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] if latencies else p50
    return (f"| {name} | {len(results)} x {per_second:,} | {sent:,} | {stored:,} | "
            f"{failures} | {p50 * 1000:,.0f} ms | {p99 * 1000:,.0f} ms | {wall:.0f} s "
            f"| {all_stored:.0f} s | {stored / all_stored:,.0f}/s |")


def _send(url: str, seconds: int, per_second: int) -> tuple[list[tuple[float, int]], float]:
    """One batch each second, from a pool of 16 senders so a slow answer does not delay
    the schedule; stops at `seconds` batches and waits at most two minutes per answer.
    Returns each batch's (seconds to acknowledge, HTTP status) and the wall time."""
    bodies = [_batch(n, per_second) for n in range(seconds)]
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=16) as pool:
        futures = []
        for number, body in enumerate(bodies):
            delay = started + number - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            futures.append(pool.submit(_post, url, body))
        results = [f.result(timeout=120) for f in futures]
    return results, time.monotonic() - started


def run(*, databases: list[tuple[str, str]], seconds: int = 60,
        per_second: int = 1000) -> list[str]:
    seconds = max(1, min(seconds, 300))
    per_second = max(1, min(per_second, 1000))
    rows = ["## Facebook webhook load (`townhall serve`, 2 gunicorn workers x 4 threads)", "",
            f"Signed Messenger batches of {per_second:,} updates, one a second for "
            f"{seconds} s, over 127.0.0.1. Acknowledgement = HTTP 200 once the body is "
            "committed; stored = every update a message.", "",
            "| database | batches | updates sent | messages stored | failed batches "
            "| ack p50 | ack p99 | last ack after | all stored after | stored per second |",
            "|---|---|---|---|---|---|---|---|---|---|"]
    for name, url in databases:
        rows.append(_one(name, url, seconds, per_second))
    return rows + [""]


if __name__ == "__main__":
    dbs = [("SQLite", "")]
    if os.environ.get("DATABASE_URL"):
        dbs.append(("PostgreSQL", os.environ["DATABASE_URL"]))
    print("\n".join(run(databases=dbs, seconds=int(sys.argv[1]) if len(sys.argv) > 1 else 60)))
