"""Import throughput, duplicate absorption and memory as the file grows."""

import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from townhall.benchmarks.fixtures import write_messages


def _townhall(args: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """Run `townhall ARGS` in a child; return (seconds, peak RSS MiB, output)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "townhall", *args], env=env,  # noqa: S603
                          capture_output=True, text=True, check=True)
    elapsed = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return elapsed, max(peak, before) / 1024, done.stdout


def _fresh_env(tmp: Path, database_url: str) -> dict[str, str]:
    env = {**os.environ, "TOWNHALL_VAR_DIR": str(tmp / "var")}
    env.pop("DATABASE_URL", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def _reset_postgres(database_url: str) -> str:
    """Use a dedicated, emptied database so the benchmark never touches real data."""
    import psycopg

    base, _, _ = database_url.rpartition("/")
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS townhall_bench WITH (FORCE)")
        conn.execute("CREATE DATABASE townhall_bench")
    return f"{base}/townhall_bench"


def run(*, messages: int, databases: list[tuple[str, str]]) -> list[str]:
    rows = ["## Import (`townhall import`)", "",
            f"Synthetic JSONL, {messages:,} messages, threads of 1 to 4, 6 platforms.", "",
            "| database | lines | first import | messages/s | re-import (all duplicates) "
            "| lines/s | peak RSS |",
            "|---|---|---|---|---|---|---|"]
    for name, url in databases:
        for size in sorted({messages // 4, messages}):
            with tempfile.TemporaryDirectory() as tmp_name:
                tmp = Path(tmp_name)
                env = _fresh_env(tmp, _reset_postgres(url) if url else "")
                _townhall(["migrate", "--verbosity", "0"], env)
                _townhall(["council", "create", "bench", "--name", "Bench Council"], env)
                path = write_messages(tmp / "messages.jsonl", size)
                first, rss, out = _townhall(["import", str(path), "--council", "bench"], env)
                assert f"Created: {size:,}" in out, out
                again, rss2, out2 = _townhall(["import", str(path), "--council", "bench"], env)
                assert f"Duplicates: {size:,}" in out2, out2
                rows.append(f"| {name} | {size:,} | {first:.1f} s | {size / first:,.0f} "
                            f"| {again:.1f} s | {size / again:,.0f} | {max(rss, rss2):.0f} MiB |")
    return rows + [""]
