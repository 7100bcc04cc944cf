"""`make bench`: measure what the issues promise, on this machine, and print Markdown.

Each part runs the real command in a child process on a fresh database, so the figures
include start-up, parsing and the database, as a council would see them.
"""

import argparse
import os
import sys
from pathlib import Path

from townhall.benchmarks import import_bench


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m townhall.bench")
    parser.add_argument("--data", default="../shared/data",
                        help="Folder of labelled development data (for triage).")
    parser.add_argument("--only", default="",
                        help="Comma-separated parts: import,triage,inbox,connectors,analytics")
    parser.add_argument("--messages", type=int, default=100_000)
    args = parser.parse_args(argv)
    parts = set(filter(None, args.only.split(","))) or {"import", "triage", "inbox", "connectors",
                                                        "analytics"}
    out: list[str] = []
    databases = [("SQLite", "")]
    if os.environ.get("DATABASE_URL"):
        databases.append(("PostgreSQL", os.environ["DATABASE_URL"]))
    if "import" in parts:
        out += import_bench.run(messages=args.messages, databases=databases)
    if "triage" in parts:
        try:
            from townhall.triage import bench as triage_bench  # type: ignore[attr-defined]
        except ImportError:
            out.append("Triage benchmark not available.")
        else:
            data = Path(args.data)
            if data.exists():
                triage_bench.main(["--data", str(data)])
            else:
                out.append(f"Triage benchmark skipped: no data folder at {data}.")
    if "inbox" in parts:
        try:
            from townhall.benchmarks import inbox_bench  # type: ignore[attr-defined]
        except ImportError:
            pass
        else:
            out += inbox_bench.run(databases=databases)
    if "connectors" in parts:
        from townhall.benchmarks import connectors_bench

        out += connectors_bench.run(databases=databases)
    if "analytics" in parts:
        from townhall.benchmarks import analytics_bench

        out += analytics_bench.run(databases=databases)
    print("\n".join(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
