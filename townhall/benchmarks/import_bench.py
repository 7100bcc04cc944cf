"""Import throughput, duplicate absorption and memory as the file grows."""

import subprocess
import sys
import tempfile
import time
from pathlib import Path

from townhall.benchmarks.fixtures import fresh_env, reset_postgres, write_messages

# The child reports its own peak memory as it exits, so an earlier, bigger child
# (migrate, say) cannot inflate the figure, as RUSAGE_CHILDREN's maximum would.
_CHILD = (
    "import atexit, resource, sys\n"
    "atexit.register(lambda: sys.stderr.write("
    "'PEAK_RSS_KIB=%d\\n' % resource.getrusage(resource.RUSAGE_SELF).ru_maxrss))\n"
    "from townhall.cli import main\n"
    "sys.exit(main(sys.argv[1:]))\n"
)


def _townhall(args: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """Run `townhall ARGS` in a child; return (seconds, its peak RSS in MiB, output)."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", _CHILD, *args], env=env,  # noqa: S603
                          capture_output=True, text=True, check=True)
    elapsed = time.perf_counter() - started
    peaks = [int(line.split("=", 1)[1]) for line in done.stderr.splitlines()
             if line.startswith("PEAK_RSS_KIB=")]
    return elapsed, (peaks[-1] if peaks else 0) / 1024, done.stdout


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
                env = fresh_env(tmp, reset_postgres(url) if url else "")
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
